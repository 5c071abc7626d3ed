/**
 * The English packs' rules on physical health, medication and outcome measures: each passes,
 * fails, is held to its limit on each side (on the UK day where the record holds a time, across
 * the spring clock change), and cannot be evaluated without the data it needs; and each is a rule
 * of its own trust's pack only.
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { variant } from './helpers.js';

/** A rule of the pack with nothing in the record to judge gives one not-applicable finding, at no location. */
const NOTHING = [{ result: 'not-applicable', location: undefined }];
const judged = (record: CtpRecord, pack: string, key: string, asOf?: string) => findings(record, pack, key, asOf).map((f) => ({ result: f.result, location: f.location }));

type Medication = NonNullable<CtpRecord['medications']>[number];
type Check = NonNullable<CtpRecord['physicalHealthChecks']>[number];
type Measure = NonNullable<CtpRecord['outcomeMeasures']>[number];
type Kind = Check['kind'];

const antipsychotic = (extra: Partial<Medication> = {}, id = 'm0'): Medication => ({ id, name: 'Testapine', class: 'antipsychotic', start: '2025-03-03', ...extra });
const checksOn = (date: string, kinds: readonly Kind[], extra: Partial<Check> = {}): Check[] =>
  kinds.map((kind, i) => ({ id: `ph-${date.slice(0, 10)}-${i}`, kind, date, ...extra }));
const withHealth = (medications: Medication[], checks: Check[] = [], change: (r: CtpRecord) => void = () => {}) =>
  variant((x) => {
    if (medications.length > 0) x.medications = medications;
    if (checks.length > 0) x.physicalHealthChecks = checks;
    change(x);
  });
const withMeasures = (measures: Omit<Measure, 'id'>[], change: (r: CtpRecord) => void = () => {}) =>
  variant((x) => {
    if (measures.length > 0) x.outcomeMeasures = measures.map((m, i) => ({ id: `om${i}`, ...m }));
    change(x);
  });

describe('ELFT-PH1 and LPT-PH3: baseline checks when an antipsychotic is started', () => {
  const PH1 = 'ELFT-PH1/baseline-checks-on-antipsychotic-start';
  const PH3 = 'LPT-PH3/physical-health-screen-on-antipsychotic-start';
  const ELFT_KINDS: Kind[] = ['weight', 'glucose', 'lipids', 'prolactin', 'blood-pressure', 'ecg'];
  const LPT_KINDS: Kind[] = ['bmi', 'blood-pressure', 'ecg', 'glucose', 'lipids'];
  // Started 3 March 2025: the checks count from 3 February to 31 March.
  it('all six within 4 weeks after the start passes; on 1 April fails, naming the start', () => {
    expect(results(withHealth([antipsychotic()], checksOn('2025-03-31', ELFT_KINDS)), ELFT, PH1)).toEqual(['pass']);
    expect(findings(withHealth([antipsychotic()], checksOn('2025-04-01', ELFT_KINDS)), ELFT, PH1)[0]).toMatchObject({
      result: 'fail',
      location: 'medications[0]',
      due: '2025-03-31',
    });
  });
  it('a time of day counts on its UK date: 23:59 BST on 31 March passes, 00:30 BST on 1 April fails', () => {
    expect(results(withHealth([antipsychotic()], checksOn('2025-03-31T22:59:00Z', ELFT_KINDS)), ELFT, PH1)).toEqual(['pass']);
    expect(results(withHealth([antipsychotic()], checksOn('2025-03-31T23:30:00Z', ELFT_KINDS)), ELFT, PH1)).toEqual(['fail']);
  });
  it('4 weeks before the start counts, a day earlier does not; a declined check counts as offered', () => {
    expect(results(withHealth([antipsychotic()], checksOn('2025-02-03', ELFT_KINDS)), ELFT, PH1)).toEqual(['pass']);
    expect(results(withHealth([antipsychotic()], checksOn('2025-02-02', ELFT_KINDS)), ELFT, PH1)).toEqual(['fail']);
    expect(results(withHealth([antipsychotic()], checksOn('2025-03-10', ELFT_KINDS, { declined: true })), ELFT, PH1)).toEqual(['pass']);
  });
  it('a missing check fails by name', () => {
    const f = findings(
      withHealth(
        [antipsychotic()],
        checksOn(
          '2025-03-10',
          ELFT_KINDS.filter((k) => k !== 'prolactin'),
        ),
      ),
      ELFT,
      PH1,
    )[0]!;
    expect(f.result).toBe('fail');
    expect(f.message).toContain('prolactin');
    expect(f.message).not.toContain('Testapine');
  });
  it('is not yet due on 31 March, fails from 1 April, and cannot be judged without the start', () => {
    expect(results(withHealth([antipsychotic()]), ELFT, PH1, '2025-03-31')).toEqual(['not-applicable']);
    expect(results(withHealth([antipsychotic()]), ELFT, PH1, '2025-04-01')).toEqual(['fail']);
    expect(findings(withHealth([antipsychotic({ start: undefined })]), ELFT, PH1)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['medications[0].start'] });
    expect(findings(withHealth([antipsychotic()], checksOn('2025-03', ['prolactin'])), ELFT, PH1)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['physicalHealthChecks[0].date'],
    });
  });
  it('only antipsychotics are judged', () => {
    expect(judged(withHealth([antipsychotic({ class: 'antidepressant' })]), ELFT, PH1)).toEqual(NOTHING);
  });
  it('LPT: a restart within 3 months of stopping continues the treatment; after 3 months, or at a high dose, it is a new start', () => {
    const first = antipsychotic({ start: '2024-01-01', end: '2024-10-01' });
    const screened = checksOn('2024-01-05', LPT_KINDS);
    const restart = (start: string, extra: Partial<Medication> = {}) => withHealth([first, antipsychotic({ start, ...extra }, 'm1')], screened);
    expect(findings(restart('2025-01-01'), LPT, PH3).map((f) => [f.location, f.result])).toEqual([['medications[0]', 'pass']]);
    expect(findings(restart('2025-01-02'), LPT, PH3).map((f) => [f.location, f.result])).toEqual([
      ['medications[0]', 'pass'],
      ['medications[1]', 'fail'],
    ]);
    expect(findings(restart('2024-11-01', { highDose: true }), LPT, PH3).map((f) => f.location)).toEqual(['medications[0]', 'medications[1]']);
    // ELFT sets no gap: every start is a start.
    expect(findings(restart('2025-01-01'), ELFT, PH1).map((f) => f.location)).toEqual(['medications[0]', 'medications[1]']);
  });
  it('each trust judges its own list, and neither rule is Welsh', () => {
    const lptOnly = withHealth([antipsychotic()], checksOn('2025-03-10', LPT_KINDS));
    expect(results(lptOnly, LPT, PH3)).toEqual(['pass']);
    expect(results(lptOnly, ELFT, PH1)).toEqual(['fail']);
    expect(findings(lptOnly, ELFT, PH1)[0]!.severity).toBe('warning');
    expect(findings(lptOnly, LPT, PH1)).toEqual([]);
    expect(findings(lptOnly, ELFT, PH3)).toEqual([]);
    expect(findings(lptOnly, WALES, PH1)).toEqual([]);
  });
});

