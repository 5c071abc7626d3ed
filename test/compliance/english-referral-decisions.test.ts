/**
 * What becomes of a referral and who is told (ELFT §9.4; LPT SOP §6.5, §6.8, Appendix 13): each
 * rule passes, fails, is held to its limit on each side (working days on the English calendar,
 * calendar days where the policy says days), cannot be evaluated without the data it needs, and
 * belongs to its own trust's pack. Every person here is invented.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/compliance/finding.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { referralDataItems } from '../../src/record/vocabulary.js';
import { findingsOf, variant } from './helpers.js';

const LPT = 'leicestershire-lpt';
const ELFT = 'luton-bedfordshire-elft';
const WALES = 'wales-measure';
const NOTHING = 'Nothing in the record that this rule applies to.';

type Referral = NonNullable<NonNullable<CtpRecord['episodes']>[number]['referral']>;
type Decision = NonNullable<Referral['decision']>;
type Told = NonNullable<Decision['told']>[number];

const findings = (record: CtpRecord, pack: string, key: string, asOf = '2025-12-01'): Finding[] => findingsOf(record, key, asOf, pack);
const results = (record: CtpRecord, pack: string, key: string, asOf?: string) => findings(record, pack, key, asOf).map((f) => f.result);
const messages = (record: CtpRecord, pack: string, key: string, asOf?: string) => findings(record, pack, key, asOf).map((f) => f.message);

/** A referral received on Monday 3 March 2025, with whatever else the test needs. */
const referred = (extra: Partial<Referral>, change: (r: CtpRecord) => void = () => {}) =>
  variant((x) => {
    x.episodes![0]!.referral = { receivedOn: '2025-03-03', ...extra };
    change(x);
  });
const decided = (decision: Decision, extra: Partial<Referral> = {}) => referred({ decision, ...extra });
const written = (who: Told['who'], on: string, inWriting: boolean | 'not recorded' = true): Told => ({ who, on, ...(inWriting === 'not recorded' ? {} : { inWriting }) });

