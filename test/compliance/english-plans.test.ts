/**
 * The English packs' rules on plans of a named kind (safety, best-interest, leave, non-CPA and
 * step-down plans) and the risk formulation: each passes, fails, is held to its limit on each
 * side, cannot be evaluated without the data it needs, and belongs to its own trust's pack only.
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { variant } from './helpers.js';

/** The rule found nothing in the record to apply to. */
const NOTHING = [{ result: 'not-applicable', message: 'Nothing in the record that this rule applies to.' }];

type OtherPlan = NonNullable<CtpRecord['otherPlans']>[number];
/** The compliant record (accepted Monday 6 January 2025, assessed Wednesday 15 January) with these plans of a named kind. */
const withPlans = (plans: readonly Omit<OtherPlan, 'id'>[], change: (r: CtpRecord) => void = () => {}) =>
  variant((x) => {
    if (plans.length > 0) x.otherPlans = plans.map((p, i) => ({ id: `op${i}`, ...p }));
    change(x);
  });

describe('LPT-P2: an interim safety plan at once', () => {
  const P2 = 'LPT-P2/interim-safety-plan-at-once';
  it('by the next working day after acceptance: 7 January passes, 8 January fails', () => {
    expect(results(withPlans([{ kind: 'interim-safety-plan', madeOn: '2025-01-07' }]), LPT, P2)).toEqual(['pass']);
    expect(findings(withPlans([{ kind: 'interim-safety-plan', madeOn: '2025-01-08' }]), LPT, P2)[0]).toMatchObject({
      result: 'fail',
      location: 'episodes[0]',
      due: '2025-01-07',
      severity: 'warning',
    });
  });
  it('over a weekend: accepted on a Friday, the Monday is in time and the Tuesday is not', () => {
    const friday = (madeOn: string) => withPlans([{ kind: 'interim-safety-plan', madeOn }], (x) => void (x.episodes![0]!.acceptedOn = '2025-01-10'));
    expect(results(friday('2025-01-13'), LPT, P2)).toEqual(['pass']);
    expect(results(friday('2025-01-14'), LPT, P2)).toEqual(['fail']);
  });
  it('a safety plan already made in the episode is in place; a plan of another kind is not', () => {
    expect(results(withPlans([{ kind: 'safety-plan', episode: 'ep', madeOn: '2025-01-02' }]), LPT, P2)).toEqual(['pass']);
    expect(results(withPlans([{ kind: 'leave-plan', madeOn: '2025-01-06' }]), LPT, P2)).toEqual(['fail']);
  });
  it('none: not yet due on 7 January, failing from 8 January', () => {
    expect(results(withPlans([]), LPT, P2, '2025-01-07')).toEqual(['not-applicable']);
    expect(results(withPlans([]), LPT, P2, '2025-01-08')).toEqual(['fail']);
  });
  it('cannot be evaluated without the date of acceptance, or with only an undated plan', () => {
    const noAcceptance = withPlans([], (x) => delete x.episodes![0]!.acceptedOn);
    expect(findings(noAcceptance, LPT, P2)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].acceptedOn'] });
    expect(findings(withPlans([{ kind: 'interim-safety-plan' }]), LPT, P2)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['otherPlans[0].madeOn'] });
  });
  it('is not a rule of ELFT or Wales', () => {
    expect(findings(withPlans([]), ELFT, P2)).toEqual([]);
    expect(findings(withPlans([]), WALES, P2)).toEqual([]);
  });
});

