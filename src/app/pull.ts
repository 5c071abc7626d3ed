/**
 * Pulling a FHIR source: what changed since the source's cursor (`_lastUpdated`, every type pont
 * reads, following `next` links), gathered per person (the Patient, the resources about them, and
 * the practitioners, roles and organisations those refer to), and ingested as one FHIR message per
 * person, exactly as a pushed message would be. The cursor moves only after every person's message
 * was handled, so a pull that fails half-way is repeated, and a repeat costs nothing: the same
 * content from the same source is the same message. Resources pont itself wrote into the source
 * for another system (its origin marker) are not taken back as the source's own changes.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { referencesIn } from '../fhir/bundle.js';
import type { Clock } from '../ports/clock.js';
import type { CursorStore, FhirReader } from '../ports/fhir-reader.js';
import type { IngestResult } from './sync.js';

/** The types pont reads about a person, with the search parameter that finds a person's. */
export const PERSON_TYPES: readonly (readonly [type: string, byPatient: string])[] = [
  ['CarePlan', 'subject'],
  ['CareTeam', 'subject'],
  ['EpisodeOfCare', 'patient'],
  ['Condition', 'subject'],
  ['Encounter', 'subject'],
  ['Goal', 'subject'],
  ['RelatedPerson', 'patient'],
  ['ServiceRequest', 'subject'],
  ['Task', 'patient'],
  ['Communication', 'subject'],
  ['ClinicalImpression', 'subject'],
  ['DetectedIssue', 'patient'],
  ['Consent', 'patient'],
  ['RiskAssessment', 'subject'],
  ['AdverseEvent', 'subject'],
  ['Flag', 'subject'],
  ['MedicationStatement', 'subject'],
  ['Observation', 'subject'],
];

/** Resources a person's resources refer to that pont also reads (followed two steps). */
const REFERRED_TYPES = new Set(['Practitioner', 'PractitionerRole', 'Organization']);

export interface PullDeps {
  readonly reader: FhirReader;
  readonly cursors: CursorStore;
  readonly clock: Clock;
  /** The ingest use case (src/app/sync.ts), bound to its dependencies. */
  readonly ingest: (message: { readonly source: string; readonly format: string; readonly payload: Uint8Array }) => Promise<IngestResult>;
  /**
   * What pont wrote of a resource into this system when it was a target (the ledger): the version
   * id the system gave pont's write, null when it gave none, undefined when pont never wrote it.
   */
  readonly writtenByPont?: (systemId: string, resourceType: string, id: string) => Promise<string | null | undefined>;
  /** The source system pont marked a resource with when it wrote it (meta), if any. */
  readonly originOf?: (resource: Resource) => string | undefined;
  /** Entries asked for per search page. */
  readonly pageSize?: number;
}

export interface PullResult {
  readonly people: number;
  readonly accepted: number;
  /** Messages the store already held (the same content pulled again). */
  readonly duplicates: number;
  /** People whose resources did not make a record pont can read: codes only, never content. */
  readonly refused: readonly { readonly patient: string; readonly codes: readonly string[] }[];
  /** People whose changes were all pont's own writes for other systems, so not taken back. */
  readonly echoes: number;
  readonly cursor?: string;
}

export async function pull(deps: PullDeps, sourceId: string): Promise<PullResult> {
  const since = await deps.cursors.get(sourceId);
  const pageSize = deps.pageSize ?? 200;
  const changed = new Map<string, Resource[]>();
  let newest = since;
  for (const [type] of [['Patient', ''] as const, ...PERSON_TYPES]) {
    for await (const resource of searchAll(deps.reader, `${type}?${query({ _lastUpdated: since === undefined ? undefined : `ge${since}`, _count: String(pageSize) })}`)) {
      const patient = type === 'Patient' ? resource.id : patientOf(resource);
      if (patient === undefined) continue;
      const list = changed.get(patient) ?? [];
      list.push(resource);
      changed.set(patient, list);
      const updated = resource.meta?.lastUpdated;
      if (updated !== undefined && (newest === undefined || Date.parse(updated) > Date.parse(newest))) newest = updated;
    }
  }
  let accepted = 0;
  let duplicates = 0;
  let echoes = 0;
  const refused: { patient: string; codes: string[] }[] = [];
  for (const [patient, changes] of changed) {
    if (await allEchoes(deps, sourceId, changes)) {
      echoes++;
      continue;
    }
    const resources = await personResources(deps.reader, patient, pageSize);
    if (resources.length === 0) continue; // the Patient is gone: nothing to read
    const bundle: Bundle = { resourceType: 'Bundle', type: 'collection', entry: resources.map((r) => ({ fullUrl: `${r.resourceType}/${r.id}`, resource: r })) };
    const result = await deps.ingest({ source: sourceId, format: 'fhir', payload: new TextEncoder().encode(JSON.stringify(bundle)) });
    if (!result.accepted) refused.push({ patient, codes: [...new Set(result.issues.map((i) => i.code))] });
    else if (result.duplicate) duplicates++;
    else accepted++;
  }
  // Every person handled (accepted, already held, or refused with its reasons): the cursor may move.
  if (newest !== undefined && newest !== since) await deps.cursors.set(sourceId, newest, deps.clock.now());
  return { people: changed.size, accepted, duplicates, refused, echoes, ...(newest === undefined ? {} : { cursor: newest }) };
}

