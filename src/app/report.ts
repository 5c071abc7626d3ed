/**
 * The report use case: read records, keep one per person (the one extracted last, through a
 * RecordStore keyed by person key; ties are settled by a total order, see compareVersions in
 * src/record/person-key.ts, so the report never depends on the order of the files), and compute
 * the measures over a period. Inputs that yield no
 * valid record are returned as failures; the report covers the rest. Options are checked before
 * the first input is read, so a front end may pass inputs it reads lazily.
 */
import { UsageError } from '../errors/errors.js';
import { issuesOf } from '../fhir/outcome.js';
import type { EvaluationDeps } from '../measures/evaluate.js';
import type { MeasureDefinition } from '../measures/measure.js';
import { parsePeriod } from '../measures/period.js';
import { findMeasure, measures } from '../measures/registry.js';
import { type MeasureRun, runMeasures } from '../measures/run-measures.js';
import { type Conversion, isInputProblem, type Pipeline } from '../pipeline/pipeline.js';
import type { Clock } from '../ports/clock.js';
import { memoryRecordStore } from '../ports/memory-record-store.js';
import type { RecordStore } from '../ports/record-store.js';
import { QUALITY_MEASURES } from '../quality/quality-measures.js';
import type { CtpRecord } from '../record/record.schema.js';
import type { IsoDate } from '../time/dates.js';
import { placeOf, unreadable } from './convert.js';
import { type Inputs, isReadable } from './inputs.js';
import { gatherLooseFhir } from './loose-fhir.js';

export interface ReportOptions {
  /** A measure id, or 'all'. */
  readonly measure: string;
  /** A month YYYY-MM or a range YYYY-MM..YYYY-MM. */
  readonly period: string;
  /** What is known: events after this day are ignored. Default today. */
  readonly asOf?: IsoDate;
  /** Also produce an individual MeasureReport per person, measure and month. */
  readonly individual?: boolean;
}

export interface ReportRun {
  readonly measures: MeasureRun;
  /** Inputs and records that could not be read into a valid record; they are left out of the figures. */
  readonly failures: readonly Conversion[];
  /** Valid records read (versions put into the store). */
  readonly records: number;
  /** People counted: one per person key. */
  readonly people: number;
  /** Records set aside because a later extract of the same person was read. */
  readonly merged: number;
  /** No valid record was read, so there was nothing to count: the figures are all empty. */
  readonly empty: boolean;
}

export interface ReportDeps {
  readonly pipeline: Pipeline;
  readonly clock: Clock;
  readonly measureDeps: EvaluationDeps;
  /** The quality signals as measures, made afresh for each report run (`--measure quality` or `quality-<signal>`). */
  readonly qualityMeasures?: () => readonly MeasureDefinition[];
}

export async function report(deps: ReportDeps, inputs: Inputs, options: ReportOptions, store: RecordStore = memoryRecordStore()): Promise<ReportRun> {
  const definitions = chooseMeasures(options.measure, deps.qualityMeasures);
  const window = reportWindow(deps.clock, options);
  const failures: Conversion[] = [];
  let records = 0;
  for await (const input of gatherLooseFhir(inputs)) {
    if (!isReadable(input)) {
      failures.push(unreadable(input.origin, input.issues, input.position));
      continue;
    }
    let read: ReturnType<Pipeline['toRecords']>;
    try {
      read = deps.pipeline.toRecords(input.source, input.text, input.origin, placeOf(input));
    } catch (err) {
      if (!isInputProblem(err)) throw err;
      failures.push(unreadable(input.origin, issuesOf(err), input.position));
      continue;
    }
    for (const [index, r] of read.entries()) {
      if (!r.record) {
        failures.push(unreadable(input.origin, r.issues, input.position ?? (read.length > 1 ? index : undefined)));
        continue;
      }
      await store.put(r.record);
      records += 1;
    }
  }
  const measured = await measureStore(deps, store, definitions, window, options.individual === true);
  return { measures: measured.run, failures, records, people: measured.people, merged: records - measured.people, empty: records === 0 };
}

/** The measures over the current record of every person in a store. */
export async function measureStore(
  deps: Pick<ReportDeps, 'measureDeps'>,
  store: RecordStore,
  definitions: readonly MeasureDefinition[],
  window: { months: readonly string[]; asOf: IsoDate },
  individual: boolean,
): Promise<{ run: MeasureRun; people: number }> {
  const people: CtpRecord[] = [];
  for (const key of await store.people()) {
    const record = await store.latest(key);
    if (record) people.push(record);
  }
  const run = runMeasures(people, definitions, { months: [...window.months], asOf: window.asOf }, deps.measureDeps, { individual });
  return { run, people: people.length };
}

/** The months and as-of day of a report, refused when the period starts after what is known. */
export function reportWindow(clock: Clock, options: Pick<ReportOptions, 'period' | 'asOf'>): { months: string[]; asOf: IsoDate } {
  const months = parsePeriod(options.period);
  const asOf = options.asOf ?? clock.today();
  if (`${months[0]}-01` > asOf) throw new UsageError('--period starts after --as-of: nothing is known about it yet');
  return { months, asOf };
}

export function chooseMeasures(id: string, quality?: () => readonly MeasureDefinition[]): readonly MeasureDefinition[] {
  if (id === 'all') return measures;
  if (quality !== undefined && (id === QUALITY_MEASURES || id.startsWith(`${QUALITY_MEASURES}-`))) {
    const signals = quality();
    if (id === QUALITY_MEASURES) return signals;
    const signal = signals.find((m) => m.id === id);
    if (signal) return [signal];
    throw new UsageError(`unknown quality signal "${id}"; known: ${signals.map((m) => m.id).join(', ')}, or quality for them all`);
  }
  const found = findMeasure(id);
  if (!found)
    throw new UsageError(`unknown measure "${id}"; known measures: ${measures.map((m) => m.id).join(', ')}, all${quality ? ', or quality (every quality signal)' : ''}`);
  return [found];
}
