/**
 * npm run bench:quality [-- N]
 *
 * N synthetic people (default 25,000) with multi-year histories (test/helpers/generate-histories.ts)
 * and the evidence the English packs need (generate-english-histories.ts: among it review meetings
 * with when each participant was in the room and whether the person agreed to an invitee, which
 * the meeting signals PE-49 and PE-50 judge), each plan given invented outcome and action text (test/quality/plan-text-generator.ts); 1% of
 * people get a lightly edited copy of another person's plan, and 0.5% a legacy template's wording.
 * Reports, in one run and on one core, each figure the second of two passes (the first warms up):
 *   1. the Welsh pack over every person (people/s, ms/person);
 *   2. the quality pack over every person, beside it (aim: no more per person than the Welsh);
 *   3. the cross-record search for shared plan text over every person's current plans (aim: under
 *      10 s for 25,000), with how many planted copies it found and how many other pairs it linked;
 *   4. `pont report --measure quality` over 12 months (every signal, per person and month) to CSV;
 *   5. both packs again over records on which every signal is judged: each signal's built case and
 *      control from the tests (test/quality/signal-cases.ts) and the good record, taken in turn to
 *      N records, since some signals need evidence the generated histories do not carry.
 */
import { resolve } from 'node:path';
import { createComplianceEngine } from '../../src/compliance/engine.js';
import { loadRulePacks } from '../../src/compliance/load-packs.js';
import { builtInTemplates } from '../../src/compliance/templates/index.js';
import { createMeasureDeps } from '../../src/measures/deps.js';
import { parsePeriod } from '../../src/measures/period.js';
import { renderCsv, runMeasures } from '../../src/measures/run-measures.js';
import { directoryConfig } from '../../src/ports/directory-config.js';
import { createQualityEngine } from '../../src/quality/quality-engine.js';
import { qualityMeasures } from '../../src/quality/quality-measures.js';
import { loadSharedTextSettings, sharedTextSearch } from '../../src/quality/shared-text.js';
import { withEnglishEvidence } from '../helpers/generate-english-histories.js';
import { generateHistories } from '../helpers/generate-histories.js';
import { ASOF as CASES_AS_OF, goodRecord } from '../quality/helpers.js';
import { textGenerator, withPlanText } from '../quality/plan-text-generator.js';
import { signalCases, signalControls } from '../quality/signal-cases.js';
import { secondPass } from './second-pass.js';

const ROOT = resolve(import.meta.dirname, '../..');
const count = Number(process.argv[2] ?? 25_000);
const asOf = '2025-12-31';
const gen = textGenerator(25);
const texts = Array.from({ length: count }, () => gen.plan(60));
const settings = loadSharedTextSettings(directoryConfig(ROOT));
const copies = new Map<number, number>();
for (let i = 0; i < count; i += 100) {
  // An original is never itself a planted copy or a legacy plan (indices that are multiples of 50).
  const original = (i * 7919 + 13) % count;
  if (original % 50 === 0) continue;
  texts[i] = gen.edited(texts[original]!, 1);
  copies.set(i, original);
}
for (let i = 50; i < count; i += 200) texts[i] = `${settings.legacyTemplates[0]!.text} ${gen.plan(8)}`;
const records = withPlanText(withEnglishEvidence(generateHistories(count)), (i) => texts[i]!);
// A copy is only findable when both people have a plan to hold the text (a few generated people have none).
const hasPlan = (i: number) => (records[i]!.plans ?? []).length > 0;
for (const [copy, original] of copies) if (!hasPlan(copy) || !hasPlan(original)) copies.delete(copy);

const welsh = createComplianceEngine(loadRulePacks(resolve(ROOT, 'mappings/rule-packs'), builtInTemplates()));
const quality = createQualityEngine(directoryConfig(ROOT));

console.log(`quality benchmark: ${count} people, as of ${asOf}, Node ${process.version}\n`);

const timed = (label: string, n: number, body: () => void): number => secondPass(label, n, body).seconds;

