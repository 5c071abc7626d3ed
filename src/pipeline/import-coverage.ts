/**
 * What of a FHIR input the record took in, and what it did not, computed from the mapping's own
 * run rather than from a list of elements kept by hand.
 *
 * The input is handed to the fhir-to-ctp mapping through read-recording views, so every
 * primitive value the mapping looked at is known by its path. Looking is not taking in (a
 * filter reads `system` to choose an identifier, a comparison reads whole objects), so a value
 * read counts as imported only when the record holds it:
 * - its value, or its date part, is a value of the record;
 * - or it is a reference from a resource the record holds values of to another such resource
 *   (the record keeps the link);
 * - or it was read beside something imported of the same element, and so told the mapping what
 *   that means (an identifier's system, an extension's url, a resource's status).
 * Everything else (never read, or read and left behind) is not imported, and named by path:
 * the whole resource when nothing of it was imported, else its outermost elements of which
 * nothing was. Paths come from the input's own structure, which base validation has already
 * held to R4 element names; values never appear.
 *
 * Known limit: a read value that happens to equal an unrelated value of the record counts as
 * imported.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';

type Json = Record<string, unknown>;

export interface ReadRecorder {
  /** The read-recording view of an input object (the same view each time for the same object). */
  view<T>(value: T): T;
  /** Paths of the primitive values read through views so far. */
  readonly reads: ReadonlySet<string>;
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
        if (base !== undefined) reads.add(Array.isArray(target) ? `${base}[${key}]` : `${base}.${key}`);
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
  /** Paths of the primitive values the mapping read. */
  readonly reads: ReadonlySet<string>;
  /** The record the mapping made. */
  readonly record: unknown;
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
}

/** Which resources, and which of their elements, the record holds. */
export function importCoverage(input: CoverageInput): Coverage {
  const held = recordValues(input.record);
  const isHeld = (value: unknown) => {
    const text = String(value);
    return held.has(text) || (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && held.has(value.slice(0, 10)));
  };

  // First pass: values held by the record. References wait until it is known which resources the record took from.
  const imported = new Set<string>();
  /** Resources (and contained resources) by path, with whether the record holds a value of their own. */
  const holdsValue = new Map<string, boolean>();
  const references: { path: string; value: string; owner: string }[] = [];
  const visit = (node: unknown, path: string, key: string, owner: string): void => {
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) node.forEach((child, i) => visit(child, `${path}[${i}]`, key, key === 'contained' ? `${path}[${i}]` : owner));
    else if (typeof node === 'object') {
      if (!holdsValue.has(owner)) holdsValue.set(owner, false);
      for (const [k, child] of Object.entries(node)) visit(child, `${path}.${k}`, k, owner);
    } else if (input.reads.has(path)) {
      if (key === 'reference' && typeof node === 'string') references.push({ path, value: node, owner });
      else if (isHeld(node)) {
        imported.add(path);
        holdsValue.set(owner, true);
      }
    }
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
  for (const ref of references) {
    const target = input.resolve(ref.value);
    const targetPath = target === undefined ? undefined : input.pathOf(target);
    if (targetPath !== undefined && holdsValue.get(targetPath) === true && holdsValue.get(ref.owner) === true) mark(ref.path);
  }
  const hasImported = (path: string) => under.has(path);

  // Values read beside something imported of the same element explain it (a url, a system, a status).
  const siblings = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((child, i) => siblings(child, `${path}[${i}]`));
      return;
    }
    const entries = Object.entries(node);
    if (under.has(path)) for (const [k, v] of entries) if (v !== null && typeof v !== 'object' && input.reads.has(`${path}.${k}`)) mark(`${path}.${k}`);
    for (const [k, child] of entries) siblings(child, `${path}.${k}`);
  };
  for (const { resource, path } of input.resources) siblings(resource, path);

  const resources = input.resources.map(({ resource, path, label }) => {
    const left: string[] = [];
    const collect = (node: unknown, at: string): boolean => {
      if (node === null || node === undefined) return true;
      if (typeof node !== 'object') return imported.has(at);
      // resourceType names the resource (or contained resource) rather than being an element of it.
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
  return { resources, imported };
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

/** Every primitive value of the record, as text. */
function recordValues(record: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object') Object.values(node).forEach(walk);
    else out.add(String(node));
  };
  walk(record);
  return out;
}
