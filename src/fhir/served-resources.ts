/**
 * A record version's transaction Bundle as the resources the facade serves: each entry under its
 * own `Type/id` (a conditional entry, `PUT Patient?identifier=…`, under the id of its fullUrl,
 * which pont derives from the identifier, so every source gives the same one), with references
 * between entries rewritten from `urn:uuid:` to `Type/id`; and the facts about the person that
 * scope and search read (their Patient, registered GP practice, managing organisations).
 *
 * Shared resources (the conditional entries: a person's Patient, an Organization by ODS code)
 * are written by several sources. Each source's newest content is kept apart and the served
 * resource is their merge, the same whatever order they arrived in: the newest content (by
 * extraction time, then source system, then content hash) gives every element, with the
 * identifiers and names of all sources added (an Organization's other names as aliases).
 */
import { createHash } from 'node:crypto';
import type { Bundle, Identifier, Reference, Resource } from '@medplum/fhirtypes';
import { visitReferences } from './bundle.js';

export interface ServedItem {
  readonly resourceType: string;
  readonly id: string;
  /** A conditional entry: the same resource is written by every source. */
  readonly shared: boolean;
  readonly resource: Resource;
  readonly contentHash: string;
}

export interface PersonFacts {
  /** The id of the person's Patient in the Bundle. */
  readonly patientId?: string;
  /** ODS code of the registered GP practice (Patient.generalPractitioner with an ODS identifier). */
  readonly gpPractice?: string;
  /** ODS codes of the organisations managing the person's episodes of care. */
  readonly organizations: readonly string[];
}

/** Types not about one person: never scoped to a person's GP practice or Patient. */
const NOT_ABOUT_A_PERSON = new Set(['Organization', 'Practitioner', 'PractitionerRole', 'Location', 'HealthcareService', 'Endpoint', 'Device', 'Medication', 'Substance']);
export const isAboutAPerson = (resourceType: string): boolean => !NOT_ABOUT_A_PERSON.has(resourceType);

export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

const UUID_URL = /^urn:uuid:([0-9a-fA-F-]{36})$/;

export function servedResources(bundle: Bundle): { readonly items: readonly ServedItem[]; readonly facts: PersonFacts } {
  const identified = (bundle.entry ?? []).flatMap((entry) => {
    const resource = entry.resource;
    const id = resource?.id ?? UUID_URL.exec(entry.fullUrl ?? '')?.[1];
    if (resource === undefined || id === undefined) return [];
    return [{ fullUrl: entry.fullUrl, resource, id, shared: entry.request?.url.includes('?') === true }];
  });
  const byFullUrl = new Map(identified.flatMap((e) => (e.fullUrl === undefined ? [] : [[e.fullUrl, `${e.resource.resourceType}/${e.id}`] as const])));
  const items = identified.map((e): ServedItem => {
    const { meta, ...rest } = visitReferences({ ...e.resource, id: e.id }, (reference) => byFullUrl.get(reference) ?? reference) as Resource;
    const { versionId: _v, lastUpdated: _l, ...ownMeta } = meta ?? {};
    const resource = (Object.keys(ownMeta).length > 0 ? { ...rest, meta: ownMeta } : rest) as Resource;
    return { resourceType: resource.resourceType, id: e.id, shared: e.shared, resource, contentHash: contentHash(resource) };
  });
  const byRef = new Map(items.map((i) => [`${i.resourceType}/${i.id}`, i.resource]));
  const odsOf = (reference: Reference | undefined): string | undefined => {
    const target = reference?.reference === undefined ? undefined : byRef.get(reference.reference);
    const identifiers = target?.resourceType === 'Organization' ? (target.identifier ?? []) : [];
    return identifiers
      .find((i: Identifier) => i.system === ODS_SYSTEM && i.value)
      ?.value?.trim()
      .toUpperCase();
  };
  const patient = items.find((i) => i.resourceType === 'Patient')?.resource;
  const gpPractice = patient?.resourceType === 'Patient' ? (patient.generalPractitioner ?? []).map(odsOf).find((c) => c !== undefined) : undefined;
  const organizations = new Set(
    items.flatMap((i) => (i.resource.resourceType === 'EpisodeOfCare' ? [odsOf(i.resource.managingOrganization)] : [])).filter((c) => c !== undefined),
  );
  return {
    items,
    facts: {
      ...(patient === undefined ? {} : { patientId: patient.id! }),
      ...(gpPractice === undefined ? {} : { gpPractice }),
      organizations: [...organizations].sort(),
    },
  };
}

