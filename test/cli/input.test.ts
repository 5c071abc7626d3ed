/**
 * The command line's input edge: strict UTF-8 and JSON for every source, --max-bytes for every
 * source, standard input of every kind, records read and written one at a time, and a report that
 * does not depend on the order of its files.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { pontBuild } from '../helpers/build.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

// biome-ignore lint/suspicious/noExplicitAny: raw JSON, changed in ways the typed record cannot express
type RawJson = Record<string, any>;

async function pont(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, testRuntime);
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'pont-input-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const AS_OF = ['--as-of', '2025-11-20'];
const example = (source: string, ext = 'json') => join(ROOT, `examples/${source}/adult-all-eight-areas.${ext}`);
const EXAMPLES = [
  ['ctp', example('ctp')],
  ['carepath-json', example('carepath-json')],
  ['wpas-csv', example('wpas-csv', 'csv')],
] as const;
const adult = JSON.parse(readFileSync(example('ctp'), 'utf8')) as RawJson;
const family: string = adult.patient.names[0].family;

describe('strict input', () => {
  it.each(EXAMPLES)('%s: invalid UTF-8 is an error naming the byte offset, not replaced unseen', async (source, path) => {
    const bytes = readFileSync(path);
    const at = bytes.indexOf(Buffer.from(family));
    const broken = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc3, 0x28]), bytes.subarray(at)]);
    const r = await pont('check', ...AS_OF, '--source', source, file(`bad-utf8-${source}${path.slice(-4)}`, broken));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`The input is not valid UTF-8: the byte at offset ${at} (counting from 0) does not fit the encoding.`);
  });

  it('a key written twice is an error naming the object by its JSON path', async () => {
    const text = JSON.stringify(adult, null, 2).replace('"reviewBy": "2026-02-10",', '"reviewBy": "2026-02-10",\n      "reviewBy": "2027-02-10",');
    const r = await pont('check', ...AS_OF, file('duplicate.json', text));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error +\$\.plans\[0\]: The object has the key "reviewBy" twice \(line \d+, column \d+\)\./);
  });

  it('a FHIR value nested 5,000 deep is an input error, not a stack overflow', async () => {
    const deep = `{"resourceType": "CarePlan", "status": "active", "intent": "plan", "extension": [${'{"extension": ['.repeat(5000)}${']}'.repeat(5000)}]}`;
    const r = await pont('check', ...AS_OF, file('deep.json', deep));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error +\$(\.extension\[0\]){10}… \(1000 levels\): Objects and arrays are nested more than 1000 levels deep \(line 1, column \d+\)\./);
    expect(r.stdout + r.stderr).not.toMatch(/internal|stack/i);
  });

  it.each(EXAMPLES)('%s: --max-bytes is the limit, whatever it is', async (source, path) => {
    // A canonical record file is read a record at a time: the limit is on the record (the JSON value,
    // without the trailing line break); a WPAS extract a person at a time: on the header and that
    // person's rows, line breaks as LF (all of these examples, which each hold one person).
    const text = readFileSync(path, 'utf8');
    const size =
      source === 'ctp'
        ? Buffer.byteLength(text.trim())
        : source === 'wpas-csv'
          ? Buffer.byteLength(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'))
          : readFileSync(path).length;
    const over = await pont('check', ...AS_OF, '--source', source, '--max-bytes', String(size - 1), path);
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/over the \d+-byte limit/);
    const within = await pont('check', ...AS_OF, '--source', source, '--max-bytes', String(size), path);
    expect(within.stdout).not.toMatch(/over the \d+-byte limit/);
    // The old fixed limit of 32 MiB no longer applies under a larger --max-bytes.
    expect((await pont('check', ...AS_OF, '--source', source, '--max-bytes', String(64 * 1024 * 1024), path)).stdout).toBe(within.stdout);
  });
});

describe('records read and written one at a time', () => {
  const second = { ...structuredClone(adult), source: { ...adult.source, recordId: 'ex-adult-2' } };
  const broken = structuredClone(adult);
  delete broken.plans[0].version;

  it('check --format ndjson writes one JSON object per record of a list, numbered, and says which failed', async () => {
    const path = file('list.json', JSON.stringify([adult, broken, second], null, 2));
    const r = await pont('check', ...AS_OF, '--format', 'ndjson', path);
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as RawJson);
    expect(lines.map((l) => [l.file, l.record, l.bundle === null])).toEqual([
      [path, 1, false],
      [path, 2, true],
      [path, 3, false],
    ]);
    expect(lines[1]!.outcome.issue.some((i: RawJson) => i.expression?.[0] === '$[1].plans[0].version')).toBe(true);
  });

  it('reads NDJSON as it reads a list, and check in text names each record', async () => {
    const ndjson = await pont('check', ...AS_OF, file('records.ndjson', [adult, second].map((r) => JSON.stringify(r)).join('\n')), '--source', 'ctp');
    const list = await pont('check', ...AS_OF, file('records-list.json', JSON.stringify([adult, second])));
    expect(ndjson.code).toBe(0);
    expect(ndjson.stdout.replaceAll('records.ndjson', 'X')).toBe(list.stdout.replaceAll('records-list.json', 'X'));
    expect(ndjson.stdout).toMatch(/records\.ndjson \(record 2\): ok/);
    expect(ndjson.stdout).toContain('2 records checked: 2 passed, 0 failed');
  });

  it('map --format ndjson writes one Bundle per line, the same Bundles map writes for each record alone', async () => {
    const r = await pont('map', '--format', 'ndjson', file('two.json', JSON.stringify([adult, second])));
    expect(r.code).toBe(0);
    const bundles = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as RawJson);
    const alone = JSON.parse((await pont('map', example('ctp'))).stdout) as RawJson;
    expect(bundles).toHaveLength(2);
    expect(bundles[0]).toEqual(alone);
    expect(bundles[1]!.resourceType).toBe('Bundle');
  });

  it('map --format ndjson --max-entries writes the Bundles of each record one per line, as map --max-entries lists them', async () => {
    const r = await pont('map', '--format', 'ndjson', '--max-entries', '8', example('ctp'));
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as RawJson);
    expect(lines.length).toBeGreaterThan(1);
    for (const bundle of lines) expect(bundle.entry.length).toBeLessThanOrEqual(8);
    expect(lines).toEqual(JSON.parse((await pont('map', '--max-entries', '8', example('ctp'))).stdout));
  });

  it('a syntax error part-way through a list fails that record, after the records before it', async () => {
    const text = `[${JSON.stringify(adult)},\n${JSON.stringify(second).slice(0, 200)}`;
    const r = await pont('check', ...AS_OF, '--format', 'ndjson', file('cut.json', text));
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as RawJson);
    expect(lines.map((l) => [l.record, l.bundle === null])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(lines[1]!.outcome.issue[0].diagnostics).toMatch(/^The input is not valid JSON \(line 2, column \d+\): (unterminated string|unexpected end of input)\.$/);
  });

  it('--max-bytes limits each record of a list, not the whole list', async () => {
    const records = [adult, second, adult, second].map((r) => JSON.stringify(r));
    const path = file('four.json', `[${records.join(',')}]`);
    const limit = String(Math.max(...records.map((r) => Buffer.byteLength(r))) + 100);
    expect(Buffer.byteLength(readFileSync(path))).toBeGreaterThan(Number(limit));
    const within = await pont('check', ...AS_OF, '--format', 'ndjson', '--max-bytes', limit, path);
    expect(within.code).toBe(0);
    expect(within.stdout.trimEnd().split('\n')).toHaveLength(4);
    const big = { ...second, pad: 'x'.repeat(Number(limit)) };
    const over = await pont('check', ...AS_OF, '--max-bytes', limit, file('big-third.json', `[${records[0]},${records[1]},${JSON.stringify(big)}]`));
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/\(record 1\): ok[\s\S]*\(record 2\): ok/);
    expect(over.stdout).toMatch(/Record 3 is over the \d+-byte limit\./);
  });

  it('an input with no record in it is an error', async () => {
    const r = await pont('check', ...AS_OF, '--source', 'ctp', file('empty-list.json', '[]'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('The input holds no record.');
  });
});

/** Runs the pont executable (this run's build of the sources) with standard input connected as `stdin` says. */
async function pontProcess(args: readonly string[], stdin: 'pipe' | number, input?: Buffer) {
  const child = spawn(process.execPath, [(await pontBuild()).main, ...args], { cwd: ROOT, stdio: [stdin, 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  if (input !== undefined) child.stdin!.end(input);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

describe('standard input', () => {
  const bytes = readFileSync(example('ctp'));
  const args = ['check', ...AS_OF, '--source', 'ctp', '-'];

  it('is read when it is the socket Node.js gives a child process', async () => {
    const r = await pontProcess(args, 'pipe', bytes);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^-: ok, \d+ resources/);
    expect(r.code).toBe(0);
  });

  it('is read when it is a file', async () => {
    const r = await pontProcess(args, openSync(example('ctp'), 'r'));
    expect(r.stdout).toMatch(/^-: ok, \d+ resources/);
    expect(r.code).toBe(0);
  });
});

describe('pont report', () => {
  const base = ['report', '--measure', 'ctp-valid', '--period', '2025-01..2025-06', '--as-of', '2025-12-31', '--format', 'csv'];

  it('gives the same report whatever the order of its files, when two records of one person share an extraction time', async () => {
    const other = structuredClone(adult);
    other.source.system = 'pont-example-z'; // greater: the documented order keeps this one
    other.plans[0].reviewBy = '2025-03-01';
    const folder = (name: string, first: RawJson, next: RawJson) => {
      const path = join(dir, name);
      mkdirSync(path);
      writeFileSync(join(path, 'a.json'), JSON.stringify(first));
      writeFileSync(join(path, 'b.json'), JSON.stringify(next));
      return path;
    };
    const forward = await pont(...base, folder('forward', adult, other));
    const backward = await pont(...base, folder('backward', other, adult));
    const alone = await pont(...base, file('other-alone.json', JSON.stringify(other)));
    expect((await pont(...base, example('ctp'))).stdout).not.toBe(alone.stdout); // the two records count differently
    expect(forward.stdout).toBe(backward.stdout);
    expect(forward.stdout).toBe(alone.stdout);
  });

  it('says so, and exits 2, when a folder holds nothing to count', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = await pont(...base, empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('pont: nothing to count: the folders given hold no files\n');
  });

  it('exits 1 and says so when no valid record was read', async () => {
    const r = await pont(...base, file('no-record.json', '[]'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pont: nothing to count: no valid record was read');
  });
});
