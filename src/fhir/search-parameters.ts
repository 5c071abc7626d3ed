/**
 * What the FHIR facade serves and how each resource is searched: the resource types, the search
 * parameters each supports (the CapabilityStatement is generated from this table, so it says
 * what works), and how a resource's values for them are read when it is stored. Parameters
 * common to every type: `_id`, `_lastUpdated`, and `organization` (alias `organisation`): the ODS
 * code of an organisation managing one of the person's episodes of care in the record version
 * the resource came from.
 */
import type { CodeableConcept, Identifier, Resource } from '@medplum/fhirtypes';
import { periodRange, type TimeRange, timeRange } from './date-range.js';

export type SearchParamType = 'token' | 'reference' | 'date';

/** The columns of the store a parameter is answered from. */
export type SearchField = 'id' | 'lastUpdated' | 'patient' | 'identifier' | 'status' | 'category' | 'date' | 'organization';

export interface SearchParamDefinition {
  readonly name: string;
  readonly type: SearchParamType;
  readonly field: SearchField;
  readonly documentation: string;
}

type Json = Record<string, unknown>;

interface TypeDefinition {
  readonly hasIdentifier: boolean;
  /** Whether the resource is about one person (every type served but Patient has `patient`). */
  readonly patient: boolean;
  readonly status?: { readonly documentation: string; readonly read: (r: Json) => string | undefined };
  readonly category?: { readonly documentation: string; readonly read: (r: Json) => readonly CodeableConcept[] };
  readonly date?: { readonly documentation: string; readonly read: (r: Json) => TimeRange | undefined };
}

const code = (path: string) => (r: Json) => (typeof r[path] === 'string' ? (r[path] as string) : undefined);
const concepts = (path: string) => (r: Json) => (Array.isArray(r[path]) ? (r[path] as CodeableConcept[]) : r[path] !== undefined ? [r[path] as CodeableConcept] : []);
const period = (path: string) => (r: Json) => periodRange(r[path] as { start?: string; end?: string } | undefined);
const instant = (path: string) => (r: Json) => (typeof r[path] === 'string' ? timeRange(r[path] as string) : undefined);

/** The span of a Goal's targets' due dates. */
const dueDates = (r: Json): TimeRange | undefined => {
  const ranges = ((r.target as { dueDate?: string }[] | undefined) ?? [])
    .flatMap((t) => (t.dueDate === undefined ? [] : [timeRange(t.dueDate)]))
    .filter((x) => x !== undefined);
  return ranges.length === 0 ? undefined : { start: Math.min(...ranges.map((x) => x.start)), end: Math.max(...ranges.map((x) => x.end)) };
};

const STATUS = (type: string, element = 'status') => ({ documentation: `${type}.${element}`, read: code(element) });
const PERIOD = (type: string) => ({ documentation: `${type}.period: the period overlaps, or lies within, the range given`, read: period('period') });

/** The resource types served, with what each can be searched by. */
const TYPES: Readonly<Record<string, TypeDefinition>> = {
  Patient: { hasIdentifier: true, patient: false },
  CarePlan: {
    hasIdentifier: true,
    patient: true,
    status: STATUS('CarePlan'),
    category: { documentation: 'CarePlan.category', read: concepts('category') },
    date: PERIOD('CarePlan'),
  },
  Goal: {
    hasIdentifier: true,
    patient: true,
    status: STATUS('Goal', 'lifecycleStatus'),
    category: { documentation: 'Goal.category', read: concepts('category') },
    date: { documentation: 'Goal.target.dueDate: the span from the earliest due date to the latest', read: dueDates },
  },
  CareTeam: {
    hasIdentifier: true,
    patient: true,
    status: STATUS('CareTeam'),
    category: { documentation: 'CareTeam.category', read: concepts('category') },
    date: PERIOD('CareTeam'),
  },
  EpisodeOfCare: {
    hasIdentifier: true,
    patient: true,
    status: STATUS('EpisodeOfCare'),
    // No category: pont's EpisodeOfCare.type is the team's name as text, never a code.
    date: PERIOD('EpisodeOfCare'),
  },
  Condition: {
    hasIdentifier: true,
    patient: true,
    status: { documentation: 'Condition.clinicalStatus (its code)', read: (r) => (r.clinicalStatus as CodeableConcept | undefined)?.coding?.[0]?.code },
    category: { documentation: 'Condition.category', read: concepts('category') },
    date: { documentation: 'Condition.recordedDate', read: instant('recordedDate') },
  },
  Encounter: {
    hasIdentifier: true,
    patient: true,
    status: STATUS('Encounter'),
    category: { documentation: 'Encounter.type', read: concepts('type') },
    date: PERIOD('Encounter'),
  },
  Communication: {
    hasIdentifier: true,
    patient: true,
    status: STATUS('Communication'),
    category: { documentation: 'Communication.category', read: concepts('category') },
    date: { documentation: 'Communication.sent', read: instant('sent') },
  },
  ServiceRequest: {
    hasIdentifier: true,
    patient: true,
    status: STATUS('ServiceRequest'),
    // Part 3 requests and referrals carry their kind in code and no category; a place on a
    // waiting list carries its list in category.
    category: { documentation: 'ServiceRequest.category', read: concepts('category') },
    date: { documentation: 'ServiceRequest.authoredOn', read: instant('authoredOn') },
  },
  MeasureReport: {
    hasIdentifier: true,
    patient: true,
    status: STATUS('MeasureReport'),
    date: { documentation: 'MeasureReport.date', read: instant('date') },
  },
  Provenance: { hasIdentifier: false, patient: true, date: { documentation: 'Provenance.recorded', read: instant('recorded') } },
};

