/**
 * Minimum-necessary pruning of pont's transaction Bundle: keeps the entries of the allowed types
 * and leaves what is kept consistent, so that no reference in it points to an entry left out.
 */
import type { Bundle, BundleEntry, Reference, Resource } from '@medplum/fhirtypes';
import { EngineError } from '../../errors/errors.js';
import { referencesIn } from '../../fhir/bundle.js';
import { narrativeOf } from '../../fhir/narrative.js';
import { generatedNarrative, withNarrative } from '../../fhir/xhtml.js';

/**
 * Reference elements a resource or element cannot be without: R4's own (min ≥ 1) and pont's
 * profiles' (CareTeam.subject and the others marked). Choice elements are named `value[x]`.
 * test/delivery/routing/required-references.test.ts holds this list to the definitions.
 */
export const REQUIRED_REFERENCES: ReadonlySet<string> = new Set([
  'CarePlan.subject',
  'ClinicalImpression.subject',
  'Communication.payload.content[x]',
  'Condition.subject',
  'Consent.provision.actor.reference',
  'Consent.provision.data.reference',
  'Encounter.diagnosis.condition',
  'Encounter.location.location',
  'EpisodeOfCare.diagnosis.condition',
  'EpisodeOfCare.patient',
  'Goal.subject',
  'Patient.link.other',
  'Provenance.agent.who',
  'Provenance.entity.what',
  'Provenance.target',
  'RelatedPerson.patient',
  'RiskAssessment.subject',
  'AdverseEvent.subject',
  'AdverseEvent.suspectEntity.instance',
  'Flag.subject',
  'MedicationStatement.medication[x]',
  'MedicationStatement.subject',
  'ServiceRequest.subject',
  'Task.input.value[x]',
  'Task.output.value[x]',
  // pont's profiles
  'CareTeam.subject',
  'Consent.patient',
  'Communication.subject',
  'DetectedIssue.patient',
  'Encounter.subject',
  'Observation.subject',
  'PractitionerRole.practitioner',
  'Task.for',
]);

/**
 * Sub-extensions (by url) a complex extension of pont's cannot be without, where they may hold a
 * Reference; an extension that loses one goes too. Held to the profiles by the same test.
 */
export const REQUIRED_SUB_EXTENSIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['https://fhir.pont.wales/StructureDefinition/assessment-carer-view', ['person']],
  ['https://fhir.pont.wales/StructureDefinition/review-outcome-achievement', ['outcome']],
]);

/**
 * Types that exist in a record's Bundle to be referred to: who did, owns or takes part in
 * something, and a plan's outcomes (Goal). One that the input's other entries referred to, all of
 * which are now left out, served only them and goes too: a GP is not sent the practitioner of a
 * contact it is not sent, nor the outcomes of a plan it is not sent.
 * One that nothing but Provenance referred to in the input stays, as the record holds it on its
 * own account (and so pruning with every type allowed changes nothing).
 */
const SUPPORTING_TYPES: ReadonlySet<string> = new Set(['Goal', 'Organization', 'Practitioner', 'PractitionerRole', 'RelatedPerson']);

/**
 * The Bundle with only the entries of `allowedTypes`, kept consistent:
 * - a reference to an entry left out is removed (the Reference, or its item in a list); an element
 *   that cannot stand without it goes too, up to the resource, and a resource that cannot stand
 *   (a CarePlan whose subject is gone, a Provenance with no target left) is left out in turn;
 * - an extension left with neither a value nor sub-extensions, or without a required
 *   sub-extension, goes; an element left empty goes;
 * - entries of SUPPORTING_TYPES that served only entries left out are left out;
 * - the generated narratives of entries changed, and of the entries that refer to them, are made
 *   again from what is kept, so they cannot show what was left out.
 * References that never resolved inside the Bundle (external ones) are kept as they are.
 */
export function pruneBundle(bundle: Bundle, allowedTypes: Iterable<string>): Bundle {
  const entries = bundle.entry ?? [];
  const allowed = new Set(allowedTypes);
  const types = entries.map(typeOfEntry);
  if (types.every((t) => allowed.has(t))) return bundle;
  const resolve = resolver(entries, types);
  const refersTo = entries.map(
    (e, i) =>
      new Set(
        referencesIn(e.resource)
          .flatMap((r) => resolve(r) ?? [])
          .filter((j) => j !== i),
      ),
  );
  // Who referred to each entry in the input; Provenance does not count, as it refers to everything.
  const referrers = entries.map((): number[] => []);
  refersTo.forEach((targets, j) => {
    if (types[j] !== 'Provenance') for (const i of targets) referrers[i]!.push(j);
  });

  const out = types.map((t) => !allowed.has(t));
  const dangles = (reference: string) => {
    const target = resolve(reference);
    return target !== undefined && out[target] === true;
  };
  const pruned = new Map<number, Resource>();
  // How many of its targets were left out when an entry was last pruned: only a change calls for pruning it again.
  const prunedAgainst = entries.map(() => 0);
  for (let changed = true; changed; ) {
    changed = false;
    entries.forEach((entry, i) => {
      const gone = [...refersTo[i]!].filter((j) => out[j]).length;
      if (out[i] || gone === prunedAgainst[i]) return;
      prunedAgainst[i] = gone;
      const resource = withoutDangling(entry.resource, dangles);
      if (resource === undefined) {
        out[i] = changed = true;
        pruned.delete(i);
      } else pruned.set(i, resource);
    });
    referrers.forEach((by, i) => {
      if (!out[i] && SUPPORTING_TYPES.has(types[i]!) && by.length > 0 && by.every((j) => out[j])) out[i] = changed = true;
    });
  }

  // A narrative shows the entry and what it refers to: those of pruned entries and of their referrers may show what was left out.
  const renarrate = new Set<number>();
  for (const i of pruned.keys()) {
    renarrate.add(i);
    refersTo.forEach((targets, j) => {
      if (targets.has(i)) renarrate.add(j);
    });
  }
  const kept = entries.flatMap((entry, i): BundleEntry[] => (out[i] ? [] : [{ ...entry, resource: pruned.get(i) ?? entry.resource }]));
  const keptRenarrated = entries.flatMap((_, i) => (out[i] ? [] : [renarrate.has(i)]));
  return { ...bundle, entry: withFreshNarratives(kept, keptRenarrated) };
}