let welshFindings = 0;
let qualityFindings = 0;
const welshSeconds = timed(`all ${welsh.pack('wales-measure').rules.length} rules of wales-measure`, count, () => {
  welshFindings = 0;
  for (const r of records) welshFindings += welsh.evaluate(r, { asOf, pack: 'wales-measure' }).findings.length;
});
const qualitySeconds = timed(`all ${quality.engine.pack('practice-quality').rules.length} signals of practice-quality`, count, () => {
  qualityFindings = 0;
  for (const r of records) qualityFindings += quality.engine.evaluate(r, { asOf }).findings.length;
});
let result = sharedTextSearch(settings).search();
let plans = 0;
const searchSeconds = timed('shared plan text: shingles, MinHash, LSH and confirmation', count, () => {
  const search = sharedTextSearch(settings);
  records.forEach((r, i) => search.add(r, `person-${i}`));
  plans = search.size;
  result = search.search();
});

const measureDeps = createMeasureDeps(ROOT);
const reportSeconds = timed('quality measures, 12 months (every signal → CSV)', count, () => {
  const definitions = qualityMeasures(quality, settings);
  void renderCsv(runMeasures(records, definitions, { months: parsePeriod('2025-01..2025-12'), asOf }, measureDeps), measureDeps);
});

const built = [goodRecord(), ...Object.values(signalCases).map((b) => b()), ...Object.values(signalControls).map((b) => b())];
// At least 20,000 evaluations, so that a small N still times the built records over a steady span.
const cycled = Array.from({ length: Math.max(count, 20_000) }, (_, i) => built[i % built.length]!);
const judged = new Set<string>();
for (const r of built)
  for (const f of quality.engine.evaluate(r, { asOf: CASES_AS_OF }).findings) if (f.result === 'pass' || f.result === 'fail') judged.add(`${f.ruleId}/${f.check}`);
const welshOnBuilt = timed(`wales-measure over ${built.length} built records, in turn`, cycled.length, () => {
  for (const r of cycled) welsh.evaluate(r, { asOf: CASES_AS_OF, pack: 'wales-measure' });
});
const qualityOnBuilt = timed(`practice-quality over ${built.length} built records, in turn`, cycled.length, () => {
  for (const r of cycled) quality.engine.evaluate(r, { asOf: CASES_AS_OF });
});

const name = (i: number) => `person-${i}`;
const linked = new Set(result.groups.flatMap((g) => g.map((p) => p.record)));
const found = [...copies].filter(([copy, original]) => result.groups.some((g) => g.some((p) => p.record === name(copy)) && g.some((p) => p.record === name(original)))).length;
const planted = new Set([...copies].flatMap(([a, b]) => [name(a), name(b)]));
const stray = [...linked].filter((r) => !planted.has(r)).length;
const legacy = result.findings.filter((f) => f.check === 'carried-over-from-legacy-template').length;

// The meeting signals judge only meetings whose record holds who was in the room when, and whom the person agreed to invite.
const meetingChecks = ['part-without-person', 'invitee-not-agreed'];
const meetingResults = new Map(meetingChecks.map((c) => [c, { pass: 0, fail: 0, 'cannot-evaluate': 0, 'not-applicable': 0 }]));
for (const r of records) for (const f of quality.engine.evaluate(r, { asOf }).findings) if (meetingResults.has(f.check)) meetingResults.get(f.check)![f.result] += 1;

const ms = (s: number) => ((s / count) * 1000).toFixed(3);
console.log(`\nWelsh pack ${ms(welshSeconds)} ms/person (${welshFindings} findings); quality pack ${ms(qualitySeconds)} ms/person (${qualityFindings} findings)`);
console.log(`quality pack costs ${((100 * qualitySeconds) / welshSeconds).toFixed(0)}% of the Welsh pack per person (aim: at most 100%)`);
console.log(`shared text over ${plans} plans: ${searchSeconds.toFixed(2)} s (aim: under 10 s)`);
console.log(`quality report over 12 months: ${reportSeconds.toFixed(2)} s for ${count} people`);
console.log(`planted copies found: ${found} of ${copies.size}; plans linked outside the planted pairs: ${stray}; plans with a legacy template's wording: ${legacy}`);
for (const [check, n] of meetingResults)
  console.log(`${check}: ${n.pass} passed, ${n.fail} fired, ${n['not-applicable']} not applicable, ${n['cannot-evaluate']} could not be judged`);
console.log(
  `on the built records (${judged.size} of ${quality.engine.pack('practice-quality').rules.length} signals judged there): Welsh pack ${((welshOnBuilt / cycled.length) * 1000).toFixed(3)} ms/person, quality pack ${((qualityOnBuilt / cycled.length) * 1000).toFixed(3)} ms/person, ${((100 * qualityOnBuilt) / welshOnBuilt).toFixed(0)}% of it (aim: at most 100%)`,
);