describe('LPT-K12: a safety plan within 7 working days of the assessment', () => {
  const K12 = 'LPT-K12/safety-plan-within-7-working-days';
  // Assessed Wednesday 15 January 2025: 7 working days run to Friday 24 January.
  it('24 January passes, Monday 27 January fails (an error)', () => {
    expect(results(withPlans([{ kind: 'safety-plan', madeOn: '2025-01-24' }]), LPT, K12)).toEqual(['pass']);
    expect(findings(withPlans([{ kind: 'safety-plan', madeOn: '2025-01-27' }]), LPT, K12)[0]).toMatchObject({
      result: 'fail',
      due: '2025-01-24',
      severity: 'error',
    });
  });
  it('an interim safety plan does not count, nor a safety plan made before the assessment', () => {
    expect(results(withPlans([{ kind: 'interim-safety-plan', madeOn: '2025-01-16' }]), LPT, K12)).toEqual(['fail']);
    expect(results(withPlans([{ kind: 'safety-plan', madeOn: '2025-01-10' }]), LPT, K12)).toEqual(['fail']);
  });
  it('not yet due on 24 January; set aside by a discharge before it was due', () => {
    expect(results(withPlans([]), LPT, K12, '2025-01-24')).toEqual(['not-applicable']);
    const discharged = withPlans([], (x) => {
      x.episodes![0]!.status = 'finished';
      x.episodes![0]!.discharge = { date: '2025-01-20', kind: 'full' };
    });
    expect(results(discharged, LPT, K12)).toEqual(['not-applicable']);
  });
  it('nothing to judge without an assessment; an undated safety plan cannot be judged', () => {
    expect(
      findings(
        withPlans([], (x) => delete x.assessments),
        LPT,
        K12,
      ),
    ).toMatchObject(NOTHING);
    expect(findings(withPlans([{ kind: 'safety-plan' }]), LPT, K12)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['otherPlans[0].madeOn'] });
  });
  it('is not a rule of ELFT or Wales', () => {
    expect(findings(withPlans([]), ELFT, K12)).toEqual([]);
    expect(findings(withPlans([]), WALES, K12)).toEqual([]);
  });
});