describe('LPT-PH4: the 3-month follow-up and yearly metabolic monitoring', () => {
  const FOLLOW = 'LPT-PH4/three-month-follow-up-checks';
  const ANNUAL = 'LPT-PH4/annual-metabolic-monitoring';
  const FORM2: Kind[] = ['bmi', 'blood-pressure', 'waist-circumference', 'glucose', 'lipids'];
  const METABOLIC: Kind[] = ['bmi', 'blood-pressure', 'glucose', 'lipids'];
  // Started 3 March 2025: the follow-up falls from 3 May to 3 July.
  it('the follow-up from 2 to 4 months after the start: each end counts, a day outside does not', () => {
    expect(results(withHealth([antipsychotic()], checksOn('2025-07-03', FORM2)), LPT, FOLLOW)).toEqual(['pass']);
    expect(results(withHealth([antipsychotic()], checksOn('2025-05-03', FORM2)), LPT, FOLLOW)).toEqual(['pass']);
    expect(findings(withHealth([antipsychotic()], checksOn('2025-07-04', FORM2)), LPT, FOLLOW)[0]).toMatchObject({ result: 'fail', due: '2025-07-03' });
    expect(results(withHealth([antipsychotic()], checksOn('2025-05-02', FORM2)), LPT, FOLLOW)).toEqual(['fail']);
  });
  it('not yet due until 3 July, not needed when stopped before 3 May, and needs the start', () => {
    expect(results(withHealth([antipsychotic()]), LPT, FOLLOW, '2025-07-03')).toEqual(['not-applicable']);
    expect(results(withHealth([antipsychotic()]), LPT, FOLLOW, '2025-07-04')).toEqual(['fail']);
    expect(results(withHealth([antipsychotic({ end: '2025-05-02' })]), LPT, FOLLOW)).toEqual(['not-applicable']);
    expect(results(withHealth([antipsychotic({ start: undefined })]), LPT, FOLLOW)).toEqual(['cannot-evaluate']);
  });
  it('yearly: checked 12 months after the start passes, a day later fails; a missing kind is named', () => {
    const since2024 = antipsychotic({ start: '2024-01-10' });
    expect(results(withHealth([since2024], checksOn('2025-01-10', METABOLIC)), LPT, ANNUAL, '2025-06-01')).toEqual(['pass']);
    expect(findings(withHealth([since2024], checksOn('2025-01-11', METABOLIC)), LPT, ANNUAL, '2025-06-01')[0]).toMatchObject({
      result: 'fail',
      location: 'medications[0]',
      due: '2025-01-10',
    });
    const noGlucose = findings(
      withHealth(
        [since2024],
        checksOn(
          '2025-01-10',
          METABOLIC.filter((k) => k !== 'glucose'),
        ),
      ),
      LPT,
      ANNUAL,
      '2025-06-01',
    )[0]!;
    expect(noGlucose.result).toBe('fail');
    expect(noGlucose.message).toContain('blood glucose');
    expect(noGlucose.message).not.toContain('lipids');
  });
  it('yearly: not yet due on 10 January 2025 with none, failing on the 11th; stops when the medicine does; needs the start', () => {
    const since2024 = antipsychotic({ start: '2024-01-10' });
    expect(results(withHealth([since2024]), LPT, ANNUAL, '2025-01-10')).toEqual(['not-applicable']);
    expect(results(withHealth([since2024]), LPT, ANNUAL, '2025-01-11')).toEqual(['fail']);
    expect(results(withHealth([antipsychotic({ start: '2024-01-10', end: '2024-12-01' })]), LPT, ANNUAL, '2025-06-01')).toEqual(['not-applicable']);
    expect(results(withHealth([antipsychotic({ start: undefined })]), LPT, ANNUAL)).toEqual(['cannot-evaluate']);
    expect(findings(withHealth([since2024]), ELFT, ANNUAL)).toEqual([]);
  });
});

