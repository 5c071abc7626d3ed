/**
 * The use case: input text in one of the known formats → canonical record(s) → FHIR Bundle,
 * validated. Pure apart from what it is given: mappings and validator are loaded once by the
 * caller and passed in.
 */
import type { Bundle, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { EngineError, InputError, MappingError, type MappingLocation, PontError } from '../errors/errors.js';
import { toTransactionBundle } from '../fhir/bundle.js';
import { withNarratives } from '../fhir/narrative.js';
import { withOrigin } from '../fhir/origin.js';
import { hasErrors, issuesOf } from '../fhir/outcome.js';
import { type Validator, validateBundleEntries } from '../fhir/validate.js';
import { decodeJson, type JsonDecodeOptions } from '../input/json.js';
import type { TraceEntry } from '../mapping/engine.js';
import type { MappingRegistry } from '../mapping/loader.js';
import { parseRecord } from '../record/parse-record.js';
import type { CtpRecord } from '../record/record.schema.js';
import { missingContext } from './context.js';
import { importFhir, traceEntryFor } from './fhir-import.js';

export interface PipelineDeps {
  readonly mappings: MappingRegistry;
  readonly validator: Validator;
  /** Parses an EPR export format into documents for its `<source>-to-ctp` mapping. */
  readonly parseSource?: (
    source: string,
    text: string,
    origin: string,
    options: JsonDecodeOptions & { readonly lineOffset?: number; readonly position?: number },
  ) => unknown[];
  /** Where, in an EPR export's own terms (a CSV line and column), a value its mapping refused is. */
  readonly locateInSource?: (source: string, location: MappingLocation, document?: unknown) => string | undefined;
  /** Whether a JSON key is one of a schema's, and so may be named in a message (default: none). */
  readonly isKnownKey?: (key: string) => boolean;
  /** Clock used only when FHIR input carries no timestamp at all. */
  readonly now?: () => Date;
}

export interface ConvertOptions {
  readonly trace?: boolean;
  /** The text is the record at this 0-based position of a list the front end cut the input into. */
  readonly position?: number;
  /** The text is a part cut out of a CSV extract: added to its line numbers (SourceInput.lineOffset). */
  readonly lineOffset?: number;
}

/** A mapping a record passed through before ctp-to-fhir, named in Provenance.policy. */
export interface MappingStep {
  readonly id: string;
  readonly version: string;
}

interface BundleOptions extends ConvertOptions {
  readonly via?: readonly MappingStep[];
}

/** The result for one person's record inside an input. */
export interface Conversion {
  readonly origin: string;
  /** 0-based position of the record in its input. */
  readonly index: number;
  /** True when the record is one of several in its input (or one of a list), so that its position says which. */
  readonly listed?: boolean;
  readonly record?: CtpRecord;
  /** Present only when there are no errors: a failing record never yields a partial Bundle. */
  readonly bundle?: Bundle;
  readonly issues: OperationOutcomeIssue[];
  readonly trace: { readonly toRecord: TraceEntry[]; readonly toFhir: TraceEntry[] };
}

export function createPipeline(deps: PipelineDeps) {
  const now = deps.now ?? (() => new Date());
  const toFhir = deps.mappings.find('ctp', 'fhir');
  const fromFhir = deps.mappings.find('fhir', 'ctp');
  const jsonOptions: JsonDecodeOptions = deps.isKnownKey ? { isKnownKey: deps.isKnownKey } : {};
  if (!toFhir || !fromFhir) throw new Error('mappings ctp-to-fhir and fhir-to-ctp must be loaded');

  /** Reads an input text into one or more records. Throws InputError for unreadable input. */
  function toRecords(source: string, text: string, origin: string, options: ConvertOptions = {}): (StageResult & { record?: CtpRecord })[] {
    if (source === 'ctp') {
      const json = inputPlace(options.position, () => decodeJson(text, origin, jsonOptions));
      const documents = Array.isArray(json) ? json : [json];
      const label = (i: number) => (options.position !== undefined ? `${origin}[${options.position}]` : documents.length > 1 ? `${origin}[${i}]` : origin);
      const at = (i: number) => options.position ?? (Array.isArray(json) ? i : undefined);
      return documents.map((doc, i) => {
        const r = attempt(() => ({ record: parseRecord(doc, label(i)), issues: [], trace: [] }));
        return { ...r, issues: atRecord(r.issues, at(i)) };
      });
    }
    if (source === 'fhir') {
      const json = decodeJson(text, origin, jsonOptions);
      return [attempt(() => fhirToRecord(json, origin, options))];
    }
    const mapping = deps.mappings.find(source, 'ctp');
    if (!mapping || !deps.parseSource) {
      throw new InputError('INPUT_UNKNOWN_SOURCE', `unknown source "${source}"`);
    }
    const part = {
      ...(options.lineOffset === undefined ? {} : { lineOffset: options.lineOffset }),
      ...(options.position === undefined ? {} : { position: options.position }),
    };
    return deps.parseSource(source, text, origin, { ...jsonOptions, ...part }).map((doc, i) =>
      attempt(() => {
        const { document, trace } = inSourceTerms(source, doc, () => mapping.toDocument(doc, { trace: options.trace === true }));
        const origins = document.source as Record<string, unknown> | undefined;
        // The record remembers the mapping it came through, so the FHIR written from it names it.
        if (origins && typeof origins === 'object' && origins.mappings === undefined) origins.mappings = [{ id: mapping.id, version: mapping.version }];
        try {
          return { record: parseRecord(document, `${origin} (record ${(options.position ?? i) + 1}, after ${mapping.id})`), issues: [], trace };
        } catch (err) {
          if (!(err instanceof InputError) || !deps.locateInSource) throw err;
          // What the record cannot hold is named where the export has it: the mapping runs again,
          // traced, to tell which item of the export each value of the record came from.
          const traced = mapping.toDocument(doc, { trace: true }).trace;
          const locate = deps.locateInSource;
          throw new InputError(
            err.code,
            err.message,
            relocated(err.issues, (path) => inExport(path, traced, document, doc, (at) => locate(source, { mappingFile: mapping.file, rule: '', ...at }, doc)) ?? path),
          );
        }
      }),
    );
  }

  /** Runs a source's mapping, putting the location of a refused value in the input's own terms. */
  function inSourceTerms<T>(source: string, doc: unknown, body: () => T): T {
    try {
      return body();
    } catch (err) {
      if (!(err instanceof MappingError) || !deps.locateInSource) throw err;
      const inputPath = deps.locateInSource(source, err.location, doc);
      if (inputPath === undefined) throw err;
      throw new MappingError(err.code, err.reason, { ...err.location, inputPath }, { cause: err });
    }
  }

  function fhirToRecord(json: unknown, origin: string, options: ConvertOptions) {
    const validateBase = (resource: unknown) => deps.validator.validateBase(resource);
    const { document, trace, issues, inputPathOf } = importFhir(fromFhir!, json, origin, { now: now(), validateBase, trace: options.trace });
    try {
      return { record: parseRecord(document, `${origin} (after ${fromFhir!.id})`), issues, trace };
    } catch (err) {
      // What the record cannot hold is named where the input has it.
      if (!(err instanceof InputError)) throw err;
      throw new InputError(
        err.code,
        err.message,
        relocated(err.issues, (path) => inputPathOf(path) ?? path),
      );
    }
  }

  /** Maps one record to its validated transaction Bundle. */
  function toBundle(record: CtpRecord, options: BundleOptions = {}): { bundle?: Bundle; issues: OperationOutcomeIssue[]; trace: TraceEntry[] } {
    const via = options.via ?? record.source.mappings ?? [];
    const { resources, trace } = toFhir!.toResources(record, { trace: options.trace === true, env: { via } });
    // Every resource carries the source system it came from, so that pont knows its own writes when it pulls them back.
    const marked = resources.map((r) => ({ ...r, resource: withOrigin(r.resource, record.source.system) }));
    const bundle = toTransactionBundle(withNarratives(marked));
    const issues = validateBundleEntries(deps.validator, bundle);
    return { bundle: hasErrors(issues) ? undefined : bundle, issues, trace };
  }

  /** Reads an input and converts every record in it; never throws for bad input. */
  function convert(source: string, text: string, origin: string, options: ConvertOptions = {}): Conversion[] {
    let records: ReturnType<typeof toRecords>;
    try {
      records = toRecords(source, text, origin, options);
    } catch (err) {
      if (!isInputProblem(err)) throw err;
      return [{ origin, index: options.position ?? 0, ...listed(options.position !== undefined), issues: issuesOf(err), trace: { toRecord: [], toFhir: [] } }];
    }
    const several = options.position !== undefined || records.length > 1;
    return records.map((r, i) => {
      const index = options.position ?? i;
      if (!r.record) return { origin, index, ...listed(several), issues: r.issues, trace: { toRecord: r.trace, toFhir: [] } };
      const record = r.record;
      // A canonical record's own paths are the input's: in a list, under the record's place in it.
      const place = source === 'ctp' && several ? index : undefined;
      const context = atRecord(missingContext(record), place);
      const mapped: StageResult & { bundle?: Bundle } = attempt(() => toBundle(record, options));
      return {
        origin,
        index,
        ...listed(several),
        record,
        bundle: mapped.bundle,
        issues: [...r.issues, ...context, ...atRecord(mapped.issues, place)],
        trace: { toRecord: r.trace, toFhir: mapped.trace },
      };
    });
  }

  /** Turns FHIR (normally pont's own Bundle) back into the canonical record. */
  function reverse(text: string, origin: string): StageResult & { record?: CtpRecord } {
    try {
      return fhirToRecord(decodeJson(text, origin, jsonOptions), origin, {});
    } catch (err) {
      if (!isInputProblem(err)) throw err;
      return { issues: issuesOf(err), trace: [] };
    }
  }

  return { toRecords, toBundle, convert, reverse };
}

export type Pipeline = ReturnType<typeof createPipeline>;

interface StageResult {
  issues: OperationOutcomeIssue[];
  trace: TraceEntry[];
}

/** Runs one stage for one record; a problem with the input becomes that record's issues, a fault in pont propagates. */
function attempt<T extends StageResult>(body: () => T): T | StageResult {
  try {
    return body();
  } catch (err) {
    if (isInputProblem(err)) return { issues: err.issues, trace: [] };
    throw err;
  }
}

/** An error that says what is wrong with the input, as opposed to a fault inside pont (EngineError or any other exception). */
export function isInputProblem(err: unknown): err is PontError {
  return err instanceof PontError && !(err instanceof EngineError);
}

/**
 * The issues of a canonical record that is one of a list, with its paths as JSON paths in the
 * whole input: `plans[0].reviewBy` of the record at position 3 is `$[3].plans[0].reviewBy`, as
 * the JSON reader names what it finds (`$[3].plans[0]`). Locations in pont's output Bundle
 * (`Bundle.entry[…]`) stay as they are.
 */
export function atRecord(issues: OperationOutcomeIssue[], position: number | undefined): OperationOutcomeIssue[] {
  if (position === undefined) return issues;
  return relocated(issues, (path) =>
    path.startsWith('Bundle.') || path === 'Bundle' ? path : path.startsWith('$') ? `$[${position}]${path.slice(1)}` : `$[${position}].${path}`,
  );
}

/** The issues with each location given by `to` (and a message that starts with its location, likewise). */
function relocated(issues: OperationOutcomeIssue[], to: (path: string) => string): OperationOutcomeIssue[] {
  return issues.map((issue) => {
    const expression = issue.expression?.map(to);
    const first = issue.expression?.[0];
    const diagnostics = first !== undefined && issue.diagnostics?.startsWith(`${first}:`) ? `${to(first)}${issue.diagnostics.slice(first.length)}` : issue.diagnostics;
    return { ...issue, ...(expression ? { expression } : {}), ...(diagnostics === undefined ? {} : { diagnostics }) };
  });
}

/**
 * Where in an export the value at a record path came from: the item of the export being mapped
 * when it was made (the trace's input path), and within it the field holding the value, as the
 * source locates it (`clients[2].referrals[0].keyWorker[0].StaffID`, `line 7, column STAFF_ID`).
 */
function inExport(
  recordPath: string,
  trace: readonly TraceEntry[],
  record: unknown,
  doc: unknown,
  locate: (at: { inputPath: string; inScope: unknown[]; value?: unknown }) => string | undefined,
): string | undefined {
  const entry = traceEntryFor(trace, recordPath);
  if (entry === undefined || entry.input === '(root)') return undefined;
  const item = valueAt(doc, entry.input);
  const value = valueAt(record, entry.path);
  return locate({ inputPath: entry.input, inScope: item === undefined ? [] : [item], ...(value === undefined || typeof value === 'object' ? {} : { value }) });
}

/** The value at a plain path (`referrals[0].keyWorker`) of a JSON value, if there is one. */
function valueAt(root: unknown, path: string): unknown {
  let node = root;
  for (const step of path.split(/\.|(?=\[)/)) {
    if (node === null || typeof node !== 'object') return undefined;
    const index = /^\[(\d+)\]$/.exec(step);
    node = (node as Record<string, unknown>)[index ? Number(index[1]) : step];
  }
  return node;
}

/** Runs a reading step of a record at `position` of a list, its problems placed in the whole input. */
function inputPlace<T>(position: number | undefined, body: () => T): T {
  try {
    return body();
  } catch (err) {
    if (position === undefined || !(err instanceof InputError)) throw err;
    throw new InputError(err.code, err.message, atRecord(err.issues, position));
  }
}

function listed(several: boolean): { listed?: true } {
  return several ? { listed: true } : {};
}
