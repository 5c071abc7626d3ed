/**
 * Where a resource pont writes came from: the source system (record.source.system) named in a
 * stable, URI-safe form, in local identifier systems and in an origin marker on every resource
 * (`meta.source` and a `meta.tag`), so that a receiver can tell sources apart and the pull side
 * can recognise a change pont itself wrote (echo suppression).
 */
import type { Coding } from '@medplum/fhirtypes';

/** Before source systems were named: one system for every source's local ids (still read on import). */
export const LEGACY_LOCAL_SYSTEM = 'https://fhir.pont.wales/Id/local';
/** The code system of the origin tag: its codes are source systems, as `uriSegment` writes them. */
export const ORIGIN_TAG_SYSTEM = 'https://fhir.pont.wales/CodeSystem/origin';
/** `meta.source` is this followed by the source system's segment. */
export const ORIGIN_SOURCE_BASE = 'https://fhir.pont.wales/source/';

/**
 * A name (a source system's) as one URI path segment: percent-encoded (UTF-8) except for RFC
 * 3986's unreserved characters, so `wpas` and `vendor-a` read as themselves, every other name
 * stays distinct from every other, and a name of dots alone cannot become a `.` or `..` segment.
 */
export function uriSegment(name: string): string {
  const encoded = encodeURIComponent(name).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return /^\.+$/.test(encoded) ? encoded.replaceAll('.', '%2E') : encoded;
}

/** The identifier system of the local ids one source system gives the parts of a record. */
export function localIdentifierSystem(sourceSystem: string): string {
  return `${LEGACY_LOCAL_SYSTEM}/${uriSegment(sourceSystem)}`;
}

/** Whether an identifier system is one pont writes local ids in (any source's, or the old shared one). */
export function isLocalIdentifierSystem(system: string | undefined): boolean {
  return system === LEGACY_LOCAL_SYSTEM || system?.startsWith(`${LEGACY_LOCAL_SYSTEM}/`) === true;
}

/** The marker of a resource pont wrote from a record of this source system. */
export function originMeta(sourceSystem: string): { source: string; tag: Coding[] } {
  const segment = uriSegment(sourceSystem);
  return { source: `${ORIGIN_SOURCE_BASE}${segment}`, tag: [{ system: ORIGIN_TAG_SYSTEM, code: segment }] };
}

/** The resource with pont's origin marker added to its `meta` (other tags and the profile kept). */
export function withOrigin<T extends Record<string, unknown>>(resource: T, sourceSystem: string): T {
  const meta = (resource.meta ?? {}) as { tag?: Coding[] } & Record<string, unknown>;
  const marker = originMeta(sourceSystem);
  const others = (meta.tag ?? []).filter((t) => t.system !== ORIGIN_TAG_SYSTEM);
  return { ...resource, meta: { ...meta, source: marker.source, tag: [...others, ...marker.tag] } };
}

/**
 * The source system pont marked these resources as coming from, or undefined when there is none
 * to claim: no resources, one without pont's marker (written or replaced by someone else), or
 * markers naming different sources. The tag decides; `meta.source` is read only where the tag is
 * missing (a server may keep one and not the other).
 */
export function originOf(resources: Iterable<unknown>): string | undefined {
  let origin: string | undefined;
  for (const resource of resources) {
    const marked = markedOrigin(resource);
    if (marked === undefined || (origin !== undefined && marked !== origin)) return undefined;
    origin = marked;
  }
  return origin;
}

function markedOrigin(resource: unknown): string | undefined {
  const meta = (resource as { meta?: { source?: unknown; tag?: unknown } } | null)?.meta;
  if (meta === null || typeof meta !== 'object') return undefined;
  const tags = Array.isArray(meta.tag) ? (meta.tag as { system?: unknown; code?: unknown }[]) : [];
  const tag = tags.find((t) => t !== null && typeof t === 'object' && t.system === ORIGIN_TAG_SYSTEM && typeof t.code === 'string');
  if (tag) return decodeSegment(tag.code as string);
  if (typeof meta.source === 'string' && meta.source.startsWith(ORIGIN_SOURCE_BASE)) return decodeSegment(meta.source.slice(ORIGIN_SOURCE_BASE.length));
  return undefined;
}

/** A segment back to the source system's name; undefined when it is not one `uriSegment` could write. */
function decodeSegment(segment: string): string | undefined {
  try {
    const system = decodeURIComponent(segment);
    return system.length > 0 && uriSegment(system) === segment ? system : undefined;
  } catch {
    return undefined;
  }
}