describe('ELFT-PH2: physical health reviewed before each CPA review of someone on an antipsychotic', () => {
  const PH2 = 'ELFT-PH2/physical-health-reviewed-before-cpa-review';
  const review = (x: CtpRecord) => {
    x.reviews = [{ id: 'rv', plan: 'plan', heldOn: '2025-05-01' }];
  };
  const onIt = antipsychotic({ start: '2025-01-01' });
  it('a cardio-metabolic check in the 4 weeks up to the review passes; a day before them fails', () => {
    expect(results(withHealth([onIt], checksOn('2025-04-03', ['blood-pressure']), review), ELFT, PH2)).toEqual(['pass']);
    expect(results(withHealth([onIt], checksOn('2025-05-01', ['physical-health-review']), review), ELFT, PH2)).toEqual(['pass']);
    expect(findings(withHealth([onIt], checksOn('2025-04-02', ['blood-pressure']), review), ELFT, PH2)[0]).toMatchObject({ result: 'fail', location: 'reviews[0]' });
    expect(results(withHealth([onIt], checksOn('2025-04-20', ['ecg']), review), ELFT, PH2)).toEqual(['fail']);
  });
  it('a review meeting counts as a review; someone not on an antipsychotic that day is not judged', () => {
    const meeting = (x: CtpRecord) => {
      x.encounters!.push({ id: 'mt', kind: 'review-meeting', status: 'finished', start: '2025-05-01T14:00:00+01:00' });
    };
    expect(findings(withHealth([onIt], [], meeting), ELFT, PH2)[0]).toMatchObject({ result: 'fail', location: 'encounters[1]' });
    expect(judged(withHealth([antipsychotic({ start: '2025-01-01', end: '2025-04-30' })], [], review), ELFT, PH2)).toEqual(NOTHING);
  });
  it('cannot be judged when an antipsychotic has no start, and is ELFT’s rule only', () => {
    expect(findings(withHealth([antipsychotic({ start: undefined })], [], review), ELFT, PH2)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['medications[0].start'],
    });
    expect(findings(withHealth([onIt], [], review), LPT, PH2)).toEqual([]);
  });
});

describe('ELFT-PH1 and LPT-PH5: the GP told of an abnormal finding', () => {
  const ELFT_GP = 'ELFT-PH1/gp-told-of-abnormal-findings';
  const LPT_GP = 'LPT-PH5/gp-told-of-physical-health-problem';
  const abnormal = (extra: Partial<Check> = {}) => withHealth([], checksOn('2025-03-01', ['glucose'], { value: 14.2, unit: 'mmol/L', abnormal: true, ...extra }));
  it('told within 14 days passes, on day 15 fails', () => {
    for (const [pack, key] of [
      [ELFT, ELFT_GP],
      [LPT, LPT_GP],
    ] as const) {
      expect(results(abnormal({ gpInformedOn: '2025-03-15' }), pack, key)).toEqual(['pass']);
      expect(findings(abnormal({ gpInformedOn: '2025-03-16' }), pack, key)[0]).toMatchObject({ result: 'fail', location: 'physicalHealthChecks[0]', due: '2025-03-15' });
    }
  });
  it('not told: not yet due on 15 March, failing from the 16th; a normal finding is not judged; a finding dated by month cannot be', () => {
    expect(results(abnormal(), ELFT, ELFT_GP, '2025-03-15')).toEqual(['not-applicable']);
    expect(results(abnormal(), ELFT, ELFT_GP, '2025-03-16')).toEqual(['fail']);
    expect(judged(abnormal({ abnormal: false }), ELFT, ELFT_GP)).toEqual(NOTHING);
    expect(findings(withHealth([], checksOn('2025-03', ['glucose'], { abnormal: true })), ELFT, ELFT_GP)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['physicalHealthChecks[0].date'],
    });
    expect(findings(abnormal(), WALES, ELFT_GP)).toEqual([]);
  });
});

