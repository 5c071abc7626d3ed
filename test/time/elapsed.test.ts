import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/time/dates.js';
import {
  judgeWithinHours,
  londonDateOf,
  londonDateOfValue,
  londonMidnight,
  londonOffsetFromZone,
  londonOffsetMinutes,
  type Moment,
  momentOf,
  onTimeWithinHours,
} from '../../src/time/elapsed.js';

const HOUR = 3_600_000;
const m = (value: string): Moment => momentOf(value)!;
const within = (anchor: string, done: string | undefined, hours: number, asOf = '2026-01-01') =>
  judgeWithinHours(m(anchor), done === undefined ? undefined : m(done), hours, asOf);

describe('the UK day (Europe/London)', () => {
  it('is 23 hours on the spring clock change, 25 on the autumn one and 24 otherwise', () => {
    const length = (d: string) => (londonMidnight(addDays(d, 1)) - londonMidnight(d)) / HOUR;
    expect(length('2025-03-30')).toBe(23);
    expect(length('2025-10-26')).toBe(25);
    expect(length('2025-06-15')).toBe(24);
    expect(length('2025-12-25')).toBe(24);
  });

  it('starts at midnight GMT in winter and midnight BST (23:00 UTC the day before) in summer', () => {
    expect(new Date(londonMidnight('2025-01-10')).toISOString()).toBe('2025-01-10T00:00:00.000Z');
    expect(new Date(londonMidnight('2025-07-10')).toISOString()).toBe('2025-07-09T23:00:00.000Z');
    expect(londonOffsetMinutes(Date.parse('2025-07-10T12:00:00Z'))).toBe(60);
    expect(londonOffsetMinutes(Date.parse('2025-01-10T12:00:00Z'))).toBe(0);
  });

  it('works out the offset as the time zone database gives it, every minute from 1996 to 2060 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('1996-01-01T00:00:00Z') / 60_000, max: Date.parse('2060-01-01T00:00:00Z') / 60_000 }), (minute) => {
        expect(londonOffsetMinutes(minute * 60_000)).toBe(londonOffsetFromZone(minute * 60_000));
      }),
      { numRuns: 2000 },
    );
    // Around every New Year from 1995 to 2060, every ten minutes for two days each side: the year is
    // taken from the instant by average length, which is off there by a day or two.
    for (let year = 1995; year <= 2060; year++) {
      const newYear = Date.UTC(year, 0, 1);
      for (let at = newYear - 2 * 86_400_000; at <= newYear + 2 * 86_400_000; at += 600_000) {
        expect(londonOffsetMinutes(at)).toBe(londonOffsetFromZone(at));
      }
    }
    // Each side of the changes of 2025, to the millisecond.
    for (const [at, offset] of [
      ['2025-03-30T00:59:59.999Z', 0],
      ['2025-03-30T01:00:00.000Z', 60],
      ['2025-10-26T00:59:59.999Z', 60],
      ['2025-10-26T01:00:00.000Z', 0],
    ] as const)
      expect(londonOffsetMinutes(Date.parse(at)), at).toBe(offset);
  });

  it('gives every instant the UK date it falls on (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }), (t) => {
        const date = londonDateOf(t);
        expect(londonMidnight(date)).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(londonMidnight(addDays(date, 1)));
      }),
    );
  });

  it('reads a date as its whole UK day and a date-time as its instant, whatever its offset', () => {
    expect(m('2025-07-10')).toEqual({ start: Date.parse('2025-07-09T23:00:00Z'), end: Date.parse('2025-07-10T23:00:00Z') });
    expect(m('2025-07-10T10:00:00+01:00').start).toBe(m('2025-07-10T09:00Z').start);
    expect(momentOf('2025-07')).toBeUndefined();
  });

  it('places a record value on its UK date: a date-time by its instant, whatever its offset; a date as itself; a month or year nowhere', () => {
    expect(londonDateOfValue('2025-10-25T23:30:00Z')).toBe('2025-10-26');
    expect(londonDateOfValue('2025-10-26T23:30:00Z')).toBe('2025-10-26');
    expect(londonDateOfValue('2025-01-10T23:30:00Z')).toBe('2025-01-10');
    expect(londonDateOfValue('2025-01-11T00:30:00+01:00')).toBe('2025-01-10');
    expect(londonDateOfValue('2025-01-10')).toBe('2025-01-10');
    expect(londonDateOfValue('2025-01')).toBeUndefined();
    expect(londonDateOfValue('2025')).toBeUndefined();
  });
});

