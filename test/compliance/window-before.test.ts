/**
 * windowBefore (physical-health.ts) works on day numbers where it can: the window it opens must be
 * the one its definition gives on written dates (as many days back as the limit runs forward from
 * the day, by dueDate), for every unit a pack may use, at month ends and in leap years, and a date
 * that is not a calendar date must be taken as the text path takes it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordFacts } from '../../src/compliance/facts.js';
import { windowBefore } from '../../src/compliance/templates/physical-health.js';
import { addDays, daysBetween } from '../../src/time/dates.js';
import { type Duration, dueDate, durationUnits } from '../../src/time/duration.js';
import { createWorkingDayCalendar } from '../../src/time/working-days.js';

const calendar = createWorkingDayCalendar('GB-ENG');
const facts = { calendar } as RecordFacts;

/** The window's first day as defined on written dates. */
const byText = (date: string, d: Duration) => addDays(date, -daysBetween(date, dueDate(date, d, calendar)));

const two = (n: number) => String(n).padStart(2, '0');
const calendarDate = fc
  .record({ y: fc.integer({ min: 1990, max: 2060 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .map(({ y, m, d }) => `${y}-${two(m)}-${two(Math.min(d, new Date(Date.UTC(y, m, 0)).getUTCDate()))}`);
const limit = fc.record({ value: fc.integer({ min: 0, max: 40 }), unit: fc.constantFrom(...durationUnits.filter((u) => u !== 'hours')) });

describe('windowBefore', () => {
  it('opens the window its definition on written dates gives', () => {
    fc.assert(
      fc.property(calendarDate, limit, (date, d) => {
        expect(windowBefore(facts, date, d)).toBe(byText(date, d));
      }),
      { numRuns: 2000 },
    );
  });

  it('at month ends, on 29 February and over a year', () => {
    for (const date of ['2024-02-29', '2024-03-31', '2023-12-31', '2025-01-31', '2024-12-25'])
      for (const d of [
        { value: 1, unit: 'months' },
        { value: 12, unit: 'months' },
        { value: 1, unit: 'years' },
        { value: 4, unit: 'weeks' },
        { value: 5, unit: 'working-days' },
      ] as const)
        expect(windowBefore(facts, date, d)).toBe(byText(date, d));
  });

  it('takes a date that is not a calendar date, or a limit in hours, as the text path does', () => {
    expect(windowBefore(facts, '2024-02-30', { value: 4, unit: 'weeks' })).toBe(byText('2024-02-30', { value: 4, unit: 'weeks' }));
    expect(() => windowBefore(facts, '2024-03-01', { value: 4, unit: 'hours' })).toThrow(RangeError);
  });
});
