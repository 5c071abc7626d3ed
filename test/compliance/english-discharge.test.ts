/**
 * The English packs' rules on discharge from the team: the discharge checklist, the pathway's
 * steps, early intervention's onward care, the contingency plan for re-referral and a safety plan
 * before leaving CPA. Each passes, fails, is held to its limit on each side, cannot be evaluated
 * without its data, and applies where its pack and team type say.
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { variant } from './helpers.js';

type Episode = NonNullable<CtpRecord['episodes']>[number];
type Discharge = NonNullable<Episode['discharge']>;
const NOTHING = [{ result: 'not-applicable', message: 'Nothing in the record that this rule applies to.' }];

/** The compliant record (accepted 6 January 2025) discharged in full on 1 June 2025, with what the discharge records. */
const discharged = (extra: Partial<Discharge>, team?: string, change: (r: CtpRecord) => void = () => {}) =>
  variant((x) => {
    const episode = x.episodes![0]!;
    episode.status = 'finished';
    episode.discharge = { date: '2025-06-01', kind: 'full', ...extra };
    if (team) episode.team = team;
    change(x);
  });

describe('LPT-V11 and N13: the discharge checklist, every 6 months and on the record', () => {
  const V11 = 'LPT-V11/discharge-checklist-6-monthly';
  const ON_RECORD = 'LPT-N13/discharge-checklist-on-record';
  type Checklist = NonNullable<Episode['dischargeChecklists']>[number];
  const checklists = (list: Checklist[], change: (e: Episode) => void = () => {}) =>
    variant((x) => {
      if (list.length > 0) x.episodes![0]!.dischargeChecklists = list;
      change(x.episodes![0]!);
    });
  it('within 6 months of acceptance: 6 July passes, 7 July fails at the checklist', () => {
    expect(results(checklists([{ completedOn: '2025-07-06' }]), LPT, V11, '2025-09-01')).toEqual(['pass', 'not-applicable']);
    expect(findings(checklists([{ completedOn: '2025-07-07' }]), LPT, V11, '2025-09-01')[0]).toMatchObject({
      result: 'fail',
      location: 'episodes[0].dischargeChecklists[0]',
      due: '2025-07-06',
    });
  });
  it('none: not yet due on 6 July, failing at the episode from 7 July; each checklist starts the next 6 months', () => {
    expect(results(checklists([]), LPT, V11, '2025-07-06')).toEqual(['not-applicable']);
    expect(findings(checklists([]), LPT, V11, '2025-07-07')[0]).toMatchObject({ result: 'fail', location: 'episodes[0]' });
    expect(results(checklists([{ completedOn: '2025-07-01' }]), LPT, V11, '2026-01-02')).toEqual(['pass', 'fail']);
  });
  it('a discharge before the 6 months sets the duty aside; no acceptance date cannot be judged', () => {
    const left = checklists([], (e) => {
      e.status = 'finished';
      e.discharge = { date: '2025-05-01', kind: 'full' };
    });
    expect(findings(left, LPT, V11)[0]!.message).toContain('left secondary mental health services');
    const unknown = checklists([{ completedOn: '2025-07-01' }], (e) => delete e.acceptedOn);
    expect(findings(unknown, LPT, V11)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].acceptedOn'] });
  });
  it('on the record: uploaded and referred to passes; not uploaded fails; not said cannot be judged', () => {
    expect(results(checklists([{ completedOn: '2025-07-01', uploaded: true, referencedInNotes: true }]), LPT, ON_RECORD)).toEqual(['pass']);
    expect(findings(checklists([{ completedOn: '2025-07-01', uploaded: false }]), LPT, ON_RECORD)[0]!.message).toBe(
      'The discharge checklist was not uploaded to the electronic record.',
    );
    expect(findings(checklists([{ completedOn: '2025-07-01', uploaded: true }]), LPT, ON_RECORD)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['episodes[0].dischargeChecklists[0].referencedInNotes'],
    });
  });
  it('are not rules of ELFT or Wales', () => {
    expect(findings(checklists([]), ELFT, V11)).toEqual([]);
    expect(findings(checklists([{ completedOn: '2025-07-01' }]), WALES, ON_RECORD)).toEqual([]);
  });
});