describe('LPT-V10: the prescriber’s yearly review, and no depot past its review date', () => {
  const REVIEW = 'LPT-V10/prescriber-review-yearly';
  const DEPOT = 'LPT-V10/depot-not-given-after-review-date';
  const medicine = (extra: Partial<Medication> = {}): Medication => ({
    id: 'm0',
    name: 'Testapine depot',
    class: 'antipsychotic',
    depot: true,
    start: '2024-01-10',
    ...extra,
  });
  it('a review 12 months after the start passes, a day later fails where it is; a later gap fails at the medicine', () => {
    expect(results(withHealth([medicine({ reviews: [{ on: '2025-01-10' }] })]), LPT, REVIEW, '2025-06-01')).toEqual(['pass']);
    expect(findings(withHealth([medicine({ reviews: [{ on: '2025-01-11' }] })]), LPT, REVIEW, '2025-06-01')[0]).toMatchObject({
      result: 'fail',
      location: 'medications[0].reviews[0]',
      due: '2025-01-10',
    });
    expect(findings(withHealth([medicine({ reviews: [{ on: '2025-01-10' }] })]), LPT, REVIEW, '2026-01-11')[0]).toMatchObject({
      result: 'fail',
      location: 'medications[0]',
      due: '2026-01-10',
    });
  });
  it('none: not yet due on 10 January 2025, failing on the 11th, not needed once stopped; an error; needs the start', () => {
    expect(results(withHealth([medicine()]), LPT, REVIEW, '2025-01-10')).toEqual(['not-applicable']);
    expect(findings(withHealth([medicine()]), LPT, REVIEW, '2025-01-11')[0]).toMatchObject({ result: 'fail', severity: 'error' });
    expect(results(withHealth([medicine({ end: '2024-12-01' })]), LPT, REVIEW, '2025-06-01')).toEqual(['not-applicable']);
    expect(findings(withHealth([medicine({ start: undefined })]), LPT, REVIEW)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['medications[0].start'] });
    expect(findings(withHealth([medicine()]), ELFT, REVIEW)).toEqual([]);
  });
  it('a depot given on its review date passes, the day after fails', () => {
    const charted = (at: string) => withHealth([medicine({ reviews: [{ on: '2024-06-01', nextReviewOn: '2025-01-01' }], administrations: [{ at }] })]);
    expect(results(charted('2025-01-01'), LPT, DEPOT)).toEqual(['pass']);
    expect(findings(charted('2025-01-02'), LPT, DEPOT)[0]).toMatchObject({ result: 'fail', location: 'medications[0].administrations[0]', due: '2025-01-01' });
  });
  it('an injection counts on its UK day: 23:30 UTC on a BST evening is the next day', () => {
    const charted = (at: string) => withHealth([medicine({ reviews: [{ on: '2024-06-01', nextReviewOn: '2025-06-01' }], administrations: [{ at }] })]);
    expect(results(charted('2025-06-01T22:59:00Z'), LPT, DEPOT)).toEqual(['pass']);
    expect(results(charted('2025-06-01T23:30:00Z'), LPT, DEPOT)).toEqual(['fail']);
  });
  it('without a review date set, 12 months from the last review or the start; without either, cannot be judged', () => {
    const given = (extra: Partial<Medication>, at: string) => withHealth([medicine({ administrations: [{ at }], ...extra })]);
    expect(results(given({ reviews: [{ on: '2024-06-01' }] }, '2025-06-01'), LPT, DEPOT)).toEqual(['pass']);
    expect(results(given({ reviews: [{ on: '2024-06-01' }] }, '2025-06-02'), LPT, DEPOT)).toEqual(['fail']);
    expect(results(given({}, '2025-01-10'), LPT, DEPOT)).toEqual(['pass']);
    expect(results(given({}, '2025-01-11'), LPT, DEPOT)).toEqual(['fail']);
    expect(findings(given({ start: undefined }, '2025-01-11'), LPT, DEPOT)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['medications[0].start'] });
    expect(judged(given({ depot: false }, '2025-01-11'), LPT, DEPOT)).toEqual(NOTHING);
  });
});

