/**
 * npm run bench:measures [-- N]
 *
 * N synthetic people (default 25,000) with multi-year histories; every measure over 12
 * consecutive months. Reports people/s and seconds for:
 *   1. the 12-month StatsWales Part 2 report (ctp-valid → CSV), from parsed records;
 *   2. all seven measures for the same 12 months, with summary MeasureReports as FHIR JSON;
 *   3. the same as 1, from JSON text through the record schema (what `pont report` also does).
 * Each record is reduced to facts once; months and measures reuse them.
 */
import { resolve } from 'node:path';
import { ctpValid } from '../../src/measures/definitions/ctp-valid.js';
import { createMeasureDeps } from '../../src/measures/deps.js';
import { parsePeriod } from '../../src/measures/period.js';
import { measures } from '../../src/measures/registry.js';
import { renderCsv, renderFhirBundle, runMeasures } from '../../src/measures/run-measures.js';
import { parseRecord } from '../../src/record/parse-record.js';
import { generateHistories } from '../helpers/generate-histories.js';

const count = Number(process.argv[2] ?? 25_000);
const window = { months: parsePeriod('2025-01..2025-12'), asOf: '2025-12-31' };
const deps = createMeasureDeps(resolve(import.meta.dirname, '../..'));

const generatedAt = process.hrtime.bigint();
const records = generateHistories(count);
const texts = records.map((r) => JSON.stringify(r));
console.log(`measures benchmark: ${count} people, ${window.months.length} months, Node ${process.version} (generated in ${seconds(generatedAt).toFixed(1)} s)\n`);

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function time(label: string, body: () => string): string {
  body(); // warm-up, not timed
  const start = process.hrtime.bigint();
  const output = body();
  const s = seconds(start);
  console.log(`${label.padEnd(62)} ${(count / s).toFixed(0).padStart(8)} people/s  ${s.toFixed(2).padStart(6)} s`);
  return output;
}

const csv = time('StatsWales Part 2, 12 months (ctp-valid → CSV)', () => renderCsv(runMeasures(records, [ctpValid], window, deps), deps));
time('all 7 measures, 12 months (summary MeasureReports, FHIR JSON)', () => renderFhirBundle(runMeasures(records, measures, window, deps)));
time('StatsWales Part 2, 12 months, from JSON text (parse + schema)', () =>
  renderCsv(
    runMeasures(
      texts.map((t, i) => parseRecord(JSON.parse(t), `person ${i}`)),
      [ctpValid],
      window,
      deps,
    ),
    deps,
  ),
);

const rows = csv
  .trimEnd()
  .split('\r\n')
  .slice(1)
  .map((l) => l.split(','));
const december = rows.filter((r) => r[0] === '2025-12');
const sum = (i: number) => december.reduce((n, r) => n + Number(r[i]), 0);
console.log(`\nDecember 2025, all Wales: ${sum(4)} of ${sum(5)} people in receipt of services hold a valid CTP (${((100 * sum(4)) / sum(5)).toFixed(1)}%)`);
