/**
 * `pont worker` as a real process, for tests and benchmarks: from the test build's compiled entry
 * point when one is given (test/helpers/build.ts; the tests), otherwise from the sources through tsx
 * (the benchmarks, which run outside the test runner). Through tsx every start compiles the
 * sources again, in the process and in each of its check threads: seconds of CPU per worker.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './runtime.js';
import { waitFor } from './wait.js';

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it has written to standard error so far. */
  stderr(): string;
}

/**
 * Starts `pont worker ARGS` with `env` added to this process's environment and resolves once it
 * says it runs; rejects with what it wrote if it exits first. `main` is a compiled `pont` entry
 * point to run instead of the sources.
 */
export async function startWorkerProcess(args: readonly string[], env: Readonly<Record<string, string | undefined>>, main?: string): Promise<WorkerProcess> {
  const entry = main === undefined ? ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')] : [main];
  const child = spawn(process.execPath, [...entry, 'worker', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await waitFor(() => err.includes('pont worker: running') || child.exitCode !== null || child.signalCode !== null, 60_000);
  if (!err.includes('pont worker: running')) throw new Error(`pont worker did not start: ${err}`);
  return { child, exited, stderr: () => err };
}
