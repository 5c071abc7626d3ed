/**
 * The quality signals in a check run: asked for with --quality, beside the legal pack, never
 * turning a passing record into a failing one; the search for plan text shared across people and
 * carried over from a legacy template; and the counts per team and health board.
 */
import { describe, expect, it } from 'vitest';
import { checkRunJson, qualitySummaryJson } from '../../src/app/check-json.js';
import type { SourceInput } from '../../src/app/inputs.js';
import { run } from '../../src/cli/run.js';
import { directoryConfig } from '../../src/ports/directory-config.js';
import { qualityRun } from '../../src/quality/quality-run.js';
import { loadSharedTextSettings } from '../../src/quality/shared-text.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { testNhsNumber } from '../helpers/generate.js';
import { exampleFiles, ROOT, testRuntime } from '../helpers/runtime.js';
import { ASOF, goodRecord, quality } from './helpers.js';
import { textGenerator } from './plan-text-generator.js';

const settings = loadSharedTextSettings(directoryConfig(ROOT));
const gen = textGenerator(12);

/** A good record for person `n`, in team `team`, whose single plan's body is `text`. */
function person(n: number, text: string, team = 'Team A'): CtpRecord {
  const r = goodRecord();
  r.source.recordId = `rec-${n}`;
  r.patient!.nhsNumber = testNhsNumber(n);
  r.episodes![0]!.team = team;
  r.plans![0]!.outcomes![0]!.description = text;
  return r;
}

function runOver(records: readonly CtpRecord[]) {
  const q = qualityRun({ engine: quality(), sharedText: settings });
  records.forEach((r, i) => q.evaluate(r, `input-${i}.json`, ASOF));
  return q.summary();
}

describe('plan text shared across people', () => {
  it('finds the same plan given to different people, and names plans by the run’s place for them', () => {
    const copied = gen.plan(30);
    const summary = runOver([person(1, copied), person(2, gen.plan(30)), person(3, gen.edited(copied, 1), 'Team B')]);
    expect(summary.sharedText.groups).toEqual([
      [
        { record: 'input-0.json', plan: 'plans[0]', person: `nhs:${testNhsNumber(1)}`, team: 'Team A', board: 'Test Health Board' },
        { record: 'input-2.json', plan: 'plans[0]', person: `nhs:${testNhsNumber(3)}`, team: 'Team B', board: 'Test Health Board' },
      ],
    ]);
    const near = summary.sharedText.findings.filter((f) => f.check === 'near-duplicate-across-people');
    expect(near.map((f) => [f.location, f.severity])).toEqual([
      ['input-0.json plans[0]', 'information'],
      ['input-2.json plans[0]', 'information'],
    ]);
    for (const f of near) expect(f.message).not.toContain(copied.slice(0, 20));
  });

  it('gives the JSON output the shared text per team and health board, naming plans by place, never the person', () => {
    const copied = gen.plan(30);
    const summary = runOver([person(1, copied), person(2, gen.plan(30)), person(3, gen.edited(copied, 1), 'Team B'), person(4, settings.legacyTemplates[0]!.text, 'Team B')]);
    const json = qualitySummaryJson(summary);
    expect(json.sharedText).toEqual([
      [
        { record: 'input-0.json', plan: 'plans[0]', team: 'Team A', board: 'Test Health Board' },
        { record: 'input-2.json', plan: 'plans[0]', team: 'Team B', board: 'Test Health Board' },
      ],
    ]);
    expect(json.sharedTextByPlace).toEqual([
      { level: 'team', place: 'Team A', sharedPlans: 1, legacyTemplatePlans: 0, groups: 1 },
      { level: 'team', place: 'Team B', sharedPlans: 1, legacyTemplatePlans: 1, groups: 1 },
      { level: 'health-board', place: 'Test Health Board', sharedPlans: 2, legacyTemplatePlans: 1, groups: 1 },
    ]);
    expect(JSON.stringify(json)).not.toContain(testNhsNumber(1));
  });

  it('does not count stock phrases (crisis steps, service names) as shared text', () => {
    const stock = settings.stockPhrases.join('. ');
    /** A plan of stock phrases and three words of the person's own, and nothing else. */
    const bare = (n: number) => {
      const r = person(n, `${stock}. ${gen.plan(3)}`);
      const plan = r.plans![0]!;
      plan.outcomes = [{ id: 'o1', description: plan.outcomes![0]!.description, areas: [{ area: 'accommodation' }] }];
      delete plan.relapseSignatures;
      delete plan.crisisPlan!.actions;
      return r;
    };
    const people = [bare(1), bare(2)];
    expect(runOver(people).sharedText.groups).toEqual([]);
    const q = qualityRun({ engine: quality(), sharedText: { ...settings, stockPhrases: [] } });
    people.forEach((r, i) => q.evaluate(r, `input-${i}.json`, ASOF));
    expect(q.summary().sharedText.groups).toHaveLength(1);
  });

  it('does not count two records of the same person as shared text', () => {
    const text = gen.plan(30);
    const summary = runOver([person(1, text), person(1, text)]);
    expect(summary.sharedText.groups).toEqual([]);
    expect(summary.sharedText.findings).toEqual([]);
  });

  it('finds a plan carried over from a legacy template, for one person alone', () => {
    const summary = runOver([person(1, settings.legacyTemplates[0]!.text)]);
    expect(summary.sharedText.findings.map((f) => [f.check, f.location])).toEqual([['carried-over-from-legacy-template', 'input-0.json plans[0]']]);
  });

  it('counts each signal per team and health board, over the people of each', () => {
    const copied = gen.plan(30);
    const unsigned = person(2, copied);
    delete unsigned.plans![0]!.signatures!.patient;
    const summary = runOver([person(1, copied), unsigned, person(3, gen.plan(30), 'Team B')]);
    const teamA = summary.counts.find((c) => c.level === 'team' && c.place === 'Team A')!;
    expect(teamA.people).toBe(2);
    expect(Object.fromEntries(teamA.signals)).toEqual({ 'PE-27/unsigned-by-person': 1, 'PE-28/near-duplicate-across-people': 2 });
    const board = summary.counts.find((c) => c.level === 'health-board')!;
    expect(board.people).toBe(3);
    expect(summary.counts.find((c) => c.place === 'Team B')!.signals.size).toBe(0);
  });
});