describe('ELFT-K19: a safety plan within the 28-day needs assessment, and at triage', () => {
  const WITHIN = 'ELFT-K19/safety-plan-within-28-days';
  const TRIAGE = 'ELFT-K19/safety-plan-agreed-at-triage';
  // Referred Friday 3 January 2025; triaged Monday 31 March 2025 at 23:30 BST, which is still 31 March in the UK.
  const referred = (plans: readonly Omit<OtherPlan, 'id'>[], triageAt: string | null = '2025-03-31T23:30:00+01:00') =>
    withPlans(plans, (x) => {
      x.episodes![0]!.referral = { receivedOn: '2025-01-03', ...(triageAt ? { triage: { at: triageAt } } : {}) };
    });
  it('within 28 days of referral: 31 January passes, 1 February fails', () => {
    expect(results(referred([{ kind: 'brief-safety-plan', madeOn: '2025-01-31' }], null), ELFT, WITHIN)).toEqual(['pass']);
    expect(findings(referred([{ kind: 'brief-safety-plan', madeOn: '2025-02-01' }], null), ELFT, WITHIN)[0]).toMatchObject({
      result: 'fail',
      due: '2025-01-31',
    });
    expect(results(referred([], null), ELFT, WITHIN, '2025-01-31')).toEqual(['not-applicable']);
  });
  it('at triage: a plan made on the UK day of a late-evening triage passes, the day after fails', () => {
    expect(results(referred([{ kind: 'safety-plan', madeOn: '2025-03-31' }]), ELFT, TRIAGE)).toEqual(['pass']);
    expect(findings(referred([{ kind: 'safety-plan', madeOn: '2025-04-01' }]), ELFT, TRIAGE)[0]).toMatchObject({ result: 'fail', due: '2025-03-31' });
    expect(results(referred([{ kind: 'safety-plan', madeOn: '2025-03-30' }]), ELFT, TRIAGE)).toEqual(['pass']);
  });
  it('a triage in UTC just after midnight BST falls on the next UK day', () => {
    expect(results(referred([{ kind: 'safety-plan', madeOn: '2025-04-01' }], '2025-03-31T23:30:00Z'), ELFT, TRIAGE)).toEqual(['pass']);
  });
  it('no triage is not judged; a triage without its time cannot be; no referral cannot be', () => {
    expect(findings(referred([], null), ELFT, TRIAGE)).toMatchObject(NOTHING);
    const untimed = withPlans([], (x) => void (x.episodes![0]!.referral = { receivedOn: '2025-01-03', triage: { by: ['team-manager'] } }));
    expect(findings(untimed, ELFT, TRIAGE)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.triage.at'] });
    expect(findings(withPlans([]), ELFT, WITHIN)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.receivedOn'] });
  });
  it('is not a rule of LPT or Wales', () => {
    expect(findings(referred([]), LPT, WITHIN)).toEqual([]);
    expect(findings(referred([]), WALES, TRIAGE)).toEqual([]);
  });
});

describe('LPT-P4: a best-interest care plan when the person declines to plan together', () => {
  const P4 = 'LPT-P4/best-interest-plan-when-not-involved';
  // The care plan was made on 1 February 2025: 4 weeks run to 1 March.
  const declined = (plans: readonly Omit<OtherPlan, 'id'>[], tookPart = false) => withPlans(plans, (x) => void (x.plans![0]!.involvement = { tookPart }));
  it('given to the person on 1 March passes; on 2 March fails at the version', () => {
    expect(results(declined([{ kind: 'best-interest-care-plan', madeOn: '2025-02-10', givenTo: [{ role: 'patient', on: '2025-03-01' }] }]), LPT, P4)).toEqual(['pass']);
    expect(findings(declined([{ kind: 'best-interest-care-plan', madeOn: '2025-02-10', givenTo: [{ role: 'patient', on: '2025-03-02' }] }]), LPT, P4)[0]).toMatchObject({
      result: 'fail',
      location: 'plans[0].involvement',
      due: '2025-03-01',
    });
  });
  it('written but given only to the GP fails and says so; none at all fails', () => {
    const gpOnly = findings(declined([{ kind: 'best-interest-care-plan', madeOn: '2025-02-10', givenTo: [{ role: 'gp', on: '2025-02-11' }] }]), LPT, P4)[0]!;
    expect(gpOnly.result).toBe('fail');
    expect(gpOnly.message).toContain('no copy given to the person');
    expect(findings(declined([]), LPT, P4)[0]!.message).toContain('No best-interest care plan has been written');
  });
  it('one given before the version counts from its day; not yet due before 2 March', () => {
    expect(results(declined([{ kind: 'best-interest-care-plan', givenTo: [{ role: 'patient', on: '2025-01-20' }] }]), LPT, P4)).toEqual(['pass']);
    expect(results(declined([]), LPT, P4, '2025-03-01')).toEqual(['not-applicable']);
  });
  it('nothing to judge when the person took part; an undated version cannot be judged', () => {
    expect(findings(declined([], true), LPT, P4)).toMatchObject(NOTHING);
    const undated = withPlans([], (x) => {
      x.plans![0]!.involvement = { tookPart: false };
      delete x.plans![0]!.madeOn;
    });
    expect(findings(undated, LPT, P4)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['plans[0].madeOn'] });
  });
  it('is not a rule of ELFT or Wales', () => {
    expect(findings(declined([]), ELFT, P4)).toEqual([]);
    expect(findings(declined([]), WALES, P4)).toEqual([]);
  });
});

describe('LPT-D10 and ELFT-P6: what a leave plan and a non-CPA plan set out', () => {
  const D10 = 'LPT-D10/leave-plan-contents';
  const P6 = 'ELFT-P6/non-cpa-plan-contents';
  it('a leave plan with its rationale, timescale and a crisis or contingency plan passes', () => {
    expect(results(withPlans([{ kind: 'leave-plan', madeOn: '2025-03-01', contents: ['rationale', 'timescale', 'contingency-plan'] }]), LPT, D10)).toEqual(['pass']);
    expect(results(withPlans([{ kind: 'leave-plan', madeOn: '2025-03-01', contents: ['rationale', 'timescale', 'crisis-plan'] }]), LPT, D10)).toEqual(['pass']);
  });
  it('one without its timescale fails as an error, naming what is missing', () => {
    const f = findings(withPlans([{ kind: 'leave-plan', madeOn: '2025-03-01', contents: ['rationale', 'crisis-plan'] }]), LPT, D10)[0]!;
    expect(f).toMatchObject({ result: 'fail', location: 'otherPlans[0]', severity: 'error' });
    expect(f.message).toBe('The leave plan (leave from hospital) does not set out: timescale.');
  });
  it('contents not recorded cannot be judged; a plan made after the date of evaluation is not judged', () => {
    expect(findings(withPlans([{ kind: 'leave-plan', madeOn: '2025-03-01' }]), LPT, D10)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['otherPlans[0].contents'] });
    expect(findings(withPlans([{ kind: 'leave-plan', madeOn: '2025-12-02', contents: ['rationale'] }]), LPT, D10)).toMatchObject(NOTHING);
  });
  it('the non-CPA plan needs every section; its crisis or contingency part is met by either', () => {
    const all = ['how-we-will-work', 'main-contact', 'how-to-contact', 'emergency-contact', 'risk-assessment', 'crisis-plan'] as const;
    expect(results(withPlans([{ kind: 'non-cpa-plan', madeOn: '2025-03-01', contents: [...all] }]), ELFT, P6)).toEqual(['pass']);
    const f = findings(withPlans([{ kind: 'non-cpa-plan', madeOn: '2025-03-01', contents: ['how-we-will-work', 'main-contact'] }]), ELFT, P6)[0]!;
    expect(f.result).toBe('fail');
    expect(f.message).toBe(
      'The care plan for someone not on CPA does not set out: how to contact them; who to contact in an emergency; consideration of the risk assessment; contingency plan or crisis plan.',
    );
  });
  it('each belongs to its own pack; other kinds of plan are not judged', () => {
    const leave = withPlans([{ kind: 'leave-plan', madeOn: '2025-03-01', contents: ['rationale'] }]);
    expect(findings(leave, ELFT, D10)).toEqual([]);
    expect(findings(leave, ELFT, P6)).toMatchObject(NOTHING);
    expect(findings(leave, WALES, D10)).toEqual([]);
    expect(findings(withPlans([{ kind: 'non-cpa-plan', madeOn: '2025-03-01' }]), LPT, P6)).toEqual([]);
  });
});

