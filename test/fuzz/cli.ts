/**
 * A fuzzed input through the real `pont` executable (a child process, with the bytes written to a
 * file; `npm run fuzz` runs it from the sources through tsx, the test suite from its build of the
 * sources, test/setup/build.ts): the diagnostics are all of standard error, and
 * standard output except where it carries the data on purpose (the Bundle or record `map` prints
 * when it succeeds, the MeasureReports of `report`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/runtime.js';
import { COMMANDS, type Command, type Leak } from './harness.js';
import type { BuiltInput } from './inputs.js';

/** How to start `pont` with node: its entry point and what node needs before it. */
export type PontCommand = readonly string[];
/** `pont` from the sources, through tsx. */
export const PONT_FROM_SOURCES: PontCommand = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
const dir = mkdtempSync(join(tmpdir(), 'pont-fuzz-'));

const ARGS: Readonly<Record<Command, readonly string[]>> = {
  check: ['check', '--as-of', 'extracted'],
  map: ['map'],
  'map --reverse': ['map', '--reverse'],
  report: ['report', '--measure', 'all', '--period', '2025-10..2025-11', '--as-of', '2025-12-31'],
};

export interface CliRun {
  readonly command: Command;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one command (chosen by `index`) on the input as a file. */
export async function runCliCommand(input: BuiltInput, index: number, pont: PontCommand = PONT_FROM_SOURCES): Promise<CliRun> {
  const command = COMMANDS[index % COMMANDS.length]!;
  const file = join(dir, `input-${index}.${input.format === 'wpas-csv' ? 'csv' : 'json'}`);
  writeFileSync(file, input.bytes);
  const source = command === 'map --reverse' ? [] : ['--source', input.format];
  const child = spawn(process.execPath, [...pont, ...ARGS[command], ...source, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { command, code, stdout, stderr };
}

/** What the executable printed as diagnostics for a run: stderr, and stdout unless it is the data itself. */
export function cliDiagnostics(run: CliRun): string {
  const stdoutIsData = run.command === 'report' || ((run.command === 'map' || run.command === 'map --reverse') && run.code === 0);
  return stdoutIsData ? run.stderr : `${run.stdout}\n${run.stderr}`;
}

export async function runCli(input: BuiltInput, index: number, pont: PontCommand = PONT_FROM_SOURCES): Promise<Leak[]> {
  const run = await runCliCommand(input, index, pont);
  const said = cliDiagnostics(run);
  return said
    .split('\n')
    .map((line) => ({ line, markers: input.markers.foundIn(line) }))
    .filter((l) => l.markers.length > 0)
    .map((l) => ({ command: run.command, form: input.markers.redact(l.line), markers: l.markers }));
}