describe('a limit in hours', () => {
  it('fails a follow-up 73.5 hours after discharge against 72 hours, and passes one at 72 hours exactly', () => {
    expect(within('2025-06-02T10:00:00+01:00', '2025-06-05T11:30:00+01:00', 72)).toMatchObject({ verdict: 'late', elapsedHours: 73.5 });
    expect(within('2025-06-02T10:00:00+01:00', '2025-06-05T10:00:00+01:00', 72)).toMatchObject({ verdict: 'on-time', elapsedHours: 72 });
    expect(within('2025-06-02T10:00:00+01:00', '2025-06-05T10:00:01+01:00', 72).verdict).toBe('late');
  });

  it('counts elapsed time across the spring clock change: the same clock time three days later is only 71 hours', () => {
    // Friday 28 March 2025 12:00 GMT; the clocks go forward on Sunday 30 March.
    expect(within('2025-03-28T12:00:00Z', '2025-03-31T12:00:00+01:00', 72)).toMatchObject({ verdict: 'on-time', elapsedHours: 71 });
    expect(within('2025-03-28T12:00:00Z', '2025-03-31T13:00:00+01:00', 72)).toMatchObject({ verdict: 'on-time', elapsedHours: 72 });
    expect(within('2025-03-28T12:00:00Z', '2025-03-31T13:01:00+01:00', 72).verdict).toBe('late');
  });

  it('counts elapsed time across the autumn clock change: the same clock time three days later is 73 hours', () => {
    // Friday 24 October 2025 12:00 BST; the clocks go back on Sunday 26 October.
    expect(within('2025-10-24T12:00:00+01:00', '2025-10-27T12:00:00Z', 72)).toMatchObject({ verdict: 'late', elapsedHours: 73 });
    expect(within('2025-10-24T12:00:00+01:00', '2025-10-27T11:00:00Z', 72)).toMatchObject({ verdict: 'on-time', elapsedHours: 72 });
  });

  it('with dates only, decides only when every time of day gives the same answer', () => {
    expect(within('2025-06-02', '2025-06-04', 72).verdict).toBe('on-time');
    expect(within('2025-06-02', '2025-06-05', 72).verdict).toBe('unknown');
    expect(within('2025-06-02', '2025-06-06', 72).verdict).toBe('late');
    // Across the spring change the 4th day after starts an hour early, so it may still be in time.
    expect(within('2025-03-28', '2025-04-01', 72).verdict).toBe('unknown');
    expect(within('2025-03-28', '2025-04-02', 72).verdict).toBe('late');
    // A timed discharge and a contact known by its date.
    expect(within('2025-06-02T23:00:00+01:00', '2025-06-04', 72).verdict).toBe('on-time');
    expect(within('2025-06-02T23:00:00+01:00', '2025-06-05', 72).verdict).toBe('unknown');
    expect(within('2025-06-02T23:00:00+01:00', '2025-06-06', 72).verdict).toBe('late');
  });

  it('fails when nothing was done once the limit has run out before the evaluation day, and waits before that', () => {
    expect(within('2025-06-02T10:00:00+01:00', undefined, 72, '2025-06-05')).toMatchObject({ verdict: 'pending', due: '2025-06-05' });
    expect(within('2025-06-02T10:00:00+01:00', undefined, 72, '2025-06-06')).toMatchObject({ verdict: 'not-done', due: '2025-06-05' });
    // Done after the evaluation day: not done yet.
    expect(within('2025-06-02T10:00:00+01:00', '2025-06-04T10:00:00+01:00', 72, '2025-06-03').verdict).toBe('pending');
  });

  it('agrees with exact arithmetic on instants (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }),
        fc.integer({ min: 0, max: 200 * 60 }),
        fc.integer({ min: 1, max: 168 }),
        (anchorMs, minutesLater, hours) => {
          const anchor = new Date(anchorMs - (anchorMs % 60_000)).toISOString();
          const done = new Date(Date.parse(anchor) + minutesLater * 60_000).toISOString();
          const verdict = within(anchor, done, hours, '2031-01-01').verdict;
          expect(verdict).toBe(minutesLater <= hours * 60 ? 'on-time' : 'late');
        },
      ),
    );
  });

  it('is on time by the shortcut exactly when judgeWithinHours says on time, for two instants (property)', () => {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2020-01-01T00:00:00Z') / 60_000, max: Date.parse('2030-01-01T00:00:00Z') / 60_000 }),
        fc.integer({ min: -48 * 60, max: 200 * 60 }),
        fc.integer({ min: 1, max: 168 }),
        fc.integer({ min: -3, max: 10 }),
        (anchorMinute, minutesLater, hours, asOfShift) => {
          const start = anchorMinute * 60_000;
          const done = start + minutesLater * 60_000;
          const asOf = addDays(day(done), asOfShift);
          const exact = (ms: number): Moment => ({ start: ms, end: ms + 1 });
          expect(onTimeWithinHours(start, done, hours, asOf)).toBe(judgeWithinHours(exact(start), exact(done), hours, asOf).verdict === 'on-time');
        },
      ),
    );
  });
});