describe('ELFT-P17: a step-down plan reviewed every three months for up to 18 months', () => {
  const P17 = 'ELFT-P17/step-down-plan-reviewed-3-monthly';
  const stepDown = (reviewedOn: string[], madeOn: string | null = '2025-01-10') =>
    withPlans([{ kind: 'step-down-plan', ...(madeOn ? { madeOn } : {}), ...(reviewedOn.length > 0 ? { reviewedOn } : {}) }]);
  it('reviewed on 10 April passes, on 11 April fails at that review', () => {
    expect(results(stepDown(['2025-04-10']), ELFT, P17, '2025-05-01')).toEqual(['pass', 'not-applicable']);
    expect(findings(stepDown(['2025-04-11']), ELFT, P17, '2025-05-01')[0]).toMatchObject({ result: 'fail', location: 'otherPlans[0].reviewedOn[0]', due: '2025-04-10' });
  });
  it('each review starts the next three months; none fails once three months have passed', () => {
    expect(results(stepDown(['2025-04-10', '2025-07-10']), ELFT, P17, '2025-08-01')).toEqual(['pass', 'pass', 'not-applicable']);
    expect(findings(stepDown([]), ELFT, P17, '2025-04-11')[0]).toMatchObject({ result: 'fail', location: 'otherPlans[0]', due: '2025-04-10' });
  });
  it('asks no review due after 18 months', () => {
    const quarterly = ['2025-04-10', '2025-07-10', '2025-10-10', '2026-01-10', '2026-04-10', '2026-07-10'];
    expect(results(stepDown(quarterly), ELFT, P17, '2027-06-01')).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
  });
  it('an undated plan cannot be judged; not a rule of LPT or Wales', () => {
    expect(findings(stepDown([], null), ELFT, P17)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['otherPlans[0].madeOn'] });
    expect(findings(stepDown([]), LPT, P17)).toEqual([]);
    expect(findings(stepDown([]), WALES, P17)).toEqual([]);
  });
});

describe('LPT-K8: the risk formulation sets out the 5 P’s', () => {
  const K8 = 'LPT-K8/risk-formulation-5-ps';
  type Part = NonNullable<NonNullable<CtpRecord['riskAssessments']>[number]['formulation']>[number];
  const assessed = (formulation: Part[] | null, date = '2025-03-01') =>
    variant((x) => void (x.riskAssessments = [{ id: 'ra', date, ...(formulation ? { formulation } : {}) }]));
  const all: Part[] = ['problem', 'predisposing', 'precipitating', 'perpetuating', 'protective'];
  it('all five pass; without the protective factors fails, naming them', () => {
    expect(results(assessed(all), LPT, K8)).toEqual(['pass']);
    const f = findings(assessed(all.slice(0, 4)), LPT, K8)[0]!;
    expect(f).toMatchObject({ result: 'fail', location: 'riskAssessments[0]', severity: 'warning' });
    expect(f.message).toContain('protective factors');
  });
  it('not recorded cannot be judged; one after the date of evaluation is not judged', () => {
    expect(findings(assessed(null), LPT, K8)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['riskAssessments[0].formulation'] });
    expect(findings(assessed(all, '2025-12-02T10:00:00Z'), LPT, K8)).toMatchObject(NOTHING);
  });
  it('is not a rule of ELFT or Wales', () => {
    expect(findings(assessed(null), ELFT, K8)).toEqual([]);
    expect(findings(assessed(null), WALES, K8)).toEqual([]);
  });
});