describe('LPT-N-7 and LPT-N-8: a missed depot or physical health clinic appointment', () => {
  const RISK = 'LPT-N-7/risk-assessed-after-missed-depot';
  const REBOOK = 'LPT-N-7/depot-rescheduled';
  const REFERRER = 'LPT-N-8/referrer-told-of-missed-clinic';
  // Missed on Friday 7 March 2025.
  const missed = (clinic: 'depot' | 'physical-health', change: (x: CtpRecord) => void = () => {}, extra: object = {}) =>
    variant((x) => {
      x.encounters!.push({ id: 'dna', status: 'did-not-attend', clinic, start: '2025-03-07T10:00:00Z', ...extra });
      change(x);
    });
  const risk = (date: string) => (x: CtpRecord) => {
    x.riskAssessments = [{ id: 'ra', date }];
  };
  const depotOn = (start: string) => (x: CtpRecord) => {
    x.encounters!.push({ id: 'next', status: 'planned', clinic: 'depot', start });
  };
  it('a risk assessment by the next working day (Monday) passes, on Tuesday fails', () => {
    expect(results(missed('depot', risk('2025-03-10')), LPT, RISK)).toEqual(['pass']);
    expect(findings(missed('depot', risk('2025-03-11')), LPT, RISK)[0]).toMatchObject({ result: 'fail', location: 'encounters[1]', due: '2025-03-10' });
    expect(results(missed('depot'), LPT, RISK, '2025-03-10')).toEqual(['not-applicable']);
    expect(results(missed('depot'), LPT, RISK, '2025-03-11')).toEqual(['fail']);
  });
  it('another depot appointment within 4 weeks passes, a day later fails', () => {
    expect(results(missed('depot', depotOn('2025-04-04T10:00:00+01:00')), LPT, REBOOK)).toEqual(['pass']);
    expect(results(missed('depot', depotOn('2025-04-05T10:00:00+01:00')), LPT, REBOOK)).toEqual(['fail']);
  });
  it('the referrer told of a missed physical health clinic within 5 working days passes, later fails', () => {
    expect(
      results(
        missed('physical-health', () => {}, { referrerInformedOn: '2025-03-14' }),
        LPT,
        REFERRER,
      ),
    ).toEqual(['pass']);
    expect(
      findings(
        missed('physical-health', () => {}, { referrerInformedOn: '2025-03-17' }),
        LPT,
        REFERRER,
      )[0],
    ).toMatchObject({ result: 'fail', due: '2025-03-14' });
    expect(results(missed('physical-health'), LPT, REFERRER, '2025-03-14')).toEqual(['not-applicable']);
  });
  it('cannot be judged without the appointment’s date; other clinics and other packs are not judged', () => {
    const undated = missed('depot', () => {}, { start: undefined });
    expect(findings(undated, LPT, RISK)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['encounters[1].start'] });
    expect(judged(missed('depot'), LPT, REFERRER)).toEqual(NOTHING);
    expect(judged(missed('physical-health'), LPT, RISK)).toEqual(NOTHING);
    expect(findings(missed('depot'), ELFT, RISK)).toEqual([]);
  });
});

describe('LPT-R16 and LPT-V14: a baseline outcome measure, and DIALOG at the start, yearly and at the end', () => {
  const R16 = 'LPT-R16/baseline-outcome-measure-within-4-weeks';
  const START = 'LPT-V14/dialog-on-acceptance';
  const YEARLY = 'LPT-V14/dialog-at-least-yearly';
  const END = 'LPT-V14/dialog-at-discharge';
  const referred = (x: CtpRecord) => {
    x.episodes![0]!.referral = { receivedOn: '2025-01-02' };
  };
  it('R16: any outcome measure within 4 weeks of the referral passes, a day later fails', () => {
    expect(results(withMeasures([{ tool: 'core-10', date: '2025-01-30' }], referred), LPT, R16)).toEqual(['pass']);
    expect(findings(withMeasures([{ tool: 'honos', date: '2025-01-31' }], referred), LPT, R16)[0]).toMatchObject({
      result: 'fail',
      location: 'episodes[0]',
      due: '2025-01-30',
    });
    expect(results(withMeasures([], referred), LPT, R16, '2025-01-30')).toEqual(['not-applicable']);
    expect(results(withMeasures([], referred), LPT, R16, '2025-01-31')).toEqual(['fail']);
  });
  it('R16: a measure before the referral is not its baseline; without the referral’s date it cannot be judged', () => {
    expect(results(withMeasures([{ tool: 'honos', date: '2024-12-30' }], referred), LPT, R16)).toEqual(['fail']);
    expect(findings(withMeasures([]), LPT, R16)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.receivedOn'] });
    expect(findings(withMeasures([], referred), ELFT, R16)).toEqual([]);
  });
  it('V14: DIALOG within 4 weeks of acceptance (6 January) passes on 3 February, fails on the 4th; HoNOS does not count', () => {
    expect(results(withMeasures([{ tool: 'dialog', date: '2025-02-03T23:30:00Z' }]), LPT, START)).toEqual(['pass']);
    expect(results(withMeasures([{ tool: 'dialog-plus', date: '2025-02-04' }]), LPT, START)).toEqual(['fail']);
    expect(results(withMeasures([{ tool: 'honos', date: '2025-01-20' }]), LPT, START)).toEqual(['fail']);
  });
  it('V14: at least yearly; a late one fails where it is, an open gap at the episode', () => {
    const first = { tool: 'dialog' as const, date: '2025-02-01' };
    expect(results(withMeasures([first]), LPT, YEARLY, '2026-02-01')).toEqual(['pass']);
    expect(findings(withMeasures([first]), LPT, YEARLY, '2026-02-02')[0]).toMatchObject({ result: 'fail', location: 'episodes[0]', due: '2026-02-01' });
    expect(findings(withMeasures([first, { tool: 'dialog', date: '2026-02-02' }]), LPT, YEARLY, '2026-03-01')[0]).toMatchObject({
      result: 'fail',
      location: 'outcomeMeasures[1]',
    });
    expect(results(withMeasures([]), LPT, YEARLY, '2026-01-06')).toEqual(['not-applicable']);
    expect(results(withMeasures([]), LPT, YEARLY, '2026-01-07')).toEqual(['fail']);
  });
  it('V14: at discharge, in the 4 weeks up to it', () => {
    const discharged = (x: CtpRecord) => {
      x.episodes![0]!.status = 'finished';
      x.episodes![0]!.discharge = { date: '2025-06-01', kind: 'full' };
    };
    expect(results(withMeasures([{ tool: 'dialog', date: '2025-05-04' }], discharged), LPT, END)).toEqual(['pass']);
    expect(findings(withMeasures([{ tool: 'dialog', date: '2025-05-03' }], discharged), LPT, END)[0]).toMatchObject({ result: 'fail', location: 'episodes[0].discharge' });
    expect(judged(withMeasures([{ tool: 'dialog', date: '2025-05-03' }]), LPT, END)).toEqual(NOTHING);
  });
  it('V14 leaves out people with an organic disorder (ICD-10 F00–F09), and needs the date of acceptance', () => {
    const organic = (x: CtpRecord) => {
      x.diagnoses = [{ id: 'dx', code: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'F01.1' }] }];
    };
    expect(results(withMeasures([], organic), LPT, START)).toEqual(['not-applicable']);
    expect(results(withMeasures([], organic), LPT, YEARLY, '2026-03-01')).toEqual(['not-applicable']);
    // Any outcome measure will do for R16, so it still applies.
    const organicReferred = withMeasures([], (x) => {
      organic(x);
      referred(x);
    });
    expect(results(organicReferred, LPT, R16)).toEqual(['fail']);
    const unknown = withMeasures([], (x) => delete x.episodes![0]!.acceptedOn);
    expect(findings(unknown, LPT, START)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].acceptedOn'] });
    expect(findings(unknown, LPT, YEARLY)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].acceptedOn'] });
  });
});

