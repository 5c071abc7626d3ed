/**
 * The English packs' rules on hospital stays: the community team told of an admission, a
 * community Care and Treatment Review before it, contact with the ward, the discharge summary's
 * recipients and contents, and a crisis plan in place at discharge. Each passes, fails, is held
 * to its limit on each side, cannot be evaluated without its data, and applies where its pack and
 * team type say.
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { variant } from './helpers.js';

type Stay = NonNullable<NonNullable<CtpRecord['episodes']>[number]['inpatientStays']>[number];
const NOTHING = [{ result: 'not-applicable', message: 'Nothing in the record that this rule applies to.' }];
const STAY = 'episodes[0].inpatientStays[0]';

/** The compliant record with one stay, 1 to 20 March 2025 unless changed, in a team of the given name. */
const withStay = (stay: Partial<Stay>, team = 'Test Community Mental Health Team', change: (r: CtpRecord) => void = () => {}) =>
  variant((x) => {
    x.episodes![0]!.team = team;
    x.episodes![0]!.inpatientStays = [{ id: 's', admittedOn: '2025-03-01', dischargedOn: '2025-03-20', ...stay } as Stay];
    change(x);
  });
const LD = 'Learning Disability Team';
const AO = 'Assertive Outreach Team';

describe('LPT-Z10: a discharge summary to the GP, and a crisis plan in place at discharge', () => {
  const TO_GP = 'LPT-Z10/discharge-summary-to-gp';
  const CRISIS = 'LPT-Z10/crisis-plan-at-discharge';
  it('a summary to the GP within 14 days of discharge: 3 April passes, 4 April fails', () => {
    expect(results(withStay({ dischargeSummaries: [{ to: 'gp', sentOn: '2025-04-03' }] }), LPT, TO_GP)).toEqual(['pass']);
    expect(findings(withStay({ dischargeSummaries: [{ to: 'gp', sentOn: '2025-04-04' }] }), LPT, TO_GP)[0]).toMatchObject({
      result: 'fail',
      location: STAY,
      due: '2025-04-03',
    });
  });
  it('one only to the person does not count; none is not yet due on 3 April and fails after', () => {
    expect(results(withStay({ dischargeSummaries: [{ to: 'patient', sentOn: '2025-03-21' }] }), LPT, TO_GP)).toEqual(['fail']);
    expect(results(withStay({}), LPT, TO_GP, '2025-04-03')).toEqual(['not-applicable']);
    expect(findings(withStay({}), LPT, TO_GP, '2025-04-04')[0]!.message).toContain('No discharge summary to the general practitioner');
  });
  it('a stay not yet over is not judged', () => {
    expect(findings(withStay({ dischargedOn: '2025-12-20' }), LPT, TO_GP)).toMatchObject(NOTHING);
  });
  it('the care plan in place at discharge has a crisis plan: passes; without one, or with no plan yet, fails', () => {
    expect(findings(withStay({}), LPT, CRISIS)[0]).toMatchObject({ result: 'pass', location: STAY });
    expect(
      results(
        withStay({}, undefined, (x) => delete x.plans![0]!.crisisPlan),
        LPT,
        CRISIS,
      ),
    ).toEqual(['fail']);
    const later = withStay({}, undefined, (x) => void (x.plans![0]!.madeOn = '2025-04-01'));
    expect(findings(later, LPT, CRISIS)[0]!.message).toBe('No care plan was in place when the person left hospital, so no crisis and contingency plan.');
  });
  it('an undated version cannot be judged; not rules of ELFT or Wales', () => {
    const undated = withStay({}, undefined, (x) => delete x.plans![0]!.madeOn);
    expect(findings(undated, LPT, CRISIS)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['plans[0].madeOn'] });
    expect(findings(withStay({}), ELFT, CRISIS)).toEqual([]);
    expect(findings(withStay({}), WALES, TO_GP)).toEqual([]);
  });
});