describe('LPT-N13, Z7 and Z13: the steps of a discharge', () => {
  const MDT = 'LPT-N13/discharge-discussed-at-mdt';
  const Z7 = 'LPT-Z7/discharge-pathway';
  const Z13 = 'LPT-Z13/crisis-team-discharge';
  const pathway = ['discharge-checklist', 'wellbeing-workbook', 'relapse-plan', 'access-point-details', 'signposting'] as const;
  it('the MDT discussion recorded passes; without it fails; no steps recorded cannot be judged', () => {
    expect(findings(discharged({ steps: ['mdt-discussion'] }), LPT, MDT)[0]).toMatchObject({ result: 'pass', location: 'episodes[0].discharge' });
    expect(results(discharged({ steps: ['signposting'] }), LPT, MDT)).toEqual(['fail']);
    expect(findings(discharged({}), LPT, MDT)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].discharge.steps'] });
  });
  it('the pathway: every step passes; without the workbook fails, naming it', () => {
    expect(results(discharged({ steps: [...pathway] }), LPT, Z7)).toEqual(['pass']);
    const f = findings(discharged({ steps: pathway.filter((s) => s !== 'wellbeing-workbook') }), LPT, Z7)[0]!;
    expect(f.message).toBe('The discharge is not recorded as having: wellbeing workbook completed.');
  });
  it('a discharge after the date of evaluation, or a partial one, is not judged', () => {
    expect(findings(discharged({ date: '2025-12-02' }), LPT, Z7)).toMatchObject(NOTHING);
    expect(findings(discharged({ kind: 'partial' } as Partial<Discharge>), LPT, Z7)).toMatchObject(NOTHING);
  });
  it('a crisis team’s discharge: its five steps pass, one missing fails; other teams are not judged', () => {
    const crisis = ['crisis-understood', 'coping-strategies', 'relapse-prevention-plan', 'gp-informed', 'community-team-informed'] as const;
    expect(results(discharged({ steps: [...crisis] }, 'Crisis Resolution Home Treatment'), LPT, Z13)).toEqual(['pass']);
    expect(results(discharged({ steps: crisis.slice(1) }, 'CRHT'), LPT, Z13)).toEqual(['fail']);
    expect(findings(discharged({ steps: ['signposting'] }), LPT, Z13)).toMatchObject(NOTHING);
  });
  it('are not rules of ELFT or Wales', () => {
    expect(findings(discharged({}), ELFT, Z7)).toEqual([]);
    expect(findings(discharged({}), WALES, MDT)).toEqual([]);
  });
});

describe('LPT-Z12: early intervention discharges with the next care in place', () => {
  const Z12 = 'LPT-Z12/eip-onward-care-in-place';
  const eip = (extra: Partial<Discharge>) => discharged(extra, 'PIER Team');
  it('to primary care with the yearly joint review passes; without it fails', () => {
    expect(results(eip({ destination: 'primary-care', steps: ['yearly-joint-review'] }), LPT, Z12)).toEqual(['pass']);
    expect(findings(eip({ destination: 'primary-care', steps: ['signposting'] }), LPT, Z12)[0]!.message).toBe(
      'Discharged to primary care without yearly joint consultant and primary care review arranged.',
    );
  });
  it('elsewhere, contact with the next service established passes; not said cannot be judged', () => {
    expect(results(eip({ destination: 'outpatients', steps: ['next-service-engaged'] }), LPT, Z12)).toEqual(['pass']);
    expect(results(eip({ destination: 'assertive-outreach', steps: ['yearly-joint-review'] }), LPT, Z12)).toEqual(['fail']);
    expect(findings(eip({ steps: ['next-service-engaged'] }), LPT, Z12)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].discharge.destination'] });
  });
  it('early intervention only, at LPT only', () => {
    expect(findings(discharged({ destination: 'primary-care', steps: ['signposting'] }), LPT, Z12)).toMatchObject(NOTHING);
    expect(findings(eip({}), ELFT, Z12)).toEqual([]);
  });
});

