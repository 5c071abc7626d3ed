/**
 * The `pont` command line: parses arguments, reads the input files, calls the core's use cases
 * and renders their results as text or JSON. Output goes to the given streams so tests can run
 * commands in-process.
 */
import { Command, CommanderError, Option } from 'commander';
import { checkRunJson } from '../app/check-json.js';
import type { Core } from '../app/compose.js';
import { EngineError, PontError, UsageError } from '../errors/errors.js';
import { splitTransaction } from '../fhir/bundle.js';
import { hasErrors } from '../fhir/outcome.js';
import { DEFAULT_MAX_BYTES, readInputFile, readInputs } from './input-file.js';
import type { Io } from './io.js';
import { checkSource, parseDay, parseMaxBytes, parseMaxEntries } from './options.js';
import { renderCaseloads, renderText, renderTrace } from './render.js';
import { registerReportCommand } from './report-command.js';

interface CheckOptions {
  source?: string;
  asOf?: string;
  pack?: string;
  standards?: string;
  compliance: boolean;
  format: 'text' | 'json';
  maxBytes: string;
}

export const EXIT_OK = 0;
/** Errors in the input, compliance failures, or caseloads over an error limit. */
export const EXIT_INPUT_ERRORS = 1;
export const EXIT_USAGE = 2;
/** A fault inside pont (a rule or compiled expression threw, or any unexpected exception): not a verdict on the input. */
export const EXIT_INTERNAL = 3;

const EXIT_CODES_HELP = `
Exit codes:
  0  no errors
  1  errors in the input, compliance failures, or caseloads over a limit
  2  usage error (options, unreadable files, invalid local standards)
  3  internal fault in pont (a rule or expression failed); please report it
`;

export async function run(argv: readonly string[], io: Io, core: () => Core): Promise<number> {
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
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--max-bytes <n>', 'largest input file accepted, in bytes', String(DEFAULT_MAX_BYTES))
    .action(async (files: string[], options: CheckOptions) => {
      const c = core();
      const asOf = options.asOf === 'extracted' ? 'extracted' : parseDay(options.asOf ?? c.clock.today(), '--as-of');
      const maxBytes = parseMaxBytes(options.maxBytes);
      if (options.source !== undefined) checkSource(options.source, c.sources);
      const localStandards = options.standards === undefined ? undefined : readStandards(options.standards);
      const checked = c.check(readInputs(files, options.source, maxBytes, c.sources), { asOf, pack: options.pack, localStandards, compliance: options.compliance });
      await io.stdout(options.format === 'json' ? `${JSON.stringify(checkRunJson(checked), null, 2)}\n` : renderText(checked.results) + renderCaseloads(checked.caseloads));
      exitCode = checked.failed ? EXIT_INPUT_ERRORS : EXIT_OK;
    });

  program
    .command('map')
    .description('print the FHIR transaction Bundle for an input (or, with --reverse, the canonical record for a FHIR Bundle)')
    .argument('<file>', 'input file')
    .option('-s, --source <name>', 'input format (ctp, fhir, carepath-json, wpas-csv); guessed from the file when omitted')
    .option('--trace', 'list, on standard error, the mapping rule that produced each output element')
    .option('--reverse', 'read a FHIR Bundle and print the canonical record')
    .option('--max-bytes <n>', 'largest input file accepted, in bytes', String(DEFAULT_MAX_BYTES))
    .option(
      '--max-entries <n>',
      'print, for each record, an ordered list of transaction Bundles of at most n entries each, to be sent in order (for servers that limit the size of a transaction)',
    )
    .action(async (file: string, options: { source?: string; trace?: boolean; reverse?: boolean; maxBytes: string; maxEntries?: string }) => {
      const c = core();
      const maxBytes = parseMaxBytes(options.maxBytes);
      const maxEntries = options.maxEntries === undefined ? undefined : parseMaxEntries(options.maxEntries);
      if (options.reverse && maxEntries !== undefined) throw new UsageError('--max-entries applies to FHIR output, not to --reverse');
      if (options.reverse) {
        if (options.source !== undefined && options.source !== 'fhir') throw new UsageError('--reverse reads FHIR only; leave out --source or use --source fhir');
        const result = c.reverse({ origin: file, text: readInputFile(file, maxBytes) });
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
      const results = c.convert(readInputs([file], options.source, maxBytes, c.sources), { trace: options.trace === true });
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
function readStandards(file: string): { name: string; text: string | undefined } {
  try {
    return { name: file, text: readInputFile(file, DEFAULT_MAX_BYTES) };
  } catch (err) {
    if (err instanceof UsageError && /\(ENOENT\)$/.test(err.message)) return { name: file, text: undefined };
    throw err;
  }
}
