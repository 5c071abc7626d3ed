/**
 * Vitest global setup: the folder for one build of the sources per test run, for the tests that
 * need a real process or thread (the `pont` executable, the re-entrancy worker threads). Starting
 * each of those through tsx costs a third of a second of CPU more than plain JavaScript, and tsx
 * again in every thread; one `tsc --noCheck` costs less than two of them. The first test that
 * asks for the build compiles it (test/helpers/build.ts); a run that needs none compiles nothing.
 *
 * The build is laid out like the package: `src/` and `test/` compiled beside links to the
 * configuration (mappings/, profiles/), the examples, package.json and node_modules, so that the
 * compiled `src/cli/main.js` finds its configuration two folders up, as `dist/cli/main.js` does.
 * Built from the sources during the run, it is never stale.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder the build goes to, with its tsconfig.json written and the links in place. */
    pontBuild: string;
  }
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
  project.provide('pontBuild', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
