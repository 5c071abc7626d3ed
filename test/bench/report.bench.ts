/**
 * npx tsx test/bench/report.bench.ts [N] [MONTHS]
 *
 * `pont report --format fhir --individual --measure all` over N generated people (default 5,000)
 * for MONTHS months (default 36), through the command line with standard output going to a file.
 * Before the output was streamed this failed with "internal error" and printed nothing (the
 * Bundle was one JSON string over V8's limit). Prints the time, the bytes written, the entries
 * and the peak resident memory; exits 1 if the run fails or the output is not a whole Bundle.
 */
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';
import { addMonths } from '../../src/time/dates.js';
import { generateHistories } from '../helpers/generate-histories.js';
import { testRuntime } from '../helpers/runtime.js';

const count = Number(process.argv[2] ?? 5000);
const months = Number(process.argv[3] ?? 36);
const to = '2025-12-31';
const first = addMonths('2025-12-01', -(months - 1)).slice(0, 7);

const dir = mkdtempSync(join(tmpdir(), 'pont-report-bench-'));
const records = generateHistories(count, { to });
const perFile = 500;
for (let i = 0; i < records.length; i += perFile) writeFileSync(join(dir, `people-${String(i).padStart(6, '0')}.json`), JSON.stringify(records.slice(i, i + perFile)));
const outPath = join(dir, 'out.json');
const out = createWriteStream(outPath);
let stderr = '';
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);

const core = testRuntime();
const start = process.hrtime.bigint();
const code = await run(
  ['report', '--format', 'fhir', '--individual', '--measure', 'all', '--period', `${first}..2025-12`, '--as-of', to, '--max-bytes', String(1 << 30), dir],
  {
    stdout: (text) => (out.write(text) ? undefined : new Promise<void>((resolve) => out.once('drain', () => resolve()))),
    stderr: (text) => {
      stderr += text;
    },
  },
  () => core,
);
await new Promise<void>((resolve) => out.end(() => resolve()));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);

const bytes = statSync(outPath).size;
/** The output is too large to read back as one string: look at its two ends. */
function slice(position: number, length: number): string {
  const fd = openSync(outPath, 'r');
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, Math.max(0, position));
  closeSync(fd);
  return buffer.subarray(0, read).toString('utf8');
}
const whole = slice(bytes - 16, 16).endsWith('\n  ]\n}\n');
const entries = /"entry": \[\n {4}\{/.test(slice(0, 400));
rmSync(dir, { recursive: true, force: true });
console.log(
  `pont report --individual: ${count} people, ${months} months: exit ${code}, ${seconds.toFixed(1)} s, ${(bytes / 1024 / 1024).toFixed(0)} MB written, peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB${whole && entries ? '' : ', OUTPUT NOT A WHOLE BUNDLE'}`,
);
if (stderr) console.log(stderr.trim());
if (code !== 0 || !whole || !entries) process.exitCode = 1;