describe('LPT-D12 and PH8: a learning disability discharge summary, its recipients and its pack', () => {
  const PERSON = 'LPT-D12/discharge-summary-to-person-within-14-days';
  const GP = 'LPT-D12/discharge-summary-to-gp-within-14-days';
  const TEAM = 'LPT-D12/discharge-summary-to-community-team-within-14-days';
  const PH8 = 'LPT-PH8/ld-discharge-pack-contents';
  const pack = ['weight', 'height', 'bmi', 'bloods', 'physical-observations', 'annual-health-check'] as const;
  it('each recipient within 14 days: on the day passes, a day late fails', () => {
    const summaries = withStay(
      {
        dischargeSummaries: [
          { to: 'patient', sentOn: '2025-04-03' },
          { to: 'gp', sentOn: '2025-04-04' },
          { to: 'community-team', sentOn: '2025-03-25' },
        ],
      },
      LD,
    );
    expect(results(summaries, LPT, PERSON)).toEqual(['pass']);
    expect(findings(summaries, LPT, GP)[0]).toMatchObject({ result: 'fail', due: '2025-04-03' });
    expect(results(summaries, LPT, TEAM)).toEqual(['pass']);
  });
  it('the pack holds every check across the stay’s summaries; one without the BMI fails, naming it', () => {
    const split = withStay(
      {
        dischargeSummaries: [
          { to: 'gp', sentOn: '2025-03-25', contents: ['weight', 'height', 'bmi'] },
          { to: 'community-team', sentOn: '2025-03-25', contents: ['bloods', 'physical-observations', 'annual-health-check'] },
        ],
      },
      LD,
    );
    expect(results(split, LPT, PH8)).toEqual(['pass']);
    const noBmi = withStay({ dischargeSummaries: [{ to: 'gp', sentOn: '2025-03-25', contents: pack.filter((c) => c !== 'bmi') }] }, LD);
    expect(findings(noBmi, LPT, PH8)[0]).toMatchObject({ result: 'fail', location: STAY, message: 'The discharge summary lacks: body mass index.' });
  });
  it('contents not recorded cannot be judged; without a summary the pack is left to D12', () => {
    expect(findings(withStay({ dischargeSummaries: [{ to: 'gp', sentOn: '2025-03-25' }] }, LD), LPT, PH8)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: [`${STAY}.dischargeSummaries[0].contents`],
    });
    expect(findings(withStay({}, LD), LPT, PH8)).toMatchObject(NOTHING);
  });
  it('apply to learning disability teams only, at LPT only', () => {
    expect(findings(withStay({}), LPT, PERSON)).toMatchObject(NOTHING);
    expect(findings(withStay({}), LPT, PH8)).toMatchObject(NOTHING);
    expect(findings(withStay({}, LD), ELFT, GP)).toEqual([]);
    expect(findings(withStay({}, LD), WALES, PH8)).toEqual([]);
  });
});

describe('LPT-D13: a community Care and Treatment Review before admission', () => {
  const D13 = 'LPT-D13/community-ctr-before-admission';
  it('a community review before or on the day of admission passes; only a post-admission review fails as an error', () => {
    expect(results(withStay({ careAndTreatmentReviews: [{ kind: 'community', on: '2025-02-20' }] }, LD), LPT, D13)).toEqual(['pass']);
    expect(results(withStay({ careAndTreatmentReviews: [{ kind: 'community', on: '2025-03-01' }] }, LD), LPT, D13)).toEqual(['pass']);
    expect(findings(withStay({ careAndTreatmentReviews: [{ kind: 'post-admission', on: '2025-03-05' }] }, LD), LPT, D13)[0]).toMatchObject({
      result: 'fail',
      severity: 'error',
      location: STAY,
    });
    expect(results(withStay({ careAndTreatmentReviews: [{ kind: 'community', on: '2025-03-02' }] }, LD), LPT, D13)).toEqual(['fail']);
  });
  it('a stay known only by its discharge cannot be judged; learning disability teams at LPT only', () => {
    const dischargeOnly = variant((x) => {
      x.episodes![0]!.team = LD;
      x.episodes![0]!.inpatientStays = [{ id: 's', dischargedOn: '2025-03-20' }];
    });
    expect(findings(dischargeOnly, LPT, D13)[0]).toMatchObject({ result: 'cannot-evaluate', missing: [`${STAY}.admittedOn`] });
    expect(findings(withStay({}), LPT, D13)).toMatchObject(NOTHING);
    expect(findings(withStay({}, LD), ELFT, D13)).toEqual([]);
  });
});

describe('LPT-D5: the ward tells the assertive outreach or early intervention team within 24 hours', () => {
  const D5 = 'LPT-D5/community-team-told-within-24-hours';
  // Admitted at 10:00 GMT on Saturday 29 March 2025; the clocks go forward that night.
  const admitted = (told: string | null, admittedAt: string | null = '2025-03-29T10:00:00Z', team = AO) =>
    withStay({ admittedOn: '2025-03-29', dischargedOn: '2025-04-20', ...(admittedAt ? { admittedAt } : {}), ...(told ? { communityTeamToldAt: told } : {}) }, team);
  it('24 elapsed hours across the clock change: 11:00 BST on Sunday passes, 11:01 fails', () => {
    expect(results(admitted('2025-03-30T11:00:00+01:00'), LPT, D5)).toEqual(['pass']);
    expect(findings(admitted('2025-03-30T11:01:00+01:00'), LPT, D5)[0]).toMatchObject({ result: 'fail', location: STAY });
  });
  it('no record of telling fails once the 24 hours have passed', () => {
    expect(findings(admitted(null), LPT, D5)[0]!.message).toContain('not recorded as telling the community team');
  });
  it('without the time of admission, a next-day telling depends on it; a same-day one does not', () => {
    expect(findings(admitted('2025-03-30T09:00:00+01:00', null), LPT, D5)[0]).toMatchObject({ result: 'cannot-evaluate', missing: [`${STAY}.admittedAt`] });
    expect(results(admitted('2025-03-29', null), LPT, D5)).toEqual(['pass']);
  });
  it('early intervention too; not community teams, nor ELFT or Wales', () => {
    expect(results(admitted('2025-03-29T12:00:00Z', undefined, 'PIER Team'), LPT, D5)).toEqual(['pass']);
    expect(findings(admitted(null, undefined, 'Test Community Mental Health Team'), LPT, D5)).toMatchObject(NOTHING);
    expect(findings(admitted(null), ELFT, D5)).toEqual([]);
    expect(findings(admitted(null), WALES, D5)).toEqual([]);
  });
});

