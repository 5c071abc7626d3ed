/**
 * npm run bench:compliance [-- N]
 *
 * N synthetic people (default 25,000) with multi-year histories (test/helpers/generate-histories.ts).
 * Reports, in one run and on one core:
 *   1. every rule of each pack over every person's whole history (people/s): the Welsh pack over
 *      the histories, then every pack over the same histories carrying the evidence the English
 *      policies need (test/helpers/generate-english-histories.ts), so that the packs are compared
 *      on the same people;
 *   2. the monthly StatsWales Part 2 MeasureReport for all of them over 12 months (seconds);
 *   3. for comparison, mapping alone (ctp-to-fhir) and mapping + validation (the pipeline's
 *      toBundle) on the first 5,000 of the same people, as people/s.
 * Each figure is the second of two passes (the first warms up).
 */
import { resolve } from 'node:path';
import { createComplianceEngine } from '../../src/compliance/engine.js';
import { loadRulePacks } from '../../src/compliance/load-packs.js';
import { builtInTemplates } from '../../src/compliance/templates/index.js';
import { createValidator } from '../../src/fhir/validate.js';
import { loadMappings } from '../../src/mapping/loader.js';
import { ctpValid } from '../../src/measures/definitions/ctp-valid.js';
import { createMeasureDeps } from '../../src/measures/deps.js';
import { parsePeriod } from '../../src/measures/period.js';
import { renderCsv, runMeasures } from '../../src/measures/run-measures.js';
import { createPipeline } from '../../src/pipeline/pipeline.js';
import { loadProfiles } from '../../src/profiles/load-profiles.js';
import { withEnglishEvidence } from '../helpers/generate-english-histories.js';
import { generateHistories } from '../helpers/generate-histories.js';
import { secondPass } from './second-pass.js';

const ROOT = resolve(import.meta.dirname, '../..');
const count = Number(process.argv[2] ?? 25_000);
const asOf = '2025-12-31';
const records = generateHistories(count);
const englishRecords = withEnglishEvidence(records);
const sample = records.slice(0, Math.min(count, 5_000));

const engine = createComplianceEngine(loadRulePacks(resolve(ROOT, 'mappings/rule-packs'), builtInTemplates()));
const mappings = loadMappings(resolve(ROOT, 'mappings'));
const ctpToFhir = mappings.find('ctp', 'fhir')!;
const pipeline = createPipeline({ mappings, validator: createValidator(loadProfiles(resolve(ROOT, 'profiles'))) });
const deps = createMeasureDeps(ROOT);
const window = { months: parsePeriod('2025-01..2025-12'), asOf };

console.log(`compliance benchmark: ${count} people, as of ${asOf}, Node ${process.version}\n`);

const timed = (label: string, n: number, body: () => void): number => secondPass(label, n, body).rate;

let findings = 0;
const rates: Record<string, number> = {};
for (const pack of engine.packs) {
  rates[pack.id] = timed(`all ${pack.rules.length} rules of ${pack.id}`, count, () => {
    findings = 0;
    for (const r of records) findings += engine.evaluate(r, { asOf, pack: pack.id }).findings.length;
  });
}
const welshFindings = findings;
const englishRates: Record<string, number> = {};
for (const pack of engine.packs) {
  englishRates[pack.id] = timed(`all ${pack.rules.length} rules of ${pack.id}, with English evidence`, count, () => {
    for (const r of englishRecords) engine.evaluate(r, { asOf, pack: pack.id });
  });
}
findings = welshFindings;
const report = timed('StatsWales Part 2 MeasureReport, 12 months (ctp-valid → CSV)', count, () => void renderCsv(runMeasures(records, [ctpValid], window, deps), deps));
const mapping = timed(`mapping alone (ctp-to-fhir), first ${sample.length}`, sample.length, () => {
  for (const r of sample) ctpToFhir.toResources(r);
});
const pipelineRate = timed(`mapping + validation (toBundle), first ${sample.length}`, sample.length, () => {
  for (const r of sample) pipeline.toBundle(r);
});

const wales = rates['wales-measure']!;
console.log(
  `\nWelsh rules: ${((1 / wales) * 1000).toFixed(3)} ms/person; mapping alone ${((1 / mapping) * 1000).toFixed(3)} ms; mapping + validation ${((1 / pipelineRate) * 1000).toFixed(3)} ms`,
);
// The packs' passes above follow each other once, so a ratio of two of them can carry a minute's
// difference in the machine or the heap. The ratios come instead from rounds that time every pack
// once in turn: the median of each pack's rounds, and the spread of the rounds' own ratios. Each
// round starts with the next pack, so that no pack always runs straight after the same one. As for
// every figure here, a first round warms up (the mapping and validation passes ran in between) and
// is not counted.
const ROUNDS = 9;
const roundSeconds = new Map(engine.packs.map((p) => [p.id, [] as number[]]));
for (let round = -1; round < ROUNDS; round++) {
  const first = Math.max(round, 0) % engine.packs.length;
  for (const pack of [...engine.packs.slice(first), ...engine.packs.slice(0, first)]) {
    const start = process.hrtime.bigint();
    for (const r of englishRecords) engine.evaluate(r, { asOf, pack: pack.id });
    if (round >= 0) roundSeconds.get(pack.id)!.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
}
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const welshRounds = roundSeconds.get('wales-measure')!;
for (const pack of engine.packs) {
  if (pack.id === 'wales-measure') continue;
  const own = roundSeconds.get(pack.id)!;
  const perRound = own.map((s, i) => s / welshRounds[i]!);
  const ratio = median(own) / median(welshRounds);
  console.log(
    `${pack.id}: ${ratio.toFixed(2)} × the Welsh pack's time per person on the same histories with English evidence, median of ${ROUNDS} rounds (rounds ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}; aim: at most 1)`,
  );
}
console.log(`rules add ${((100 * (1 / wales)) / (1 / pipelineRate)).toFixed(0)}% to the mapping and validation they follow (aim: under 100%)`);
console.log(`12-month report: ${(count / report).toFixed(2)} s for ${count} people (aim: under 5 s); ${findings} findings in the last Welsh pass`);
