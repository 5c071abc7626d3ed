/**
 * No patient data in any message (issue 8, point 4), fuzzed: markers planted in the patient
 * fields of every input format, the input broken in many ways, every command run, and no marker
 * may appear in any diagnostic. This is the CI-sized run; `npm run fuzz` runs 100,000 cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pontBuild } from '../helpers/build.js';
import { englishEvidenceExamples } from '../helpers/generate-english-histories.js';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';
import { runCli } from './cli.js';
import { baseInputs, COMMANDS, type Diagnostic, type Leak, leaksOf, runCase } from './harness.js';
import { buildInput, FORMATS, type FuzzCase, fuzzCase } from './inputs.js';

const core = testRuntime();
const bases = baseInputs(core, [...exampleFiles(), ...englishEvidenceExamples(3)]);
const RUNS = Number(process.env.FUZZ_CI_RUNS ?? 120);

/** Leaks the suite holds for code another change owns: none at present. */
const unknownLeaks = (leaks: readonly Leak[]) => leaks;

/** Internal faults the suite holds for code another change owns: none at present. */
const unknownFaults = (_format: string, faults: readonly Diagnostic[]) => faults;

const noBreaks = { shapeAll: false, jsonBreaks: [], csvBreaks: [], textBreaks: [], byteBreaks: [] } as const;

describe('the fuzzer itself', () => {
  it('starts from every example of every format, FHIR being pont’s own Bundles', () => {
    for (const format of FORMATS) expect(bases.filter((b) => b.format === format).length).toBeGreaterThanOrEqual(6);
  });

  it('plants markers it can find again, of every shape: text, NHS number, date, long number', () => {
    const c: FuzzCase = { format: 'wpas-csv', example: 0, marks: [{ field: 4, form: 'text' }], ...noBreaks, shapeAll: true };
    const input = buildInput(c, bases);
    const found = input.markers.foundIn(input.bytes.toString('utf8'));
    expect(found.some((m) => /^QZX\d+$/.test(m))).toBe(true);
    expect(found.some((m) => /^97\d{8}$/.test(m))).toBe(true); // NHS_NO
    expect(found.some((m) => /^18\d{6}$/.test(m))).toBe(true); // DOB and other dates, YYYYMMDD
  });

  it('keeps an input with marked free text valid, so markers reach mapping, validation and the rules', async () => {
    for (const format of FORMATS) {
      const input = buildInput({ format, example: 0, marks: Array.from({ length: 40 }, (_, i) => ({ field: i * 7, form: 'free-text' })), ...noBreaks }, bases);
      expect(input.markers.foundIn(input.bytes.toString('utf8')).length, format).toBeGreaterThan(0);
      const run = await runCase(core, input);
      expect(run.rejected, format).toBe(false);
    }
  });

  it('finds a marker in a message when one is there (the detector is not blind)', () => {
    const input = buildInput({ format: 'ctp', example: 0, marks: [{ field: 0, form: 'text' }], ...noBreaks }, bases);
    const [marker] = input.markers.foundIn(input.bytes.toString('utf8'));
    const leaks = leaksOf(input, { diagnostics: [{ command: 'check', text: `patient: "${marker}" is odd` }], rejected: true, faults: [] });
    expect(leaks).toEqual([{ command: 'check', form: 'patient: "<marker>" is odd', markers: [marker] }]);
  });
});

describe('no marker reaches any message', () => {
  it(`in ${RUNS} fuzzed inputs of all four formats, through check, map, map --reverse and report`, async () => {
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(fuzzCase(), async (c) => {
        const input = buildInput(c, bases);
        const run = await runCase(core, input);
        if (run.rejected) rejected += 1;
        expect(unknownLeaks(leaksOf(input, run))).toEqual([]);
        expect(unknownFaults(c.format, run.faults)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    // Both kinds of path were taken: inputs refused, and inputs mapped (markers in the Bundle).
    expect(rejected).toBeGreaterThan(0);
    expect(rejected).toBeLessThan(RUNS);
  });

  it('through the real executable (a child process: standard output and error), two inputs, two of the commands', async () => {
    const [first = 0] = fc.sample(fc.nat(COMMANDS.length - 1), 1);
    const sample = fc.sample(fuzzCase(), 2);
    const pont = [(await pontBuild()).main];
    const runs = await Promise.all(sample.map(async (c, i) => ({ c, leaks: unknownLeaks(await runCli(buildInput(c, bases), first + i, pont)) })));
    for (const { c, leaks } of runs) expect(leaks, JSON.stringify(c)).toEqual([]);
  });
});

describe('fixed leaks', () => {
  it('a CSV header cell that is not a column is not quoted (marker header; a missing line break after the header)', async () => {
    const header: FuzzCase = { format: 'wpas-csv', example: 0, marks: [{ field: 0, form: 'free-text' }], ...noBreaks, csvBreaks: [{ kind: 'marker-header', at: 5 }] };
    const joined: FuzzCase = { ...header, marks: [{ field: 4, form: 'text' }], csvBreaks: [{ kind: 'join-lines', at: 0 }] };
    for (const c of [header, joined]) {
      const input = buildInput(c, bases);
      expect(leaksOf(input, await runCase(core, input))).toEqual([]);
    }
  });
});

describe('fixed internal faults', () => {
  const deep = (depth: number) => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;
  it('an entry fullUrl nested 6,000 arrays deep is an input error, not a stack overflow', () => {
    const text = `{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":${deep(6000)},"resource":{"resourceType":"Patient","id":"p"}}]}`;
    expect(core.reverse({ origin: 'deep.json', text }).issues.some((i) => i.severity === 'error')).toBe(true);
  });

  it('a Patient id that is not a string is an input error, not an internal fault', () => {
    const text = '{"resourceType":"Patient","id":7}';
    expect(core.reverse({ origin: 'id.json', text }).issues.some((i) => i.severity === 'error')).toBe(true);
  });
});
