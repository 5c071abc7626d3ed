/**
 * The `pont` command line: parses arguments, reads the input files, calls the core's use cases
 * and renders their results as text or JSON. Output goes to the given streams so tests can run
 * commands in-process.
 */
import { Command, CommanderError, Option } from 'commander';
import type { CheckResult } from '../app/check.js';
import { checkResultJson, checkRunJson, qualitySummaryJson } from '../app/check-json.js';
import type { Core } from '../app/compose.js';
import { EngineError, PontError, UsageError } from '../errors/errors.js';
import { splitTransaction } from '../fhir/bundle.js';
import { hasErrors } from '../fhir/outcome.js';
import type { Clock } from '../ports/clock.js';
import { registerStoreCommands, type StoreAccess } from './dlq-command.js';
import { DEFAULT_MAX_BYTES, readInputs, readInputText } from './input-file.js';
import type { Io } from './io.js';
import { checkSource, parseDay, parseMaxBytes, parseMaxEntries } from './options.js';
import { renderCaseloads, renderRecords, renderSummary, renderText, renderTrace } from './render.js';
import { renderQuality } from './render-quality.js';
import { registerReportCommand } from './report-command.js';
import { registerServeCommand, type ServeCommandDeps } from './serve-command.js';
import { registerWorkerCommand, type WorkerCommandDeps } from './worker-command.js';

interface CheckOptions {
  source?: string;
  asOf?: string;
  pack?: string;
  standards?: string;
  compliance: boolean;
  quality?: boolean;
  format: 'text' | 'json' | 'ndjson';
  maxBytes: string;
}

const MAX_BYTES_HELP =
  "largest input held in memory at once, in bytes: a whole file, one record of a JSON list or NDJSON of canonical records, or the header and one person's rows of a WPAS extract (both read a record at a time)";

export const EXIT_OK = 0;
/** Errors in the input, compliance failures, or caseloads over an error limit. */
export const EXIT_INPUT_ERRORS = 1;
export const EXIT_USAGE = 2;
/** A fault inside pont (a rule or compiled expression threw, or any unexpected exception): not a verdict on the input. */
export const EXIT_INTERNAL = 3;

const EXIT_CODES_HELP = `
Exit codes:
  0  no errors
  1  errors in the input, compliance failures, caseloads over a limit, (report) nothing valid to count, or (dlq, status) an id with nothing to act on
  2  usage error (options, unreadable files, invalid local standards, (report) folders with no files, or a database or queue that does not answer)
  3  internal fault in pont (a rule or expression failed, or the database refused a statement); please report it
`;

/** What `pont dlq` and `pont status` need: the store, opened per command, and the clock; and what `pont serve` and `pont worker` need. */
export interface StoreCommandsConfig {
  readonly openStore: () => Promise<StoreAccess>;
  readonly clock: Clock;
  readonly serve?: Omit<ServeCommandDeps, 'io' | 'core' | 'clock'>;
  readonly worker?: Omit<WorkerCommandDeps, 'io' | 'core' | 'clock'>;
}

