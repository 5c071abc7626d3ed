/**
 * `pont report`: the Measure reports (FHIR MeasureReports or CSV) over records read from files
 * and folders. Invalid records are reported on standard error and skipped; the report is still
 * produced and the exit code is 1.
 */
import { type Command, Option } from 'commander';
import type { Core } from '../app/compose.js';
import { UsageError } from '../errors/errors.js';
import { measures } from '../measures/registry.js';
import { renderCsv, writeFhirBundle } from '../measures/run-measures.js';
import { DEFAULT_MAX_BYTES, expandPaths, readInputs } from './input-file.js';
import type { Io } from './io.js';
import { checkSource, parseDay, parseMaxBytes } from './options.js';
import { renderRecords } from './render.js';

export interface ReportCommandDeps {
  readonly io: Io;
  readonly core: () => Core;
  readonly setExitCode: (code: number) => void;
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
    .requiredOption(
      '-m, --measure <id>',
      `measure id, or "all": ${measures.map((m) => m.id).join(', ')}; or "quality" for every quality signal from practice (prompts for review, per team and health board), or one as quality-<signal>`,
    )
    .requiredOption('-p, --period <months>', 'a month YYYY-MM or a range YYYY-MM..YYYY-MM')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['fhir', 'csv']).default('fhir'))
    .option('--as-of <date>', 'what is known: events after this day are ignored (YYYY-MM-DD); default today')
    .option('-s, --source <name>', 'input format; guessed from each file when omitted')
    .option('--individual', 'with --format fhir, add an individual MeasureReport per person and month')
    .option('--max-bytes <n>', 'largest input held in memory at once, in bytes (a whole file, or one record of a JSON list or NDJSON)', String(DEFAULT_MAX_BYTES))
    .action(async (paths: string[], options: ReportOptions) => {
      const { io } = deps;
      const core = deps.core();
      const asOf = options.asOf === undefined ? undefined : parseDay(options.asOf, '--as-of');
      const maxBytes = parseMaxBytes(options.maxBytes);
      if (options.source !== undefined) checkSource(options.source, core.sources);
      const files = expandPaths(paths);
      if (files.length === 0) throw new UsageError('nothing to count: the folders given hold no files');
      const inputs = readInputs(files, { source: options.source, maxBytes, known: core.sources, isKnownKey: core.isKnownKey });
      const individual = options.individual === true && options.format === 'fhir';
      const run = await core.report(inputs, { measure: options.measure, period: options.period, asOf, individual });
      if (run.failures.length > 0) {
        const n = run.failures.length;
        io.stderr(renderRecords(run.failures));
        io.stderr(`pont: ${n} input${n === 1 ? '' : 's'} skipped; the report covers the ${run.records} valid record${run.records === 1 ? '' : 's'}\n`);
      }
      if (run.merged > 0) {
        io.stderr(
          `pont: ${run.merged} record${run.merged === 1 ? '' : 's'} repeat a person already read (same NHS number); each person is counted once, from the record extracted last\n`,
        );
      }
      if (run.empty) io.stderr('pont: nothing to count: no valid record was read, so every figure of the report is empty\n');
      if (options.format === 'csv') await io.stdout(renderCsv(run.measures, core.measureDeps));
      else await writeFhirBundle(run.measures, io.stdout);
      deps.setExitCode(run.failures.length > 0 || run.empty ? 1 : 0);
    });
}
