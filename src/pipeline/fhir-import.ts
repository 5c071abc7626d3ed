/**
 * FHIR in: reads the input (fhir-input.ts), runs the fhir-to-ctp mapping over it while
 * recording what the mapping reads, and says what the record did not take in
 * (import-coverage.ts). An input with no person's record in it is refused.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { InputError } from '../errors/errors.js';
import type { CompiledMapping, TraceEntry } from '../mapping/engine.js';
import type { ReadSpan } from '../mapping/template.js';
import { readFhirInput } from './fhir-input.js';
import { importCoverage, notImportedIssues, recordReads } from './import-coverage.js';

/** R4 elements that name the patient a resource is about. */
const ABOUT_A_PATIENT = ['subject', 'patient', 'for'] as const;

export interface FhirImportOptions {
  readonly now: Date;
  readonly validateBase?: (resource: unknown) => OperationOutcomeIssue[];
  readonly trace?: boolean;
}

export interface FhirImport {
  /** The record as the mapping made it, before the record schema checks it. */
  readonly document: Record<string, unknown>;
  readonly trace: TraceEntry[];
  /** Warnings (base validation, references outside the input) and what was not imported. */
  readonly issues: OperationOutcomeIssue[];
  /**
   * Where in the input a path of the record (`patient.dateOfBirth`) came from: the element its
   * value was computed from (`Bundle.entry[0].resource.birthDate`), else the item being mapped.
   */
  readonly inputPathOf: (recordPath: string) => string | undefined;
}

export function importFhir(mapping: CompiledMapping, json: unknown, origin: string, options: FhirImportOptions): FhirImport {
  const rootType = (json as { resourceType?: unknown } | null)?.resourceType;
  const recorder = recordReads(json, typeof rootType === 'string' ? rootType : '');
  const input = readFhirInput(json, origin, { now: options.now, validateBase: options.validateBase, view: recorder.view, nameAs: recorder.nameAs });
  let mapped: { document: Record<string, unknown>; trace: TraceEntry[] };
  try {
    // Traced always: each value of the record carries the reads that computed it, for coverage.
    mapped = mapping.toDocument(recorder.view(input.bundle), {
      trace: true,
      watch: recorder.watch,
      locate: recorder.locate,
      resolve: (reference) => recorder.view(input.resolve(reference)),
      env: { defaults: { ...input.defaults, mappingId: mapping.id, mappingVersion: mapping.version } },
    });
  } finally {
    recorder.stop();
  }
  // A Bundle's own elements are covered too, but for its entries (each resource is covered on its
  // own; fullUrl, request, response and search carry the resources, not record data) and its type.
  const envelope = input.rootPath === 'Bundle' ? Object.fromEntries(Object.entries(input.root).filter(([k]) => k !== 'entry' && k !== 'type' && k !== 'resourceType')) : {};
  const covered = Object.keys(envelope).length > 0 ? [...input.resources, { resource: envelope, path: 'Bundle', label: 'Bundle' }] : input.resources;
  const coverage = importCoverage({
    resources: covered,
    log: recorder.log,
    spans: recorder.spans,
    values: tracedValues(mapped.document, mapped.trace),
    resolve: input.lookup,
    pathOf: recorder.pathOf,
  });
  const notImported = notImportedIssues(
    coverage.resources.map((c) => (c.path === 'Bundle' && !c.imported ? { ...c, imported: true, left: Object.keys(envelope).map((k) => `Bundle.${k}`) } : c)),
  );

  // A record is about a person: the input must hold a Patient, or something the record took in
  // (a resource, or a resource contained in one) that is about a patient.
  const holdsOwn = (path: string) => [...coverage.imported].some((p) => p.startsWith(`${path}.`) && !p.startsWith(`${path}.contained[`));
  const candidates = input.resources.flatMap(({ resource, path }) => [
    { resource, path },
    ...(Array.isArray(resource.contained) ? (resource.contained as Record<string, unknown>[]).map((c, k) => ({ resource: c, path: `${path}.contained[${k}]` })) : []),
  ]);
  const aboutSomeone = candidates.some(
    ({ resource, path }) => (resource.resourceType === 'Patient' || ABOUT_A_PATIENT.some((key) => resource[key] !== undefined)) && holdsOwn(path),
  );
  if (!aboutSomeone) {
    throw new InputError('INPUT_INVALID', `${origin}: the FHIR input holds no person's record`, [
      {
        severity: 'error',
        code: 'required',
        diagnostics: 'The input holds no record pont can read: nothing pont imports from it is a Patient or about one.',
        expression: [input.rootPath],
      },
      ...notImported,
    ]);
  }

  const readReferences = referencesRead(input.root, input.rootPath === 'Bundle' ? 'Bundle' : input.rootPath, recorder.reads);
  const unresolved: OperationOutcomeIssue[] = [...input.unresolved].map((reference) => {
    const where = readReferences.filter((r) => r.value === reference).map((r) => r.path);
    return {
      severity: 'warning',
      code: 'not-found',
      diagnostics: `A ${referenceType(reference)} reference does not resolve inside the input, so what it points to is not part of the record.`,
      expression: where.length > 0 ? where : [input.rootPath === 'Bundle' ? 'Bundle.entry' : input.rootPath],
    };
  });
  const trace = mapped.trace;
  const inputPathOf = (recordPath: string): string | undefined => {
    const entry = traceEntryFor(trace, recordPath);
    if (entry === undefined) return undefined;
    const from = entry.reads === undefined ? undefined : coverage.sourcesOf(entry.reads)[0];
    return from ?? (entry.input === '(root)' ? undefined : entry.input);
  };
  return { document: mapped.document, trace: options.trace === true ? trace : [], issues: [...input.issues, ...unresolved, ...notImported], inputPathOf };
}

/** The record's values that reads of the input computed, each with its span of reads. */
function tracedValues(document: unknown, trace: readonly TraceEntry[]): { value: unknown; reads: ReadSpan }[] {
  const out: { value: unknown; reads: ReadSpan }[] = [];
  for (const entry of trace) {
    if (entry.reads === undefined || entry.reads.to === entry.reads.from) continue;
    let node: unknown = document;
    for (const step of entry.path.split(/\.|(?=\[)/)) {
      const index = /^\[(\d+)\]$/.exec(step);
      node = (node as Record<string, unknown> | undefined)?.[index ? Number(index[1]) : step];
    }
    out.push({ value: node, reads: entry.reads });
  }
  return out;
}

/** The trace entry of a path of the record: its own, or else the first of its contents. */
export function traceEntryFor(trace: readonly TraceEntry[], recordPath: string): TraceEntry | undefined {
  return trace.find((e) => e.path === recordPath) ?? trace.find((e) => e.path.startsWith(`${recordPath}.`) || e.path.startsWith(`${recordPath}[`));
}

function referenceType(reference: string): string {
  const match = /(^|\/)([A-Z][A-Za-z]+)\/[^/]+$/.exec(reference);
  return match ? match[2]! : reference.startsWith('#') ? 'contained' : 'resource';
}

/** The `reference` values of the input the mapping read, with their paths. */
function referencesRead(root: unknown, rootPath: string, reads: ReadonlySet<string>): { path: string; value: string }[] {
  const out: { path: string; value: string }[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((c, i) => walk(c, `${path}[${i}]`));
    else if (node !== null && typeof node === 'object') {
      for (const [k, c] of Object.entries(node)) {
        const at = `${path}.${k}`;
        if (k === 'reference' && typeof c === 'string' && reads.has(at)) out.push({ path: at, value: c });
        else walk(c, at);
      }
    }
  };
  walk(root, rootPath);
  return out;
}
