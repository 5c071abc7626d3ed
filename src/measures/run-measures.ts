/**
 * The measures over a set of people: tallies and (optionally) individual MeasureReports, then
 * rendered as a FHIR Bundle or CSV. Each record is reduced to facts once for the tallies; the
 * individual reports are produced again, person by person, each time they are read, so that a
 * run over thousands of people and many months is written out in bounded memory.
 */
import type { MeasureReport } from '@medplum/fhirtypes';
import type { CtpRecord } from '../record/record.schema.js';
import { genericCsv, statsWalesCsv } from './csv.js';
import { type EvaluationDeps, evaluatePerson, Tallies, type Tally } from './evaluate.js';
import { personFacts } from './facts.js';
import type { EvaluationWindow, MeasureDefinition } from './measure.js';
import { individualReports, reportBundle, summaryReport } from './measure-report.js';

export interface MeasureRun {
  readonly definitions: readonly MeasureDefinition[];
  readonly window: EvaluationWindow;
  readonly tallies: readonly Tally[];
  /** The individual reports, person by person (empty unless asked for); computed on each iteration. */
  readonly individual: Iterable<MeasureReport>;
}

export function runMeasures(
  records: Iterable<CtpRecord>,
  definitions: readonly MeasureDefinition[],
  window: EvaluationWindow,
  deps: EvaluationDeps,
  options: { individual?: boolean } = {},
): MeasureRun {
  const people = [...records];
  for (const definition of definitions) definition.prepare?.(people);
  const tallies = new Tallies();
  for (const record of people) evaluatePerson(personFacts(record), definitions, window, deps, tallies);
  const individual: Iterable<MeasureReport> = options.individual
    ? {
        *[Symbol.iterator]() {
          const discarded = new Tallies();
          for (const record of people) {
            for (const result of evaluatePerson(personFacts(record), definitions, window, deps, discarded)) yield* individualReports(result, window.asOf);
          }
        },
      }
    : [];
  return { definitions, window, tallies: tallies.list(), individual };
}

/** The summary reports, one per tally, then the individual reports. */
function* reportsOf(run: MeasureRun): Iterable<MeasureReport> {
  const byId = new Map(run.definitions.map((d) => [d.id, d]));
  for (const t of run.tallies) yield summaryReport(byId.get(t.measureId)!, t, run.window.asOf);
  yield* run.individual;
}

function bundleKey(run: MeasureRun): string {
  return `${run.definitions.map((d) => d.id).join(',')}|${run.window.months.join(',')}`;
}

/** The collection Bundle of MeasureReports as one JSON text; for small runs (see writeFhirBundle). */
export function renderFhirBundle(run: MeasureRun): string {
  return `${JSON.stringify(reportBundle([...reportsOf(run)], run.window.asOf, bundleKey(run)), null, 2)}\n`;
}

/**
 * Writes the same text as renderFhirBundle, entry by entry, in chunks of about `chunkSize`
 * characters, waiting for `write` when it returns a promise (a stream that is full). Memory stays
 * bounded by one person's reports whatever the size of the run.
 */
export async function writeFhirBundle(run: MeasureRun, write: (text: string) => void | Promise<void>, chunkSize = 1 << 16): Promise<void> {
  const empty = JSON.stringify(reportBundle([], run.window.asOf, bundleKey(run)), null, 2);
  const at = empty.lastIndexOf('"entry": []');
  const head = `${empty.slice(0, at)}"entry": [`;
  const tail = `]${empty.slice(at + '"entry": []'.length)}\n`;
  let buffer = head;
  let entries = 0;
  for (const report of reportsOf(run)) {
    const entry = { fullUrl: `urn:uuid:${report.id}`, resource: report }; // as reportBundle makes it; the tests compare the two renderings
    buffer += `${entries === 0 ? '' : ','}\n    ${JSON.stringify(entry, null, 2).replaceAll('\n', '\n    ')}`;
    entries += 1;
    if (buffer.length >= chunkSize) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(`${buffer}${entries === 0 ? '' : '\n  '}${tail}`);
}

/** ctp-valid alone gives the StatsWales Part 2 layout; anything else the generic layout. */
export function renderCsv(run: MeasureRun, deps: EvaluationDeps): string {
  const [only] = run.definitions;
  if (run.definitions.length === 1 && only?.id === 'ctp-valid') return statsWalesCsv(only, run.tallies, run.window.months, deps.healthBoards);
  return genericCsv(run.tallies);
}