function typeOfEntry(entry: BundleEntry, index: number): string {
  const type = entry.resource?.resourceType ?? /^([A-Z][A-Za-z]+)(\/|\?|$)/.exec(entry.request?.url ?? '')?.[1];
  if (type === undefined)
    throw new EngineError('ENGINE_FAULT', 'delivery', `Bundle.entry[${index}] has neither a resource nor a request URL naming its type: it cannot be pruned`);
  return type;
}

/** Finds the entry a reference names: by fullUrl, or by `Type/id` (the resource's, or its request URL's). */
function resolver(entries: readonly BundleEntry[], types: readonly string[]): (reference: string) => number | undefined {
  const byKey = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (entry.fullUrl !== undefined) byKey.set(entry.fullUrl, i);
    if (entry.resource?.id !== undefined) byKey.set(`${types[i]}/${entry.resource.id}`, i);
    const url = entry.request?.url;
    if (url !== undefined && /^[A-Z][A-Za-z]+\/[A-Za-z0-9.-]{1,64}$/.test(url)) byKey.set(url, i);
  });
  return (reference) => byKey.get(reference);
}

const GONE = Symbol('gone');
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The resource without references to entries left out, or undefined when it cannot stand without them. */
function withoutDangling(resource: Resource | undefined, dangles: (reference: string) => boolean): Resource | undefined {
  if (resource === undefined) return undefined;
  const result = prune(resource, resource.resourceType, dangles);
  return result === GONE ? undefined : (result as Resource);
}

/** `valueReference` → `value[x]`: the element a choice key stands for, as REQUIRED_REFERENCES names it. */
const elementName = (key: string): string => /^([a-z][A-Za-z]*)Reference$/.exec(key)?.[1]?.concat('[x]') ?? key;

function prune(value: unknown, path: string, dangles: (reference: string) => boolean): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => prune(v, path, dangles)).filter((v) => v !== GONE);
    return items.length === 0 && value.length > 0 ? GONE : items;
  }
  if (!isObject(value)) return value;
  if (typeof value.reference === 'string' && dangles(value.reference)) return GONE;
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'text' || key === 'contained') {
      out[key] = child;
      continue;
    }
    const childPath = key === 'extension' || key === 'modifierExtension' ? 'Extension' : `${path}.${elementName(key)}`;
    const kept = prune(child, childPath, dangles);
    if (kept !== GONE) out[key] = kept;
    else if (REQUIRED_REFERENCES.has(childPath)) return GONE;
  }
  if (Object.keys(out).length === 0 && Object.keys(value).length > 0) return GONE;
  return path === 'Extension' && !isWholeExtension(value, out) ? GONE : out;
}

/** ext-1 (a value or sub-extensions), and the required sub-extensions the extension had before pruning. */
function isWholeExtension(before: Json, after: Json): boolean {
  const hasValue = Object.keys(after).some((k) => k.startsWith('value'));
  const subUrls = (e: Json) => new Set((Array.isArray(e.extension) ? e.extension : []).filter(isObject).map((x) => x.url));
  if (!hasValue && subUrls(after).size === 0) return false;
  const required = typeof before.url === 'string' ? (REQUIRED_SUB_EXTENSIONS.get(before.url) ?? []) : [];
  const had = subUrls(before);
  const has = subUrls(after);
  return required.every((url) => !had.has(url) || has.has(url));
}

/** The kept entries with the generated narratives of those marked made again from what is kept. */
function withFreshNarratives(entries: readonly BundleEntry[], marked: readonly boolean[]): BundleEntry[] {
  const byFullUrl = new Map(entries.flatMap((e) => (e.fullUrl !== undefined && e.resource !== undefined ? [[e.fullUrl, e.resource as unknown as Json] as const] : [])));
  const lookup = (reference: Reference | undefined) => (reference?.reference === undefined ? undefined : byFullUrl.get(reference.reference));
  return entries.map((entry, i) => {
    const resource = entry.resource;
    if (!marked[i] || resource === undefined || !('text' in resource) || resource.text?.status !== 'generated') return entry;
    const text = generatedNarrative(narrativeOf(resource as unknown as Json, lookup));
    return { ...entry, resource: withNarrative(resource, text) };
  });
}
