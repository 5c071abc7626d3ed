/** Shingles, MinHash and LSH: the laws of Jaccard similarity, and the search finding planted copies and nothing else. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jaccard, shingleSimilarity, shingles, similarGroups } from '../../src/quality/similarity.js';
import { textGenerator } from './plan-text-generator.js';

const LSH = { bands: 16, rows: 8 };
const sentence = fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 40 }).map((w) => w.join(' '));

describe('Jaccard similarity of shingle sets', () => {
  it('is 1 for a text with itself, symmetric, and between 0 and 1', () => {
    fc.assert(
      fc.property(sentence, sentence, (a, b) => {
        const [sa, sb] = [shingles(a), shingles(b)];
        expect(jaccard(sa, sa)).toBe(1);
        expect(jaccard(sa, sb)).toBe(jaccard(sb, sa));
        expect(jaccard(sa, sb)).toBeGreaterThanOrEqual(0);
        expect(jaccard(sa, sb)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('ignores case, spacing and punctuation', () => {
    fc.assert(
      fc.property(sentence, (a) => {
        expect(shingleSimilarity(a, `  ${a.toUpperCase().replaceAll(' ', ' ,  ')}. `)).toBe(1);
      }),
    );
  });

  it('falls as more words are changed', () => {
    const gen = textGenerator(7);
    const text = gen.plan(80);
    expect(shingleSimilarity(text, gen.edited(text, 1))).toBeGreaterThan(shingleSimilarity(text, gen.edited(text, 20)));
  });
});

describe('near-duplicate groups (MinHash and LSH)', () => {
  it('finds every planted copy among 3,000 distinct plans and pairs no two distinct plans', () => {
    const gen = textGenerator(2026);
    const distinct = Array.from({ length: 3000 }, () => gen.plan(60));
    const planted = [5, 99, 1234, 2999].map((original) => ({ original, copy: gen.edited(distinct[original]!, 1) }));
    const texts = [...distinct, ...planted.map((p) => p.copy)];
    const groups = similarGroups(
      texts.map((t) => shingles(t)),
      0.8,
      LSH,
    );
    expect(groups).toEqual(planted.map((p, i) => [p.original, distinct.length + i]).sort((a, b) => a[0]! - b[0]!));
  });

  it('puts exact copies of one text together whatever their number, and nothing else with them (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 0, max: 30 }), (seed, copies, others) => {
        const gen = textGenerator(seed);
        const template = gen.plan(40);
        const texts = [...Array.from({ length: others }, () => gen.plan(40)), ...Array.from({ length: copies }, () => template)];
        const groups = similarGroups(
          texts.map((t) => shingles(t)),
          0.8,
          LSH,
        );
        expect(groups).toEqual([Array.from({ length: copies }, (_, i) => others + i)]);
      }),
      { numRuns: 40 },
    );
  });

  it('links no pair below the threshold, since every link is confirmed on its exact similarity (property)', () => {
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 2, maxLength: 30 }), (texts) => {
        const sets = texts.map((t) => shingles(t));
        for (const group of similarGroups(sets, 0.9, LSH)) {
          // Each member is linked to some other member at 0.9 or more.
          for (const i of group) expect(group.some((j) => j !== i && jaccard(sets[i]!, sets[j]!) >= 0.9)).toBe(true);
        }
      }),
    );
  });
});
