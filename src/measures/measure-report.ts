/**
 * FHIR R4 MeasureReports: `summary` per measure, month and organisation (health board or local
 * authority of residence), with population counts, score and strata; `individual` per person,
 * measure and month, whose subject is a conditional reference by NHS number (never a name) and
 * whose items carry the reason they were counted as they were.
 */
import type { Bundle, Extension, MeasureReport, MeasureReportGroupPopulation, Organization, Patient, Reference } from '@medplum/fhirtypes';
import { deterministicUuid } from '../fhir/ids.js';
import { PONT_BASE } from '../profiles/canonical.js';
import type { IsoDate } from '../time/dates.js';
import type { OrganisationLevel, PersonResult, PlacedItem, Tally } from './evaluate.js';
import { measureUrl, populationCoding } from './fhir-measure.js';
import type { MeasureDefinition } from './measure.js';
import { lastDayOf } from './period.js';
import { addCounts, emptyCounts, type PopulationCounts, populationCodes, proportionScore } from './score.js';
import { UNKNOWN } from './strata.js';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const SOURCE_RECORD_SYSTEM = `${PONT_BASE}/Id/source-record`;
export const MEASURE_ITEM_EXTENSION = `${PONT_BASE}/StructureDefinition/measure-item`;

const organisationSystems: Record<OrganisationLevel, string> = {
  'health-board': 'https://fhir.nhs.uk/Id/ods-organization-code',
  'local-authority': `${PONT_BASE}/Id/ons-area-code`,
};

const IMPROVEMENT_INCREASE = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'increase' }] };
const IMPROVEMENT_DECREASE = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'decrease' }] };

function populations(counts: PopulationCounts): MeasureReportGroupPopulation[] {
  return populationCodes.map((code) => ({ code: populationCoding(code), count: counts[code] }));
}

function score(counts: PopulationCounts): { measureScore?: { value: number } } {
  const value = proportionScore(counts);
  return value === undefined ? {} : { measureScore: { value: Number(value.toFixed(6)) } };
}

function header(def: MeasureDefinition, month: string, asOf: IsoDate, idKey: string) {
  return {
    resourceType: 'MeasureReport' as const,
    id: deterministicUuid(`MeasureReport|${def.id}|${month}|${asOf}|${idKey}`),
    status: 'complete' as const,
    measure: measureUrl(def.id),
    date: asOf,
    period: { start: `${month}-01`, end: lastDayOf(month) },
    improvementNotation: def.improvement === 'decrease' ? IMPROVEMENT_DECREASE : IMPROVEMENT_INCREASE,
  };
}

export function summaryReport(def: MeasureDefinition, tally: Tally, asOf: IsoDate): MeasureReport {
  const org = tally.organisation;
  const reporter: Reference<Organization> =
    org.code === UNKNOWN ? { display: org.name } : { identifier: { system: organisationSystems[tally.level], value: org.code }, display: org.name };
  return {
    ...header(def, tally.month, asOf, `summary|${tally.level}|${org.code}`),
    type: 'summary',
    reporter,
    group: [
      {
        population: populations(tally.total),
        ...score(tally.total),
        stratifier: [
          {
            code: [{ text: def.stratifier }],
            stratum: [...tally.strata].map(([value, counts]) => ({ value: { text: value }, population: populations(counts), ...score(counts) })),
          },
        ],
      },
    ],
  };
}

/** The individual reports of one person's result, one per month with items. */
export function individualReports(result: PersonResult, asOf: IsoDate): MeasureReport[] {
  const { person, measure } = result;
  const subject: Reference<Patient> = person.nhsNumber
    ? { reference: `Patient?identifier=${NHS_NUMBER_SYSTEM}|${person.nhsNumber}` }
    : { identifier: { system: SOURCE_RECORD_SYSTEM, value: `${person.source.system}|${person.source.recordId}` } };
  const byMonth = new Map<string, PlacedItem[]>();
  for (const item of result.items) byMonth.set(item.month, [...(byMonth.get(item.month) ?? []), item]);
  return [...byMonth].map(([month, items]) => {
    const counts = emptyCounts();
    for (const i of items) addCounts(counts, i.populations);
    return {
      ...header(measure, month, asOf, `individual|${person.source.system}|${person.source.recordId}`),
      type: 'individual',
      subject,
      group: [{ extension: items.map(itemExtension), population: populations(counts), ...score(counts) }],
    };
  });
}

function itemExtension(item: PlacedItem): Extension {
  return {
    url: MEASURE_ITEM_EXTENSION,
    extension: [
      { url: 'item', valueString: item.subject },
      { url: 'on', valueDate: item.on },
      { url: 'stratum', valueString: item.stratum },
      ...item.populations.map((code) => ({ url: 'population', valueCode: code })),
      { url: 'reason', valueString: item.reason },
    ],
  };
}

export function reportBundle(reports: readonly MeasureReport[], asOf: IsoDate, key: string): Bundle {
  return {
    resourceType: 'Bundle',
    id: deterministicUuid(`Bundle|measure-reports|${asOf}|${key}`),
    type: 'collection',
    entry: reports.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}
