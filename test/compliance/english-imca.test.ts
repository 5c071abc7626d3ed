/** LPT-I5: an Independent Mental Capacity Advocate for a person who lacks capacity and has no one appropriate to consult. */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { testRuntime } from '../helpers/runtime.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { variant } from './helpers.js';

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
      ]),
  );

  it('are capacity-decision extensions on the assessment’s ClinicalImpression, and come back exactly (a false and absent facts included)', () => {
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
    ]);
    expect(pipeline.reverse(JSON.stringify(bundle), 'bundle').record).toEqual(record);
  });
});
