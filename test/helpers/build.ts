/**
 * The build of the sources for tests that start a real process or thread (its folder comes from
 * test/setup/build.ts). The first worker to ask compiles it; the others wait for its status file.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { waitFor } from './wait.js';

export interface PontBuild {
  /** The compiled `pont` entry point (src/cli/main.ts), to run with `node`. */
  readonly main: string;
  /** A compiled file of the build, by its source path relative to the project root (`test/x/y.ts` → …/test/x/y.js). */
  file(source: string): string;
}

interface BuildStatus {
  readonly ok: boolean;
  readonly output: string;
}

const TSC = resolve(import.meta.dirname, '../../node_modules/typescript/bin/tsc');
const STATUS = 'build-status.json';

let ready: Promise<PontBuild> | undefined;

/** The build, compiled by the first caller of the run; fails with tsc's own output if it failed. */
export function pontBuild(): Promise<PontBuild> {
  ready ??= (async () => {
    const dir = inject('pontBuild');
    if (claim(dir)) await compile(dir);
    else await waitFor(() => existsSync(join(dir, STATUS)), 120_000);
    const status = JSON.parse(readFileSync(join(dir, STATUS), 'utf8')) as BuildStatus;
    if (!status.ok) throw new Error(`the test build of the sources failed (test/helpers/build.ts): ${status.output}`);
    const file = (source: string) => join(dir, source.replace(/\.ts$/, '.js'));
    return { main: file('src/cli/main.ts'), file };
  })();
  return ready;
}

/** Whether this worker is the one to compile (creating a folder is atomic: one caller succeeds). */
function claim(dir: string): boolean {
  try {
    mkdirSync(join(dir, 'compiling'));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function compile(dir: string): Promise<void> {
  const child = spawn(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const status = await new Promise<BuildStatus>((done) => {
    child.on('error', (err) => done({ ok: false, output: `tsc could not be started: ${err.message}` }));
    child.on('close', (code) => done({ ok: code === 0, output: code === 0 ? '' : `tsc exited with ${code}:\n${output}` }));
  });
  // Written whole, then renamed: a waiting worker never reads half of it.
  writeFileSync(join(dir, `${STATUS}.partial`), JSON.stringify(status));
  renameSync(join(dir, `${STATUS}.partial`), join(dir, STATUS));
}