describe('ELFT-R8: a referral not accepted told to the referrer with reasons, and to the person and GP in writing', () => {
  const TOLD = 'ELFT-R8/referrer-told-when-not-accepted';
  const REASONS = 'ELFT-R8/reasons-given-to-referrer';
  const declined = (told?: Told[], reasonsGiven?: boolean) =>
    decided({ outcome: 'declined', on: '2025-03-03', ...(told ? { told } : {}), ...(reasonsGiven === undefined ? {} : { reasonsGiven }) });
  it('the referrer told within 5 working days: Monday 10 March passes, Tuesday 11 March fails', () => {
    expect(results(declined([written('referrer', '2025-03-10', false)]), ELFT, TOLD)).toEqual(['pass']);
    expect(findings(declined([written('referrer', '2025-03-11')]), ELFT, TOLD)[0]).toMatchObject({
      result: 'fail',
      location: 'episodes[0].referral.decision',
      due: '2025-03-10',
      severity: 'warning',
    });
  });
  it('nobody told: not yet due on 10 March, failing from 11 March naming the referrer; no date of decision cannot be judged', () => {
    expect(results(declined(), ELFT, TOLD, '2025-03-10')).toEqual(['not-applicable']);
    expect(messages(declined([written('gp', '2025-03-04')]), ELFT, TOLD, '2025-03-11')).toEqual([
      'Not yet told: the referrer, and 5 working days have passed since the decision.',
    ]);
    expect(findings(decided({ outcome: 'declined' }), ELFT, TOLD)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.decision.on'] });
  });
  it('the reasons given pass, withheld fail, not recorded cannot be judged; an accepted referral asks neither', () => {
    expect(results(declined(undefined, true), ELFT, REASONS)).toEqual(['pass']);
    expect(findings(declined(undefined, false), ELFT, REASONS)[0]).toMatchObject({ result: 'fail', location: 'episodes[0].referral.decision.reasonsGiven' });
    expect(findings(declined(), ELFT, REASONS)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.decision.reasonsGiven'] });
    expect(messages(decided({ outcome: 'accepted', on: '2025-03-03' }), ELFT, TOLD)).toEqual([NOTHING]);
  });

  const WORKING = 'ELFT-R8/told-in-writing-within-5-working-days';
  const DAYS = 'ELFT-R8/told-in-writing-within-5-days';
  // Decided on Friday 7 March: 5 working days run to Friday 14 March, 5 days to Wednesday 12 March.
  const onward = (onwardService: Decision['onwardService'], told: Told[]) =>
    decided({ outcome: 'referred-on', on: '2025-03-07', ...(onwardService ? { onwardService } : {}), told });
  const both = (gpOn: string, patientOn = '2025-03-10') => [written('patient', patientOn), written('gp', gpOn)];
  it('to wellbeing: the person and the GP in writing within 5 working days, the last of them decides', () => {
    expect(results(onward('wellbeing', both('2025-03-14')), ELFT, WORKING)).toEqual(['pass']);
    expect(findings(onward('wellbeing', both('2025-03-15')), ELFT, WORKING)[0]).toMatchObject({ result: 'fail', due: '2025-03-14' });
    expect(findings(onward('wellbeing', both('2025-03-17')), ELFT, WORKING)[0]).toMatchObject({ result: 'fail', due: '2025-03-14' });
    expect(messages(onward('wellbeing', both('2025-03-13')), ELFT, DAYS)).toEqual([NOTHING]);
  });
  it('to early intervention: within 5 calendar days, so Thursday 13 March is late though it is within 5 working days', () => {
    expect(results(onward('early-intervention', both('2025-03-12')), ELFT, DAYS)).toEqual(['pass']);
    expect(findings(onward('early-intervention', both('2025-03-13')), ELFT, DAYS)[0]).toMatchObject({ result: 'fail', due: '2025-03-12' });
    expect(results(onward('primary-care-liaison', both('2025-03-13')), ELFT, WORKING)).toEqual(['pass']);
  });
  it('told but not in writing does not count; not known to be in writing cannot be judged; the service not recorded cannot be matched', () => {
    const spoken = onward('wellbeing', [written('patient', '2025-03-10'), written('gp', '2025-03-10', false)]);
    expect(messages(spoken, ELFT, WORKING)).toEqual(['Not yet told in writing: the GP, and 5 working days have passed since the decision.']);
    expect(findings(onward('wellbeing', [written('patient', '2025-03-10'), written('gp', '2025-03-10', 'not recorded')]), ELFT, WORKING)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['episodes[0].referral.decision.told[1].inWriting'],
    });
    expect(findings(onward(undefined, both('2025-03-10')), ELFT, WORKING)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['episodes[0].referral.decision.onwardService'],
    });
  });
  it('are not rules of LPT or Wales', () => {
    expect(findings(onward('wellbeing', both('2025-03-17')), LPT, WORKING)).toEqual([]);
    expect(findings(onward('wellbeing', both('2025-03-17')), WALES, TOLD)).toEqual([]);
  });
});

describe('LPT-Z11: a letter to the person, the referrer and the GP when a referral is not accepted', () => {
  const Z11 = 'LPT-Z11/letter-when-not-accepted';
  // Decided on Monday 14 April 2025: 10 working days pass Good Friday and Easter Monday, to Wednesday 30 April.
  const declined = (gpOn: string) =>
    decided({ outcome: 'declined', on: '2025-04-14', told: [written('patient', '2025-04-15'), written('referrer', '2025-04-15'), written('gp', gpOn)] });
  it('within 10 working days on the English calendar: 30 April passes, 1 May fails', () => {
    expect(results(declined('2025-04-30'), LPT, Z11)).toEqual(['pass']);
    expect(findings(declined('2025-05-01'), LPT, Z11)[0]).toMatchObject({ result: 'fail', due: '2025-04-30', severity: 'warning' });
  });
  it('the referrer left out fails naming them, once due', () => {
    const noReferrer = decided({
      outcome: 'referred-on',
      onwardService: 'wellbeing',
      on: '2025-04-14',
      told: [written('patient', '2025-04-15'), written('gp', '2025-04-15')],
    });
    expect(results(noReferrer, LPT, Z11, '2025-04-30')).toEqual(['not-applicable']);
    expect(messages(noReferrer, LPT, Z11, '2025-05-01')).toEqual(['Not yet told in writing: the referrer, and 10 working days have passed since the decision.']);
  });
  it('is not a rule of ELFT', () => {
    expect(findings(declined('2025-05-01'), ELFT, Z11)).toEqual([]);
  });
});