describe('ELFT-N4 and ELFT-P9: HoNOS after each CPA review, and care plans built on DIALOG', () => {
  const N4 = 'ELFT-N4/honos-updated-after-cpa-review';
  const P9 = 'ELFT-P9/care-plan-built-on-dialog';
  const review = (x: CtpRecord) => {
    x.reviews = [{ id: 'rv', plan: 'plan', heldOn: '2025-05-01' }];
  };
  it('N4: HoNOS within 7 days of the review passes, on day 8 fails; not yet due on day 7', () => {
    expect(results(withMeasures([{ tool: 'honos', date: '2025-05-08' }], review), ELFT, N4)).toEqual(['pass']);
    expect(findings(withMeasures([{ tool: 'honos', date: '2025-05-09' }], review), ELFT, N4)[0]).toMatchObject({ result: 'fail', location: 'reviews[0]', due: '2025-05-08' });
    expect(results(withMeasures([{ tool: 'honos', date: '2025-04-30' }], review), ELFT, N4)).toEqual(['fail']);
    expect(results(withMeasures([], review), ELFT, N4, '2025-05-08')).toEqual(['not-applicable']);
    expect(findings(withMeasures([], review), LPT, N4)).toEqual([]);
  });
  it('P9: a DIALOG in the 4 weeks up to the plan passes; earlier, or none, fails', () => {
    expect(results(withMeasures([{ tool: 'dialog-plus', date: '2025-01-04' }]), ELFT, P9)).toEqual(['pass']);
    expect(findings(withMeasures([{ tool: 'dialog', date: '2025-01-03' }]), ELFT, P9)[0]).toMatchObject({ result: 'fail', location: 'plans[0]' });
    expect(findings(withMeasures([]), ELFT, P9)[0]!.message).toContain('version 1');
  });
  it('P9: the DIALOG rates physical health, relationships, job situation and mental health', () => {
    const rated = (domains: NonNullable<Measure['domains']>[number]['domain'][]) =>
      withMeasures([{ tool: 'dialog', date: '2025-01-20', domains: domains.map((domain) => ({ domain, score: 4 })) }]);
    expect(results(rated(['physical-health', 'friendships', 'job-situation', 'mental-health']), ELFT, P9)).toEqual(['pass']);
    const noJob = findings(rated(['physical-health', 'partner-family', 'mental-health']), ELFT, P9)[0]!;
    expect(noJob.result).toBe('fail');
    expect(noJob.message).toContain('job situation');
  });
  it('P9 cannot be judged without the date the plan was made, and is ELFT’s rule only', () => {
    const undated = withMeasures([], (x) => delete x.plans![0]!.madeOn);
    expect(findings(undated, ELFT, P9)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['plans[0].madeOn'] });
    expect(findings(withMeasures([]), LPT, P9)).toEqual([]);
  });
});

