/**
 * A WPAS extract holds what the ward recorded, mistakes included (issue 11): an ineligible
 * coordinator's profession, both agreement statements marked, a copy by email, a Part 3 request
 * from a carer, a report without its services flag or means, a review without its trigger. Each
 * is read into the record, not refused.
 */
import { describe, expect, it } from 'vitest';
import { csvRows, exampleText, mapSource, toCsv } from './helpers.js';

/** The example extract with the given cells of every row that fills them replaced. */
function withCells(scenario: 'plan-not-agreed' | 'part3-self-referral' | 'revised-plan-after-review', cells: Readonly<Record<string, string>>): string {
  const [header = [], ...rows] = csvRows(exampleText('wpas-csv', scenario));
  const at = (column: string) => {
    const i = header.indexOf(column);
    if (i < 0) throw new Error(`no column ${column}`);
    return i;
  };
  for (const row of rows)
    for (const [column, value] of Object.entries(cells)) {
      if (row[at(column)] !== '') row[at(column)] = value;
    }
  return toCsv([header, ...rows]);
}

describe('WPAS codes the record used to refuse', () => {
  it('reads a support worker as coordinator, both agreement statements and a copy sent by email', () => {
    const [record] = mapSource('wpas-csv', withCells('plan-not-agreed', { CC_PROF: 'SU', AGREED: 'B', COPY_METHOD: 'E' }));
    expect(record!.coordinatorAppointments!.map((a) => a.profession)).toContain('support-worker');
    expect(record!.plans!.map((p) => p.agreement?.statement)).toContain('both-marked');
    expect(record!.plans!.flatMap((p) => p.copies ?? []).map((c) => c.method)).toContain('email');
  });

  it('reads a Part 3 request from a carer, and a report that says neither how it went nor whether services were found', () => {
    const [record] = mapSource('wpas-csv', withCells('part3-self-referral', { P3_REQUESTER: 'C', P3_SERVICES: '', P3_REPORT_METHOD: '' }));
    const request = record!.part3Requests![0]!;
    expect(request.requester).toBe('carer');
    expect(request.report).toMatchObject({ providedOn: '2025-10-22' });
    expect(request.report!.servicesIdentified).toBeUndefined();
    expect(request.report!.method).toBeUndefined();
  });

  it('reads a review whose trigger WPAS does not hold', () => {
    const [record] = mapSource('wpas-csv', withCells('revised-plan-after-review', { REV_TRIGGER: '' }));
    expect(record!.reviews!.every((r) => r.trigger === undefined)).toBe(true);
  });
});
