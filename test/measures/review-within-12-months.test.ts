import { describe, expect, it } from 'vitest';
import { reviewWithin12Months } from '../../src/measures/definitions/review-within-12-months.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { minimalRecord } from '../helpers/minimal-record.js';
import { evaluate, only } from './helpers.js';

/** Plan made 2025-02-01: the first review is due 2026-02-01. */
function reviewedOn(...heldOn: string[]): CtpRecord {
  const r = minimalRecord();
  r.reviews = heldOn.length === 0 ? undefined : heldOn.map((d, i) => ({ id: `rv${i}`, plan: 'plan', trigger: 'scheduled', heldOn: d }));
  return r;
}
const due = (r: CtpRecord, month = '2026-02', asOf = '2027-12-31') => only(evaluate(reviewWithin12Months, r, [month], asOf));

describe('review-within-12-months', () => {
  it('counts a review held within 12 months of the plan being made in the numerator, in the month it was due', () => {
    const { verdict, item } = due(reviewedOn('2026-01-20'));
    expect(verdict).toBe('met');
    expect(item.on).toBe('2026-02-01');
  });

  it('is met on the due date and not the day after', () => {
    expect(due(reviewedOn('2026-02-01')).verdict).toBe('met');
    expect(due(reviewedOn('2026-02-02'))).toMatchObject({ verdict: 'not met', reason: 'late' });
  });

  it('fails a plan never reviewed, and does not count a review of another plan', () => {
    expect(due(reviewedOn()).verdict).toBe('not met');
    const other = reviewedOn('2026-01-20');
    other.plans!.push({
      ...structuredClone(other.plans![0]!),
      id: 'other-v1',
      planId: 'other',
      madeOn: '2025-03-01',
      reviewBy: '2026-02-28',
      outcomes: undefined,
      copies: undefined,
    });
    other.reviews![0]!.plan = 'other';
    expect(due(other).verdict).toBe('not met');
  });

  it('runs the next cycle from the review held, late or not', () => {
    const r = reviewedOn('2026-01-20', '2027-01-21');
    expect(due(r, '2027-01')).toMatchObject({ verdict: 'not met', reason: 'late' });
    expect(due(r, '2027-01').item.on).toBe('2027-01-20');
    const late = reviewedOn('2026-03-10', '2027-03-01');
    expect(due(late, '2027-03').verdict).toBe('met');
  });

  it('excludes a review not yet due on the as-of day, and one falling due after discharge', () => {
    expect(due(reviewedOn(), '2026-02', '2026-02-01')).toMatchObject({ verdict: 'excluded', reason: 'not yet due' });
    const discharged = reviewedOn();
    discharged.episodes![0] = { ...discharged.episodes![0]!, status: 'finished', discharge: { date: '2025-12-01', kind: 'full' } };
    expect(due(discharged)).toMatchObject({ verdict: 'excluded', reason: 'discharged before the deadline' });
  });

  it('puts a person with no residence under the unknown health board', () => {
    expect(due(reviewedOn('2026-01-20')).item.organisations['health-board'].code).toBe('unknown');
  });
});
