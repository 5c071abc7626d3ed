/** Literal FHIR references: `Type/id`, `[base/]Type/id[/_history/vid]`. */

const LITERAL = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?\/?$/;

export interface LiteralReference {
  readonly type: string;
  readonly id: string;
  readonly version?: string;
}

/** The type, id and version a literal reference names; none for `urn:`, contained (`#x`) or logical references. */
export function literalReference(reference: string): LiteralReference | undefined {
  if (reference.startsWith('#') || reference.startsWith('urn:')) return undefined;
  const m = LITERAL.exec(reference);
  if (m === null) return undefined;
  return { type: m[1]!, id: m[2]!, ...(m[3] === undefined ? {} : { version: m[3] }) };
}

/** `Type/id` of a literal reference, or none. */
export function referenceKey(reference: string): string | undefined {
  const r = literalReference(reference);
  return r === undefined ? undefined : `${r.type}/${r.id}`;
}

/** Every `reference` string anywhere in a resource, in document order (contained resources included). */
export function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else referencesIn(v, out);
    }
  }
  return out;
}