/**
 * Whether every change is pont's own write coming back: the very version pont wrote into this
 * system (so an edit made there since, a new version, is the system's own change and is taken);
 * where the system gave pont no version id, the origin marker pont put on the resource decides.
 */
async function allEchoes(deps: PullDeps, sourceId: string, changes: readonly Resource[]): Promise<boolean> {
  if (deps.writtenByPont === undefined) return false;
  for (const r of changes) {
    if (r.id === undefined) return false;
    const written = await deps.writtenByPont(sourceId, r.resourceType, r.id);
    if (written === undefined) return false;
    if (written === null) {
      const origin = deps.originOf?.(r);
      if (origin === undefined || origin === sourceId) return false;
    } else if (written !== r.meta?.versionId) return false;
  }
  return true;
}

/** The person's Patient, every resource about them, and what those refer to among REFERRED_TYPES. */
async function personResources(reader: FhirReader, patientId: string, pageSize: number): Promise<Resource[]> {
  const patient = await reader.read('Patient', patientId);
  if (patient === undefined) return [];
  const found = new Map<string, Resource>([[`Patient/${patientId}`, patient]]);
  for (const [type, byPatient] of PERSON_TYPES) {
    for await (const r of searchAll(reader, `${type}?${query({ [byPatient]: `Patient/${patientId}`, _count: String(pageSize) })}`)) found.set(`${r.resourceType}/${r.id}`, r);
  }
  for (const plan of [...found.values()].filter((r) => r.resourceType === 'CarePlan')) {
    for await (const r of searchAll(reader, `Provenance?${query({ target: `CarePlan/${plan.id}` })}`)) found.set(`Provenance/${r.id}`, r);
  }
  for (let step = 0; step < 2; step++) {
    const wanted = new Set<string>();
    for (const r of found.values()) for (const ref of referencesIn(r)) if (!found.has(ref) && REFERRED_TYPES.has(ref.split('/')[0]!)) wanted.add(ref);
    for (const ref of wanted) {
      const [type, id] = ref.split('/') as [string, string];
      const r = await reader.read(type, id);
      if (r !== undefined) found.set(ref, r);
    }
  }
  return [...found.values()];
}

async function* searchAll(reader: FhirReader, first: string): AsyncGenerator<Resource> {
  let next: string | undefined = first;
  const seen = new Set<string>();
  while (next !== undefined && !seen.has(next)) {
    seen.add(next);
    const page: Bundle = await reader.search(next);
    for (const e of page.entry ?? []) if (e.resource !== undefined && e.search?.mode !== 'include' && e.search?.mode !== 'outcome') yield e.resource;
    next = page.link?.find((l) => l.relation === 'next')?.url;
  }
}

function query(params: Readonly<Record<string, string | undefined>>): string {
  return new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
}

/** The Patient a resource is about (subject, patient or beneficiary as `Patient/id`). */
function patientOf(resource: Resource): string | undefined {
  const r = resource as unknown as Record<string, { reference?: unknown } | undefined>;
  for (const field of ['subject', 'patient', 'beneficiary', 'for']) {
    const ref = r[field]?.reference;
    if (typeof ref === 'string' && ref.startsWith('Patient/')) return ref.slice('Patient/'.length).split('/')[0];
  }
  return undefined;
}
