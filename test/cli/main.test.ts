/** The `pont` executable as a process, run from the sources (through tsx), so it never tests a stale build. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/runtime.js';

const MAIN = join(ROOT, 'src/cli/main.ts');
const PONT = `"${process.execPath}" --import tsx "${MAIN}"`;

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
});
