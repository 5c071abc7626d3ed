import { describe, expect, it } from 'vitest';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';

describe('lossless round trip: record → FHIR → record', () => {
  const { pipeline } = testRuntime();
  for (const example of exampleFiles()) {
    it(`${example.path} comes back exactly`, () => {
      const results = pipeline.convert(example.source, example.text, example.path);
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) {
        expect(r.record, JSON.stringify(r.issues)).toBeDefined();
        expect(r.bundle, JSON.stringify(r.issues)).toBeDefined();
        const back = pipeline.reverse(JSON.stringify(r.bundle), `${example.path} (bundle)`);
        expect(back.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(back.record).toEqual(r.record);
      }
    });
  }
});

describe('lossless round trip of the compliance test record and its variants', () => {
  const { pipeline } = testRuntime();
  it('keeps a review refused on a ground the Code does not allow', async () => {
    const { compliantRecord, variant } = await import('../compliance/helpers.js');
    const record = variant((r) => {
      r.reviews = [{ id: 'rq', plan: 'plan', trigger: 'request', request: { receivedOn: '2025-03-03', requestedBy: 'patient', decision: 'refused-other', decisionReason: 'R' } }];
    }, compliantRecord());
    const bundle = pipeline.toBundle(record).bundle;
    expect(bundle).toBeDefined();
    expect(pipeline.reverse(JSON.stringify(bundle), 'bundle').record).toEqual(record);
  });
});
