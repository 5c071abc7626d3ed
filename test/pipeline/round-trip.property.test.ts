/**
 * record → FHIR → record is the identity, for generated records (test/helpers/arbitraries.ts:
 * the examples with generated text, dates, optional parts and list lengths), and the Bundle on
 * the way is valid on pont's profiles: the record schema and the profiles agree (profiles/README.md,
 * "Record schema and profiles").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ctpRecord } from '../helpers/arbitraries.js';
import { testRuntime } from '../helpers/runtime.js';

describe('lossless round trip of generated records (property)', () => {
  const { pipeline } = testRuntime();

  it('gives back exactly the record it was given', () => {
    fc.assert(
      fc.property(ctpRecord(), (record) => {
        const forward = pipeline.toBundle(record);
        expect(forward.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(forward.bundle).toBeDefined();
        const back = pipeline.reverse(JSON.stringify(forward.bundle), 'generated bundle');
        expect(back.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(back.record).toEqual(record);
      }),
      { numRuns: 50 },
    );
  });
});
