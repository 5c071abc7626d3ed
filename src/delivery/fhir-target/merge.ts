/**
 * Shared resources (a person's Patient, an Organization) are written by several sources. pont
 * keeps what the others put there: the target's resource becomes pont's, with the union of
 * identifiers (by system and value) and of names from both. Sent twice, the merge changes nothing.
 */
import type { Resource } from '@medplum/fhirtypes';

type Json = Record<string, unknown>;

/** pont's resource under the target's id, with the identifiers and names the target holds and pont's own. */
export function mergeShared(held: Resource, ours: Resource): Resource {
  const h = held as unknown as Json;
  const o = ours as unknown as Json;
  const merged: Json = { ...o, id: held.id };
  // The target's items first, pont's new ones after: a merge that adds nothing leaves the order, so it reads as no change.
  const identifier = union(h.identifier, o.identifier, (i) => `${(i as Json).system ?? ''}|${(i as Json).value ?? ''}`);
  if (identifier.length > 0) merged.identifier = identifier;
  if (typeof o.name === 'string' || typeof h.name === 'string') {
    // Organization.name is one string: the name the target holds stays, other names become aliases.
    const name = (h.name ?? o.name) as string;
    const alias = union(h.alias, [...(typeof o.name === 'string' ? [o.name] : []), ...((o.alias as unknown[] | undefined) ?? [])], String).filter((a) => a !== name);
    merged.name = name;
    if (alias.length > 0) merged.alias = alias;
  } else {
    const name = union(h.name, o.name, canonical);
    if (name.length > 0) merged.name = name;
  }
  return merged as unknown as Resource;
}

/** Whether writing `next` over `held` would change anything but the server's own bookkeeping. */
export function sameContent(held: Resource, next: Resource): boolean {
  const strip = (r: Resource): unknown => {
    const { meta, ...rest } = r as unknown as Json;
    const { versionId: _v, lastUpdated: _l, ...ownMeta } = (meta ?? {}) as Json;
    return Object.keys(ownMeta).length > 0 ? { ...rest, meta: ownMeta } : rest;
  };
  return canonical(strip(held)) === canonical(strip(next));
}

/** `first`'s items, then those of `second` whose key `first` lacks, each key once. */
function union(first: unknown, second: unknown, key: (item: unknown) => string): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const item of [...(Array.isArray(first) ? first : []), ...(Array.isArray(second) ? second : [])]) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(item);
  }
  return out;
}

/** JSON with object keys sorted, so that equal values give equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
