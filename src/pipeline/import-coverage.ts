/**
 * What of a FHIR input the record took in, and what it did not, computed from the mapping's own
 * run rather than from a list of elements kept by hand.
 *
 * The input is handed to the fhir-to-ctp mapping through read-recording views, so every
 * primitive value the mapping looked at is known by its path, in the order it was read, and the
 * engine says which reads computed each value of the record (a span of reads per `{{ … }}`, see
 * ReadWatch in src/mapping/template.ts), whether that value was kept or dropped. Looking is not
 * taking in (a filter reads `system` to choose an identifier), so an element counts as imported
 * only when a value the record keeps derives from it:
 * - it was read while that value was computed, and gives it: the same value, its date part, or
 *   the part of it the value is; failing all of these, the value is a translation (a code map)
 *   of the last element read for it;
 * - or it was read for that same value beside an element that gives it (a `where(system = …)`
 *   choosing an identifier whose value is kept, an extension's url);
 * - or it was read outside any value (to choose an item: `$with`, `$for`, `$if`) beside
 *   something imported of the same element (a system, a url, a status);
 * - or it is a reference from a resource the record holds values of to another such resource
 *   (the record keeps the link).
 * A value equal to one the record holds elsewhere, or read for a value the record then dropped,
 * is not imported. Everything not imported is named by path: the whole resource when nothing of
 * it was imported, else its outermost elements of which nothing was. Paths come from the input's
 * own structure, which base validation has already held to R4 element names; values never appear.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { ReadSpan, ReadWatch } from '../mapping/template.js';

type Json = Record<string, unknown>;

/** One read of a primitive value of the input. */
export interface Read {
  readonly path: string;
  readonly value: unknown;
}

export interface ReadRecorder {
  /** The read-recording view of an input object (the same view each time for the same object). */
  view<T>(value: T): T;
  /** Paths of the primitive values read through views so far. */
  readonly reads: ReadonlySet<string>;
  /** Every read so far, in order. */
  readonly log: readonly Read[];
  /** Spans of reads that computed a value of the record, kept or not (the engine's ReadWatch). */
  readonly watch: ReadWatch;
  /** The spans `watch` was told of. */
  readonly spans: readonly ReadSpan[];
  /** The path of an object of the input. */
  pathOf(node: object): string | undefined;
  /** The path of an object of the input or of its view, for the mapping's error locations. */
  locate(item: unknown): string | undefined;
  /** Names an object built to stand for part of the input (its own values, not its children's). */
  nameAs(node: object, path: string): void;
  /** Ends recording: views read afterwards (e.g. by whoever checks the record) record nothing. */
  stop(): void;
}

/**
 * Records reads of the objects under `root`, each named by its path from `rootPath`; objects
 * that are not part of it (e.g. the Bundle pont assembles around a single resource) are viewed
 * but record nothing.
 */
export function recordReads(root: unknown, rootPath: string): ReadRecorder {
  const paths = new WeakMap<object, string>();
  const name = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object' || paths.has(node)) return;
    paths.set(node, path);
    if (Array.isArray(node)) node.forEach((child, i) => name(child, `${path}[${i}]`));
    else for (const [key, child] of Object.entries(node)) name(child, `${path}.${key}`);
  };
  name(root, rootPath);

  const reads = new Set<string>();
  const log: Read[] = [];
  const spans: ReadSpan[] = [];
  const views = new WeakMap<object, object>();
  const targets = new WeakMap<object, object>();
  let recording = true;
  const handler: ProxyHandler<object> = {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof key === 'symbol') return value;
      // Only the input's own data: not what an evaluator pins on it (fhirpath.js adds a fixed `__path__`).
      const own = Object.getOwnPropertyDescriptor(target, key);
      if (!own?.enumerable || !own.configurable) return value;
      if (value !== null && typeof value === 'object') return view(value);
      if (recording && value !== null && value !== undefined && !(Array.isArray(target) && key === 'length')) {
        const base = paths.get(target);
        if (base !== undefined) {
          const path = Array.isArray(target) ? `${base}[${key}]` : `${base}.${key}`;
          reads.add(path);
          log.push({ path, value });
        }
      }
      return value;
    },
  };
  function view<T>(value: T): T {
    if (value === null || typeof value !== 'object') return value;
    let wrapped = views.get(value);
    if (!wrapped) {
      wrapped = new Proxy(value, handler);
      views.set(value, wrapped);
      targets.set(wrapped, value);
    }
    return wrapped as T;
  }
  return {
    view,
    reads,
    log,
    spans,
    watch: {
      open: () => log.length,
      close: (from) => {
        const span = { from, to: log.length };
        spans.push(span);
        return span;
      },
    },
    pathOf: (node) => paths.get(node),
    // Without reading through the views, which would record every element as read.
    locate: (item) => (item !== null && typeof item === 'object' ? paths.get(targets.get(item) ?? item) : undefined),
    nameAs: (node, path) => {
      paths.set(node, path);
    },
    stop: () => {
      recording = false;
    },
  };
}

