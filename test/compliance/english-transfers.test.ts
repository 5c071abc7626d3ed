/**
 * The English packs' rules on moving the person's care: no transfer in crisis, an introductory
 * meeting and updated paperwork at a transfer, a long rehabilitation admission, and what is in
 * place before a psychologist leads. Each passes, fails, is held to its limit on each side,
 * cannot be evaluated without its data, and is its own trust's alone.
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { variant } from './helpers.js';

type Transfer = NonNullable<NonNullable<CtpRecord['episodes']>[number]['transfers']>[number];
type Stay = NonNullable<NonNullable<CtpRecord['episodes']>[number]['inpatientStays']>[number];
const NOTHING = [{ result: 'not-applicable', message: 'Nothing in the record that this rule applies to.' }];
const TRANSFER = 'episodes[0].transfers[0]';

/** The compliant record with a transfer on Tuesday 1 July 2025. */
const transferred = (extra: Partial<Transfer>, change: (r: CtpRecord) => void = () => {}) =>
  variant((x) => {
    x.episodes![0]!.transfers = [{ date: '2025-07-01', team: 'Other CMHT', ...extra }];
    change(x);
  });

describe('ELFT-X1: no transfer of care while the person is in crisis', () => {
  const X1 = 'ELFT-X1/not-transferred-in-crisis';
  it('not in crisis passes; in crisis fails; not recorded cannot be judged', () => {
    expect(findings(transferred({ personInCrisis: false }), ELFT, X1)[0]).toMatchObject({ result: 'pass', location: TRANSFER });
    expect(findings(transferred({ personInCrisis: true }), ELFT, X1)[0]).toMatchObject({ result: 'fail', severity: 'warning' });
    expect(findings(transferred({}), ELFT, X1)[0]).toMatchObject({ result: 'cannot-evaluate', missing: [`${TRANSFER}.personInCrisis`] });
  });
  it('a transfer after the date of evaluation is not judged; not a rule of LPT or Wales', () => {
    expect(findings(transferred({ date: '2025-12-02', personInCrisis: true }), ELFT, X1)).toMatchObject(NOTHING);
    expect(findings(transferred({ personInCrisis: true }), LPT, X1)).toEqual([]);
    expect(findings(transferred({ personInCrisis: true }), WALES, X1)).toEqual([]);
  });
});

describe('LPT-X6: an introductory meeting and the paperwork updated at a transfer', () => {
  const MEETING = 'LPT-X6/introductory-meeting-at-transfer';
  const PLAN = 'LPT-X6/care-plan-updated-before-transfer';
  const RISK = 'LPT-X6/risk-assessment-updated-before-transfer';
  // 4 weeks either side of 1 July 2025: from 3 June to 29 July.
  it('a meeting from 3 June to 29 July passes; 2 June or 30 July fails', () => {
    expect(results(transferred({ introductoryMeetingOn: '2025-06-03' }), LPT, MEETING)).toEqual(['pass']);
    expect(results(transferred({ introductoryMeetingOn: '2025-07-29' }), LPT, MEETING)).toEqual(['pass']);
    expect(results(transferred({ introductoryMeetingOn: '2025-06-02' }), LPT, MEETING)).toEqual(['fail']);
    expect(findings(transferred({ introductoryMeetingOn: '2025-07-30' }), LPT, MEETING)[0]).toMatchObject({ result: 'fail', location: TRANSFER, due: '2025-07-29' });
  });
  it('none recorded: not yet due on 29 July, failing from 30 July', () => {
    expect(results(transferred({}), LPT, MEETING, '2025-07-29')).toEqual(['not-applicable']);
    expect(results(transferred({}), LPT, MEETING, '2025-07-30')).toEqual(['fail']);
  });
  it('the care plan and the risk assessment each reviewed in the 4 weeks up to the transfer, as errors when not', () => {
    const reviewed = transferred({}, (x) => {
      x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'transfer', heldOn: '2025-06-03' }];
      x.riskAssessments = [{ id: 'ra', date: '2025-06-02' }];
    });
    expect(results(reviewed, LPT, PLAN)).toEqual(['pass']);
    expect(findings(reviewed, LPT, RISK)[0]).toMatchObject({ result: 'fail', severity: 'error', location: TRANSFER });
  });
  it('are not rules of ELFT or Wales', () => {
    expect(findings(transferred({}), ELFT, MEETING)).toEqual([]);
    expect(findings(transferred({}), WALES, PLAN)).toEqual([]);
  });
});

