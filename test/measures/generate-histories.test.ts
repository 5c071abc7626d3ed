import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../src/record/parse-record.js';
import { ageOn } from '../../src/time/dates.js';
import { generateHistories } from '../helpers/generate-histories.js';

const people = generateHistories(400);

describe('generateHistories', () => {
  it('makes records that are all valid under the record schema and integrity checks', () => {
    const invalid = people.flatMap((r, i) => {
      try {
        parseRecord(r, `person ${i}`);
        return [];
      } catch (err) {
        return [`${i}: ${JSON.stringify((err as { issues?: unknown }).issues)}`];
      }
    });
    expect(invalid).toEqual([]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(JSON.stringify(generateHistories(50))).toBe(JSON.stringify(people.slice(0, 50)));
    expect(JSON.stringify(generateHistories(50, { seed: 7 }))).not.toBe(JSON.stringify(people.slice(0, 50)));
  });

  it('spreads people over every Welsh local authority and ages 10 to 90, with a few unknown', () => {
    const las = new Set(people.map((r) => r.patient?.localAuthorityOfResidence));
    expect(las.size).toBe(23);
    expect(las.has(undefined)).toBe(true);
    const ages = people.flatMap((r) => (typeof r.patient?.dateOfBirth === 'string' ? [ageOn(r.patient.dateOfBirth, '2025-12-31')] : []));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...ages)).toBeLessThanOrEqual(90);
  });

  it('has the events the measures count: changes, cover, stays, revisions, discharges, Part 3 reports', () => {
    const all = people.flatMap((r) => [
      ...(r.coordinatorAppointments ?? []).map((a) => (a.temporary ? 'cover' : a.endReason === 'replaced' ? 'replaced' : 'appointment')),
      ...(r.plans ?? []).map((p) => p.changeType ?? ''),
      ...(r.episodes ?? []).flatMap((e) => [...(e.inpatientStays ? ['stay'] : []), ...(e.discharge ? ['discharge'] : [])]),
      ...(r.reviews ?? []).map((v) => v.trigger),
      ...(r.part3Requests ?? []).flatMap((p) => (p.report ? ['part3-report'] : ['part3'])),
    ]);
    for (const kind of ['cover', 'replaced', 'initial', 'review-revision', 'stay', 'discharge', 'scheduled', 'request', 'part3-report']) expect(all, kind).toContain(kind);
  });
});