describe('ELFT-N1 and N2: each contact’s note and outcome entered in time, by the audit times', () => {
  const NOTE = 'ELFT-N1/progress-note-within-1-working-day';
  const OUTCOME = 'ELFT-N1/outcomed-within-1-working-day';
  const N2 = 'ELFT-N2/data-entered-within-24-hours';
  type Encounter = NonNullable<CtpRecord['encounters']>[number];
  const contact = (extra: Partial<Encounter>) =>
    variant((x) => void (x.encounters = [{ id: 'c', kind: 'contact', status: 'finished', start: '2025-03-28T10:00:00Z', episode: 'ep', ...extra }]));
  it('a note by the next working day: a Friday contact noted on Monday passes, on Tuesday fails', () => {
    expect(results(contact({ auditTimes: { noteRecordedAt: '2025-03-31T16:00:00+01:00' } }), ELFT, NOTE)).toEqual(['pass']);
    expect(findings(contact({ auditTimes: { noteRecordedAt: '2025-04-01T09:00:00+01:00' } }), ELFT, NOTE)[0]).toMatchObject({
      result: 'fail',
      location: 'encounters[0]',
      due: '2025-03-31',
    });
  });
  it('a time written in UTC late on the Monday evening is Tuesday in the UK (after the clock change)', () => {
    expect(results(contact({ auditTimes: { noteRecordedAt: '2025-03-31T23:30:00Z' } }), ELFT, NOTE)).toEqual(['fail']);
    expect(results(contact({ auditTimes: { noteRecordedAt: '2025-03-31T22:30:00Z' } }), ELFT, NOTE)).toEqual(['pass']);
  });
  it('an appointment the person missed is outcomed in time too, but needs no note', () => {
    const missed = contact({ status: 'did-not-attend', auditTimes: { outcomedAt: '2025-03-28T15:00:00Z' } });
    expect(results(missed, ELFT, OUTCOME)).toEqual(['pass']);
    expect(findings(missed, ELFT, NOTE)).toMatchObject(NOTHING);
    expect(findings(contact({ status: 'cancelled' }), ELFT, OUTCOME)).toMatchObject(NOTHING);
  });
  it('24 hours from the end of the contact, across the spring clock change: 10:00 GMT to 11:00 BST is in time, a minute later is not', () => {
    const saturday = (outcomedAt: string) => contact({ start: '2025-03-29T09:00:00Z', end: '2025-03-29T10:00:00Z', auditTimes: { outcomedAt } });
    expect(results(saturday('2025-03-30T11:00:00+01:00'), ELFT, N2)).toEqual(['pass']);
    expect(findings(saturday('2025-03-30T11:01:00+01:00'), ELFT, N2)[0]).toMatchObject({ result: 'fail', location: 'encounters[0]' });
  });
  it('dates without times: the same day passes, the next day depends on times the record does not hold', () => {
    const untimed = (outcomedAt: string) => contact({ start: '2025-03-29', auditTimes: { outcomedAt } });
    expect(results(untimed('2025-03-29'), ELFT, N2)).toEqual(['pass']);
    expect(findings(untimed('2025-03-30'), ELFT, N2)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['encounters[0].start', 'encounters[0].auditTimes.outcomedAt'],
    });
  });
  it('no audit time cannot be judged; a contact after the date of evaluation is not judged', () => {
    expect(findings(contact({}), ELFT, NOTE)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['encounters[0].auditTimes.noteRecordedAt'] });
    expect(findings(contact({ auditTimes: { noteRecordedAt: '2025-03-28' } }), ELFT, N2)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['encounters[0].auditTimes.outcomedAt'],
    });
    expect(findings(contact({ start: '2025-12-02T10:00:00Z' }), ELFT, NOTE)).toMatchObject(NOTHING);
  });
  it('are not rules of LPT or Wales', () => {
    expect(findings(contact({}), LPT, NOTE)).toEqual([]);
    expect(findings(contact({}), WALES, N2)).toEqual([]);
  });
});