describe('LPT-D11: a rehabilitation admission of over 3 months', () => {
  const DISCHARGED = 'LPT-D11/community-discharge-on-long-rehabilitation';
  const NOTICE = 'LPT-D11/referral-back-with-3-months-notice';
  const STAY = 'episodes[0].inpatientStays[0]';
  // Admitted to rehabilitation on 1 February 2025: 3 months run to 1 May.
  const rehab = (stay: Partial<Stay>, dischargedFromTeam: string | null = null) =>
    variant((x) => {
      const episode = x.episodes![0]!;
      episode.inpatientStays = [{ id: 's', admittedOn: '2025-02-01', rehabilitation: true, ...stay } as Stay];
      if (dischargedFromTeam) {
        episode.status = 'finished';
        episode.discharge = { date: dischargedFromTeam, kind: 'full' };
      }
    });
  it('discharged from the community team by 1 May passes; on 2 May fails at the stay', () => {
    expect(results(rehab({}, '2025-05-01'), LPT, DISCHARGED)).toEqual(['pass']);
    expect(findings(rehab({}, '2025-05-02'), LPT, DISCHARGED)[0]).toMatchObject({ result: 'fail', location: STAY, due: '2025-05-01' });
  });
  it('a stay of 3 months or less, or not in rehabilitation, is not judged', () => {
    expect(findings(rehab({ dischargedOn: '2025-05-01' }), LPT, DISCHARGED)).toMatchObject(NOTHING);
    expect(results(rehab({ dischargedOn: '2025-05-02' }), LPT, DISCHARGED)).toEqual(['fail']);
    expect(findings(rehab({ rehabilitation: false }), LPT, DISCHARGED)).toMatchObject(NOTHING);
  });
  it('referred back 3 months before leaving passes, a day less fails; not recorded cannot be judged', () => {
    expect(results(rehab({ dischargedOn: '2025-09-30', referredBackOn: '2025-06-30' }), LPT, NOTICE)).toEqual(['pass']);
    expect(results(rehab({ dischargedOn: '2025-09-30', referredBackOn: '2025-07-01' }), LPT, NOTICE)).toEqual(['fail']);
    expect(findings(rehab({ dischargedOn: '2025-09-30' }), LPT, NOTICE)[0]).toMatchObject({ result: 'cannot-evaluate', missing: [`${STAY}.referredBackOn`] });
  });
  it('are not rules of ELFT or Wales', () => {
    expect(findings(rehab({}), ELFT, DISCHARGED)).toEqual([]);
    expect(findings(rehab({}), WALES, NOTICE)).toEqual([]);
  });
});

describe('LPT-W6: what is in place before a psychologist leads', () => {
  const W6 = 'LPT-W6/in-place-before-psychologist-leads';
  // The compliant record's coordinator (a nurse) is replaced by a psychologist on 1 March 2025; it
  // holds an assessment (15 January) and a care plan (1 February).
  const psychologist = (change: (r: CtpRecord) => void) =>
    variant((x) => {
      x.coordinatorAppointments![0]!.profession = 'practitioner-psychologist';
      x.coordinatorAppointments![0]!.start = '2025-03-01';
      change(x);
    });
  const withRiskAndSafety = (riskOn: string, safetyOn: string) =>
    psychologist((x) => {
      x.riskAssessments = [{ id: 'ra', date: riskOn, episode: 'ep' }];
      x.otherPlans = [{ id: 'sp', kind: 'safety-plan', episode: 'ep', madeOn: safetyOn }];
    });
  it('all four by the start passes; a safety plan made after it fails, naming it', () => {
    expect(findings(withRiskAndSafety('2025-02-10', '2025-03-01'), LPT, W6)[0]).toMatchObject({ result: 'pass', location: 'coordinatorAppointments[0]' });
    expect(findings(withRiskAndSafety('2025-02-10', '2025-03-02'), LPT, W6)[0]!.message).toBe('Before the appointment the record holds no safety plan.');
  });
  it('none of the risk assessment or safety plan fails naming both', () => {
    expect(
      findings(
        psychologist(() => {}),
        LPT,
        W6,
      )[0]!.message,
    ).toBe('Before the appointment the record holds no risk assessment, no safety plan.');
  });
  it('other professions are not judged; not a rule of ELFT or Wales', () => {
    expect(
      findings(
        variant(() => {}),
        LPT,
        W6,
      ),
    ).toMatchObject(NOTHING);
    expect(
      findings(
        psychologist(() => {}),
        ELFT,
        W6,
      ),
    ).toEqual([]);
    expect(
      findings(
        psychologist(() => {}),
        WALES,
        W6,
      ),
    ).toEqual([]);
  });
});
