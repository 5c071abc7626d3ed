import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, MeasureReport } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

async function pont(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, testRuntime);
  return { code, stdout, stderr };
}

const examples = join(ROOT, 'examples/ctp');
const base = ['report', '--period', '2025-01..2025-06', '--as-of', '2025-12-31'];
const reportsOf = (stdout: string) => ((JSON.parse(stdout) as Bundle).entry ?? []).map((e) => e.resource as MeasureReport);

describe('pont report', () => {
  it('prints a collection Bundle of summary MeasureReports for a folder of records', async () => {
    const r = await pont(...base, '--measure', 'ctp-valid', examples);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const bundle = JSON.parse(r.stdout) as Bundle;
    expect(bundle.type).toBe('collection');
    const reports = reportsOf(r.stdout);
    expect(reports.length).toBeGreaterThan(0);
    expect(new Set(reports.map((m) => m.type))).toEqual(new Set(['summary']));
    expect(new Set(reports.map((m) => m.period.start))).toEqual(new Set(['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01', '2025-05-01', '2025-06-01']));
  });

  it('counts each person once when several records carry the same NHS number, and says so', async () => {
    const once = await pont(...base, '--measure', 'ctp-valid', '--format', 'csv', examples);
    const twice = await pont(...base, '--measure', 'ctp-valid', '--format', 'csv', examples, join(ROOT, 'examples/carepath-json'));
    expect(twice.code).toBe(0);
    expect(twice.stdout).toBe(once.stdout);
    expect(twice.stderr).toBe('pont: 6 records repeat a person already read (same NHS number); each person is counted once, from the record extracted last\n');
  });

  it('adds individual reports with --individual, by NHS number only', async () => {
    const r = await pont(...base, '--measure', 'all', '--individual', examples);
    expect(r.code).toBe(0);
    const individual = reportsOf(r.stdout).filter((m) => m.type === 'individual');
    expect(individual.length).toBeGreaterThan(0);
    for (const m of individual) expect(m.subject?.reference).toMatch(/^Patient\?identifier=https:\/\/fhir\.nhs\.uk\/Id\/nhs-number\|\d{10}$/);
    const family = JSON.parse(readFileSync(join(examples, 'adult-all-eight-areas.json'), 'utf8')).patient.names[0].family as string;
    expect(r.stdout).not.toContain(family);
  });

  it('prints the StatsWales CSV for ctp-valid and the generic CSV for other measures', async () => {
    const statsWales = await pont(...base, '--measure', 'ctp-valid', '--format', 'csv', examples);
    expect(statsWales.code).toBe(0);
    expect(statsWales.stdout.split('\r\n')[0]).toBe(
      'period,health_board_code,health_board_name,age_group,patients_with_valid_ctp,patients_in_receipt_of_services,percentage,target_met',
    );
    expect(statsWales.stdout.split('\r\n').filter((l) => l.startsWith('2025-06,')).length).toBe(14);
    const generic = await pont(...base, '--measure', 'part3-response-time', '--format', 'csv', examples);
    expect(generic.stdout.split('\r\n')[0]).toContain('organisation_code');
  });

  it('reads every input format', async () => {
    const files = ['carepath-json/adult-all-eight-areas.json', 'wpas-csv/plan-not-agreed.csv', 'ctp/child-with-parents.json'].map((f) => join(ROOT, 'examples', f));
    const r = await pont(...base, '--measure', 'ctp-valid', '--format', 'csv', ...files);
    expect(r.stderr).toBe('');
    const june = r.stdout.split('\r\n').filter((l) => l.startsWith('2025-06,') && !l.endsWith(',0,0,,'));
    expect(june.reduce((n, l) => n + Number(l.split(',')[5]), 0)).toBe(3);
  });

  it('gives the same output for the same input and as-of day', async () => {
    const a = await pont(...base, '--measure', 'all', '--individual', examples);
    const b = await pont(...base, '--measure', 'all', '--individual', examples);
    expect(a.stdout).toBe(b.stdout);
  });

  it('exits 2 for an unknown measure, a bad period or as-of, or an unreadable path', async () => {
    const unknown = await pont(...base, '--measure', 'ctp-sometimes', examples);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown measure "ctp-sometimes"');
    for (const period of ['2025-13', '2025-06..2025-01', '2025-1', '2025-01..2025-02..2025-03']) {
      const r = await pont('report', '--measure', 'ctp-valid', '--period', period, '--as-of', '2025-12-31', examples);
      expect(r.code, period).toBe(2);
      expect(r.stderr).toContain('--period');
    }
    expect((await pont('report', '--measure', 'ctp-valid', '--period', '2025-01', '--as-of', '2025-02-30', examples)).code).toBe(2);
    expect((await pont('report', '--measure', 'ctp-valid', '--period', '2026-01', '--as-of', '2025-12-31', examples)).stderr).toContain('starts after --as-of');
    const missing = await pont(...base, '--measure', 'ctp-valid', join(ROOT, 'no-such-folder'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no-such-folder');
  });

  it('skips invalid records with a message naming the file and path, never patient data, and still reports (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pont-report-'));
    mkdirSync(join(dir, 'sub'));
    copyFileSync(join(examples, 'adult-all-eight-areas.json'), join(dir, 'a-good.json'));
    const bad = JSON.parse(readFileSync(join(examples, 'child-with-parents.json'), 'utf8'));
    bad.patient.dateOfBirth = 'yesterday';
    writeFileSync(join(dir, 'b-bad.json'), JSON.stringify(bad));
    writeFileSync(join(dir, 'c-broken.json'), '{ "schemaVersion": "1", ');
    const r = await pont(...base, '--measure', 'ctp-valid', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(dir, 'b-bad.json'));
    expect(r.stderr).toContain('patient.dateOfBirth');
    expect(r.stderr).toContain(join(dir, 'c-broken.json'));
    expect(r.stderr).not.toContain('yesterday');
    expect(r.stderr).not.toContain(bad.patient.names[0].family);
    expect(r.stderr).toContain('2 inputs skipped');
    expect(reportsOf(r.stdout).length).toBeGreaterThan(0);
  });
});
