/** LPT-I5: an Independent Mental Capacity Advocate for a person who lacks capacity and has no one appropriate to consult. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createComplianceEngine } from '../../src/compliance/engine.js';
import { loadRulePacks } from '../../src/compliance/load-packs.js';
import { imcaInstructed } from '../../src/compliance/templates/imca.js';
import { builtInTemplates } from '../../src/compliance/templates/index.js';
import { ConfigError } from '../../src/errors/errors.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { testRuntime } from '../helpers/runtime.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { engine, PACK_DIR, variant } from './helpers.js';

type CapacityDecision = NonNullable<NonNullable<CtpRecord['assessments']>[number]['capacityDecisions']>[number];

describe('LPT-I5: an IMCA is instructed where the person lacks capacity and has no one to consult', () => {
  const I5 = 'LPT-I5/imca-instructed';
  // The assessment is dated 15 January 2025; the decision is made on 1 March 2025.
  const owed = { lacksCapacity: true, someoneToConsult: false, decidedOn: '2025-03-01' } as const;
  const decided = (...decisions: CapacityDecision[]) => variant((r) => (r.assessments![0]!.capacityDecisions = decisions));

  it('an IMCA instructed before or on the day of the decision passes; the day after fails; none fails', () => {
    expect(findings(decided({ kind: 'accommodation-change', ...owed, imcaInstructedOn: '2025-02-20' }), LPT, I5)[0]).toMatchObject({
      result: 'pass',
      location: 'assessments[0].capacityDecisions[0]',
    });
    expect(results(decided({ kind: 'serious-medical-treatment', ...owed, imcaInstructedOn: '2025-03-01' }), LPT, I5)).toEqual(['pass']);
    expect(findings(decided({ kind: 'serious-medical-treatment', ...owed, imcaInstructedOn: '2025-03-02' }), LPT, I5)[0]).toMatchObject({
      result: 'fail',
      severity: 'warning',
      message: 'The IMCA was instructed only after the decision was made.',
    });
    expect(findings(decided({ kind: 'accommodation-change', ...owed }), LPT, I5)[0]).toMatchObject({
      result: 'fail',
      message: 'The person lacked capacity and had no one appropriate to consult, and no IMCA was instructed for the decision.',
    });
  });

  it('not owed where the person had capacity, someone appropriate could be consulted, or the decision is of another kind', () => {
    expect(results(decided({ kind: 'accommodation-change', ...owed, lacksCapacity: false }), LPT, I5)).toEqual(['not-applicable']);
    expect(results(decided({ kind: 'accommodation-change', ...owed, someoneToConsult: true }), LPT, I5)).toEqual(['not-applicable']);
    expect(results(decided({ kind: 'other', ...owed }), LPT, I5)).toEqual(['not-applicable']);
  });

  it('cannot be evaluated without capacity, someone to consult, or (an IMCA instructed) the day of the decision', () => {
    const { lacksCapacity: _l, ...noCapacity } = owed;
    const { someoneToConsult: _s, ...noConsultee } = owed;
    const { decidedOn: _d, ...undated } = owed;
    expect(findings(decided({ kind: 'accommodation-change', ...noCapacity }), LPT, I5)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['assessments[0].capacityDecisions[0].lacksCapacity'],
    });
    expect(findings(decided({ kind: 'accommodation-change', ...noConsultee }), LPT, I5)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['assessments[0].capacityDecisions[0].someoneToConsult'],
    });
    expect(findings(decided({ kind: 'accommodation-change', ...undated, imcaInstructedOn: '2025-02-20' }), LPT, I5)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['assessments[0].capacityDecisions[0].decidedOn'],
    });
    // With no IMCA at all, the day of the decision does not matter.
    expect(results(decided({ kind: 'accommodation-change', ...undated }), LPT, I5)).toEqual(['fail']);
  });

  it('judges each decision at its own place; none decided after the date of evaluation, nor on an assessment after it', () => {
    const two = decided({ kind: 'accommodation-change', ...owed, imcaInstructedOn: '2025-02-01' }, { kind: 'serious-medical-treatment', ...owed });
    expect(findings(two, LPT, I5).map((f) => [f.location, f.result])).toEqual([
      ['assessments[0].capacityDecisions[0]', 'pass'],
      ['assessments[0].capacityDecisions[1]', 'fail'],
    ]);
    expect(results(decided({ kind: 'accommodation-change', ...owed }), LPT, I5, '2025-02-28')).toEqual(['not-applicable']);
    expect(findings(decided({ kind: 'accommodation-change', ...owed }), LPT, I5, '2025-02-28')).toHaveLength(1);
    expect(findings(decided({ kind: 'accommodation-change', ...owed }), LPT, I5, '2025-03-01')[0]).toMatchObject({ result: 'fail' });
    expect(results(decided({ kind: 'accommodation-change', ...owed }), LPT, I5, '2025-01-14')).toEqual(['not-applicable']);
  });

  describe('the Act’s exceptions', () => {
    const move = { kind: 'accommodation-change', ...owed } as const;
    const treatment = { kind: 'serious-medical-treatment', ...owed } as const;
    const stay = (accommodationKind: 'hospital' | 'care-home' | 'other' | undefined, expectedStayDays: number) =>
      findings(decided({ ...move, ...(accommodationKind === undefined ? {} : { accommodationKind }), expectedStayDays }), LPT, I5)[0];

    it('a hospital stay expected to be shorter than 28 days is not applicable; 28 days or more owes an IMCA', () => {
      expect(stay('hospital', 27)).toMatchObject({
        result: 'not-applicable',
        message: 'The stay was expected to last 27 days, shorter than the 28 days from which an IMCA is owed.',
      });
      expect(stay('hospital', 28)).toMatchObject({ result: 'fail' });
      expect(stay('hospital', 29)).toMatchObject({ result: 'fail' });
      expect(stay('hospital', 0)).toMatchObject({ result: 'not-applicable' });
      expect(results(decided({ ...move, accommodationKind: 'hospital', expectedStayDays: 28, imcaInstructedOn: '2025-03-01' }), LPT, I5)).toEqual(['pass']);
    });

    it('a care home or other residential stay expected to be shorter than 8 weeks (56 days) is not applicable; 56 days or more owes an IMCA', () => {
      for (const kind of ['care-home', 'other'] as const) {
        expect(stay(kind, 55)).toMatchObject({
          result: 'not-applicable',
          message: 'The stay was expected to last 55 days, shorter than the 56 days from which an IMCA is owed.',
        });
        expect(stay(kind, 56)).toMatchObject({ result: 'fail' });
        expect(stay(kind, 57)).toMatchObject({ result: 'fail' });
        expect(stay(kind, 28)).toMatchObject({ result: 'not-applicable' });
      }
      expect(results(decided({ ...move, accommodationKind: 'care-home', expectedStayDays: 56, imcaInstructedOn: '2025-02-28' }), LPT, I5)).toEqual(['pass']);
    });

    it('with the stay but not the kind of accommodation recorded, a stay is short only if under both limits', () => {
      expect(stay(undefined, 27)).toMatchObject({ result: 'not-applicable' });
      expect(stay(undefined, 28)).toMatchObject({ result: 'fail' });
      expect(stay(undefined, 55)).toMatchObject({ result: 'fail' });
    });

    it('with no expected stay recorded the duty is judged as owed (the short-stay exception is not presumed)', () => {
      for (const accommodationKind of ['hospital', 'care-home', 'other'] as const) {
        expect(results(decided({ ...move, accommodationKind }), LPT, I5)).toEqual(['fail']);
        expect(results(decided({ ...move, accommodationKind, imcaInstructedOn: '2025-02-20' }), LPT, I5)).toEqual(['pass']);
      }
      expect(results(decided({ ...move, urgent: false, underMentalHealthAct: false }), LPT, I5)).toEqual(['fail']);
    });

    it('the limits are parameters (28 and 56 days by default) that local standards may only lower', () => {
      expect(imcaInstructed.params.parse({ kinds: ['accommodation-change'] })).toEqual({ kinds: ['accommodation-change'], hospitalStayDays: 28, careHomeStayDays: 56 });
      const dir = mkdtempSync(join(tmpdir(), 'pont-imca-standards-'));
      const standards = (rule: string) => {
        const file = join(dir, `${rule.length}.yaml`);
        writeFileSync(file, `pack: ${LPT}\ntitle: Local IMCA standard\nrules:\n  ${I5}: ${rule}\n`);
        return loadRulePacks(PACK_DIR, builtInTemplates(), { localStandardsFile: file });
      };
      const strict = createComplianceEngine(standards('{ hospitalStayDays: 14 }'));
      const record = decided({ ...move, accommodationKind: 'hospital', expectedStayDays: 20 });
      const result = (e: ReturnType<typeof createComplianceEngine>) =>
        e.evaluate(record, { asOf: '2025-12-01', pack: LPT }).findings.find((f) => f.ruleId === 'LPT-I5')!.result;
      expect(result(engine())).toBe('not-applicable');
      expect(result(strict)).toBe('fail');
      let refused: unknown;
      try {
        standards('{ careHomeStayDays: 90 }');
      } catch (err) {
        refused = err;
      }
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as ConfigError).issues.map((i) => i.diagnostics)).toEqual([
        `local standards: ${I5}: "careHomeStayDays" of 90 is looser than the minimum of 56; local standards may only be stricter`,
      ]);
    });

    it('treatment regulated by Part 4 of the Mental Health Act 1983, or a stay it obliges, is not applicable, whatever else is recorded', () => {
      expect(findings(decided({ ...treatment, underMentalHealthAct: true }), LPT, I5)[0]).toMatchObject({
        result: 'not-applicable',
        message: 'The treatment is regulated by Part 4 of the Mental Health Act 1983.',
      });
      expect(findings(decided({ ...move, accommodationKind: 'hospital', expectedStayDays: 90, underMentalHealthAct: true }), LPT, I5)[0]).toMatchObject({
        result: 'not-applicable',
        message: 'The person is to be accommodated under an obligation imposed by the Mental Health Act 1983.',
      });
      const { lacksCapacity: _l, ...unknownCapacity } = move;
      expect(results(decided({ ...unknownCapacity, underMentalHealthAct: true }), LPT, I5)).toEqual(['not-applicable']);
      expect(results(decided({ ...treatment, underMentalHealthAct: false }), LPT, I5)).toEqual(['fail']);
    });

    it('urgent treatment is not applicable; treatment not recorded as urgent is judged', () => {
      expect(findings(decided({ ...treatment, urgent: true }), LPT, I5)[0]).toMatchObject({
        result: 'not-applicable',
        message: 'The treatment had to be given as a matter of urgency.',
      });
      expect(results(decided({ ...treatment, urgent: true, imcaInstructedOn: '2025-03-05' }), LPT, I5)).toEqual(['not-applicable']);
      expect(results(decided({ ...treatment, urgent: false, imcaInstructedOn: '2025-03-05' }), LPT, I5)).toEqual(['fail']);
    });

    it('an urgent move passes with an IMCA instructed before or after it, by the date of evaluation; with none it fails', () => {
      const urgent = { ...move, urgent: true } as const;
      expect(findings(decided({ ...urgent, imcaInstructedOn: '2025-02-20' }), LPT, I5)[0]).toMatchObject({
        result: 'pass',
        message: 'An IMCA was instructed by the day of the decision.',
      });
      expect(findings(decided({ ...urgent, imcaInstructedOn: '2025-03-02' }), LPT, I5)[0]).toMatchObject({
        result: 'pass',
        message: 'The move was made urgently, and an IMCA was instructed, which the Act allows after the move.',
      });
      expect(results(decided({ ...urgent, imcaInstructedOn: '2025-09-30' }), LPT, I5)).toEqual(['pass']);
      expect(findings(decided(urgent), LPT, I5)[0]).toMatchObject({
        result: 'fail',
        message: 'The move was made urgently, and no IMCA has been instructed since.',
      });
      // An IMCA instructed after the date of evaluation was not yet instructed then.
      expect(results(decided({ ...urgent, imcaInstructedOn: '2025-03-10' }), LPT, I5, '2025-03-09')).toEqual(['fail']);
      expect(results(decided({ ...urgent, imcaInstructedOn: '2025-03-10' }), LPT, I5, '2025-03-10')).toEqual(['pass']);
      // The day of an urgent move need not be known once an IMCA was instructed.
      const { decidedOn: _d, ...undated } = urgent;
      expect(findings(decided({ ...undated, imcaInstructedOn: '2025-03-10' }), LPT, I5)[0]).toMatchObject({
        result: 'pass',
        message: 'The move was made urgently, and an IMCA was instructed, which the Act allows after the move.',
      });
      // A short stay is excepted even when the move was urgent.
      expect(results(decided({ ...urgent, accommodationKind: 'hospital', expectedStayDays: 27 }), LPT, I5)).toEqual(['not-applicable']);
    });

    it('the exceptions belong to their kinds: urgency does not except a move before it, nor a stay a treatment', () => {
      expect(results(decided({ ...treatment, accommodationKind: 'hospital', expectedStayDays: 3 }), LPT, I5)).toEqual(['fail']);
      expect(results(decided({ ...move, urgent: true, imcaInstructedOn: '2025-03-05' }), LPT, I5)).toEqual(['pass']);
      expect(results(decided({ ...treatment, urgent: false, imcaInstructedOn: '2025-03-05' }), LPT, I5)).toEqual(['fail']);
    });
  });

  describe('a stay expected to be short that is later expected to last longer (ss.38(4), 39(5))', () => {
    const DECISION = 'assessments[0].capacityDecisions[0]';
    // Expected short at the decision (1 March 2025); later expected to last longer from 1 April 2025.
    const shortMove = (accommodationKind: 'hospital' | 'care-home' | 'other' | undefined, revisedStayDays: number, extra: Partial<CapacityDecision> = {}) =>
      decided({
        kind: 'accommodation-change',
        ...owed,
        ...(accommodationKind === undefined ? {} : { accommodationKind }),
        expectedStayDays: 14,
        revisedStayDays,
        stayRevisedOn: '2025-04-01',
        ...extra,
      });
    const revisedTo = (days: number, limit: number) => `The stay was later expected to last ${days} days, at least the ${limit} days from which an IMCA is owed`;

    it('in a hospital, a revision to 28 days or more owes an IMCA; to 27 changes nothing', () => {
      expect(findings(shortMove('hospital', 27), LPT, I5)[0]).toMatchObject({
        result: 'not-applicable',
        message: 'The stay was expected to last 14 days, shorter than the 28 days from which an IMCA is owed.',
      });
      expect(findings(shortMove('hospital', 28), LPT, I5)[0]).toMatchObject({
        result: 'fail',
        location: DECISION,
        message: `${revisedTo(28, 28)}, and no IMCA has been instructed.`,
      });
      expect(findings(shortMove('hospital', 28, { imcaInstructedOn: '2025-04-02' }), LPT, I5)[0]).toMatchObject({
        result: 'pass',
        message: `${revisedTo(28, 28)}, and an IMCA was instructed.`,
      });
    });

    it('in a care home or other residential accommodation, a revision to 56 days or more owes an IMCA; to 55 changes nothing', () => {
      for (const kind of ['care-home', 'other'] as const) {
        expect(findings(shortMove(kind, 55), LPT, I5)[0]).toMatchObject({
          result: 'not-applicable',
          message: 'The stay was expected to last 14 days, shorter than the 56 days from which an IMCA is owed.',
        });
        expect(findings(shortMove(kind, 56), LPT, I5)[0]).toMatchObject({ result: 'fail', message: `${revisedTo(56, 56)}, and no IMCA has been instructed.` });
        expect(results(shortMove(kind, 56, { imcaInstructedOn: '2025-04-30' }), LPT, I5)).toEqual(['pass']);
      }
      // Where the kind of accommodation is not recorded, the lower limit serves for the revision too.
      expect(results(shortMove(undefined, 27), LPT, I5)).toEqual(['not-applicable']);
      expect(findings(shortMove(undefined, 28), LPT, I5)[0]).toMatchObject({ result: 'fail', message: `${revisedTo(28, 28)}, and no IMCA has been instructed.` });
    });

    it('the duty arises on the day of the revision: after the date of evaluation the exception still stands', () => {
      const long = shortMove('hospital', 40);
      expect(findings(long, LPT, I5, '2025-03-31')[0]).toMatchObject({
        result: 'not-applicable',
        message: 'The stay was expected to last 14 days, shorter than the 28 days from which an IMCA is owed.',
      });
      expect(results(long, LPT, I5, '2025-04-01')).toEqual(['fail']);
      expect(results(long, LPT, I5, '2025-12-01')).toEqual(['fail']);
    });

    it('an IMCA instructed on any day by the date of evaluation passes, before the revision or after it; none fails', () => {
      for (const imcaInstructedOn of ['2025-02-20', '2025-03-15', '2025-04-01', '2025-06-30']) {
        expect(results(shortMove('hospital', 40, { imcaInstructedOn }), LPT, I5)).toEqual(['pass']);
      }
      // An IMCA instructed after the date of evaluation was not yet instructed then.
      const later = shortMove('hospital', 40, { imcaInstructedOn: '2025-04-10' });
      expect(results(later, LPT, I5, '2025-04-09')).toEqual(['fail']);
      expect(results(later, LPT, I5, '2025-04-10')).toEqual(['pass']);
      expect(results(shortMove('hospital', 40), LPT, I5)).toEqual(['fail']);
      // The day of the move need not be known: any IMCA by the date of evaluation serves.
      const { decidedOn: _d, ...undated } = owed;
      expect(
        results(
          decided({
            kind: 'accommodation-change',
            ...undated,
            accommodationKind: 'hospital',
            expectedStayDays: 14,
            revisedStayDays: 40,
            stayRevisedOn: '2025-04-01',
            imcaInstructedOn: '2025-05-01',
          }),
          LPT,
          I5,
        ),
      ).toEqual(['pass']);
    });

    it('after an urgent move expected to be short, a long revision owes an IMCA from its day', () => {
      const urgent = { urgent: true } as const;
      expect(results(shortMove('care-home', 90, urgent), LPT, I5, '2025-03-31')).toEqual(['not-applicable']);
      expect(findings(shortMove('care-home', 90, urgent), LPT, I5)[0]).toMatchObject({ result: 'fail', message: `${revisedTo(90, 56)}, and no IMCA has been instructed.` });
      expect(results(shortMove('care-home', 90, { ...urgent, imcaInstructedOn: '2025-05-01' }), LPT, I5)).toEqual(['pass']);
      // With no short stay recorded, an urgent move owed an IMCA afterwards already; a revision, even a later one, changes nothing.
      const urgentMove = { kind: 'accommodation-change', ...owed, ...urgent } as const;
      expect(findings(decided({ ...urgentMove, revisedStayDays: 90, stayRevisedOn: '2025-12-31' }), LPT, I5)[0]).toMatchObject({
        result: 'fail',
        message: 'The move was made urgently, and no IMCA has been instructed since.',
      });
      expect(findings(decided({ ...urgentMove, revisedStayDays: 90, imcaInstructedOn: '2025-03-05' }), LPT, I5)[0]).toMatchObject({
        result: 'pass',
        message: 'The move was made urgently, and an IMCA was instructed, which the Act allows after the move.',
      });
    });

    it('a long revision without its day cannot be evaluated with no IMCA instructed; with one it passes', () => {
      const undated = { kind: 'accommodation-change', ...owed, accommodationKind: 'hospital', expectedStayDays: 14, revisedStayDays: 40 } as const;
      expect(findings(decided(undated), LPT, I5)[0]).toMatchObject({
        result: 'cannot-evaluate',
        missing: [`${DECISION}.stayRevisedOn`],
        message: `${revisedTo(40, 28)}, but when that came to be expected is not recorded.`,
      });
      expect(results(decided({ ...undated, imcaInstructedOn: '2025-04-20' }), LPT, I5)).toEqual(['pass']);
      expect(results(decided({ ...undated, imcaInstructedOn: '2025-04-20' }), LPT, I5, '2025-04-19')).toEqual(['cannot-evaluate']);
      // A short revision needs no day.
      expect(results(decided({ ...undated, revisedStayDays: 20 }), LPT, I5)).toEqual(['not-applicable']);
    });

    it('the duty still needs the person to lack capacity with no one to consult, and yields to the Mental Health Act', () => {
      expect(findings(shortMove('hospital', 40, { lacksCapacity: false }), LPT, I5)[0]).toMatchObject({
        result: 'not-applicable',
        message: 'The person had capacity to make the decision.',
      });
      expect(results(shortMove('hospital', 40, { someoneToConsult: true }), LPT, I5)).toEqual(['not-applicable']);
      const { lacksCapacity: _l, ...unknownCapacity } = owed;
      expect(findings(decided({ kind: 'accommodation-change', ...unknownCapacity, expectedStayDays: 14, revisedStayDays: 40 }), LPT, I5)[0]).toMatchObject({
        result: 'cannot-evaluate',
        missing: [`${DECISION}.lacksCapacity`],
      });
      expect(findings(shortMove('hospital', 40, { underMentalHealthAct: true }), LPT, I5)[0]).toMatchObject({
        result: 'not-applicable',
        message: 'The person is to be accommodated under an obligation imposed by the Mental Health Act 1983.',
      });
    });

    it('a revision changes nothing where no short stay was expected, nor for treatment', () => {
      const move = {
        kind: 'accommodation-change',
        ...owed,
        accommodationKind: 'hospital',
        revisedStayDays: 90,
        stayRevisedOn: '2025-04-01',
        imcaInstructedOn: '2025-03-05',
      } as const;
      for (const expected of [{ expectedStayDays: 28 }, {}]) {
        expect(findings(decided({ ...move, ...expected }), LPT, I5)[0]).toMatchObject({
          result: 'fail',
          message: 'The IMCA was instructed only after the decision was made.',
        });
      }
      expect(
        results(decided({ kind: 'serious-medical-treatment', ...owed, urgent: true, expectedStayDays: 3, revisedStayDays: 90, stayRevisedOn: '2025-04-01' }), LPT, I5),
      ).toEqual(['not-applicable']);
    });
  });

  describe('a move to the place of a Deprivation of Liberty Safeguards standard authorisation (ss.38(2A), 39(3A))', () => {
    const move = { kind: 'accommodation-change', ...owed } as const;
    const DOLS =
      'The person is to live in the hospital or care home their Deprivation of Liberty Safeguards standard authorisation is for, where an IMCA appointed under the Safeguards (ss.39A, 39C) represents them.';

    it('is not applicable for a hospital or a care home, whatever the stay and with no IMCA instructed for the move', () => {
      for (const accommodationKind of ['hospital', 'care-home'] as const) {
        for (const stay of [{}, { expectedStayDays: 365 }, { expectedStayDays: 3, revisedStayDays: 90, stayRevisedOn: '2025-04-01' }, { urgent: true }]) {
          expect(findings(decided({ ...move, accommodationKind, ...stay, dolsAuthorisedPlace: true }), LPT, I5)[0]).toMatchObject({
            result: 'not-applicable',
            location: 'assessments[0].capacityDecisions[0]',
            message: DOLS,
          });
        }
      }
      // Checked with the Mental Health Act exception, before whether the person lacked capacity.
      const { lacksCapacity: _l, ...unknownCapacity } = move;
      expect(findings(decided({ ...unknownCapacity, dolsAuthorisedPlace: true }), LPT, I5)[0]).toMatchObject({ result: 'not-applicable', message: DOLS });
    });

    it('does not apply to a place recorded as neither a hospital nor a care home, which no standard authorisation can name; unrecorded, it is taken as named', () => {
      const other = { ...move, accommodationKind: 'other', expectedStayDays: 365 } as const;
      expect(findings(decided({ ...other, dolsAuthorisedPlace: true }), LPT, I5)).toEqual(findings(decided(other), LPT, I5));
      expect(findings(decided({ ...other, dolsAuthorisedPlace: true }), LPT, I5)[0]).toMatchObject({ result: 'fail' });
      const { accommodationKind: _k, ...unrecorded } = other;
      expect(findings(decided({ ...unrecorded, dolsAuthorisedPlace: true }), LPT, I5)[0]).toMatchObject({ result: 'not-applicable', message: DOLS });
    });

    it('false or absent, the move is judged as before (the carve-out is not presumed)', () => {
      const cases: [Partial<CapacityDecision>, string][] = [
        [{ accommodationKind: 'hospital' }, 'The person lacked capacity and had no one appropriate to consult, and no IMCA was instructed for the decision.'],
        [{ accommodationKind: 'care-home', imcaInstructedOn: '2025-02-20' }, 'An IMCA was instructed by the day of the decision.'],
        [{ accommodationKind: 'hospital', expectedStayDays: 27 }, 'The stay was expected to last 27 days, shorter than the 28 days from which an IMCA is owed.'],
        [{ urgent: true }, 'The move was made urgently, and no IMCA has been instructed since.'],
        [
          { accommodationKind: 'care-home', expectedStayDays: 14, revisedStayDays: 56, stayRevisedOn: '2025-04-01' },
          'The stay was later expected to last 56 days, at least the 56 days from which an IMCA is owed, and no IMCA has been instructed.',
        ],
      ];
      for (const [facts, message] of cases) {
        const before = findings(decided({ ...move, ...facts }), LPT, I5);
        expect(before[0]!.message).toBe(message);
        expect(findings(decided({ ...move, ...facts, dolsAuthorisedPlace: false }), LPT, I5)).toEqual(before);
      }
    });

    it('does not touch serious medical treatment', () => {
      const treatment = { kind: 'serious-medical-treatment', ...owed, dolsAuthorisedPlace: true } as const;
      expect(findings(decided(treatment), LPT, I5)[0]).toMatchObject({
        result: 'fail',
        message: 'The person lacked capacity and had no one appropriate to consult, and no IMCA was instructed for the decision.',
      });
      expect(results(decided({ ...treatment, imcaInstructedOn: '2025-03-01' }), LPT, I5)).toEqual(['pass']);
      expect(findings(decided({ ...treatment, urgent: true }), LPT, I5)[0]).toMatchObject({ message: 'The treatment had to be given as a matter of urgency.' });
    });

    it('the Mental Health Act exception still comes first', () => {
      expect(findings(decided({ ...move, accommodationKind: 'hospital', underMentalHealthAct: true, dolsAuthorisedPlace: true }), LPT, I5)[0]).toMatchObject({
        result: 'not-applicable',
        message: 'The person is to be accommodated under an obligation imposed by the Mental Health Act 1983.',
      });
      expect(findings(decided({ ...move, accommodationKind: 'hospital', underMentalHealthAct: false, dolsAuthorisedPlace: true }), LPT, I5)[0]).toMatchObject({
        message: DOLS,
      });
    });
  });

  it('is not a rule of ELFT (whose I5 is advocacy considered) or Wales', () => {
    const none = decided({ kind: 'accommodation-change', ...owed });
    expect(findings(none, ELFT, I5)).toEqual([]);
    expect(findings(none, WALES, I5)).toEqual([]);
  });
});

describe('capacity decisions in FHIR', () => {
  const { pipeline } = testRuntime();
  const record = variant(
    (r) =>
      (r.assessments![0]!.capacityDecisions = [
        { kind: 'accommodation-change', decidedOn: '2025-03-01', lacksCapacity: true, someoneToConsult: false, imcaInstructedOn: '2025-02-20' },
        { kind: 'other', lacksCapacity: false },
        { kind: 'serious-medical-treatment' },
        { kind: 'accommodation-change', urgent: true, underMentalHealthAct: false, accommodationKind: 'care-home', expectedStayDays: 56 },
        { kind: 'accommodation-change', urgent: false, accommodationKind: 'hospital', expectedStayDays: 0 },
        { kind: 'serious-medical-treatment', lacksCapacity: true, underMentalHealthAct: true },
        { kind: 'accommodation-change', accommodationKind: 'hospital', expectedStayDays: 14, revisedStayDays: 40, stayRevisedOn: '2025-04-01' },
        { kind: 'accommodation-change', expectedStayDays: 3, revisedStayDays: 0 },
        { kind: 'accommodation-change', accommodationKind: 'care-home', dolsAuthorisedPlace: true },
        { kind: 'accommodation-change', accommodationKind: 'hospital', dolsAuthorisedPlace: false },
      ]),
  );

  it('are capacity-decision extensions on the assessment’s ClinicalImpression, and come back exactly (a false, a zero and absent facts included, the Act’s exceptions, a revised stay and the Deprivation of Liberty Safeguards’ place too)', () => {
    const { bundle, issues } = pipeline.toBundle(record);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    const assessment = bundle!.entry!.map((e) => e.resource!).find((r) => r.resourceType === 'ClinicalImpression') as { extension: { url: string; extension: unknown[] }[] };
    const decisions = assessment.extension.filter((e) => e.url === 'https://fhir.pont.wales/StructureDefinition/capacity-decision');
    expect(decisions.map((d) => d.extension)).toEqual([
      [
        { url: 'kind', valueCode: 'accommodation-change' },
        { url: 'decidedOn', valueDate: '2025-03-01' },
        { url: 'lacksCapacity', valueBoolean: true },
        { url: 'someoneToConsult', valueBoolean: false },
        { url: 'imcaInstructedOn', valueDate: '2025-02-20' },
      ],
      [
        { url: 'kind', valueCode: 'other' },
        { url: 'lacksCapacity', valueBoolean: false },
      ],
      [{ url: 'kind', valueCode: 'serious-medical-treatment' }],
      [
        { url: 'kind', valueCode: 'accommodation-change' },
        { url: 'urgent', valueBoolean: true },
        { url: 'underMentalHealthAct', valueBoolean: false },
        { url: 'accommodationKind', valueCode: 'care-home' },
        { url: 'expectedStayDays', valueUnsignedInt: 56 },
      ],
      [
        { url: 'kind', valueCode: 'accommodation-change' },
        { url: 'urgent', valueBoolean: false },
        { url: 'accommodationKind', valueCode: 'hospital' },
        { url: 'expectedStayDays', valueUnsignedInt: 0 },
      ],
      [
        { url: 'kind', valueCode: 'serious-medical-treatment' },
        { url: 'lacksCapacity', valueBoolean: true },
        { url: 'underMentalHealthAct', valueBoolean: true },
      ],
      [
        { url: 'kind', valueCode: 'accommodation-change' },
        { url: 'accommodationKind', valueCode: 'hospital' },
        { url: 'expectedStayDays', valueUnsignedInt: 14 },
        { url: 'revisedStayDays', valueUnsignedInt: 40 },
        { url: 'stayRevisedOn', valueDate: '2025-04-01' },
      ],
      [
        { url: 'kind', valueCode: 'accommodation-change' },
        { url: 'expectedStayDays', valueUnsignedInt: 3 },
        { url: 'revisedStayDays', valueUnsignedInt: 0 },
      ],
      [
        { url: 'kind', valueCode: 'accommodation-change' },
        { url: 'accommodationKind', valueCode: 'care-home' },
        { url: 'dolsAuthorisedPlace', valueBoolean: true },
      ],
      [
        { url: 'kind', valueCode: 'accommodation-change' },
        { url: 'accommodationKind', valueCode: 'hospital' },
        { url: 'dolsAuthorisedPlace', valueBoolean: false },
      ],
    ]);
    expect(pipeline.reverse(JSON.stringify(bundle), 'bundle').record).toEqual(record);
  });
});

describe('generated capacity decisions (the benchmark’s and the round trips’ input)', () => {
  it('hold each of the Act’s exceptions now and then, the same every time, and LPT-I5 reaches each outcome on them', async () => {
    const { generateHistories } = await import('../helpers/generate-histories.js');
    const { withCapacityDecisions } = await import('../helpers/generate-capacity-decisions.js');
    const histories = generateHistories(300);
    const records = withCapacityDecisions(histories);
    expect(withCapacityDecisions(histories)).toEqual(records);
    const decisions = records.flatMap((r) => r.assessments?.flatMap((a) => a.capacityDecisions ?? []) ?? []);
    expect(decisions.some((d) => d.urgent === true && d.kind === 'serious-medical-treatment')).toBe(true);
    expect(decisions.some((d) => d.urgent === true && d.kind === 'accommodation-change')).toBe(true);
    expect(decisions.some((d) => d.underMentalHealthAct === true)).toBe(true);
    expect(new Set(decisions.map((d) => d.accommodationKind).filter((k) => k !== undefined))).toEqual(new Set(['hospital', 'care-home', 'other']));
    expect(decisions.some((d) => d.expectedStayDays === 27) && decisions.some((d) => d.expectedStayDays === 56)).toBe(true);
    expect(decisions.some((d) => d.kind === 'accommodation-change' && d.expectedStayDays === undefined)).toBe(true);
    const messages = new Set(records.flatMap((r) => findings(r, LPT, 'LPT-I5/imca-instructed', '2025-12-31').map((f) => `${f.result}: ${f.message}`)));
    expect([...messages].some((m) => m.startsWith('not-applicable: The stay was expected to last'))).toBe(true);
    expect(messages.has('not-applicable: The treatment had to be given as a matter of urgency.')).toBe(true);
    expect([...messages].some((m) => m.startsWith('pass: ') || m.startsWith('fail: '))).toBe(true);
  });

  it('now and then hold a short stay later expected to last longer, with its day or without, and LPT-I5 reaches each outcome on them', async () => {
    const { generateHistories } = await import('../helpers/generate-histories.js');
    const { withCapacityDecisions } = await import('../helpers/generate-capacity-decisions.js');
    const revised = (r: CtpRecord) => r.assessments?.some((a) => a.capacityDecisions?.some((d) => d.revisedStayDays !== undefined)) === true;
    const records = withCapacityDecisions(generateHistories(1500)).filter(revised);
    const decisions = records.flatMap((r) => r.assessments!.flatMap((a) => a.capacityDecisions ?? [])).filter((d) => d.revisedStayDays !== undefined);
    expect(decisions.every((d) => d.kind === 'accommodation-change' && d.expectedStayDays !== undefined)).toBe(true);
    expect(decisions.some((d) => d.stayRevisedOn !== undefined) && decisions.some((d) => d.stayRevisedOn === undefined)).toBe(true);
    expect(decisions.some((d) => d.revisedStayDays === 27) && decisions.some((d) => d.revisedStayDays === 56)).toBe(true);
    const outcomes = new Set(
      records.flatMap((r) =>
        findings(r, LPT, 'LPT-I5/imca-instructed', '2025-12-31')
          .filter((f) => f.message.startsWith('The stay was later expected'))
          .map((f) => f.result),
      ),
    );
    expect(outcomes).toEqual(new Set(['pass', 'fail', 'cannot-evaluate']));
  });

  it('now and then hold a move to the place of a Deprivation of Liberty Safeguards authorisation, true or false, and LPT-I5 finds the true ones not applicable', async () => {
    const { generateHistories } = await import('../helpers/generate-histories.js');
    const { withCapacityDecisions } = await import('../helpers/generate-capacity-decisions.js');
    const records = withCapacityDecisions(generateHistories(1000));
    const decisions = records.flatMap((r) => r.assessments?.flatMap((a) => a.capacityDecisions ?? []) ?? []).filter((d) => d.dolsAuthorisedPlace !== undefined);
    expect(decisions.every((d) => d.kind === 'accommodation-change' && d.accommodationKind !== 'other')).toBe(true);
    expect(decisions.some((d) => d.dolsAuthorisedPlace === true) && decisions.some((d) => d.dolsAuthorisedPlace === false)).toBe(true);
    const dols = records
      .flatMap((r) => findings(r, LPT, 'LPT-I5/imca-instructed', '2025-12-31'))
      .filter((f) => f.message.includes('Deprivation of Liberty Safeguards'))
      .map((f) => f.result);
    expect(dols.length).toBeGreaterThan(0);
    expect(new Set(dols)).toEqual(new Set(['not-applicable']));
  });
});
