/**
 * Laws of working-day arithmetic (src/time/working-days.ts) and of the deadlines durations give
 * (src/time/duration.ts), over dates from 1950 to 2100. Weekdays come from the JavaScript Date,
 * not from the functions under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, fromDayNumber, toDayNumber } from '../../src/time/dates.js';
import { compareDurations, type Duration, dueDate, dueDayNumber, durationUnits, formatDuration, parseDuration } from '../../src/time/duration.js';
import { createWorkingDayCalendar } from '../../src/time/working-days.js';

const calendars = [createWorkingDayCalendar('GB-WLS'), createWorkingDayCalendar('GB-ENG')];
const calendar = fc.constantFrom(...calendars);

const date = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const count = fc.integer({ min: 0, max: 60 });
const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();

describe('working days (properties)', () => {
  it('are never a Saturday, a Sunday or a holiday of the year, and every other day is one', () => {
    fc.assert(
      fc.property(calendar, date, (cal, d) => {
        const holiday = cal.holidaysIn(Number(d.slice(0, 4))).includes(d);
        expect(cal.isWorkingDay(d)).toBe(weekday(d) !== 0 && weekday(d) !== 6 && !holiday);
      }),
      { numRuns: 1000 },
    );
  });

  it('give due dates that are working days, strictly after the start, at least n calendar days on', () => {
    fc.assert(
      fc.property(calendar, date, fc.integer({ min: 1, max: 60 }), (cal, start, n) => {
        const due = cal.addWorkingDays(start, n);
        expect(cal.isWorkingDay(due)).toBe(true);
        expect(due > start).toBe(true);
        expect(daysBetween(start, due)).toBeGreaterThanOrEqual(n);
      }),
    );
  });

  it('count exactly n working days between the start and the due date, and n − 1 up to the day before', () => {
    fc.assert(
      fc.property(calendar, date, fc.integer({ min: 1, max: 60 }), (cal, start, n) => {
        const due = cal.addWorkingDays(start, n);
        expect(cal.workingDaysAfter(start, due)).toBe(n);
        expect(cal.workingDaysAfter(start, addDays(due, -1))).toBe(n - 1);
      }),
    );
  });

  it('give due dates strictly increasing in n, and adding a then b working days is adding a + b', () => {
    fc.assert(
      fc.property(calendar, date, count, count, (cal, start, a, b) => {
        const [few, many] = a <= b ? [a, b] : [b, a];
        if (few < many) expect(cal.addWorkingDays(start, few) < cal.addWorkingDays(start, many)).toBe(true);
        expect(cal.addWorkingDays(cal.addWorkingDays(start, a), b)).toBe(cal.addWorkingDays(start, a + b));
      }),
    );
  });

  it('give due dates that never move back when the start moves on', () => {
    fc.assert(
      fc.property(calendar, date, fc.integer({ min: 0, max: 30 }), count, (cal, start, later, n) => {
        expect(cal.addWorkingDays(start, n) <= cal.addWorkingDays(addDays(start, later), n)).toBe(true);
      }),
    );
  });

  it('are added as a walk day by day counts them, from any start, a weekend or holiday too (property)', () => {
    fc.assert(
      fc.property(calendar, date, count, (cal, start, n) => {
        let walked = toDayNumber(start);
        for (let left = n; left > 0; ) if (cal.isWorkingDay(fromDayNumber(++walked))) left -= 1;
        expect(cal.addWorkingDayNumbers(toDayNumber(start), n)).toBe(walked);
      }),
      { numRuns: 2000 },
    );
  });

  it('are added and counted on day numbers as on dates (property)', () => {
    fc.assert(
      fc.property(calendar, date, date, count, (cal, from, to, n) => {
        expect(fromDayNumber(cal.addWorkingDayNumbers(toDayNumber(from), n))).toBe(cal.addWorkingDays(from, n));
        expect(cal.workingDayNumbersAfter(toDayNumber(from), toDayNumber(to))).toBe(cal.workingDaysAfter(from, to));
      }),
      { numRuns: 1000 },
    );
  });

  it('are counted additively over consecutive spans, and none in an empty or backward span', () => {
    fc.assert(
      fc.property(calendar, date, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (cal, a, x, y) => {
        const b = addDays(a, x);
        const c = addDays(b, y);
        expect(cal.workingDaysAfter(a, c)).toBe(cal.workingDaysAfter(a, b) + cal.workingDaysAfter(b, c));
        expect(cal.workingDaysAfter(c, a)).toBe(0);
        expect(cal.workingDaysAfter(a, c)).toBeLessThanOrEqual(x + y);
      }),
    );
  });

  it('are the same in Wales and England (the Code counts bank holidays in England and Wales)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1950, max: 2100 }), (year) => {
        expect(calendars[0]!.holidaysIn(year)).toEqual(calendars[1]!.holidaysIn(year));
      }),
    );
  });
});

const duration = fc.record({ value: fc.integer({ min: 0, max: 9999 }), unit: fc.constantFrom(...durationUnits) });
const dateUnits = durationUnits.filter((u) => u !== 'hours');
const dated = (max: number) => fc.record({ value: fc.integer({ min: 0, max }), unit: fc.constantFrom(...dateUnits) });

describe('durations (properties)', () => {
  it('read back what they write', () => {
    fc.assert(
      fc.property(duration, (d) => {
        expect(parseDuration(formatDuration(d))).toEqual(d);
      }),
    );
  });

  it('are ordered consistently: antisymmetric, and zero only within a family for equal lengths', () => {
    fc.assert(
      fc.property(duration, duration, (a, b) => {
        const ab = compareDurations(a, b);
        const ba = compareDurations(b, a);
        expect(ab === undefined).toBe(ba === undefined);
        if (ab !== undefined && ba !== undefined) expect(Math.sign(ab) + Math.sign(ba)).toBe(0);
        expect(compareDurations(a, a)).toBe(0);
      }),
    );
  });

  it('give a later (or the same) deadline for a longer duration of a comparable unit', () => {
    fc.assert(
      fc.property(calendar, date, dated(120), dated(120), (cal, anchor, a, b) => {
        const order = compareDurations(a, b);
        fc.pre(order !== undefined);
        const [shorter, longer] = order! <= 0 ? [a, b] : [b, a];
        expect(dueDate(anchor, shorter, cal) <= dueDate(anchor, longer, cal)).toBe(true);
      }),
    );
  });

  it('give on day numbers the deadline dueDate writes, for limits in days, weeks, working days, months and years (property)', () => {
    fc.assert(
      fc.property(calendar, date, fc.integer({ min: 0, max: 120 }), fc.constantFrom('days', 'weeks', 'working-days', 'months', 'years'), (cal, anchor, n, unit) => {
        const d: Duration = { value: n, unit: unit as Duration['unit'] };
        expect(fromDayNumber(dueDayNumber(toDayNumber(anchor), d, cal))).toBe(dueDate(anchor, d, cal));
      }),
    );
  });

  it('has no day number for a limit in hours', () => {
    expect(dueDayNumber(toDayNumber('2025-03-01'), { value: 4, unit: 'hours' }, createWorkingDayCalendar('GB-ENG'))).toBeNaN();
  });

  it('give a deadline no earlier than the anchor, and weeks as 7 days, years as 12 months', () => {
    fc.assert(
      fc.property(calendar, date, fc.integer({ min: 0, max: 120 }), (cal, anchor, n) => {
        const due = (d: Duration) => dueDate(anchor, d, cal);
        for (const unit of dateUnits) expect(due({ value: n, unit }) >= anchor).toBe(true);
        expect(due({ value: n, unit: 'weeks' })).toBe(due({ value: 7 * n, unit: 'days' }));
        expect(due({ value: n, unit: 'years' })).toBe(due({ value: 12 * n, unit: 'months' }));
      }),
    );
  });
});

describe('working days counted over a span', () => {
  it('are the days that are working days, counted one by one, over spans of up to ten years (property)', () => {
    for (const region of ['GB-ENG', 'GB-WLS'] as const) {
      const cal = createWorkingDayCalendar(region);
      fc.assert(
        fc.property(fc.integer({ min: toDayNumber('1995-01-01'), max: toDayNumber('2035-12-31') }), fc.integer({ min: -30, max: 3700 }), (start, length) => {
          const from = fromDayNumber(start);
          const to = fromDayNumber(start + length);
          let oneByOne = 0;
          for (let d = start + 1; d <= start + length; d++) if (cal.isWorkingDay(fromDayNumber(d))) oneByOne += 1;
          expect(cal.workingDaysAfter(from, to)).toBe(oneByOne);
        }),
        { numRuns: 300 },
      );
    }
  });
});