export interface CoverageInput {
  /** The resources as the input holds them, each with the path that names it. */
  readonly resources: readonly { readonly resource: Json; readonly path: string; readonly label: string }[];
  /** Every read of a primitive value of the input, in order. */
  readonly log: readonly Read[];
  /** The spans of `log` that computed a value of the record, kept or dropped. */
  readonly spans: readonly ReadSpan[];
  /** The values the record keeps, each with the span of reads that computed it. */
  readonly values: readonly { readonly value: unknown; readonly reads: ReadSpan }[];
  /** The input resource a reference leads to, if any. */
  readonly resolve: (reference: string) => Json | undefined;
  /** The path of an object of the input. */
  readonly pathOf: (node: object) => string | undefined;
}

export interface ResourceCoverage {
  readonly path: string;
  readonly label: string;
  readonly imported: boolean;
  /** Paths of the outermost elements of which nothing was imported (none when all was, or nothing was). */
  readonly left: readonly string[];
}

export interface Coverage {
  readonly resources: readonly ResourceCoverage[];
  /** Paths of the primitive values the record holds. */
  readonly imported: ReadonlySet<string>;
  /** The input elements a value the record keeps was computed from (its span of reads), best first. */
  readonly sourcesOf: (reads: ReadSpan) => readonly string[];
}

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const isReference = (path: string) => path.endsWith('.reference');
/** resourceType names a resource rather than being an element of it. */
const isElement = (path: string) => !path.endsWith('.resourceType');
/** The object a primitive value sits in. */
const parentOf = (path: string) => path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
const isWithin = (path: string, object: string) => path.startsWith(`${object}.`) || path.startsWith(`${object}[`);

/**
 * How well a value read gives a value of the record: 0 the same, 1 its date part, 2 a part of it
 * (a version cut from a canonical URL), 3 a part of the value (text around an id); undefined
 * when it does not give it.
 */
function gives(read: unknown, kept: unknown): number | undefined {
  if (String(read) === String(kept)) return 0;
  if (typeof read !== 'string' || typeof kept !== 'string' || kept.length === 0 || read.length === 0) return undefined;
  if (DATE.test(kept) && read.startsWith(kept)) return 1;
  if (read.includes(kept)) return 2;
  return kept.includes(read) ? 3 : undefined;
}

/** The reads (by position in the log) that the values the record keeps derive from, and those read beside them for the same value. */
function derivedReads(input: CoverageInput): { derived: Set<number>; explained: Set<number>; bySpan: Map<ReadSpan, number[]> } {
  const derived = new Set<number>();
  const explained = new Set<number>();
  const takenBySpan = new Map<ReadSpan, number[]>();
  const bySpan = new Map<ReadSpan, unknown[]>();
  for (const { value, reads } of input.values) {
    const kept = bySpan.get(reads);
    if (kept) kept.push(value);
    else bySpan.set(reads, [value]);
  }
  for (const [span, kept] of bySpan) {
    const candidates: number[] = [];
    for (let i = span.from; i < span.to; i++) if (isElement(input.log[i]!.path) && !isReference(input.log[i]!.path)) candidates.push(i);
    const taken = new Set<number>();
    // Each value kept takes the best read that gives it, the first of equals (`first()` after a filter).
    for (const value of kept) {
      let best: number | undefined;
      let bestRank = Number.POSITIVE_INFINITY;
      for (const i of candidates) {
        if (taken.has(i)) continue;
        const rank = gives(input.log[i]!.value, value);
        if (rank !== undefined && rank < bestRank) {
          best = i;
          bestRank = rank;
          if (rank === 0) break;
        }
      }
      if (best !== undefined) taken.add(best);
    }
    // Nothing read gives the value: it is a translation of the last element read for it.
    if (taken.size === 0 && candidates.length > 0) taken.add(candidates[candidates.length - 1]!);
    for (const i of taken) derived.add(i);
    takenBySpan.set(span, [...taken]);
    const objects = [...taken].map((i) => parentOf(input.log[i]!.path));
    for (const i of candidates) {
      if (taken.has(i)) continue;
      const around = parentOf(input.log[i]!.path);
      if (objects.some((o) => o === around || isWithin(o, around))) explained.add(i);
    }
  }
  return { derived, explained, bySpan: takenBySpan };
}

