/** The `pont` executable as a process, run from this run's build of the sources (test/setup/build.ts), so it never tests a stale build. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeVersionProblem, REQUIRED_NODE_MAJOR } from '../../src/cli/node-version.js';
import { pontBuild } from '../helpers/build.js';
import { ROOT } from '../helpers/runtime.js';

let MAIN = '';
let PONT = '';
beforeAll(async () => {
  MAIN = (await pontBuild()).main;
  PONT = `"${process.execPath}" "${MAIN}"`;
}, 120_000);

async function shell(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', command], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

describe('the pont executable', () => {
  it('stops quietly when its reader closes the pipe early, like `pont map … | head`', async () => {
    const r = await shell(`set -o pipefail; ${PONT} map "${join(ROOT, 'examples/ctp/adult-all-eight-areas.json')}" | head -c 50 > /dev/null`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('runs on the Node.js it needs', async () => {
    const r = await shell(`${PONT} --help`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: pont/);
  });
});

describe('on an older Node.js', () => {
  it('accepts every version from the required major on, and names any older one with the way to get the right one', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(30), fc.nat(30), (major, minor, patch) => {
        const version = `${major}.${minor}.${patch}`;
        const problem = nodeVersionProblem(version);
        if (major >= REQUIRED_NODE_MAJOR) expect(problem).toBeUndefined();
        else {
          expect(problem).toContain(`Node.js ${version}`);
          expect(problem).toContain(`Node.js ${REQUIRED_NODE_MAJOR}`);
          expect(problem).toMatch(/npm ci.*nvm install/);
          expect(problem).not.toContain('\n');
        }
      }),
    );
  });

  // The machine's own Node (v20 on the project's machines) is a real older Node, not a simulation.
  const systemNode = '/usr/bin/node';
  const present = existsSync(systemNode);
  if (!present) console.warn(`skipped: no system Node.js at ${systemNode} to start pont on`);
  it.skipIf(!present)('says in one line on standard error which version pont needs, and exits 2', async () => {
    const version = await shell(`${systemNode} -p process.versions.node`);
    const r = await shell(`${systemNode} "${MAIN}" --help`);
    if (Number(version.stdout.split('.')[0]) >= REQUIRED_NODE_MAJOR) {
      expect(r.code).toBe(0); // a system Node that is new enough simply runs pont
      return;
    }
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`pont: ${nodeVersionProblem(version.stdout.trim())}\n`);
  });
});
