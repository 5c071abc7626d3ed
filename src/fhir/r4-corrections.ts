/**
 * R4 invariants whose published expression cannot do what their human text says, and the
 * expression pont evaluates instead: the correction later FHIR versions (and other validators)
 * apply:
 * - ref-1 "SHALL have a contained resource if a local reference is provided" evaluates to empty,
 *   which fails, on every Reference without a `reference` (a logical reference by identifier,
 *   or a display only); R5 guards it with `reference.exists() implies`.
 * - dom-3 "If the resource is contained in another resource, it SHALL be referred to from
 *   elsewhere in the resource" applies `as(canonical)` to all descendants at once, which strict
 *   FHIRPath (fhirpath.js) rejects as soon as there is a contained resource ("Expected singleton
 *   on left side of 'as'"); R5 uses `ofType(canonical)`. (medplum skips dom-3 altogether.)
 */
const CORRECTIONS: Readonly<Record<string, (expression: string) => string>> = {
  'ref-1': (e) => (e.startsWith('reference.exists() implies') ? e : `reference.exists() implies (${e})`),
  'dom-3': (e) => e.replace(/\bas\(/g, 'ofType('),
};

/** The expression pont evaluates for an R4 invariant: its correction, if it has one, else the published one. */
export function correctedExpression(key: string, expression: string): string {
  return CORRECTIONS[key]?.(expression) ?? expression;
}