describe('LPT-R11: an internal referral’s outcome recorded, and a letter to the referrer', () => {
  const RECORDED = 'LPT-R11/internal-referral-outcome-recorded';
  const LETTER = 'LPT-R11/referrer-written-to-after-review-meeting';
  it('no outcome: not yet due 4 weeks on (31 March), failing from 1 April; recorded passes', () => {
    expect(results(referred({ route: 'internal' }), LPT, RECORDED, '2025-03-31')).toEqual(['not-applicable']);
    expect(findings(referred({ route: 'internal' }), LPT, RECORDED, '2025-04-01')[0]).toMatchObject({ result: 'fail', severity: 'error', due: '2025-03-31' });
    expect(results(decided({ outcome: 'accepted', on: '2025-03-10' }, { route: 'internal' }), LPT, RECORDED)).toEqual(['pass']);
  });
  it('the referrer written to within 5 working days of the decision: 17 March passes, 18 March fails', () => {
    const letter = (on: string) => decided({ outcome: 'accepted', on: '2025-03-10', told: [written('referrer', on)] }, { route: 'internal' });
    expect(results(letter('2025-03-17'), LPT, LETTER)).toEqual(['pass']);
    expect(findings(letter('2025-03-18'), LPT, LETTER)[0]).toMatchObject({ result: 'fail', due: '2025-03-17', severity: 'error' });
  });
  it('asks nothing of a referral through the central access point, or one whose route is not recorded', () => {
    expect(messages(referred({ route: 'central-access' }), LPT, RECORDED)).toEqual([NOTHING]);
    expect(messages(decided({ outcome: 'accepted', on: '2025-03-10' }), LPT, LETTER)).toEqual([NOTHING]);
  });
});

describe('LPT-R12: an urgent referral re-graded to routine told to the GP and the person, with a rationale', () => {
  const TOLD = 'LPT-R12/regrading-told-to-gp-and-person';
  const RATIONALE = 'LPT-R12/regrading-rationale-given';
  const regraded = (patientOn: string, rationaleGiven?: boolean, from: 'urgent' | 'routine' = 'urgent') =>
    referred({
      priority: 'routine',
      regradings: [
        {
          from,
          to: from === 'urgent' ? 'routine' : 'urgent',
          on: '2025-03-03',
          ...(rationaleGiven === undefined ? {} : { rationaleGiven }),
          told: [written('gp', '2025-03-04', false), written('patient', patientOn, false)],
        },
      ],
    });
  it('both told within 5 working days: 10 March passes, 11 March fails at the regrading', () => {
    expect(results(regraded('2025-03-10'), LPT, TOLD)).toEqual(['pass']);
    expect(findings(regraded('2025-03-11'), LPT, TOLD)[0]).toMatchObject({ result: 'fail', location: 'episodes[0].referral.regradings[0]', due: '2025-03-10' });
  });
  it('the rationale given passes, not given fails, not recorded cannot be judged', () => {
    expect(results(regraded('2025-03-04', true), LPT, RATIONALE)).toEqual(['pass']);
    expect(results(regraded('2025-03-04', false), LPT, RATIONALE)).toEqual(['fail']);
    expect(findings(regraded('2025-03-04'), LPT, RATIONALE)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.regradings[0].rationaleGiven'] });
  });
  it('a routine referral made urgent asks nothing', () => {
    expect(messages(regraded('2025-04-30', undefined, 'routine'), LPT, TOLD)).toEqual([NOTHING]);
  });
});

describe('LPT-X10: contact within 7 days of a referral from the crisis team', () => {
  const X10 = 'LPT-X10/contact-within-7-days-of-crisis-team-referral';
  const fromCrisisTeam = (contactOn: string | null, source: Referral['source'] = 'crisis-team') =>
    referred({ source }, (x) => {
      x.encounters = contactOn === null ? undefined : [{ id: 'enc', kind: 'contact', status: 'finished', start: contactOn, mode: 'telephone', episode: 'ep' }];
      if (x.encounters === undefined) delete x.encounters;
    });
  it('a contact 7 days on passes, 8 days on fails; none is not yet due on day 7 and fails on day 8', () => {
    expect(results(fromCrisisTeam('2025-03-10T16:00:00Z'), LPT, X10)).toEqual(['pass']);
    expect(findings(fromCrisisTeam('2025-03-11T09:00:00Z'), LPT, X10)[0]).toMatchObject({ result: 'fail', location: 'episodes[0].referral', severity: 'error' });
    expect(results(fromCrisisTeam(null), LPT, X10, '2025-03-10')).toEqual(['not-applicable']);
    expect(results(fromCrisisTeam(null), LPT, X10, '2025-03-11')).toEqual(['fail']);
  });
  it('asks nothing of referrals from elsewhere, or whose source is not recorded', () => {
    expect(messages(fromCrisisTeam(null, 'gp'), LPT, X10)).toEqual([NOTHING]);
    expect(messages(referred({}), LPT, X10)).toEqual([NOTHING]);
  });
});

describe('LPT-R9: what a referral lacks of the data set sought from the referrer', () => {
  const R9 = 'LPT-R9/missing-referral-information-sought';
  // The data set the pack judges: every item but carer details (asked only where a carer is involved).
  const ALL = referralDataItems.filter((i) => i !== 'carer-details' && i !== 'other');
  const holding = (items: readonly (typeof referralDataItems)[number][], missingSoughtOn?: string) =>
    referred({ dataSet: { items: [...items], ...(missingSoughtOn ? { missingSoughtOn } : {}) } });
  const lacking = ALL.filter((i) => i !== 'next-of-kin' && i !== 'safeguarding');
  it('the whole set passes without seeking anything; carer details are not asked of every referral', () => {
    expect(results(holding(ALL), LPT, R9)).toEqual(['pass']);
  });
  it('what is lacking sought within 5 working days: 10 March passes, 11 March fails naming what was lacking', () => {
    expect(results(holding(lacking, '2025-03-10'), LPT, R9)).toEqual(['pass']);
    const late = findings(holding(lacking, '2025-03-11'), LPT, R9)[0]!;
    expect(late).toMatchObject({ result: 'fail', location: 'episodes[0].referral', due: '2025-03-10', severity: 'warning' });
    expect(late.message).toContain('next of kin; safeguarding, and whether it was reported to the police');
  });
  it('never sought: not yet due on 10 March, failing from 11 March; what the referral held not recorded cannot be judged', () => {
    expect(results(holding(lacking), LPT, R9, '2025-03-10')).toEqual(['not-applicable']);
    expect(results(holding(lacking), LPT, R9, '2025-03-11')).toEqual(['fail']);
    expect(findings(referred({ dataSet: { missingSoughtOn: '2025-03-04' } }), LPT, R9)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['episodes[0].referral.dataSet.items'],
    });
  });
  it('is not a rule of ELFT', () => {
    expect(findings(holding(lacking), ELFT, R9)).toEqual([]);
  });
});