export async function run(argv: readonly string[], io: Io, core: () => Core, store?: StoreCommandsConfig): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('pont')
    .description('FHIR R4 adapter for Care and Treatment Plans under the Mental Health (Wales) Measure 2010')
    .exitOverride()
    .configureOutput({ writeOut: (t) => void io.stdout(t), writeErr: io.stderr })
    .showHelpAfterError('(run "pont --help" for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .option('--debug', 'on an internal error, print its stack trace');

  program
    .command('check')
    .description('map and validate input files, and report every problem found')
    .argument('<files...>', 'input files')
    .option('-s, --source <name>', 'input format (ctp, fhir, carepath-json, wpas-csv); guessed from the file when omitted')
    .option('--as-of <date>', 'evaluation date (YYYY-MM-DD) for the compliance rules, or "extracted" for each record’s own extraction date; default today')
    .option('--pack <id>', 'compliance rule pack (e.g. wales-measure); default: the pack the record’s organisation or source selects')
    .option('--standards <file>', 'an organisation’s local standards (YAML) that make a pack’s limits stricter')
    .option('--no-compliance', 'map and validate only')
    .option(
      '--quality',
      'also run the quality signals from practice (prompts for human review, never failures), the search for plan text shared across people, and counts per team and health board',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format; ndjson writes one JSON object per record as it is checked, then one with the caseloads if counted')
        .choices(['text', 'json', 'ndjson'])
        .default('text'),
    )
    .option('--max-bytes <n>', MAX_BYTES_HELP, String(DEFAULT_MAX_BYTES))
    .action(async (files: string[], options: CheckOptions) => {
      const c = core();
      const asOf = options.asOf === 'extracted' ? 'extracted' : parseDay(options.asOf ?? c.clock.today(), '--as-of');
      const maxBytes = parseMaxBytes(options.maxBytes);
      if (options.source !== undefined) checkSource(options.source, c.sources);
      const localStandards = options.standards === undefined ? undefined : await readStandards(options.standards);
      const checked = c.checkEach(readInputs(files, { source: options.source, maxBytes, known: c.sources, isKnownKey: c.isKnownKey }), {
        asOf,
        pack: options.pack,
        localStandards,
        compliance: options.compliance,
        quality: options.quality === true,
      });
      if (options.format === 'json') {
        // One JSON document: each record's caseloads are known only at the end, so the results are kept.
        const results: CheckResult[] = [];
        for await (const r of checked.results) results.push(r);
        const summary = checked.summary();
        await io.stdout(`${JSON.stringify(checkRunJson({ results, ...summary }), null, 2)}\n`);
      } else {
        for await (const r of checked.results) await io.stdout(options.format === 'ndjson' ? `${JSON.stringify(checkResultJson(r))}\n` : renderRecords([r]));
        const summary = checked.summary();
        if (options.format === 'ndjson') {
          if (summary.caseloads.length > 0) await io.stdout(`${JSON.stringify({ caseloads: summary.caseloads })}\n`);
          if (summary.quality) await io.stdout(`${JSON.stringify({ quality: qualitySummaryJson(summary.quality) })}\n`);
        } else await io.stdout(renderSummary(summary.records, summary.recordsFailed) + renderCaseloads(summary.caseloads) + renderQuality(summary.quality));
      }
      exitCode = checked.summary().failed ? EXIT_INPUT_ERRORS : EXIT_OK;
    });

  program
    .command('map')
    .description('print the FHIR transaction Bundle for an input (or, with --reverse, the canonical record for a FHIR Bundle)')
    .argument('<file>', 'input file')
    .option('-s, --source <name>', 'input format (ctp, fhir, carepath-json, wpas-csv); guessed from the file when omitted')
    .option('--trace', 'list, on standard error, the mapping rule that produced each output element')
    .option('--reverse', 'read a FHIR Bundle and print the canonical record')
    .addOption(
      new Option('-f, --format <format>', 'output format; ndjson writes one Bundle per line, each as soon as its record is mapped')
        .choices(['json', 'ndjson'])
        .default('json'),
    )
    .option('--max-bytes <n>', MAX_BYTES_HELP, String(DEFAULT_MAX_BYTES))
    .option(
      '--max-entries <n>',
      'print, for each record, an ordered list of transaction Bundles of at most n entries each, to be sent in order (for servers that limit the size of a transaction)',
    )
    .action(async (file: string, options: { source?: string; trace?: boolean; reverse?: boolean; format: 'json' | 'ndjson'; maxBytes: string; maxEntries?: string }) => {
      const c = core();
      const maxBytes = parseMaxBytes(options.maxBytes);
      const maxEntries = options.maxEntries === undefined ? undefined : parseMaxEntries(options.maxEntries);
      if (options.reverse && maxEntries !== undefined) throw new UsageError('--max-entries applies to FHIR output, not to --reverse');
      if (options.reverse) {
        if (options.source !== undefined && options.source !== 'fhir') throw new UsageError('--reverse reads FHIR only; leave out --source or use --source fhir');
        const result = c.reverse({ origin: file, text: await readInputText(file, maxBytes) });
        if (options.trace) io.stderr(renderTrace(result.trace));
        if (!result.record || hasErrors(result.issues)) {
          io.stderr(renderText([{ origin: file, index: 0, issues: result.issues, trace: { toRecord: [], toFhir: [] } }]));
          exitCode = EXIT_INPUT_ERRORS;
          return;
        }
        await io.stdout(`${JSON.stringify(result.record, null, 2)}\n`);
        return;
      }
      if (options.source !== undefined) checkSource(options.source, c.sources);
      const inputs = readInputs([file], { source: options.source, maxBytes, known: c.sources, isKnownKey: c.isKnownKey });
      const converted = c.convertEach(inputs, { trace: options.trace === true });
      if (options.format === 'ndjson') {
        // Each Bundle as soon as it is ready; a record with errors is reported on standard error as it comes.
        let failed = false;
        for await (const r of converted) {
          if (options.trace) io.stderr(renderTrace([...r.trace.toRecord, ...r.trace.toFhir]));
          if (hasErrors(r.issues) || !r.bundle) {
            failed = true;
            io.stderr(renderRecords([r]));
          } else {
            // With --max-entries, a record's Bundles one per line, in the order they are to be sent.
            const bundles = maxEntries === undefined ? [r.bundle] : splitTransaction(r.bundle, maxEntries);
            for (const bundle of bundles) await io.stdout(`${JSON.stringify(bundle)}\n`);
          }
        }
        exitCode = failed ? EXIT_INPUT_ERRORS : EXIT_OK;
        return;
      }
      const results = [];
      for await (const r of converted) results.push(r);
      if (options.trace) for (const r of results) io.stderr(renderTrace([...r.trace.toRecord, ...r.trace.toFhir]));
      if (results.some((r) => hasErrors(r.issues) || !r.bundle)) {
        io.stderr(renderText(results));
        exitCode = EXIT_INPUT_ERRORS;
        return;
      }
      const bundles = results.map((r) => r.bundle!);
      if (maxEntries !== undefined) {
        const series = bundles.flatMap((b) => splitTransaction(b, maxEntries));
        await io.stdout(`${JSON.stringify(series, null, 2)}\n`);
        return;
      }
      await io.stdout(`${JSON.stringify(bundles.length === 1 ? bundles[0] : bundles, null, 2)}\n`);
    });

  registerReportCommand(program, { io, core, setExitCode: (code) => (exitCode = code) });
  if (store) registerStoreCommands(program, { io, ...store, setExitCode: (code) => (exitCode = code) });
  if (store?.serve) registerServeCommand(program, { io, core, clock: store.clock, ...store.serve });
  if (store?.worker) registerWorkerCommand(program, { io, core, clock: store.clock, ...store.worker });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    return exitCodeOf(err, io, argv.includes('--debug'));
  }
}