describe('ELFT-P8: an out-of-hours contact plan within 28 days of referral', () => {
  const P8 = 'ELFT-P8/out-of-hours-contact-plan';
  // Referred Friday 3 January 2025: 28 days run to 31 January.
  const referred = (plans: readonly Omit<OtherPlan, 'id'>[]) => withPlans(plans, (x) => void (x.episodes![0]!.referral = { receivedOn: '2025-01-03' }));
  it('31 January passes, 1 February fails; a safety plan is not one', () => {
    expect(results(referred([{ kind: 'out-of-hours-contact-plan', madeOn: '2025-01-31' }]), ELFT, P8)).toEqual(['pass']);
    expect(findings(referred([{ kind: 'out-of-hours-contact-plan', madeOn: '2025-02-01' }]), ELFT, P8)[0]).toMatchObject({ result: 'fail', due: '2025-01-31' });
    expect(results(referred([{ kind: 'safety-plan', madeOn: '2025-01-10' }]), ELFT, P8)).toEqual(['fail']);
  });
  it('not yet due on 31 January; not a rule of LPT or Wales', () => {
    expect(results(referred([]), ELFT, P8, '2025-01-31')).toEqual(['not-applicable']);
    expect(findings(referred([]), LPT, P8)).toEqual([]);
    expect(findings(referred([]), WALES, P8)).toEqual([]);
  });
});

describe('LPT-P15: an information pack in crisis, assertive outreach and early intervention teams', () => {
  const GIVEN = 'LPT-P15/information-pack-within-4-weeks';
  const CONTENTS = 'LPT-P15/information-pack-contents';
  type Pack = NonNullable<NonNullable<CtpRecord['episodes']>[number]['informationPack']>;
  const all = ['service-description', 'coordinator-contact', 'out-of-hours-contact', 'care-plan-and-medication', 'relapse-and-crisis-plan', 'how-to-give-views'] as const;
  // Accepted 6 January 2025: 4 weeks run to 3 February.
  const inTeam = (team: string, pack: Pack | null) =>
    variant((x) => {
      x.episodes![0]!.team = team;
      if (pack) x.episodes![0]!.informationPack = pack;
    });
  it('given by 3 February passes, on 4 February fails; none fails once due', () => {
    expect(results(inTeam('Assertive Outreach Team', { givenOn: '2025-02-03' }), LPT, GIVEN)).toEqual(['pass']);
    expect(findings(inTeam('Assertive Outreach Team', { givenOn: '2025-02-04' }), LPT, GIVEN)[0]).toMatchObject({
      result: 'fail',
      location: 'episodes[0]',
      due: '2025-02-03',
    });
    expect(results(inTeam('PIER Team', null), LPT, GIVEN, '2025-02-03')).toEqual(['not-applicable']);
    expect(results(inTeam('PIER Team', null), LPT, GIVEN, '2025-02-04')).toEqual(['fail']);
  });
  it('its contents: all six pass in assertive outreach; a crisis team’s also needs the discharge plan', () => {
    expect(findings(inTeam('Assertive Outreach Team', { givenOn: '2025-01-20', contents: [...all] }), LPT, CONTENTS)[0]).toMatchObject({
      result: 'pass',
      location: 'episodes[0].informationPack',
    });
    expect(findings(inTeam('Crisis Team', { givenOn: '2025-01-20', contents: [...all] }), LPT, CONTENTS)[0]!.message).toBe('The information pack lacks: the discharge plan.');
    expect(findings(inTeam('Assertive Outreach Team', { givenOn: '2025-01-20' }), LPT, CONTENTS)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['episodes[0].informationPack.contents'],
    });
  });
  it('community teams are not judged; not a rule of ELFT or Wales', () => {
    expect(findings(inTeam('Test Community Mental Health Team', null), LPT, GIVEN)).toMatchObject(NOTHING);
    expect(findings(inTeam('Assertive Outreach Team', null), ELFT, GIVEN)).toEqual([]);
    expect(findings(inTeam('Assertive Outreach Team', null), WALES, CONTENTS)).toEqual([]);
  });
});
