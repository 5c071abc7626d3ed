/**
 * Laws of calendar-day and calendar-month arithmetic (src/time/dates.ts), over dates from year 100
 * to 9000. Expected values come from the JavaScript Date in UTC (setUTCFullYear, which takes
 * years 0–99 literally), not from the functions under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addMonthsToDayNumber,
  addYears,
  ageOn,
  birthdayOfAge,
  dayNumberOfIsoDate,
  daysBetween,
  daysInMonth,
  earliest,
  FIRST_FOUR_DIGIT_DAY,
  fromDayNumber,
  isIsoDate,
  LAST_FOUR_DIGIT_DAY,
  latest,
  monthBounds,
  toDayNumber,
  yearOfDayNumber,
} from '../../src/time/dates.js';

const MS_PER_DAY = 86_400_000;

/** The UTC Date of a year, month (1–12) and day; overflowing days roll over as Date does. */
function utc(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}
const iso = (d: Date) => d.toISOString().slice(0, 10);
const parts = (date: string) => date.split('-').map(Number) as [number, number, number];
/** Months since year 0, to compare month positions. */
const monthIndex = (date: string) => {
  const [y, m] = parts(date);
  return y * 12 + m - 1;
};

const date = fc.date({ min: utc(100, 1, 1), max: utc(9000, 12, 31), noInvalidDate: true }).map(iso);
/** Dates whose day is near a month's end, where clamping happens. */
const monthEnd = fc
  .record({ y: fc.integer({ min: 100, max: 9000 }), m: fc.integer({ min: 1, max: 12 }), back: fc.integer({ min: 0, max: 3 }) })
  .map(({ y, m, back }) => iso(utc(y, m + 1, -back)));
const someDate = fc.oneof(date, monthEnd);
const days = fc.integer({ min: -3000, max: 3000 });
const months = fc.integer({ min: -240, max: 240 });

describe('calendar dates (properties)', () => {
  it('accept exactly the days that exist', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        expect(isIsoDate(text)).toBe(iso(utc(y, m, d)) === text);
      }),
    );
  });

  it('count days as the UTC calendar does, and addDays is undone by its negation', () => {
    fc.assert(
      fc.property(someDate, days, (d, n) => {
        const later = addDays(d, n);
        expect(later).toBe(iso(new Date(utc(...parts(d)).getTime() + n * MS_PER_DAY)));
        expect(daysBetween(d, later)).toBe(n);
        expect(addDays(later, -n)).toBe(d);
        expect(Math.sign(later.localeCompare(d))).toBe(Math.sign(n));
      }),
    );
  });

  it('add days associatively', () => {
    fc.assert(
      fc.property(someDate, days, days, (d, a, b) => {
        expect(addDays(addDays(d, a), b)).toBe(addDays(d, a + b));
      }),
    );
  });

  it('add months by moving the month, keeping the day or clamping it to the month’s last day, never into the next month', () => {
    fc.assert(
      fc.property(someDate, months, (d, n) => {
        const result = addMonths(d, n);
        expect(isIsoDate(result)).toBe(true);
        expect(monthIndex(result)).toBe(monthIndex(d) + n);
        const [y, m, day] = parts(result);
        expect(day).toBe(Math.min(parts(d)[2], daysInMonth(y, m)));
        expect(daysInMonth(y, m)).toBe(utc(y, m + 1, 0).getUTCDate());
      }),
    );
  });

  it('add months monotonically, in the date and in the number of months', () => {
    fc.assert(
      fc.property(someDate, someDate, months, months, (a, b, n, k) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addMonths(lo, n) <= addMonths(hi, n)).toBe(true);
        const [few, many] = n <= k ? [n, k] : [k, n];
        expect(addMonths(lo, few) <= addMonths(lo, many)).toBe(true);
      }),
    );
  });

  it('add n then m months no later than n + m at once, and the same when the day is at most 28', () => {
    // 31 January + 1 month + 1 month = 28 March, but 31 January + 2 months = 31 March.
    fc.assert(
      fc.property(someDate, months, months, (d, n, m) => {
        const stepwise = addMonths(addMonths(d, n), m);
        const atOnce = addMonths(d, n + m);
        expect(stepwise <= atOnce).toBe(true);
        expect(monthIndex(stepwise)).toBe(monthIndex(atOnce));
        if (parts(d)[2] <= 28) {
          expect(stepwise).toBe(atOnce);
          expect(addMonths(addMonths(d, n), -n)).toBe(d);
        }
      }),
    );
  });

  it('add years as 12 months, keeping month and day except for 29 February', () => {
    fc.assert(
      fc.property(someDate, fc.integer({ min: -20, max: 20 }), (d, k) => {
        const result = addYears(d, k);
        expect(result).toBe(addMonths(d, 12 * k));
        if (!d.endsWith('-02-29')) expect(result.slice(4)).toBe(d.slice(4));
      }),
    );
  });

  it('give ages that change exactly on the birthday of each age', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 120 }), (dob, n) => {
        fc.pre(Number(dob.slice(0, 4)) + n <= 9998);
        const birthday = birthdayOfAge(dob, n);
        expect(ageOn(dob, birthday)).toBe(n);
        expect(ageOn(dob, addDays(birthday, -1))).toBe(n - 1);
        expect(toDayNumber(birthday)).toBeGreaterThan(toDayNumber(dob));
      }),
    );
  });

  it('give ages that never decrease as the date moves on', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 400 }), (dob, a, b) => {
        fc.pre(toDayNumber(dob) + a + b < toDayNumber('9999-01-01'));
        const first = addDays(dob, a);
        expect(ageOn(dob, first)).toBeLessThanOrEqual(ageOn(dob, addDays(first, b)));
      }),
    );
  });

  it('bound a month by its first and last day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9998 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
        const { first, last } = monthBounds(month);
        expect(first).toBe(`${month}-01`);
        expect(last.slice(0, 7)).toBe(month);
        expect(addDays(last, 1)).toBe(addMonths(first, 1));
        expect(daysBetween(first, last) + 1).toBe(daysInMonth(y, m));
      }),
    );
  });

  it('find the earliest and latest of a list as sorting does', () => {
    fc.assert(
      fc.property(fc.array(someDate, { maxLength: 8 }), (list) => {
        const sorted = [...list].sort();
        expect(earliest(list)).toBe(sorted[0]);
        expect(latest(list)).toBe(sorted.at(-1));
      }),
    );
  });
});

