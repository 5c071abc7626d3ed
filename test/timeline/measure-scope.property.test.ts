/**
 * A care plan that is not a Care and Treatment Plan is outside the Measure: marking plans
 * "other" gives the same compliance verdicts and the same measure figures as leaving those
 * plans (and their reviews) out of the record, and an all-CTP record is untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ctpValid } from '../../src/measures/definitions/ctp-valid.js';
import { reviewWithin12Months } from '../../src/measures/definitions/review-within-12-months.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { withinMeasure } from '../../src/timeline/measure-scope.js';
import { engine } from '../compliance/helpers.js';
import { evaluate } from '../measures/helpers.js';
import { historyArbitrary } from './arbitraries.js';

const verdicts = (record: CtpRecord, asOf: string) =>
  engine()
    .evaluate(record, { asOf, pack: 'wales-measure' })
    .findings.map((f) => `${f.ruleId}/${f.check} ${f.result} ${f.severity}`)
    .sort();

const figures = (record: CtpRecord, asOf: string) =>
  [ctpValid, reviewWithin12Months].flatMap((d) => evaluate(d, record, [asOf.slice(0, 7)], asOf).map((i) => `${d.id} ${i.populations.join('+')}`)).sort();

describe('plans outside the Measure', () => {
  it('count for nothing: marked "other" is the same as left out', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.integer({ min: 0, max: 7 }), ({ record, asOf }, pick) => {
        const planIds = [...new Set((record.plans ?? []).map((p) => p.planId))];
        fc.pre(planIds.length > 0);
        const outside = planIds[pick % planIds.length]!;
        const marked = structuredClone(record);
        for (const p of marked.plans ?? []) if (p.planId === outside) p.kind = 'other';
        const left = structuredClone(record);
        left.plans = left.plans?.filter((p) => p.planId !== outside);
        if (left.plans?.length === 0) delete left.plans;
        left.reviews = left.reviews?.filter((r) => r.plan !== outside);
        if (left.reviews?.length === 0) delete left.reviews;
        expect(verdicts(marked, asOf)).toEqual(verdicts(left, asOf));
        expect(figures(marked, asOf)).toEqual(figures(left, asOf));
      }),
      { numRuns: 25 },
    );
  });

  it('leave a record of Care and Treatment Plans as it is', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ record }) => {
        expect(withinMeasure(record)).toBe(record);
      }),
      { numRuns: 10 },
    );
  });
});

describe('findings about a plan among plans outside the Measure', () => {
  it('name the plan where the sender put it', () => {
    fc.assert(
      fc.property(historyArbitrary, ({ record, asOf }) => {
        fc.pre((record.plans?.length ?? 0) > 0);
        const foreign = { ...structuredClone(record.plans![0]!), id: 'foreign-v1', planId: 'foreign', kind: 'other' as const };
        const mixed = { ...structuredClone(record), plans: [foreign, ...structuredClone(record.plans!)] };
        const shift = (location: string) => location.replace(/^plans\[(\d+)\]/, (_m, i: string) => `plans[${Number(i) + 1}]`);
        const expected = engine()
          .evaluate(record, { asOf, pack: 'wales-measure' })
          .findings.map((f) => `${f.ruleId}/${f.check} ${f.result} ${shift(f.location ?? '')}`)
          .sort();
        const got = engine()
          .evaluate(mixed, { asOf, pack: 'wales-measure' })
          .findings.map((f) => `${f.ruleId}/${f.check} ${f.result} ${f.location ?? ''}`)
          .sort();
        expect(got).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });
});