describe('LPT-P5: a care plan setting out a support worker’s part, and the risk assessment updated, before they start', () => {
  const PLAN = 'LPT-P5/care-plan-sets-out-support-worker-role';
  const RISK = 'LPT-P5/risk-updated-before-support-worker';
  type Member = NonNullable<CtpRecord['careTeam']>[number];
  /** A support worker (practitioner cc2) starting on 1 March 2025; the plan of 1 February gives a part only to the person. */
  const worker = (extra: Partial<Member> = {}, change: (x: CtpRecord) => void = () => {}) =>
    variant((x) => {
      x.careTeam!.push({ id: 'sw', role: 'support-worker', member: { kind: 'practitioner', id: 'cc2' }, start: '2025-03-01', ...extra });
      change(x);
    });
  const partInPlan = (x: CtpRecord) => {
    x.plans![0]!.outcomes![0]!.actions!.push({ id: 'a2', description: 'Weekly visits', whoBy: [{ kind: 'practitioner', id: 'cc2' }] });
  };
  /** Version 2 of the plan, giving the worker a part, made on `madeOn`. */
  const version2 = (madeOn: string) => (x: CtpRecord) => {
    const v2 = structuredClone(x.plans![0]!);
    Object.assign(v2, { id: 'plan-v2', version: 2, changeType: 'review-revision', madeOn, completedOn: madeOn });
    x.plans![0]!.status = 'superseded';
    x.plans!.push(v2);
    partInPlan({ ...x, plans: [v2] });
  };
  it('the plan in place gives the worker a part: passes; gives none: fails, naming its version', () => {
    expect(results(worker({}, partInPlan), LPT, PLAN)).toEqual(['pass']);
    const none = findings(worker(), LPT, PLAN)[0]!;
    expect(none).toMatchObject({ result: 'fail', location: 'careTeam[1]', severity: 'error' });
    expect(none.message).toContain('Version 1 of the care plan');
  });
  it('a version made on the day the worker starts counts; one made the day after does not', () => {
    expect(results(worker({}, version2('2025-03-01')), LPT, PLAN)).toEqual(['pass']);
    expect(results(worker({}, version2('2025-03-02')), LPT, PLAN)).toEqual(['fail']);
  });
  it('no plan made before the start fails; without the start or the worker it cannot be judged', () => {
    expect(results(worker({ start: '2025-01-31' }, partInPlan), LPT, PLAN)).toEqual(['fail']);
    expect(findings(worker({ start: undefined }), LPT, PLAN)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['careTeam[1].start'] });
    expect(findings(worker({ member: undefined }), LPT, PLAN)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['careTeam[1].member'] });
  });
  it('a risk assessment in the 4 weeks up to the start passes; a day before them fails', () => {
    const risk = (date: string) => (x: CtpRecord) => {
      x.riskAssessments = [{ id: 'ra', date }];
    };
    expect(results(worker({}, risk('2025-02-01')), LPT, RISK)).toEqual(['pass']);
    expect(results(worker({}, risk('2025-03-01T23:30:00Z')), LPT, RISK)).toEqual(['pass']);
    expect(findings(worker({}, risk('2025-01-31')), LPT, RISK)[0]).toMatchObject({ result: 'fail', location: 'careTeam[1]' });
    expect(results(worker({}, risk('2025-03-02')), LPT, RISK)).toEqual(['fail']);
  });
  it('other roles are not judged, and it is LPT’s rule only', () => {
    expect(judged(worker({ role: 'psychologist' }), LPT, RISK)).toEqual(NOTHING);
    expect(findings(worker(), ELFT, PLAN)).toEqual([]);
  });
});

describe('LPT-K14: the risk assessment and care plan updated before the depot clinic', () => {
  const RISK = 'LPT-K14/risk-updated-before-depot-clinic';
  const PLAN = 'LPT-K14/care-plan-updated-before-depot-clinic';
  /** A review on 1 March 2025 and the first depot clinic appointment on 1 April. */
  const clinic = (change: (x: CtpRecord) => void = () => {}) =>
    variant((x) => {
      x.reviews = [{ id: 'rv', plan: 'plan', heldOn: '2025-03-01' }];
      x.encounters!.push({ id: 'depot1', status: 'finished', clinic: 'depot', start: '2025-04-01T10:00:00+01:00' });
      x.encounters!.push({ id: 'depot2', status: 'finished', clinic: 'depot', start: '2025-04-29T10:00:00+01:00' });
      change(x);
    });
  const risk = (date: string) => (x: CtpRecord) => {
    x.riskAssessments = [{ id: 'ra', date }];
  };
  it('a risk assessment from the day of the last review to the first appointment passes; before the review fails', () => {
    expect(results(clinic(risk('2025-03-01')), LPT, RISK)).toEqual(['pass']);
    expect(results(clinic(risk('2025-04-01')), LPT, RISK)).toEqual(['pass']);
    expect(findings(clinic(risk('2025-02-28')), LPT, RISK)[0]).toMatchObject({ result: 'fail', location: 'encounters[1]', severity: 'error' });
    expect(results(clinic(risk('2025-04-02')), LPT, RISK)).toEqual(['fail']);
  });
  it('the care plan: the version of 1 February predates the review and fails; a version after it passes', () => {
    expect(results(clinic(), LPT, PLAN)).toEqual(['fail']);
    const v2 = (x: CtpRecord) => {
      x.plans!.push({ ...structuredClone(x.plans![0]!), id: 'plan-v2', version: 2, changeType: 'review-revision', madeOn: '2025-03-10', completedOn: '2025-03-10' });
      x.plans![0]!.status = 'superseded';
    };
    expect(results(clinic(v2), LPT, PLAN)).toEqual(['pass']);
  });
  it('with no review before, any earlier one counts; an undated clinic appointment cannot be judged; no clinic, nothing to judge', () => {
    expect(
      results(
        clinic((x) => void (x.reviews = undefined)),
        LPT,
        PLAN,
      ),
    ).toEqual(['pass']);
    const undated = variant((x) => {
      x.encounters!.push({ id: 'depot', status: 'planned', clinic: 'depot' });
    });
    expect(findings(undated, LPT, RISK)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['encounters[1].start'] });
    expect(
      judged(
        variant(() => {}),
        LPT,
        RISK,
      ),
    ).toEqual(NOTHING);
    expect(findings(clinic(), ELFT, RISK)).toEqual([]);
  });
});

