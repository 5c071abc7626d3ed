import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toDayNumber } from '../../src/time/dates.js';
import { hasTimeOfDay, instantOf, londonDateOf, londonDateOfValue, londonDayNumberOfValue, londonMidnight, londonOffsetMinutes } from '../../src/time/elapsed.js';

const two = (n: number) => String(n).padStart(2, '0');

/** Date-times in the record's form, with field values in and out of range, so that Date.parse's own treatment is checked too. */
const dateTimes = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.option(fc.integer({ min: 0, max: 60 })),
    fraction: fc.option(fc.stringMatching(/^\d{1,4}$/)),
    zone: fc.oneof(
      fc.constant('Z'),
      fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 })).map(([s, h, m]) => `${s}${two(h)}:${two(m)}`),
    ),
  })
  .map(({ year, month, day, hour, minute, second, fraction, zone }) => {
    const seconds = second === null ? '' : `:${two(second)}${fraction === null ? '' : `.${fraction}`}`;
    return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}${seconds}${zone}`;
  });

describe('instantOf', () => {
  it('gives what Date.parse gives for every date-time with its offset, in range or not', () => {
    fc.assert(
      fc.property(dateTimes, (value) => {
        expect(hasTimeOfDay(value)).toBe(true);
        expect(instantOf(value)).toBe(Date.parse(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives what Date.parse gives for other text', () => {
    for (const value of ['2025-03-01', '2025-03', '2025-03-01T10:00', '2025-03-01 10:00Z', 'not a date', '']) expect(instantOf(value)).toEqual(Date.parse(value));
  });
});

describe('londonDateOfValue', () => {
  it("gives a date-time's UK date as the UK date of its instant, in range or not", () => {
    fc.assert(
      fc.property(dateTimes, (value) => {
        const at = instantOf(value);
        expect(londonDateOfValue(value)).toBe(Number.isNaN(at) ? undefined : londonDateOf(at));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('londonDayNumberOfValue', () => {
  it("is the day number of londonDateOfValue's date, NaN where that gives none: date-times in range or not, dates, and other text", () => {
    const dates = fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.oneof(dateTimes, dates, fc.string({ maxLength: 12 }), fc.constantFrom('2025-02-30', '2025-13-01', '2025-01', '2025')), (value) => {
        const date = londonDateOfValue(value);
        expect(londonDayNumberOfValue(value)).toBe(date === undefined ? Number.NaN : toDayNumber(date));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('hasTimeOfDay', () => {
  // The record's date-time form, as the schema's pattern states it.
  const FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
  /** Date-times with characters changed, dropped, doubled or added anywhere, so that near misses of every part are tried. */
  const nearDateTimes = fc
    .tuple(dateTimes, fc.array(fc.tuple(fc.nat(), fc.constantFrom('', '0', '9', 'T', ':', '-', '+', '.', 'Z', 'z', ' ', '/', '05', '.5')), { maxLength: 3 }))
    .map(([value, edits]) =>
      edits.reduce((text, [at, insert], i) => {
        const where = at % (text.length + 1);
        return i % 2 === 0 ? text.slice(0, where) + insert + text.slice(where + 1) : text.slice(0, where) + insert + text.slice(where);
      }, value),
    );

  it('takes exactly the values of the date-time form, whatever their characters', () => {
    fc.assert(
      fc.property(fc.oneof(nearDateTimes, fc.string({ maxLength: 40 })), (value) => {
        expect(hasTimeOfDay(value)).toBe(FORM.test(value));
      }),
      { numRuns: 50_000 },
    );
  });
});

describe('londonMidnight', () => {
  it('counts back from the UTC midnight Date.parse gives, by the UK offset then in force, for any date', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('0001-01-01'), max: toDayNumber('9999-12-31') }), (day) => {
        const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
        const utc = Date.parse(`${date}T00:00:00Z`);
        expect(londonMidnight(date)).toBe(utc - londonOffsetMinutes(utc) * 60_000);
      }),
    );
  });
});