describe('ELFT-Z2: a contingency plan for re-referral on discharge with a long-term psychotic or bipolar illness', () => {
  const Z2 = 'ELFT-Z2/contingency-plan-for-re-referral';
  const withDiagnosis = (extra: Partial<Discharge>, code = 'F20.0', status: 'active' | 'refuted' = 'active') =>
    discharged(extra, undefined, (x) => void (x.diagnoses = [{ id: 'dx', code: [{ system: 'http://hl7.org/fhir/sid/icd-10', code }], status, episode: 'ep' }]));
  it('the letter holds the contingency plan and went to the GP: passes', () => {
    expect(findings(withDiagnosis({ letterSections: ['contingency-plan'], copiedToGp: true }), ELFT, Z2)[0]).toMatchObject({
      result: 'pass',
      location: 'episodes[0].discharge',
    });
    expect(results(withDiagnosis({ letterSections: ['contingency-plan'], copiedToGp: true }, 'F31.1'), ELFT, Z2)).toEqual(['pass']);
  });
  it('without the contingency plan, or not copied to the GP, fails', () => {
    expect(results(withDiagnosis({ letterSections: ['medication'], copiedToGp: true }), ELFT, Z2)).toEqual(['fail']);
    expect(findings(withDiagnosis({ letterSections: ['contingency-plan'], copiedToGp: false }), ELFT, Z2)[0]!.message).toContain('not copied to the GP');
  });
  it('what the letter holds not recorded cannot be judged', () => {
    expect(findings(withDiagnosis({ copiedToGp: true }), ELFT, Z2)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].discharge.letterSections'] });
  });
  it('another diagnosis, or a refuted one, is not concerned; not a rule of LPT or Wales', () => {
    expect(findings(withDiagnosis({}, 'F41.1'), ELFT, Z2)).toMatchObject(NOTHING);
    expect(findings(withDiagnosis({}, 'F20.0', 'refuted'), ELFT, Z2)).toMatchObject(NOTHING);
    expect(findings(withDiagnosis({}), LPT, Z2)).toEqual([]);
    expect(findings(withDiagnosis({}), WALES, Z2)).toEqual([]);
  });
});

describe('ELFT-Z3: a safety plan updated before leaving CPA', () => {
  const Z3 = 'ELFT-Z3/safety-plan-before-leaving-cpa';
  // On CPA until 30 June 2025: 4 weeks before is 2 June.
  const leftCpa = (madeOn: string | null, end: string | null = '2025-06-30') =>
    variant((x) => {
      x.episodes![0]!.cpaPeriods = [{ start: '2025-01-06', ...(end ? { end } : {}) }];
      x.otherPlans = [{ id: 'sp', kind: 'safety-plan', episode: 'ep', ...(madeOn ? { madeOn } : {}) }];
    });
  it('made on 2 June passes, on 1 June fails; made after leaving fails', () => {
    expect(findings(leftCpa('2025-06-02'), ELFT, Z3)[0]).toMatchObject({ result: 'pass', location: 'episodes[0].cpaPeriods[0]' });
    expect(findings(leftCpa('2025-06-01'), ELFT, Z3)[0]).toMatchObject({ result: 'fail', due: '2025-06-30' });
    expect(results(leftCpa('2025-07-01'), ELFT, Z3)).toEqual(['fail']);
  });
  it('an undated safety plan cannot be judged; still on CPA is not concerned; not a rule of LPT or Wales', () => {
    expect(findings(leftCpa(null), ELFT, Z3)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['otherPlans[0].madeOn'] });
    expect(findings(leftCpa('2025-06-02', null), ELFT, Z3)).toMatchObject(NOTHING);
    expect(findings(leftCpa('2025-06-02'), LPT, Z3)).toEqual([]);
    expect(findings(leftCpa('2025-06-02'), WALES, Z3)).toEqual([]);
  });
});
