/**
 * npm run bench:memory [-- SMALL LARGE [wpas-csv|carepath-json]]
 *
 * Peak memory of `pont check --format ndjson` as the input grows: SMALL (default 10,000) and
 * LARGE (default 100,000) generated canonical records are written as NDJSON (or, with `wpas-csv`,
 * people of a WPAS extract, the rows of examples/wpas-csv/plan-not-agreed.csv under a new
 * PATIENT_ID and NHS number each; with `carepath-json`, clients of one CarePath export, the
 * examples' clients in turn under a new ClientID and NHS number each) to the standard input
 * of a pont process (a socket, as Node gives a child), each record as rich as the bundled
 * examples; the output is counted and thrown away. Each run is a fresh process, which reports its
 * own peak resident memory (`process.resourceUsage().maxRSS`) when it exits. Prints the time and
 * peak RSS of both and their ratio; exits 1 if a run fails, loses a record, or the large run's
 * peak is more than 10% above the small one's.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { templates, testNhsNumber } from '../helpers/generate.js';
import { ROOT } from '../helpers/runtime.js';

const small = Number(process.argv[2] ?? 10_000);
const large = Number(process.argv[3] ?? 100_000);
const format = process.argv[4] === 'wpas-csv' || process.argv[4] === 'carepath-json' ? process.argv[4] : 'ctp';
const [csvHeader = '', ...csvRows] = readFileSync(join(ROOT, 'examples/wpas-csv/plan-not-agreed.csv'), 'utf8').trimEnd().split(/\r?\n/);
const csvPatient = /^[^,]*,[^,]*,([^,]*),([^,]*),/.exec(csvRows[0] ?? '');

/** The i-th person of a WPAS extract: the example's rows under their own PATIENT_ID and NHS number. */
function personRows(i: number): string {
  const [, id = '', nhs = ''] = csvPatient ?? [];
  return `${csvRows.map((row) => row.replace(`,${id},${nhs},`, `,P${i},${testNhsNumber(i)},`)).join('\n')}\n`;
}
const carePathFiles = readdirSync(join(ROOT, 'examples/carepath-json'))
  .sort()
  .map((name) => JSON.parse(readFileSync(join(ROOT, 'examples/carepath-json', name), 'utf8')) as { exportMeta: unknown; client: Record<string, unknown> });

/** The i-th client of a CarePath export: an example client under its own ClientID and NHS number. */
function clientText(i: number): string {
  const { exportMeta: _, ...client } = structuredClone(carePathFiles[i % carePathFiles.length]!);
  client.client = { ...client.client, ClientID: `BENCH${i}`, NHSNumber: testNhsNumber(i) };
  return `${i === 0 ? '' : ',\n'}${JSON.stringify(client)}`;
}

const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss '+process.resourceUsage().maxRSS+'\\n'))`;

/** The i-th record: an example scenario with its own record id and NHS number. */
function recordLine(bases: readonly unknown[], i: number): string {
  const record = structuredClone(bases[i % bases.length]) as { source: Record<string, unknown>; patient?: { nhsNumber?: string } };
  record.source = { ...record.source, recordId: `bench-${i}` };
  if (record.patient) record.patient.nhsNumber = testNhsNumber(i);
  return `${JSON.stringify(record)}\n`;
}

async function measure(count: number): Promise<{ seconds: number; peakMb: number; lines: number; code: number | null }> {
  const bases = templates();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', REPORT_RSS, join(ROOT, 'src/cli/main.ts'), 'check', '--format', 'ndjson', '--as-of', '2025-11-20', '--source', format, '-'],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let lines = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) lines++;
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const start = process.hrtime.bigint();
  if (format === 'wpas-csv') child.stdin.write(`${csvHeader}\n`);
  if (format === 'carepath-json') child.stdin.write(`{"exportMeta":${JSON.stringify(carePathFiles[0]!.exportMeta)},"clients":[\n`);
  for (let i = 0; i < count; i++) {
    const text = format === 'wpas-csv' ? personRows(i) : format === 'carepath-json' ? clientText(i) : recordLine(bases, i);
    if (!child.stdin.write(text)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  }
  child.stdin.end(format === 'carepath-json' ? ']}\n' : undefined);
  const code = await closed;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = /maxrss (\d+)/.exec(stderr);
  const other = stderr.replace(/maxrss \d+\n/, '').trim();
  if (other) console.log(other);
  return { seconds, peakMb: rss ? Number(rss[1]) / 1024 : Number.NaN, lines, code };
}

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
const results = [];
for (const count of [small, large]) {
  const r = await measure(count);
  results.push(r);
  console.log(
    `pont check --format ndjson --source ${format}: ${count} records: exit ${r.code}, ${r.lines} lines, ${r.seconds.toFixed(0)} s (${(count / r.seconds).toFixed(0)} records/s), peak RSS ${r.peakMb.toFixed(0)} MiB`,
  );
}
const [a, b] = results as [Awaited<ReturnType<typeof measure>>, Awaited<ReturnType<typeof measure>>];
const ratio = b.peakMb / a.peakMb;
console.log(`peak RSS ${large} / ${small} records: ${ratio.toFixed(3)} (limit 1.10)`);
// A record whose exit is 1 (a compliance finding) is a verdict, not a failure of the run.
const ok = [a, b].every((r, i) => (r.code === 0 || r.code === 1) && r.lines === [small, large][i]) && ratio <= 1.1;
if (!ok) process.exitCode = 1;
