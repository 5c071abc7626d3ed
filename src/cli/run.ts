/**
 * The `pont` command line. Exit codes: 0 no errors, 1 errors in the input, 2 usage error.
 * Output goes to the given streams so tests can run commands in-process.
 */
import { Command, CommanderError, Option } from 'commander';
import { PontError, UsageError } from '../errors/errors.js';
import { hasErrors } from '../fhir/outcome.js';
import type { Conversion } from '../pipeline/pipeline.js';
import { DEFAULT_MAX_BYTES, readInputFile, readSourceFile } from './input-file.js';
import { checkSource, parseDay, parseMaxBytes } from './options.js';
import { evaluateCaseloads } from '../compliance/caseload.js';
import type { ComplianceEngine } from '../compliance/engine.js';
import type { Finding } from '../compliance/finding.js';
import { renderCaseloads, renderJson, renderText, renderTrace, withCompliance, type CheckResult } from './report.js';
import { registerReportCommand } from './report-command.js';
import { PACKAGE_ROOT, type Runtime } from './runtime.js';
import { createMeasureDeps } from '../measures/deps.js';

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

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
export const EXIT_INPUT_ERRORS = 1;
export const EXIT_USAGE = 2;

export async function run(argv: readonly string[], io: Io, runtime: () => Runtime): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('pont')
    .description('FHIR R4 adapter for Care and Treatment Plans under the Mental Health (Wales) Measure 2010')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run "pont --help" for usage)')
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
    .action((files: string[], options: CheckOptions) => {
      const rt = runtime();
      const fixedAsOf = options.asOf === 'extracted' ? undefined : parseDay(options.asOf ?? new Date().toISOString().slice(0, 10), '--as-of');
      const maxBytes = parseMaxBytes(options.maxBytes);
      if (options.source !== undefined) checkSource(options.source, rt);
      const engine = options.standards !== undefined ? rt.complianceWith(options.standards) : rt.compliance;
      if (options.pack !== undefined) engine.pack(options.pack);
      const results: CheckResult[] = files.flatMap((file) => convertFile(file, options.source, maxBytes, rt)).map((conversion) => {
        if (!options.compliance || !conversion.record) return conversion;
        const asOf = fixedAsOf ?? conversion.record.source.extractedAt.slice(0, 10);
        return withCompliance(conversion, engine.evaluate(conversion.record, { asOf, pack: options.pack }));
      });
      const caseloads = options.compliance && fixedAsOf !== undefined ? caseloadsOf(results, engine, fixedAsOf) : [];
      io.stdout(options.format === 'json' ? renderJson(results, caseloads) : renderText(results) + renderCaseloads(caseloads));
      exitCode = results.some((r) => hasErrors(r.issues)) || caseloads.some((f) => f.severity === 'error') ? EXIT_INPUT_ERRORS : EXIT_OK;
    });

  program
    .command('map')
    .description('print the FHIR transaction Bundle for an input (or, with --reverse, the canonical record for a FHIR Bundle)')
    .argument('<file>', 'input file')
    .option('-s, --source <name>', 'input format (ctp, fhir, carepath-json, wpas-csv); guessed from the file when omitted')
    .option('--trace', 'list, on standard error, the mapping rule that produced each output element')
    .option('--reverse', 'read a FHIR Bundle and print the canonical record')
    .option('--max-bytes <n>', 'largest input file accepted, in bytes', String(DEFAULT_MAX_BYTES))
    .action((file: string, options: { source?: string; trace?: boolean; reverse?: boolean; maxBytes: string }) => {
      const rt = runtime();
      const maxBytes = parseMaxBytes(options.maxBytes);
      if (options.reverse) {
        if (options.source !== undefined && options.source !== 'fhir') throw new UsageError('--reverse reads FHIR only; leave out --source or use --source fhir');
        const result = rt.pipeline.reverse(readInputFile(file, maxBytes), file);
        if (options.trace) io.stderr(renderTrace(result.trace));
        if (!result.record || hasErrors(result.issues)) {
          io.stderr(renderText([{ origin: file, index: 0, issues: result.issues, trace: { toRecord: [], toFhir: [] } }]));
          exitCode = EXIT_INPUT_ERRORS;
          return;
        }
        io.stdout(JSON.stringify(result.record, null, 2) + '\n');
        return;
      }
      if (options.source !== undefined) checkSource(options.source, rt);
      const results = convertFile(file, options.source, maxBytes, rt, options.trace === true);
      if (options.trace) for (const r of results) io.stderr(renderTrace([...r.trace.toRecord, ...r.trace.toFhir]));
      if (results.some((r) => hasErrors(r.issues) || !r.bundle)) {
        io.stderr(renderText(results));
        exitCode = EXIT_INPUT_ERRORS;
        return;
      }
      const bundles = results.map((r) => r.bundle);
      io.stdout(JSON.stringify(bundles.length === 1 ? bundles[0] : bundles, null, 2) + '\n');
    });

  registerReportCommand(program, {
    io,
    runtime,
    measureDeps: () => createMeasureDeps(PACKAGE_ROOT),
    setExitCode: (code) => (exitCode = code),
    today: () => new Date().toISOString().slice(0, 10),
  });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version' ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.stderr(`pont: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof PontError) {
      io.stderr(`pont: ${err.message}\n`);
      return err.stage === 'startup' ? EXIT_USAGE : EXIT_INPUT_ERRORS;
    }
    io.stderr('pont: internal error; please report it with the command you ran (no input data is needed to start).\n');
    if (argv.includes('--debug')) io.stderr(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_INPUT_ERRORS;
  }
}

function convertFile(file: string, source: string | undefined, maxBytes: number, rt: Runtime, trace = false): Conversion[] {
  const read = readSourceFile(file, source, maxBytes, rt.sources);
  if ('issues' in read) return [{ origin: file, index: 0, issues: read.issues, trace: { toRecord: [], toFhir: [] } }];
  return rt.pipeline.convert(read.source, read.text, file, { trace });
}

/** Caseload findings for each pack used, over the records that used it. */
function caseloadsOf(results: readonly CheckResult[], engine: ComplianceEngine, asOf: string): Finding[] {
  const byPack = new Map<string, CheckResult[]>();
  for (const r of results) if (r.evaluation && r.record) byPack.set(r.evaluation.pack.id, [...(byPack.get(r.evaluation.pack.id) ?? []), r]);
  return [...byPack].flatMap(([pack, rs]) => evaluateCaseloads(rs.map((r) => r.record!), engine.pack(pack), asOf));
}