/** Says what went wrong, never with input data, and chooses the exit code. */
function exitCodeOf(err: unknown, io: Io, debug: boolean): number {
  if (err instanceof CommanderError) {
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version' ? EXIT_OK : EXIT_USAGE;
  }
  if (err instanceof EngineError) {
    io.stderr(`pont: internal fault (${err.code}, ${err.stage}): ${err.message}; please report it with the command you ran.\n`);
  } else if (err instanceof UsageError) {
    io.stderr(`pont: ${err.message}\n`);
    return EXIT_USAGE;
  } else if (err instanceof PontError && (err.code === 'STORE_UNAVAILABLE' || err.code === 'QUEUE_UNAVAILABLE' || err.code === 'STORE_MIGRATION_FAILED')) {
    // The environment, not the input: a database or queue that does not answer, or a newer schema.
    io.stderr(`pont: ${err.message}\n`);
    return EXIT_USAGE;
  } else if (err instanceof PontError && (err.stage === 'storage' || err.stage === 'queue')) {
    io.stderr(`pont: ${err.message}; please report it with the command you ran.\n`);
  } else if (err instanceof PontError) {
    io.stderr(`pont: ${err.message}\n`);
    return err.stage === 'startup' ? EXIT_USAGE : EXIT_INPUT_ERRORS;
  } else {
    io.stderr('pont: internal error; please report it with the command you ran (no input data is needed to start).\n');
  }
  if (debug) io.stderr(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT_INTERNAL;
}

/** The user's local standards file, read here so the core does no file I/O of its own. */
async function readStandards(file: string): Promise<{ name: string; text: string | undefined }> {
  try {
    return { name: file, text: await readInputText(file, DEFAULT_MAX_BYTES) };
  } catch (err) {
    if (err instanceof UsageError && /\(ENOENT\)$/.test(err.message)) return { name: file, text: undefined };
    throw err;
  }
}