describe('LPT-F8, F9 and ELFT-D8: contact with the ward while the person is in hospital', () => {
  const F8 = 'LPT-F8/weekly-contact-with-out-of-area-ward';
  const F9 = 'LPT-F9/weekly-ward-round';
  const D8 = 'ELFT-D8/coordinator-at-initial-ward-round';
  type WardContact = NonNullable<Stay['wardContacts']>[number];
  const contacts = (at: string[], extra: Partial<WardContact> = {}): WardContact[] => at.map((a) => ({ at: a, ...extra }));
  it('F8: every 7 days from admission to discharge; a gap of 8 days fails at the late contact', () => {
    expect(results(withStay({ outOfArea: true, wardContacts: contacts(['2025-03-08', '2025-03-15']) }), LPT, F8)).toEqual(['pass', 'pass']);
    const late = findings(withStay({ outOfArea: true, wardContacts: contacts(['2025-03-09', '2025-03-15']) }), LPT, F8);
    expect(late.map((f) => [f.result, f.location])).toEqual([
      ['fail', `${STAY}.wardContacts[0]`],
      ['pass', `${STAY}.wardContacts[1]`],
    ]);
  });
  it('F8: none fails from the eighth day; nothing is due once discharged; still in, not yet due', () => {
    expect(findings(withStay({ outOfArea: true }), LPT, F8)[0]).toMatchObject({ result: 'fail', location: STAY, due: '2025-03-08' });
    expect(results(withStay({ outOfArea: true, dischargedOn: '2025-03-07' }), LPT, F8)).toEqual(['not-applicable']);
    expect(results(withStay({ outOfArea: true, dischargedOn: undefined }), LPT, F8, '2025-03-08')).toEqual(['not-applicable']);
  });
  it('F8: a stay not marked out of area is not judged; not a rule of ELFT or Wales', () => {
    expect(findings(withStay({ wardContacts: contacts(['2025-03-30']) }), LPT, F8)).toMatchObject(NOTHING);
    expect(findings(withStay({ outOfArea: true }), ELFT, F8)).toEqual([]);
    expect(findings(withStay({ outOfArea: true }), WALES, F8)).toEqual([]);
  });
  it('F9: ward rounds attended by the care coordinator, weekly, in assertive outreach', () => {
    const rounds = contacts(['2025-03-07', '2025-03-14'], { wardRound: true, by: 'care-coordinator' });
    expect(results(withStay({ wardContacts: rounds }, AO), LPT, F9)).toEqual(['pass', 'pass']);
    const notRounds = contacts(['2025-03-07', '2025-03-14'], { by: 'care-coordinator' });
    expect(results(withStay({ wardContacts: notRounds }, AO), LPT, F9)).toEqual(['fail']);
    const byOthers = contacts(['2025-03-07', '2025-03-14'], { wardRound: true, by: 'psychiatrist' });
    expect(results(withStay({ wardContacts: byOthers }, AO), LPT, F9)).toEqual(['fail']);
    expect(findings(withStay({ wardContacts: rounds }), LPT, F9)).toMatchObject(NOTHING);
  });
  it('D8: the coordinator at a ward round within 7 days of admission, the first only', () => {
    const round = (at: string) => withStay({ wardContacts: contacts([at, '2025-03-30'], { wardRound: true, by: 'care-coordinator' }) });
    expect(findings(round('2025-03-08'), ELFT, D8)).toMatchObject([{ result: 'pass', location: `${STAY}.wardContacts[0]` }]);
    expect(findings(round('2025-03-09'), ELFT, D8)).toMatchObject([{ result: 'fail', due: '2025-03-08' }]);
  });
  it('D8: a stay begun outside the periods on CPA is not judged; without periods, every stay is; ELFT only', () => {
    const offCpa = withStay({}, undefined, (x) => void (x.episodes![0]!.cpaPeriods = [{ start: '2025-04-01' }]));
    expect(findings(offCpa, ELFT, D8)).toMatchObject(NOTHING);
    const onCpa = withStay({}, undefined, (x) => void (x.episodes![0]!.cpaPeriods = [{ start: '2025-02-01' }]));
    expect(results(onCpa, ELFT, D8)).toEqual(['fail']);
    expect(findings(withStay({}), LPT, D8)).toEqual([]);
  });
});