export interface Contribution {
  readonly resource: Resource;
  readonly sourceSystem: string;
  /** The extraction instant of the record version it came from; null when unreadable (oldest). */
  readonly extractedMs: number | null;
  readonly contentHash: string;
}

/** Orders contributions oldest first: extraction time (unknown first), source system, content hash. */
export function compareContributions(a: Contribution, b: Contribution): number {
  const ta = a.extractedMs ?? Number.NEGATIVE_INFINITY;
  const tb = b.extractedMs ?? Number.NEGATIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return compareText(a.sourceSystem, b.sourceSystem) || compareText(a.contentHash, b.contentHash);
}

/** The served resource of a shared one: the newest contribution, with every source's identifiers and names. */
export function mergeContributions(contributions: readonly Contribution[]): Resource {
  if (contributions.length === 0) throw new RangeError('a shared resource needs at least one contribution');
  const newestFirst = [...contributions].sort(compareContributions).reverse();
  const base = newestFirst[0]!.resource as unknown as Record<string, unknown>;
  // Sources in name order, so that which one is newest moves no identifier.
  const bySource = [...contributions]
    .sort((a, b) => compareText(a.sourceSystem, b.sourceSystem) || compareText(a.contentHash, b.contentHash))
    .map((c) => c.resource as unknown as Record<string, unknown>);
  const merged: Record<string, unknown> = { ...base };
  const identifier = unionBy(
    bySource.flatMap((r) => (r.identifier as unknown[] | undefined) ?? []),
    (i) => `${(i as Identifier).system ?? ''}|${(i as Identifier).value ?? ''}`,
  );
  if (identifier.length > 0) merged.identifier = identifier;
  if (typeof base.name === 'string') {
    const alias = unionBy(
      bySource.flatMap((r) => [...(typeof r.name === 'string' ? [r.name] : []), ...((r.alias as string[] | undefined) ?? [])]),
      String,
    ).filter((a) => a !== base.name);
    if (alias.length > 0) merged.alias = alias;
  } else {
    const name = unionBy(
      bySource.flatMap((r) => (Array.isArray(r.name) ? r.name : [])),
      canonicalJson,
    );
    if (name.length > 0) merged.name = name;
  }
  return merged as unknown as Resource;
}

/** A hash of the resource's content that does not depend on the order of its keys. */
export function contentHash(resource: Resource): string {
  return createHash('sha256').update(canonicalJson(resource)).digest('hex');
}

/**
 * JSON with every object's keys in order: array-index keys first in numeric order, then the rest by
 * code unit (the order JSON.stringify gives an object rebuilt from sorted entries), written
 * directly rather than by copying every object.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value);
  const object = value as Record<string, unknown>;
  let out = '';
  for (const k of sortedKeys(object)) {
    const v = object[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out += `${out === '' ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `{${out}}`;
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/** Object.keys lists array-index keys first, in numeric order: only the rest need sorting (by code unit, sort's default). */
function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  let indices = 0;
  while (indices < keys.length && ARRAY_INDEX.test(keys[indices]!) && Number(keys[indices]) < 4_294_967_295) indices++;
  return indices === 0 ? keys.sort() : [...keys.slice(0, indices), ...keys.slice(indices).sort()];
}

function unionBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