describe('pont check --quality', () => {
  const inputs = (): SourceInput[] => exampleFiles().map((e) => ({ origin: e.path, source: e.source, text: e.text }));

  it('adds the quality signals beside the legal pack without changing any record’s verdict', () => {
    const plain = testRuntime().check(inputs(), { asOf: 'extracted' });
    const withQuality = testRuntime().check(inputs(), { asOf: 'extracted', quality: true });
    expect(withQuality.results.map((r) => r.issues.some((i) => i.severity === 'error'))).toEqual(plain.results.map((r) => r.issues.some((i) => i.severity === 'error')));
    expect(withQuality.failed).toBe(plain.failed);
    expect(withQuality.results.filter((r) => r.quality).length).toBeGreaterThan(0);
    expect(withQuality.results.every((r) => (r.quality?.findings ?? []).every((f) => f.severity !== 'error'))).toBe(true);
    expect(plain.results.every((r) => r.quality === undefined)).toBe(true);
  });

  it('is off by default: the JSON of a plain check has no quality field', () => {
    const plain = checkRunJson(testRuntime().check(inputs(), { asOf: 'extracted' }));
    expect(plain.every((r) => !('quality' in r))).toBe(true);
    const withQuality = checkRunJson(testRuntime().check(inputs(), { asOf: 'extracted', quality: true }));
    expect(withQuality.some((r) => r.quality !== undefined && r.quality.pack === 'practice-quality')).toBe(true);
  });

  it('prints the same summary line as a plain check, then the quality summary', async () => {
    const files = exampleFiles().map((e) => `${ROOT}/${e.path}`);
    const out = async (args: string[]) => {
      let stdout = '';
      const code = await run(['check', '--as-of', 'extracted', ...args, ...files], { stdout: (t) => void (stdout += t), stderr: () => undefined }, () => testRuntime());
      return { code, stdout };
    };
    const plain = await out([]);
    const quality = await out(['--quality']);
    expect(quality.code).toBe(plain.code);
    const summaryLine = (s: string) => s.split('\n').find((l) => / records? checked: /.test(l));
    expect(summaryLine(quality.stdout)).toBe(summaryLine(plain.stdout));
    expect(quality.stdout).toContain('quality signals (prompts for human review, not breaches):');
    expect(plain.stdout).not.toContain('PE-');
  });
});
