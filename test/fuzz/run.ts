/**
 * `npm run fuzz`: the no-patient-data fuzzer at full size. Runs FUZZ_RUNS cases (default
 * 100,000) in-process, each a fuzzed input through one command, the four commands in turn (with
 * FUZZ_ALL_COMMANDS=1, every input through all four, four times the work), and FUZZ_CLI_RUNS
 * (default 40) through the real executable; then prints the cases run, how many were rejected,
 * internal faults, and every leak form found. Exits 1 if any marker reached a message. FUZZ_SEED
 * replays a run.
 */
import fc from 'fast-check';
import { englishEvidenceExamples } from '../helpers/generate-english-histories.js';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';
import { runCli } from './cli.js';
import { baseInputs, COMMANDS, leaksOf, runCase } from './harness.js';
import { buildInput, fuzzCase } from './inputs.js';

const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const cliRuns = Number(process.env.FUZZ_CLI_RUNS ?? 40);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const allCommands = process.env.FUZZ_ALL_COMMANDS === '1';
const BATCH = 500;

const core = testRuntime();
const bases = baseInputs(core, [...exampleFiles(), ...englishEvidenceExamples(3)]);
const started = performance.now();
let cases = 0;
let rejected = 0;
let leaking = 0;
const leakForms = new Map<string, { count: number; example: string }>();
const faultForms = new Map<string, number>();
const byFormat = new Map<string, { cases: number; rejected: number; leaking: number }>();

process.stdout.write(
  `fuzzing ${runs} cases in-process (${allCommands ? 'every command for each' : 'one command each, in turn'}) and ${cliRuns} through the executable, seed ${seed}\n`,
);
for (let done = 0; done < runs; done += BATCH) {
  const batch = fc.sample(fuzzCase(), { numRuns: Math.min(BATCH, runs - done), seed: seed + done });
  for (const c of batch) {
    const input = buildInput(c, bases);
    const run = await runCase(core, input, allCommands ? COMMANDS : [COMMANDS[cases % COMMANDS.length]!]);
    const leaks = leaksOf(input, run);
    const stats = byFormat.get(c.format) ?? { cases: 0, rejected: 0, leaking: 0 };
    cases += 1;
    stats.cases += 1;
    if (run.rejected) {
      rejected += 1;
      stats.rejected += 1;
    }
    if (leaks.length > 0) {
      leaking += 1;
      stats.leaking += 1;
    }
    byFormat.set(c.format, stats);
    for (const leak of leaks) {
      const key = `${c.format}: ${leak.form.replace(/\[\d+\]/g, '[N]')}`;
      const seen = leakForms.get(key) ?? { count: 0, example: `${leak.command}, case ${JSON.stringify(c).slice(0, 400)}` };
      seen.count += 1;
      leakForms.set(key, seen);
    }
    for (const f of run.faults) {
      const key = `${c.format} ${f.command}: ${input.markers.redact(f.text).replace(/\[\d+\]/g, '[N]')}`;
      faultForms.set(key, (faultForms.get(key) ?? 0) + 1);
    }
  }
  process.stdout.write(`  ${cases} cases, ${rejected} rejected, ${leaking} leaking, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

let cliLeaking = 0;
const cliSample = fc.sample(fuzzCase(), { numRuns: cliRuns, seed: seed + 1 });
for (const c of cliSample) {
  const input = buildInput(c, bases);
  const leaks = await runCli(input, cliSample.indexOf(c));
  if (leaks.length > 0) cliLeaking += 1;
  for (const leak of leaks) {
    const key = `${c.format} (executable): ${leak.form.replace(/\[\d+\]/g, '[N]')}`;
    const seen = leakForms.get(key) ?? { count: 0, example: leak.form };
    seen.count += 1;
    leakForms.set(key, seen);
  }
}
const seconds = (performance.now() - started) / 1000;

const each = allCommands
  ? 'every one through check, map, map --reverse and report'
  : `one command each: ${COMMANDS.map((c, i) => `${c} ${Math.floor((cases + COMMANDS.length - 1 - i) / COMMANDS.length)}`).join(', ')}`;
process.stdout.write(`\ncases: ${cases} in-process (${each}), ${cliRuns} through the executable\n`);
process.stdout.write(`rejections: ${rejected} (${((100 * rejected) / Math.max(cases, 1)).toFixed(1)}%)\n`);
process.stdout.write(`leaks: ${leaking} cases in-process, ${cliLeaking} through the executable\n`);
process.stdout.write(`internal faults: ${[...faultForms.values()].reduce((a, b) => a + b, 0)}\n`);
process.stdout.write(`time: ${seconds.toFixed(0)} s\n`);
for (const [format, s] of byFormat) process.stdout.write(`  ${format}: ${s.cases} cases, ${s.rejected} rejected, ${s.leaking} leaking\n`);
if (leakForms.size > 0) {
  process.stdout.write('\nleak forms (count, message with markers shown as <marker>):\n');
  for (const [key, v] of [...leakForms].sort((a, b) => b[1].count - a[1].count)) process.stdout.write(`  ${v.count}  ${key}\n      e.g. ${v.example}\n`);
}
if (faultForms.size > 0) {
  process.stdout.write('\ninternal faults (count, form):\n');
  for (const [key, n] of [...faultForms].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${n}  ${key}\n`);
}
process.exitCode = leaking + cliLeaking > 0 ? 1 : 0;
