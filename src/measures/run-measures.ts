/**
 * The measures use case: records in, tallies and (optionally) individual MeasureReports out,
 * then rendered as a FHIR Bundle or CSV. Each record is reduced to facts once.
 */
import type { MeasureReport } from '@medplum/fhirtypes';
import type { CtpRecord } from '../record/record.schema.js';
import { genericCsv, statsWalesCsv } from './csv.js';
import { evaluatePerson, Tallies, type EvaluationDeps, type Tally } from './evaluate.js';
import { personFacts } from './facts.js';
import type { EvaluationWindow, MeasureDefinition } from './measure.js';
import { individualReports, reportBundle, summaryReport } from './measure-report.js';

export interface MeasureRun {
  readonly definitions: readonly MeasureDefinition[];
  readonly window: EvaluationWindow;
  readonly tallies: readonly Tally[];
  readonly individual: readonly MeasureReport[];
}

export function runMeasures(
  records: Iterable<CtpRecord>,
  definitions: readonly MeasureDefinition[],
  window: EvaluationWindow,
  deps: EvaluationDeps,
  options: { individual?: boolean } = {},
): MeasureRun {
  const tallies = new Tallies();
  const individual: MeasureReport[] = [];
  for (const record of records) {
    const results = evaluatePerson(personFacts(record), definitions, window, deps, tallies);
    if (options.individual) for (const r of results) individual.push(...individualReports(r, window.asOf));
  }
  return { definitions, window, tallies: tallies.list(), individual };
}

export function renderFhirBundle(run: MeasureRun): string {
  const byId = new Map(run.definitions.map((d) => [d.id, d]));
  const summaries = run.tallies.map((t) => summaryReport(byId.get(t.measureId)!, t, run.window.asOf));
  const key = `${run.definitions.map((d) => d.id).join(',')}|${run.window.months.join(',')}`;
  return `${JSON.stringify(reportBundle([...summaries, ...run.individual], run.window.asOf, key), null, 2)}\n`;
}

/** ctp-valid alone gives the StatsWales Part 2 layout; anything else the generic layout. */
export function renderCsv(run: MeasureRun, deps: EvaluationDeps): string {
  const [only] = run.definitions;
  if (run.definitions.length === 1 && only?.id === 'ctp-valid') return statsWalesCsv(only, run.tallies, run.window.months, deps.healthBoards);
  return genericCsv(run.tallies);
}
