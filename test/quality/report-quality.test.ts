/** The quality signals as measures: proportions per health board and local authority, by team, per month (MeasureReport and CSV). */
import { describe, expect, it } from 'vitest';
import { chooseMeasures, measureStore } from '../../src/app/report.js';
import { createMeasureDeps } from '../../src/measures/deps.js';
import { renderCsv, renderFhirBundle, runMeasures } from '../../src/measures/run-measures.js';
import { directoryConfig } from '../../src/ports/directory-config.js';
import { memoryRecordStore } from '../../src/ports/memory-record-store.js';
import { qualityMeasures } from '../../src/quality/quality-measures.js';
import { loadSharedTextSettings } from '../../src/quality/shared-text.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { testNhsNumber } from '../helpers/generate.js';
import { ROOT } from '../helpers/runtime.js';
import { goodRecord, quality } from './helpers.js';
import { textGenerator } from './plan-text-generator.js';

const deps = createMeasureDeps(ROOT);
const window = { months: ['2025-05', '2025-06'], asOf: '2025-06-01' };

function person(n: number, team: string, change: (r: CtpRecord) => void = () => undefined): CtpRecord {
  const r = goodRecord();
  r.source.recordId = `rec-${n}`;
  r.patient!.nhsNumber = testNhsNumber(n);
  r.episodes![0]!.team = team;
  change(r);
  return r;
}

describe('quality measures', () => {
  const definitions = qualityMeasures(quality(), loadSharedTextSettings(directoryConfig(ROOT)));

  it('are one per signal of the quality pack, lower being better, stratified by team', () => {
    const pack = quality().engine.pack('practice-quality');
    expect(definitions.map((d) => d.id)).toEqual([
      ...pack.rules.map((r) => `quality-${r.check}`),
      'quality-near-duplicate-across-people',
      'quality-carried-over-from-legacy-template',
    ]);
    expect(new Set(definitions.map((d) => d.id)).size).toBe(definitions.length);
    for (const d of definitions) {
      expect(d.improvement).toBe('decrease');
      expect(d.stratifier).toBe('team');
    }
  });

  it('count, per month, the people a signal fired for among those it applies to, by team', () => {
    const unsigned = (r: CtpRecord) => delete r.plans![0]!.signatures!.patient;
    const people = [person(1, 'Team A', unsigned), person(2, 'Team A'), person(3, 'Team B', unsigned)];
    const run = runMeasures(
      people,
      chooseMeasures('quality-unsigned-by-person', () => definitions),
      window,
      deps,
    );
    const board = run.tallies.filter((t) => t.level === 'health-board');
    expect(board.map((t) => [t.month, t.total.numerator, t.total.denominator])).toEqual([
      ['2025-05', 2, 3],
      ['2025-06', 2, 3],
    ]);
    expect(Object.fromEntries([...board[0]!.strata].map(([team, c]) => [team, [c.numerator, c.denominator]]))).toEqual({ 'Team A': [1, 2], 'Team B': [1, 1] });
    const csv = renderCsv(run, deps);
    expect(csv).toContain('2025-05,quality-unsigned-by-person,health-board');
    expect(csv).toMatch(/Team A,1,2,50\.0/);
    expect(renderFhirBundle(run)).toContain('"code": "decrease"');
  });

  it('leave out people the signal does not apply to, and months before their first plan', () => {
    const english = runMeasures(
      [person(4, 'Team A')],
      chooseMeasures('quality-welsh-plan', () => definitions),
      window,
      deps,
    );
    expect(english.tallies).toEqual([]);
    const welsh = runMeasures(
      [person(4, 'Team A', (r) => (r.patient!.prefersWelsh = true))],
      chooseMeasures('quality-welsh-plan', () => definitions),
      window,
      deps,
    );
    const may = welsh.tallies.find((t) => t.level === 'health-board' && t.month === '2025-05')!;
    expect([may.total['initial-population'], may.total.denominator, may.total.numerator]).toEqual([1, 1, 1]);
    const run2 = runMeasures(
      [person(5, 'Team A', (r) => (r.plans![0]!.madeOn = '2025-05-31'))],
      chooseMeasures('quality-unsigned-by-person', () => definitions),
      { months: ['2025-04'], asOf: '2025-06-01' },
      deps,
    );
    expect(run2.tallies).toEqual([]);
  });

  it('count plans shared across the people of the run, in the months the shared version was in force', () => {
    const gen = textGenerator(3);
    const text = gen.plan(30);
    const withText = (t: string) => (r: CtpRecord) => (r.plans![0]!.outcomes![0]!.description = t);
    const people = [person(1, 'Team A', withText(text)), person(2, 'Team B', withText(gen.edited(text, 1))), person(3, 'Team A', withText(gen.plan(30)))];
    const fresh = qualityMeasures(quality(), loadSharedTextSettings(directoryConfig(ROOT)));
    const run = runMeasures(
      people,
      chooseMeasures('quality-near-duplicate-across-people', () => fresh),
      { months: ['2025-01', '2025-05'], asOf: '2025-06-01' },
      deps,
    );
    const board = run.tallies.filter((t) => t.level === 'health-board');
    expect(board.map((t) => [t.month, t.total.numerator, t.total.denominator])).toEqual([['2025-05', 2, 3]]);
    expect(Object.fromEntries([...board[0]!.strata].map(([team, c]) => [team, [c.numerator, c.denominator]]))).toEqual({ 'Team A': [1, 2], 'Team B': [1, 1] });
  });

  it('are asked for by name: "all" keeps to the Measure’s own measures', async () => {
    expect(chooseMeasures('all', () => definitions).some((d) => d.id.startsWith('quality-'))).toBe(false);
    expect(chooseMeasures('quality', () => definitions)).toHaveLength(definitions.length);
    expect(() => chooseMeasures('quality-nothing', () => definitions)).toThrow(/unknown quality signal/);
    const store = memoryRecordStore();
    await store.put(person(6, 'Team A'));
    const measured = await measureStore(
      { measureDeps: deps },
      store,
      chooseMeasures('quality', () => definitions),
      window,
      false,
    );
    expect(measured.people).toBe(1);
  });
});
