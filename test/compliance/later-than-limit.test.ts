/**
 * laterThanLimit (src/compliance/templates/common.ts) judges gaps on day numbers instead of writing
 * due dates: it must say what comparing the text with dueDate says, for any dates, including text
 * that is not a calendar date and due dates past year 9999, where it falls back to the text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordFacts } from '../../src/compliance/facts.js';
import { dueDateAfter, laterThanLimit } from '../../src/compliance/templates/common.js';
import { dayNumberOfIsoDate, fromDayNumber, toDayNumber } from '../../src/time/dates.js';
import { type Duration, dueDate } from '../../src/time/duration.js';
import { createWorkingDayCalendar } from '../../src/time/working-days.js';

const facts = { calendar: createWorkingDayCalendar('GB-ENG') } as RecordFacts;

const calendarDate = fc.integer({ min: toDayNumber('1000-01-01'), max: toDayNumber('9999-12-31') }).map(fromDayNumber);
const calendarDateBefore9000 = fc.integer({ min: toDayNumber('1000-01-01'), max: toDayNumber('8999-12-31') }).map(fromDayNumber);
// Text a record may hold that is not a calendar date: dueDate reads some of it, and so must the fallback.
const otherText = fc.constantFrom('2025-02-30', '2025-13-01', '2025-1-01', '2025-03-01T09:00:00Z');
const date = fc.oneof({ weight: 8, arbitrary: calendarDate }, { weight: 1, arbitrary: otherText }, { weight: 1, arbitrary: fc.constantFrom('9999-06-30', '9998-12-31') });
const limit: fc.Arbitrary<Duration> = fc.record({
  value: fc.integer({ min: 0, max: 40 }),
  unit: fc.constantFrom('days', 'weeks', 'months', 'years', 'working-days'),
});

/** What the rules compared before: the text of the date against the text of the due date. */
function byText(on: string, from: string, d: Duration): boolean | 'throws' {
  try {
    return on > dueDate(from, d, facts.calendar);
  } catch {
    return 'throws';
  }
}

function byDayNumbers(on: string, from: string, d: Duration): boolean | 'throws' {
  try {
    return laterThanLimit(facts, on, dayNumberOfIsoDate(on), from, dayNumberOfIsoDate(from), d);
  } catch {
    return 'throws';
  }
}

describe('laterThanLimit', () => {
  it('says what comparing the date with the due date as text says', () => {
    fc.assert(
      fc.property(date, date, limit, (on, from, d) => {
        expect(byDayNumbers(on, from, d)).toBe(byText(on, from, d));
      }),
      { numRuns: 20_000 },
    );
  });

  it('judges dates close to the due date alike', () => {
    fc.assert(
      fc.property(calendarDateBefore9000, limit, fc.integer({ min: -3, max: 3 }), (from, d, offset) => {
        const due = dueDate(from, d, facts.calendar);
        const on = fromDayNumber(toDayNumber(due) + offset);
        expect(byDayNumbers(on, from, d)).toBe(byText(on, from, d));
      }),
      { numRuns: 5_000 },
    );
  });

  it('judges alike any number of days after, around every month and year length', () => {
    // From month ends, leap days and the last years of 9999 as well: where a gap of days alone cannot settle it, the due day must.
    const from = fc.oneof(calendarDate, fc.constantFrom('2023-01-31', '2024-01-31', '2024-02-29', '2023-08-31', '2023-02-28', '9997-12-31', '9999-11-30'));
    // Any gap, or one near the limit's value times a month's or a year's length in days.
    const gapFor = (d: Duration) =>
      fc.oneof(
        fc.integer({ min: 0, max: 1500 }),
        fc.tuple(fc.constantFrom(7, 28, 29, 30, 31, 365, 366), fc.integer({ min: -2, max: 2 })).map(([length, off]) => Math.max(0, d.value * length + off)),
      );
    fc.assert(
      fc.property(
        from,
        limit.chain((d) => fc.tuple(fc.constant(d), gapFor(d))),
        (start, [d, days]) => {
          const on = fromDayNumber(toDayNumber(start) + days);
          expect(byDayNumbers(on, start, d)).toBe(byText(on, start, d));
        },
      ),
      { numRuns: 30_000 },
    );
  });

  it('writes the due date dueDate writes (dueDateAfter), for any date the rules hand it', () => {
    fc.assert(
      fc.property(date, limit, (from, d) => {
        const byDayNumber = (() => {
          try {
            return dueDateAfter(facts, from, dayNumberOfIsoDate(from), d);
          } catch {
            return 'throws';
          }
        })();
        const byText = (() => {
          try {
            return dueDate(from, d, facts.calendar);
          } catch {
            return 'throws';
          }
        })();
        expect(byDayNumber).toBe(byText);
      }),
      { numRuns: 20_000 },
    );
  });

  it('still refuses a limit in hours, as dueDate does', () => {
    expect(byDayNumbers('2025-03-02', '2025-03-01', { value: 4, unit: 'hours' })).toBe('throws');
  });
});
