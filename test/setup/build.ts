/**
 * Vitest global setup: one build of the sources per test run, for the tests that need a real
 * process or thread (the `pont` executable, the re-entrancy worker threads). Starting each of
 * those through tsx costs a third of a second of CPU more than plain JavaScript, and tsx again in
 * every thread; one `tsc --noCheck` costs less than two of them, and runs in the background while
 * the first test files run (`test/helpers/build.ts` waits for it).
 *
 * The build is laid out like the package: `src/` and `test/` compiled beside links to the
 * configuration (mappings/, profiles/), the examples, package.json and node_modules, so that the
 * compiled `src/cli/main.js` finds its configuration two folders up, as `dist/cli/main.js` does.
 * Built from the sources at the start of every run, it is never stale.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder the build is written to; its status file appears when tsc has finished. */
    pontBuild: string;
  }
}

/** Written into the build folder when tsc has finished: whether it succeeded, and if not what it said. */
export const BUILD_STATUS = 'build-status.json';
export interface BuildStatus {
  readonly ok: boolean;
  readonly output: string;
}

const ROOT = resolve(import.meta.dirname, '../..');
const LINKED = ['package.json', 'node_modules', 'mappings', 'profiles', 'examples'];
/** What runs outside the test runner: everything under src/, and the re-entrancy test's worker with what it imports. */
const ENTRIES = ['src/**/*.ts', 'test/reentrancy/worker.ts'];

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'pont-build-'));
  for (const name of LINKED) symlinkSync(join(ROOT, name), join(dir, name));
  const tsconfig = {
    extends: join(ROOT, 'tsconfig.json'),
    compilerOptions: { rootDir: ROOT, outDir: dir, noCheck: true, sourceMap: false },
    include: ENTRIES.map((e) => join(ROOT, e)),
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const child = spawn(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let stopped = false;
  const done = (status: BuildStatus) => {
    if (!stopped) writeFileSync(join(dir, BUILD_STATUS), JSON.stringify(status));
  };
  child.on('error', (err) => done({ ok: false, output: `tsc could not be started: ${err.message}` }));
  child.on('close', (code) => done({ ok: code === 0, output: code === 0 ? '' : `tsc exited with ${code}:\n${output}` }));
  project.provide('pontBuild', dir);
  return () => {
    stopped = true;
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
}
