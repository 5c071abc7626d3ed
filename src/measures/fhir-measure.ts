/**
 * The FHIR R4 Measure resource for a measure definition: proportion scoring, one group whose
 * populations carry their criteria as plain-language Expressions, the stratifier, and a canonical
 * URL under pont's base. Written to profiles/measures/ by `npm run measures:build`.
 */
import type { Expression, Measure, MeasureGroupPopulation } from '@medplum/fhirtypes';
import { computableName, PONT_BASE, PUBLISHER } from '../profiles/canonical.js';
import type { MeasureDefinition, Stratifier } from './measure.js';
import { MEASURE_POPULATION_SYSTEM, populationCodes } from './score.js';

export const MEASURE_VERSION = '0.1.0';
export const measureUrl = (id: string): string => `${PONT_BASE}/Measure/${id}`;

/**
 * The criteria are TypeScript (src/measures/definitions/), described in words. R4 binds
 * Expression.language extensibly, so a plain-text language is allowed; medplum's types list
 * only the three example languages.
 */
const PLAIN_TEXT = 'text/plain' as Expression['language'];

const populationDisplay: Record<string, string> = {
  'initial-population': 'Initial Population',
  denominator: 'Denominator',
  'denominator-exclusion': 'Denominator Exclusion',
  'denominator-exception': 'Denominator Exception',
  numerator: 'Numerator',
  'numerator-exclusion': 'Numerator Exclusion',
};

export const stratifierDescriptions: Record<Stratifier, string> = {
  'age-group': 'Age group on the day the item is counted: under-18, 18-and-over, or unknown when no date of birth is recorded.',
  priority: 'Priority of the Part 3 request: emergency, urgent, routine, or unknown when not recorded.',
  team: 'The team of the person’s latest active episode, as the record names it, or unknown when not recorded.',
};

export function populationCoding(code: string) {
  return { coding: [{ system: MEASURE_POPULATION_SYSTEM, code, display: populationDisplay[code] }] };
}

export function buildMeasureResource(def: MeasureDefinition): Measure {
  const population = populationCodes.flatMap((code): MeasureGroupPopulation[] => {
    const text = def.criteria[code];
    return text === undefined ? [] : [{ code: populationCoding(code), criteria: { language: PLAIN_TEXT, description: text, expression: code } }];
  });
  return {
    resourceType: 'Measure',
    id: def.id,
    url: measureUrl(def.id),
    version: MEASURE_VERSION,
    name: computableName(def.id),
    title: def.title,
    status: 'draft',
    experimental: false,
    publisher: PUBLISHER,
    description: def.description,
    scoring: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-scoring', code: 'proportion', display: 'Proportion' }] },
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-type', code: 'process', display: 'Process' }] }],
    improvementNotation: improvementNotation(def),
    guidance: def.clock + (def.target === undefined ? '' : ` Target: ${Math.round(def.target * 100)}%.`),
    group: [
      {
        population,
        stratifier: [{ code: { text: def.stratifier }, description: stratifierDescriptions[def.stratifier], criteria: { language: PLAIN_TEXT, expression: def.stratifier } }],
      },
    ],
  };
}

/** Whether a higher or a lower score is better, as FHIR codes it. */
export function improvementNotation(def: Pick<MeasureDefinition, 'improvement'>) {
  return def.improvement === 'decrease'
    ? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'decrease', display: 'Decreased score indicates improvement' }] }
    : { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'increase', display: 'Increased score indicates improvement' }] };
}