describe('day numbers', () => {
  it('are those of JavaScript’s UTC calendar, both ways, for every year from 0 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const n = toDayNumber(text);
        expect(n).toBe(utc(y, m, d).getTime() / MS_PER_DAY);
        expect(fromDayNumber(n)).toBe(iso(new Date(n * MS_PER_DAY)));
        if (d <= daysInMonth(y, m)) expect(fromDayNumber(n)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('of a calendar date are toDayNumber’s, and NaN exactly for the text isIsoDate refuses (property)', () => {
    const text = fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
        .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      fc.string({ minLength: 8, maxLength: 12 }),
      someDate.map((d) => `${d.slice(0, 4)}${d.slice(4, 9)}x`),
    );
    fc.assert(
      fc.property(text, (t) => {
        if (isIsoDate(t)) expect(dayNumberOfIsoDate(t)).toBe(toDayNumber(t));
        else expect(dayNumberOfIsoDate(t)).toBeNaN();
      }),
      { numRuns: 3000 },
    );
    expect(fromDayNumber(FIRST_FOUR_DIGIT_DAY)).toBe('0000-01-01');
    expect(fromDayNumber(LAST_FOUR_DIGIT_DAY)).toBe('9999-12-31');
  });

  it('have the year of JavaScript’s UTC calendar, before year 0 and after 9999 as well', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3_000_000, max: 3_000_000 }), (n) => {
        expect(yearOfDayNumber(n)).toBe(new Date(n * MS_PER_DAY).getUTCFullYear());
      }),
      { numRuns: 5000 },
    );
  });

  it('count the days in a month as the UTC calendar does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        expect(daysInMonth(y, m)).toBe(utc(y, m + 1, 0).getUTCDate());
      }),
    );
  });
});

describe('addMonthsToDayNumber', () => {
  it('is addMonths on day numbers, month ends included, for any four-digit year', () => {
    const days = fc.integer({ min: toDayNumber('1000-01-01'), max: toDayNumber('9799-12-31') });
    fc.assert(
      fc.property(days, fc.integer({ min: 0, max: 2400 }), (day, months) => {
        expect(fromDayNumber(addMonthsToDayNumber(day, months))).toBe(addMonths(fromDayNumber(day), months));
      }),
      { numRuns: 20_000 },
    );
  });
});
