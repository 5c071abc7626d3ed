/** Medicines, physical health checks and outcome measures in the record: what the schema refuses and what the integrity checks name. */
import { describe, expect, it } from 'vitest';
import { checkIntegrity } from '../../src/record/integrity.js';
import { type CtpRecord, recordSchema } from '../../src/record/record.schema.js';
import { compliantRecord } from '../compliance/helpers.js';

const withEvidence = (change: (r: CtpRecord) => void = () => {}): CtpRecord => {
  const r = structuredClone(compliantRecord());
  r.medications = [
    {
      id: 'med-1',
      name: 'Testapine depot',
      class: 'antipsychotic',
      depot: true,
      start: '2025-01-10',
      prescriber: 'cc',
      episode: 'ep',
      reviews: [{ on: '2025-06-01', by: 'cc', nextReviewOn: '2026-06-01' }],
      administrations: [{ at: '2025-06-15T10:00:00+01:00', by: 'cc' }],
    },
  ];
  r.physicalHealthChecks = [
    { id: 'ph-1', kind: 'blood-pressure', date: '2025-01-12', value: 162, unit: 'mmHg', abnormal: true, gpInformedOn: '2025-01-14', by: 'cc', episode: 'ep' },
    { id: 'ph-2', kind: 'ecg', date: '2025-01-12', declined: true },
  ];
  r.outcomeMeasures = [{ id: 'om-1', tool: 'dialog', date: '2025-01-20', score: 4.5, domains: [{ domain: 'physical-health', score: 5 }], by: 'cc', episode: 'ep' }];
  change(r);
  return r;
};
const problems = (r: CtpRecord) => checkIntegrity(r).map((i) => i.expression?.[0]);
const refused = (r: CtpRecord) => {
  const parsed = recordSchema.safeParse(r);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
};

describe('physical health, medication and outcome measures in the record', () => {
  it('are a valid record whose references resolve', () => {
    const r = withEvidence();
    expect(refused(r)).toEqual([]);
    expect(problems(r)).toEqual([]);
  });

  it('name unknown practitioners and episodes, repeated ids and a medicine stopped before it started', () => {
    const r = withEvidence((x) => {
      const m = x.medications![0]!;
      Object.assign(m, { prescriber: 'nobody', end: '2025-01-01' });
      m.reviews![0]!.by = 'nobody';
      m.administrations![0]!.by = 'nobody';
      x.physicalHealthChecks![1]!.id = 'ph-1';
      x.outcomeMeasures![0]!.episode = 'ep-9';
    });
    expect(problems(r).sort()).toEqual(
      [
        'medications[0].administrations[0].by',
        'medications[0].end',
        'medications[0].prescriber',
        'medications[0].reviews[0].by',
        'outcomeMeasures[0].episode',
        'physicalHealthChecks[1].id',
      ].sort(),
    );
  });

  it('refuse a declined check holding a value or unit, a DIALOG rating that is not a whole number, and an empty list', () => {
    expect(refused(withEvidence((x) => Object.assign(x.physicalHealthChecks![1]!, { value: 1 })))).toEqual(['physicalHealthChecks.1.declined']);
    expect(refused(withEvidence((x) => Object.assign(x.physicalHealthChecks![1]!, { unit: 'mV' })))).toEqual(['physicalHealthChecks.1.declined']);
    expect(refused(withEvidence((x) => void (x.outcomeMeasures![0]!.domains![0]!.score = 4.5)))).toEqual(['outcomeMeasures.0.domains.0.score']);
    expect(refused(withEvidence((x) => void (x.medications![0]!.reviews = [])))).toEqual(['medications.0.reviews']);
  });

  it('hold what a source holds that pont has no code for as "other", and a medicine known by neither name nor code', () => {
    const r = withEvidence((x) => {
      x.medications!.push({ id: 'med-2', class: 'other' });
      x.physicalHealthChecks![0]!.kind = 'other';
      x.outcomeMeasures![0]!.tool = 'other';
    });
    expect(refused(r)).toEqual([]);
    expect(problems(r)).toEqual([]);
  });
});
