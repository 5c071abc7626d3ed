/** A WPAS extract of several people read from a file as the CLI reads it: one person at a time, with the same results as reading it whole. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../src/cli/input-file.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

const core = testRuntime();
const dir = mkdtempSync(join(tmpdir(), 'pont-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rowsOf = (name: string) =>
  readFileSync(join(ROOT, 'examples/wpas-csv', name), 'utf8')
    .trimEnd()
    .split(/\r?\n/);
const [header = '', ...first] = rowsOf('plan-not-agreed.csv');
const second = rowsOf('child-with-parents.csv').slice(1);
// The second person's date of birth made impossible, so that a problem has a line to be named by.
const broken = second.map((row, i) => (i === 0 ? row.replace(/,(\d{8}),/, ',20250230,') : row));

async function streamed(text: string) {
  const file = join(dir, `extract-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  const inputs = readInputs([file], { maxBytes: 1 << 20, known: core.sources, isKnownKey: () => false });
  const results = [];
  for await (const r of core.checkEach(inputs, { asOf: 'extracted' }).results) results.push(r);
  return results;
}

const whole = (text: string) => core.check([{ origin: 'extract.csv', source: 'wpas-csv', text }], { asOf: 'extracted' }).results;
const summary = (results: readonly { record?: { source: { recordId: string } }; issues: { severity: string; diagnostics?: string; expression?: string[] }[] }[]) =>
  results.map((r) => ({
    record: r.record?.source.recordId,
    errors: r.issues.filter((i) => i.severity === 'error').map((i) => `${i.expression?.[0] ?? ''} ${(i.diagnostics ?? '').replace(/^\S+: /, '')}`),
  }));

describe('a WPAS extract of several people, read by the command line', () => {
  it('gives each person the result reading the whole extract gives', async () => {
    const text = [header, ...first, ...second].join('\r\n');
    const people = await streamed(text);
    expect(people).toHaveLength(2);
    expect(summary(people)).toEqual(summary(whole(text)));
  });

  it('names a problem in the second person’s rows by the extract’s own line, and still checks the first person', async () => {
    const text = [header, ...first, ...broken].join('\n');
    const [one, two] = await streamed(text);
    expect(one?.record).toBeDefined();
    const line = 1 + first.length + 1;
    expect(two?.issues.some((i) => i.severity === 'error' && (i.expression?.[0] ?? i.diagnostics ?? '').includes(`line ${line}`))).toBe(true);
  });
});
