/**
 * Expands ValueSets into code sets for required-binding checks. Only what can be expanded
 * exactly from the definitions at hand is expanded: explicit concept lists, whole code systems
 * that are present and `complete`, and included value sets. Anything else (filters, external
 * systems such as UCUM or BCP-13) is not expandable and its bindings are not checked.
 */
import type { CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';
import { stripVersion } from '../profiles/canonical.js';

export interface ExpandedValueSet {
  readonly url: string;
  /** `system|code` */
  readonly codings: ReadonlySet<string>;
  /** Bare codes, for `code` elements (which carry no system). */
  readonly codes: ReadonlySet<string>;
  /** Codes by system, for Coding checks without building `system|code` strings. */
  readonly bySystem: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface TerminologySource {
  codeSystem(url: string): CodeSystem | undefined;
  valueSet(url: string): ValueSet | undefined;
}

function addConcepts(system: string, concepts: readonly CodeSystemConcept[] | undefined, out: Set<string>): void {
  for (const c of concepts ?? []) {
    if (c.code !== undefined) out.add(`${system}|${c.code}`);
    addConcepts(system, c.concept, out);
  }
}

function expandInclude(include: NonNullable<NonNullable<ValueSet['compose']>['include']>[number], source: TerminologySource, visiting: Set<string>): Set<string> | undefined {
  if (include.filter && include.filter.length > 0) return undefined;
  let result: Set<string> | undefined;
  if (include.system) {
    result = new Set<string>();
    if (include.concept && include.concept.length > 0) {
      for (const c of include.concept) result.add(`${include.system}|${c.code}`);
    } else {
      const cs = source.codeSystem(stripVersion(include.system));
      if (cs?.content !== 'complete' || !cs.concept) return undefined;
      addConcepts(include.system, cs.concept, result);
    }
  }
  for (const vsUrl of include.valueSet ?? []) {
    const other = expandCodings(vsUrl, source, visiting);
    if (!other) return undefined;
    // Several value sets in one include intersect; with a system too, the system's codes are kept.
    result = result ? new Set([...result].filter((c) => other.has(c))) : new Set(other);
  }
  return result;
}

function expandCodings(url: string, source: TerminologySource, visiting: Set<string>): Set<string> | undefined {
  const key = stripVersion(url);
  if (visiting.has(key)) return undefined;
  const vs = source.valueSet(key);
  if (!vs) return undefined;
  visiting.add(key);
  try {
    if (!vs.compose && vs.expansion?.contains) {
      const out = new Set<string>();
      const walk = (items: NonNullable<NonNullable<ValueSet['expansion']>['contains']>) => {
        for (const i of items) {
          if (i.system && i.code) out.add(`${i.system}|${i.code}`);
          if (i.contains) walk(i.contains);
        }
      };
      walk(vs.expansion.contains);
      return out;
    }
    const out = new Set<string>();
    for (const include of vs.compose?.include ?? []) {
      const part = expandInclude(include, source, visiting);
      if (!part) return undefined;
      for (const c of part) out.add(c);
    }
    for (const exclude of vs.compose?.exclude ?? []) {
      const part = expandInclude(exclude, source, visiting);
      if (!part) return undefined;
      for (const c of part) out.delete(c);
    }
    return out.size > 0 ? out : undefined;
  } finally {
    visiting.delete(key);
  }
}

/** The expansion of a value set, or undefined when it cannot be expanded exactly. */
export function expandValueSet(url: string, source: TerminologySource): ExpandedValueSet | undefined {
  const codings = expandCodings(url, source, new Set());
  if (!codings) return undefined;
  const codes = new Set<string>();
  const bySystem = new Map<string, Set<string>>();
  for (const c of codings) {
    const bar = c.indexOf('|');
    const code = c.slice(bar + 1);
    codes.add(code);
    const system = c.slice(0, bar);
    let set = bySystem.get(system);
    if (!set) bySystem.set(system, (set = new Set()));
    set.add(code);
  }
  return { url: stripVersion(url), codings, codes, bySystem };
}

/** Every code a code system defines, nested ones included; undefined unless it is present and `complete`. */
export function codeSystemCodes(url: string, source: TerminologySource): ReadonlySet<string> | undefined {
  const cs = source.codeSystem(stripVersion(url));
  if (cs?.content !== 'complete' || !cs.concept) return undefined;
  const codes = new Set<string>();
  const walk = (concepts: readonly CodeSystemConcept[] | undefined) => {
    for (const c of concepts ?? []) {
      if (c.code !== undefined) codes.add(c.code);
      walk(c.concept);
    }
  };
  walk(cs.concept);
  return codes;
}
