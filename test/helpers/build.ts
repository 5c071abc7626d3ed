/** The build of the sources that test/setup/build.ts makes once per run, for tests that start a real process or thread. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { BUILD_STATUS, type BuildStatus } from '../setup/build.js';
import { waitFor } from './wait.js';

export interface PontBuild {
  /** The compiled `pont` entry point (src/cli/main.ts), to run with `node`. */
  readonly main: string;
  /** A compiled file of the build, by its source path relative to the project root (`test/x/y.ts` → …/test/x/y.js). */
  file(source: string): string;
}

let ready: Promise<PontBuild> | undefined;

/** Waits for the build (it runs while the first test files do) and fails with tsc's own output if it failed. */
export function pontBuild(): Promise<PontBuild> {
  ready ??= (async () => {
    const dir = inject('pontBuild');
    const statusFile = join(dir, BUILD_STATUS);
    await waitFor(() => existsSync(statusFile), 120_000);
    const status = JSON.parse(readFileSync(statusFile, 'utf8')) as BuildStatus;
    if (!status.ok) throw new Error(`the test build of the sources failed (test/setup/build.ts): ${status.output}`);
    const file = (source: string) => join(dir, source.replace(/\.ts$/, '.js'));
    return { main: file('src/cli/main.ts'), file };
  })();
  return ready;
}
