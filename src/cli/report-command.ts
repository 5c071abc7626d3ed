/**
 * `pont report`: the Measure reports (FHIR MeasureReports or CSV) over records read from files
 * and folders. Invalid records are reported on standard error and skipped; the report is still
 * produced and the exit code is 1.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors/errors.js';
import { issuesOf } from '../fhir/outcome.js';
import type { EvaluationDeps } from '../measures/evaluate.js';
import type { MeasureDefinition } from '../measures/measure.js';
import { parsePeriod } from '../measures/period.js';
import { measures, findMeasure } from '../measures/registry.js';
import { onePerPerson } from '../measures/one-record-per-person.js';
import { renderCsv, renderFhirBundle, runMeasures } from '../measures/run-measures.js';
import type { CtpRecord } from '../record/record.schema.js';
import { DEFAULT_MAX_BYTES, readSourceFile } from './input-file.js';
import { checkSource, parseDay, parseMaxBytes } from './options.js';
import { renderText } from './report.js';
import type { Io } from './run.js';
import type { Runtime } from './runtime.js';

export interface ReportCommandDeps {
  readonly io: Io;
  readonly runtime: () => Runtime;
  readonly measureDeps: () => EvaluationDeps;
  readonly setExitCode: (code: number) => void;
  /** Today, for the default --as-of. */
  readonly today: () => string;
}

interface ReportOptions {
  measure: string;
  period: string;
  format: 'fhir' | 'csv';
  asOf?: string;
  source?: string;
  individual?: boolean;
  maxBytes: string;
}

export function registerReportCommand(program: Command, deps: ReportCommandDeps): void {
  program
    .command('report')
    .description('Measure reports (FHIR MeasureReports or CSV) over the records in files or folders')
    .argument('<paths...>', 'input files, or folders whose files are all read')
    .requiredOption('-m, --measure <id>', `measure id, or "all": ${measures.map((m) => m.id).join(', ')}`)
    .requiredOption('-p, --period <months>', 'a month YYYY-MM or a range YYYY-MM..YYYY-MM')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['fhir', 'csv']).default('fhir'))
    .option('--as-of <date>', 'what is known: events after this day are ignored (YYYY-MM-DD); default today')
    .option('-s, --source <name>', 'input format; guessed from each file when omitted')
    .option('--individual', 'with --format fhir, add an individual MeasureReport per person and month')
    .option('--max-bytes <n>', 'largest input file accepted, in bytes', String(DEFAULT_MAX_BYTES))
    .action((paths: string[], options: ReportOptions) => {
      const definitions = chooseMeasures(options.measure);
      const months = parsePeriod(options.period);
      const asOf = parseDay(options.asOf ?? deps.today(), '--as-of');
      if (`${months[0]}-01` > asOf) throw new UsageError('--period starts after --as-of: nothing is known about it yet');
      const maxBytes = parseMaxBytes(options.maxBytes);
      const measureDeps = deps.measureDeps();
      const rt = deps.runtime();
      if (options.source !== undefined) checkSource(options.source, rt);
      const { records, failures } = readRecords(expandPaths(paths), options.source, maxBytes, rt);
      if (failures.length > 0) {
        deps.io.stderr(renderText(failures).replace(/\n[^\n]*records? checked[^\n]*\n$/, '\n'));
        deps.io.stderr(`pont: ${failures.length} input${failures.length === 1 ? '' : 's'} skipped; the report covers the ${records.length} valid record${records.length === 1 ? '' : 's'}\n`);
      }
      const people = onePerPerson(records);
      if (people.merged > 0) {
        deps.io.stderr(`pont: ${people.merged} record${people.merged === 1 ? '' : 's'} repeat a person already read (same NHS number); each person is counted once, from the record extracted last\n`);
      }
      const run = runMeasures(people.records, definitions, { months, asOf }, measureDeps, { individual: options.individual === true && options.format === 'fhir' });
      deps.io.stdout(options.format === 'csv' ? renderCsv(run, measureDeps) : renderFhirBundle(run));
      deps.setExitCode(failures.length > 0 ? 1 : 0);
    });
}

function chooseMeasures(id: string): readonly MeasureDefinition[] {
  if (id === 'all') return measures;
  const found = findMeasure(id);
  if (!found) throw new UsageError(`unknown measure "${id}"; known measures: ${measures.map((m) => m.id).join(', ')}, or all`);
  return [found];
}

/** Files as given; a folder stands for its files (not sub-folders, not hidden files), sorted by name. */
function expandPaths(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      return [path]; // readInputFile reports it
    }
    if (!isDirectory) return [path];
    return readdirSync(path)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => join(path, name))
      .filter((file) => statSync(file).isFile());
  });
}

type Failure = Parameters<typeof renderText>[0][number];

function readRecords(files: readonly string[], source: string | undefined, maxBytes: number, rt: Runtime): { records: CtpRecord[]; failures: Failure[] } {
  const records: CtpRecord[] = [];
  const failures: Failure[] = [];
  const fail = (origin: string, index: number, issues: Failure['issues']) => failures.push({ origin, index, issues, trace: { toRecord: [], toFhir: [] } });
  for (const file of files) {
    const read = readSourceFile(file, source, maxBytes, rt.sources);
    if ('issues' in read) {
      fail(file, 0, read.issues);
      continue;
    }
    try {
      rt.pipeline.toRecords(read.source, read.text, file).forEach((r, index) => (r.record ? records.push(r.record) : fail(file, index, r.issues)));
    } catch (err) {
      fail(file, 0, issuesOf(err));
    }
  }
  return { records, failures };
}
