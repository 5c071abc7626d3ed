import { describe, expect, it } from 'vitest';
import { effectiveCounts, emptyCounts, type PopulationCounts, proportionScore } from '../../src/measures/score.js';

describe('proportion scorer', () => {
  it('scores the HL7 IGProportion summary test vector as 0.5', () => {
    const counts: PopulationCounts = {
      'initial-population': 7,
      denominator: 6,
      'denominator-exclusion': 1,
      numerator: 3,
      'numerator-exclusion': 1,
      'denominator-exception': 1,
    };
    expect(effectiveCounts(counts)).toEqual({ numerator: 2, denominator: 4 });
    expect(proportionScore(counts)).toBe(0.5);
  });

  it('gives no score when every denominator member is excluded or excepted', () => {
    expect(proportionScore(emptyCounts())).toBeUndefined();
    expect(proportionScore({ ...emptyCounts(), 'initial-population': 2, denominator: 2, 'denominator-exclusion': 1, 'denominator-exception': 1 })).toBeUndefined();
  });

  it('scores 1 when everyone left is in the numerator', () => {
    expect(proportionScore({ ...emptyCounts(), 'initial-population': 3, denominator: 3, 'denominator-exclusion': 1, numerator: 2 })).toBe(1);
  });
});