export const SERVED_TYPES: readonly string[] = Object.keys(TYPES);

export const isServedType = (type: string): boolean => Object.hasOwn(TYPES, type);

/** The UK spelling, accepted as the same parameter (not advertised separately). */
export const PARAMETER_ALIASES: Readonly<Record<string, string>> = { organisation: 'organization' };

/** The search parameters a served type supports, in the order the CapabilityStatement lists them. */
export function searchParameters(type: string): readonly SearchParamDefinition[] {
  const t = TYPES[type];
  if (t === undefined) return [];
  const params: SearchParamDefinition[] = [
    { name: '_id', type: 'token', field: 'id', documentation: 'the logical id; several, comma-separated, match any' },
    { name: '_lastUpdated', type: 'date', field: 'lastUpdated', documentation: 'when pont stored this version (prefixes eq, gt, ge, lt, le)' },
  ];
  if (t.patient) params.push({ name: 'patient', type: 'reference', field: 'patient', documentation: 'the person the resource is about: Patient/{id} or {id}' });
  if (t.hasIdentifier) params.push({ name: 'identifier', type: 'token', field: 'identifier', documentation: 'system|value, |value (no system), system| or value' });
  if (t.status !== undefined) params.push({ name: 'status', type: 'token', field: 'status', documentation: t.status.documentation });
  if (t.category !== undefined)
    params.push({ name: 'category', type: 'token', field: 'category', documentation: `${t.category.documentation}: system|code, system| or code` });
  if (t.date !== undefined) params.push({ name: 'date', type: 'date', field: 'date', documentation: `${t.date.documentation} (prefixes eq, gt, ge, lt, le)` });
  params.push({
    name: 'organization',
    type: 'token',
    field: 'organization',
    documentation:
      'ODS code (or https://fhir.nhs.uk/Id/ods-organization-code|code) of an organisation managing one of the person’s episodes of care; also accepted as `organisation`',
  });
  return params;
}

/** A resource's values for the search parameters, as the store indexes them. */
export interface IndexFields {
  /** `system|value`, `system|` and `value` of each identifier (`|value` when it has no system). */
  readonly identifiers: readonly string[];
  readonly status?: string;
  /** The same forms for each coding of the category. */
  readonly categories: readonly string[];
  readonly date?: TimeRange;
}

export function indexFields(resource: Resource): IndexFields {
  const r = resource as unknown as Json;
  const t = TYPES[resource.resourceType];
  const identifiers = Array.isArray(r.identifier) ? (r.identifier as Identifier[]).flatMap((i) => tokenForms(i.system, i.value)) : [];
  const status = t?.status?.read(r);
  const categories = (t?.category?.read(r) ?? []).flatMap((c) => (c.coding ?? []).flatMap((coding) => tokenForms(coding.system, coding.code)));
  const date = t?.date?.read(r);
  return {
    identifiers: [...new Set(identifiers)],
    ...(status === undefined ? {} : { status }),
    categories: [...new Set(categories)],
    ...(date === undefined ? {} : { date }),
  };
}

function tokenForms(system: string | undefined, value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  return system === undefined || system === '' ? [`|${value}`, value] : [`${system}|${value}`, `${system}|`, value];
}
