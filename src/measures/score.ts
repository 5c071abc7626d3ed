/**
 * Proportion scoring as FHIR defines it for a Measure with scoring `proportion`:
 * (numerator − numerator-exclusion) / (denominator − denominator-exclusion − denominator-exception).
 */

export const MEASURE_POPULATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-population';

export const populationCodes = ['initial-population', 'denominator', 'denominator-exclusion', 'denominator-exception', 'numerator', 'numerator-exclusion'] as const;
export type PopulationCode = (typeof populationCodes)[number];

export type PopulationCounts = Record<PopulationCode, number>;

export function emptyCounts(): PopulationCounts {
  return { 'initial-population': 0, denominator: 0, 'denominator-exclusion': 0, 'denominator-exception': 0, numerator: 0, 'numerator-exclusion': 0 };
}

export function addCounts(into: PopulationCounts, populations: readonly PopulationCode[]): void {
  for (const code of populations) into[code] += 1;
}

/** The numerator and denominator the score is the ratio of. */
export function effectiveCounts(c: PopulationCounts): { numerator: number; denominator: number } {
  return {
    numerator: c.numerator - c['numerator-exclusion'],
    denominator: c.denominator - c['denominator-exclusion'] - c['denominator-exception'],
  };
}

/** The score in [0, 1], or undefined when nobody is left in the denominator. */
export function proportionScore(c: PopulationCounts): number | undefined {
  const { numerator, denominator } = effectiveCounts(c);
  return denominator > 0 ? numerator / denominator : undefined;
}
