/** `pont map --max-entries N`: the CLI passes the limit to splitTransaction (tested in test/fhir/bundle.test.ts) and prints the series. */
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { splitTransaction } from '../../src/fhir/bundle.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

async function pont(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, testRuntime);
  return { code, stdout, stderr };
}

const adultPath = join(ROOT, 'examples/ctp/adult-all-eight-areas.json');

describe('pont map --max-entries', () => {
  it('prints the ordered series of transaction Bundles, each within the limit', async () => {
    const whole = JSON.parse((await pont('map', adultPath)).stdout) as Bundle;
    const r = await pont('map', '--max-entries', '8', adultPath);
    expect(r.code).toBe(0);
    const series = JSON.parse(r.stdout) as Bundle[];
    expect(series).toEqual(splitTransaction(whole, 8));
    expect(series.length).toBeGreaterThan(1);
    for (const b of series) expect(b.entry!.length).toBeLessThanOrEqual(8);
  });

  it('prints a list of one Bundle when the record fits', async () => {
    const whole = JSON.parse((await pont('map', adultPath)).stdout) as Bundle;
    const r = await pont('map', '--max-entries', String(whole.entry!.length), adultPath);
    expect(JSON.parse(r.stdout)).toEqual([whole]);
  });

  it('is a usage error when not a positive whole number, too small for a record, or with --reverse', async () => {
    for (const n of ['0', '-3', '2.5', 'eight']) {
      const r = await pont('map', '--max-entries', n, adultPath);
      expect(r.code, n).toBe(2);
      expect(r.stderr).toContain('--max-entries must be a positive whole number');
    }
    const small = await pont('map', '--max-entries', '1', adultPath);
    expect(small.code).toBe(2);
    expect(small.stdout).toBe('');
    expect(small.stderr).toMatch(/at most 1 entry cannot hold entry \d+ \(\w+\) with the conditional entries it refers to: allow at least \d+/);
    expect((await pont('map', '--reverse', '--max-entries', '8', adultPath)).code).toBe(2);
  });

  it('is described in pont map --help', async () => {
    const r = await pont('map', '--help');
    expect(r.stdout).toContain('--max-entries <n>');
  });
});
