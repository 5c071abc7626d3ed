/**
 * $evaluate-measure over a store gives what `pont report` gives over the same records: one
 * computation of the figures whichever front end asks.
 */
import { describe, expect, it } from 'vitest';
import { evaluateMeasure, measureResources } from '../../src/app/evaluate-measure.js';
import { recipientsOf } from '../../src/delivery/routing/index.js';
import { RequestError } from '../../src/errors/errors.js';
import { measures } from '../../src/measures/registry.js';
import { memoryRecordStore } from '../../src/ports/memory-record-store.js';
import { personKey } from '../../src/record/person-key.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';

const core = testRuntime();
const deps = { measureDeps: core.measureDeps, reference: { healthBoards: core.measureDeps.healthBoards } };
const period = { periodStart: '2024-01-01', periodEnd: '2025-12-31', asOf: '2026-01-05' } as const;
const inputs = exampleFiles().map((f) => ({ origin: f.path, source: f.source, text: f.text }));

async function storeOfExamples() {
  const store = memoryRecordStore();
  const records: CtpRecord[] = [];
  for (const c of core.convert(inputs)) {
    if (c.record === undefined) continue;
    await store.put(c.record);
    records.push(c.record);
  }
  return { store, records };
}

describe('Measure/$evaluate-measure over the store', () => {
  it('gives the summary MeasureReports `pont report` gives for the same records and period', async () => {
    const { store } = await storeOfExamples();
    const reported = await core.report(inputs, { measure: 'all', period: '2024-01..2025-12', asOf: period.asOf });
    expect(reported.measures.tallies.length).toBeGreaterThan(0);
    for (const m of measures) {
      const tallies = reported.measures.tallies.filter((t) => t.measureId === m.id);
      const expected = tallies.length;
      const reports = await evaluateMeasure(deps, store, { ...period, measureId: m.id, reportType: 'population' });
      expect(reports, m.id).toHaveLength(expected);
      for (const r of reports)
        expect(r, m.id).toMatchObject({ resourceType: 'MeasureReport', type: 'summary', status: 'complete', measure: expect.stringContaining(`/Measure/${m.id}`) });
      const counts = (rs: typeof reports) => rs.map((r) => `${r.period?.start}|${r.reporter?.identifier?.value}|${r.group?.[0]?.population?.map((p) => p.count).join(',')}`);
      expect(counts(reports).sort(), m.id).toEqual(
        tallies.map((t) => `${t.month}-01|${t.organisation.code === 'unknown' ? undefined : t.organisation.code}|${Object.values(t.total).join(',')}`).sort(),
      );
    }
  });

  it("keeps to one organisation's summaries when asked, and gives a person's own reports for a subject", async () => {
    const { store, records } = await storeOfExamples();
    const all = await evaluateMeasure(deps, store, { ...period, measureId: 'ctp-valid', reportType: 'population' });
    const board = all.map((r) => r.reporter?.identifier?.value).find((v) => v !== undefined)!;
    const one = await evaluateMeasure(deps, store, { ...period, measureId: 'ctp-valid', reportType: 'population', organisation: board });
    expect(one.length).toBeGreaterThan(0);
    expect(one).toEqual(all.filter((r) => r.reporter?.identifier?.value === board));
    const person = records[0]!;
    const own = await evaluateMeasure(deps, store, { ...period, measureId: 'ctp-valid', reportType: 'subject', subject: personKey(person) });
    expect(own.length).toBeGreaterThan(0);
    for (const r of own) expect(r.type).toBe('individual');
  });

  it("gives a GP practice the figures over its registered patients only, and none of another practice's patients", async () => {
    const { store, records } = await storeOfExamples();
    const practices = new Map<string, CtpRecord[]>();
    for (const r of records) {
      const p = recipientsOf(r, deps.reference).gpPractice;
      if (p.status === 'known') practices.set(p.odsCode, [...(practices.get(p.odsCode) ?? []), r]);
    }
    const [practice, own] = [...practices][0]!;
    const theirs = memoryRecordStore();
    for (const r of own) await theirs.put(r);
    const asPractice = await evaluateMeasure(deps, store, { ...period, measureId: 'ctp-valid', reportType: 'population', registeredAt: practice.toLowerCase() });
    expect(asPractice).toEqual(await evaluateMeasure(deps, theirs, { ...period, measureId: 'ctp-valid', reportType: 'population' }));
    const other = records.find((r) => !own.includes(r))!;
    const err = await evaluateMeasure(deps, store, { ...period, measureId: 'ctp-valid', reportType: 'subject', subject: personKey(other), registeredAt: practice }).catch(
      (e: unknown) => e,
    );
    expect((err as RequestError).code).toBe('REQUEST_NOT_FOUND');
  });

  it('names what is wrong with a request', async () => {
    const { store } = await storeOfExamples();
    const refused = async (request: Parameters<typeof evaluateMeasure>[2]) => {
      const err = await evaluateMeasure(deps, store, request).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RequestError);
      return (err as RequestError).code;
    };
    expect(await refused({ ...period, measureId: 'no-such-measure', reportType: 'population' })).toBe('REQUEST_NOT_FOUND');
    expect(await refused({ ...period, measureId: 'ctp-valid', reportType: 'population', periodStart: '2024-13-01' })).toBe('REQUEST_INVALID');
    expect(await refused({ ...period, measureId: 'ctp-valid', reportType: 'population', periodEnd: '2023-01-01' })).toBe('REQUEST_INVALID');
    expect(await refused({ ...period, measureId: 'ctp-valid', reportType: 'population', periodStart: '2027-01-01', periodEnd: '2027-02-01' })).toBe('REQUEST_INVALID');
    expect(await refused({ ...period, measureId: 'ctp-valid', reportType: 'subject' })).toBe('REQUEST_INVALID');
    expect(await refused({ ...period, measureId: 'ctp-valid', reportType: 'subject', subject: 'nhs:0000000000' })).toBe('REQUEST_NOT_FOUND');
  });

  it('serves each Measure it evaluates', () => {
    const resources = measureResources();
    expect([...resources.keys()].sort()).toEqual(measures.map((m) => m.id).sort());
    for (const [id, m] of resources) expect(m).toMatchObject({ resourceType: 'Measure', id, status: expect.any(String) });
  });
});