/** Which resources, and which of their elements, the record holds. */
export function importCoverage(input: CoverageInput): Coverage {
  const { derived, explained, bySpan } = derivedReads(input);
  const imported = new Set<string>();
  for (const i of derived) imported.add(input.log[i]!.path);
  for (const i of explained) imported.add(input.log[i]!.path);
  // Reads made while computing a value, kept or dropped; the others chose items.
  const inValue = new Uint8Array(input.log.length);
  for (const span of input.spans) inValue.fill(1, span.from, span.to);
  const choosing = new Set<string>();
  const references = new Map<string, string>();
  input.log.forEach((read, i) => {
    if (isReference(read.path) && typeof read.value === 'string') references.set(read.path, read.value);
    else if (inValue[i] === 0) choosing.add(read.path);
  });

  /** Resources (and contained resources) by path, with whether the record holds a value of their own. */
  const holdsValue = new Map<string, boolean>();
  const owners: { path: string; value: string; owner: string }[] = [];
  const visit = (node: unknown, path: string, key: string, owner: string): void => {
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) node.forEach((child, i) => visit(child, `${path}[${i}]`, key, key === 'contained' ? `${path}[${i}]` : owner));
    else if (typeof node === 'object') {
      if (!holdsValue.has(owner)) holdsValue.set(owner, false);
      for (const [k, child] of Object.entries(node)) visit(child, `${path}.${k}`, k, owner);
    } else if (references.has(path)) owners.push({ path, value: String(node), owner });
    else if (imported.has(path)) holdsValue.set(owner, true);
  };
  for (const { resource, path } of input.resources) visit(resource, path, '', path);

  // A path has something imported under it when it is a prefix of an imported path.
  const under = new Set<string>();
  const mark = (path: string) => {
    imported.add(path);
    for (let i = path.length; i > 0; i--) if (path[i] === '.' || path[i] === '[' || i === path.length) under.add(path.slice(0, i));
  };
  for (const path of [...imported]) mark(path);
  // A reference is a link the record keeps when both ends hold values of their own in the record.
  for (const ref of owners) {
    const target = input.resolve(ref.value);
    const targetPath = target === undefined ? undefined : input.pathOf(target);
    if (targetPath !== undefined && holdsValue.get(targetPath) === true && holdsValue.get(ref.owner) === true) mark(ref.path);
  }
  // Values read to choose an item beside something imported of the same element explain it (a url, a system, a status).
  for (const path of choosing) if (!imported.has(path) && under.has(parentOf(path))) mark(path);
  const hasImported = (path: string) => under.has(path);

  const resources = input.resources.map(({ resource, path, label }) => {
    const left: string[] = [];
    const collect = (node: unknown, at: string): boolean => {
      if (node === null || node === undefined) return true;
      if (typeof node !== 'object') return imported.has(at);
      const children: [unknown, string][] = Array.isArray(node)
        ? node.map((c, i) => [c, `${at}[${i}]`])
        : Object.entries(node)
            .filter(([k]) => k !== 'resourceType')
            .map(([k, c]) => [c, `${at}.${k}`]);
      const marks = children.map(([child, p]) => ({ p, any: hasImported(p), child }));
      for (const m of marks) {
        if (!m.any) left.push(m.p);
        else collect(m.child, m.p);
      }
      return marks.some((m) => m.any);
    };
    const any = hasImported(path);
    if (any) collect(resource, path);
    return { path, label, imported: any, left: any ? left : [] };
  });
  return { resources, imported, sourcesOf: (reads) => (bySpan.get(reads) ?? []).map((i) => input.log[i]!.path) };
}

/** Information issues naming what was not imported: whole resources, then elements of the others. */
export function notImportedIssues(coverage: readonly ResourceCoverage[]): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  for (const c of coverage) {
    if (!c.imported) {
      issues.push({
        severity: 'information',
        code: 'informational',
        diagnostics: `${c.label}: not imported, pont's record has no place for it.`,
        expression: [c.path],
      });
    } else if (c.left.length > 0) {
      const relative = c.left.map((p) => p.slice(c.path.length + 1));
      issues.push({
        severity: 'information',
        code: 'informational',
        diagnostics: `${c.label}: not imported, pont's record has no place for: ${relative.join(', ')}.`,
        expression: c.left.slice(),
      });
    }
  }
  return issues;
}
