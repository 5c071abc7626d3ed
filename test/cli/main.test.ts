import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/runtime.js';

const MAIN = join(ROOT, 'dist/cli/main.js');

describe('the pont executable', () => {
  it('is built (npm ci runs the build)', () => {
    expect(existsSync(MAIN)).toBe(true);
  });

  it('stops quietly when its reader closes the pipe early, like `pont map … | head`', async () => {
    const command = `set -o pipefail; "${process.execPath}" "${MAIN}" map "${join(ROOT, 'examples/ctp/adult-all-eight-areas.json')}" | head -c 50 > /dev/null`;
    const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