describe('LPT-R17: the risk assessment updated before the receiving team makes contact (the referral opened in time is referral-opened-after-mdt, english-meetings.test.ts)', () => {
  const RISK = 'LPT-R17/risk-assessment-updated-before-first-contact';
  const contacted = (riskOn: string | null, contactOn: string | null = '2025-03-10') =>
    referred({ route: 'neighbourhood-mdt' }, (x) => {
      x.riskAssessments = [riskOn === null ? { id: 'ra' } : { id: 'ra', date: riskOn }];
      if (contactOn === null) delete x.encounters;
      else x.encounters = [{ id: 'enc', kind: 'contact', status: 'finished', start: contactOn, mode: 'face-to-face', episode: 'ep' }];
    });
  it('a risk assessment from 4 weeks before the referral to the day of the first contact passes; either side fails', () => {
    expect(results(contacted('2025-02-03'), LPT, RISK)).toEqual(['pass']);
    expect(results(contacted('2025-03-10'), LPT, RISK)).toEqual(['pass']);
    expect(findings(contacted('2025-02-02'), LPT, RISK)[0]).toMatchObject({ result: 'fail', severity: 'error', due: '2025-03-10' });
    expect(results(contacted('2025-03-11'), LPT, RISK)).toEqual(['fail']);
  });
  it('before any contact asks nothing yet; an undated assessment cannot be judged', () => {
    expect(results(contacted('2025-01-01', null), LPT, RISK)).toEqual(['not-applicable']);
    expect(findings(contacted(null), LPT, RISK)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['riskAssessments[0].date'] });
  });
  it('is not a rule of ELFT', () => {
    expect(findings(contacted('2025-02-02'), ELFT, RISK)).toEqual([]);
  });
});