describe('LPT-K14: an assessment, a risk assessment and a care plan before the nurse-led clinic', () => {
  const ASSESSED = 'LPT-K14/assessed-before-nurse-led-clinic';
  const RISK = 'LPT-K14/risk-assessed-before-nurse-led-clinic';
  const PLAN = 'LPT-K14/care-plan-before-nurse-led-clinic';
  // The record's assessment is of 15 January 2025 and its plan of 1 February; a review on 20 February does not matter here.
  const nurseLed = (start: string, change: (x: CtpRecord) => void = () => {}) =>
    variant((x) => {
      x.reviews = [{ id: 'rv', plan: 'plan', heldOn: '2025-02-20' }];
      x.encounters!.push({ id: 'nl', status: 'finished', clinic: 'nurse-led', start });
      change(x);
    });
  it('each made on or before the day of the first appointment passes, however long before', () => {
    expect(results(nurseLed('2025-03-01'), LPT, ASSESSED)).toEqual(['pass']);
    expect(results(nurseLed('2025-02-01'), LPT, PLAN)).toEqual(['pass']);
    expect(
      results(
        nurseLed('2025-03-01', (x) => void (x.riskAssessments = [{ id: 'ra', date: '2025-01-02' }])),
        LPT,
        RISK,
      ),
    ).toEqual(['pass']);
  });
  it('none before the first appointment fails at it', () => {
    expect(findings(nurseLed('2025-01-14'), LPT, ASSESSED)[0]).toMatchObject({ result: 'fail', location: 'encounters[1]', severity: 'error' });
    expect(results(nurseLed('2025-01-31'), LPT, PLAN)).toEqual(['fail']);
    expect(results(nurseLed('2025-03-01'), LPT, RISK)).toEqual(['fail']);
  });
});

describe('LPT-T10: early intervention’s plan towards education, training or work within 3 months', () => {
  const T10 = 'LPT-T10/education-plan-within-3-months';
  /** An early intervention episode referred on 2 January 2025; its plan of `madeOn` has an outcome in `area`. */
  const eip = (madeOn: string, area: 'work-occupation' | 'education-training' | 'accommodation', team = 'PIER Team') =>
    variant((x) => {
      x.episodes![0]!.team = team;
      x.episodes![0]!.referral = { receivedOn: '2025-01-02' };
      x.plans![0]!.madeOn = madeOn;
      x.plans![0]!.outcomes![0]!.areas = [{ area, explanation: 'Explanation' }];
    });
  it('a plan with an outcome in work or education 3 months after referral passes, a day later fails', () => {
    expect(results(eip('2025-04-02', 'work-occupation'), LPT, T10)).toEqual(['pass']);
    expect(results(eip('2025-02-01', 'education-training'), LPT, T10)).toEqual(['pass']);
    expect(findings(eip('2025-04-03', 'work-occupation'), LPT, T10)[0]).toMatchObject({ result: 'fail', location: 'episodes[0]', due: '2025-04-02' });
  });
  it('a plan in other areas does not count: not yet due on 2 April, failing on the 3rd', () => {
    expect(results(eip('2025-02-01', 'accommodation'), LPT, T10, '2025-04-02')).toEqual(['not-applicable']);
    expect(results(eip('2025-02-01', 'accommodation'), LPT, T10, '2025-04-03')).toEqual(['fail']);
  });
  it('applies to early intervention only, needs the referral’s date, and is LPT’s rule only', () => {
    expect(judged(eip('2025-02-01', 'accommodation', 'Community Mental Health Team'), LPT, T10)).toEqual(NOTHING);
    const unreferred = variant((x) => void (x.episodes![0]!.team = 'PIER Team'));
    expect(findings(unreferred, LPT, T10)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.receivedOn'] });
    expect(findings(eip('2025-02-01', 'accommodation'), ELFT, T10)).toEqual([]);
  });
});
