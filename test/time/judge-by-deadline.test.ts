/** judgeByDeadline agrees with judgeWithinHours when the deadline is a fixed number of hours on. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/time/dates.js';
import { judgeByDeadline, judgeWithinHours, momentOf } from '../../src/time/elapsed.js';

const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2020-01-01', n));
const two = (n: number) => String(n).padStart(2, '0');
/** A date, or a date-time on it in UTC or BST. */
const value = day.chain((d) =>
  fc.oneof(
    fc.constant(d),
    fc
      .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }), zone: fc.constantFrom('Z', '+01:00') })
      .map(({ h, m, zone }) => `${d}T${two(h)}:${two(m)}:00${zone}`),
  ),
);

describe('judgeByDeadline', () => {
  it('gives the verdict, due day and elapsed hours of judgeWithinHours for a deadline N hours on (property)', () => {
    fc.assert(
      fc.property(value, fc.option(value, { nil: undefined }), fc.integer({ min: 1, max: 72 }), day, (anchor, done, hours, asOf) => {
        const a = momentOf(anchor)!;
        const d = done === undefined ? undefined : momentOf(done);
        expect(judgeByDeadline(a, d, (t) => t + hours * 3_600_000, asOf)).toEqual(judgeWithinHours(a, d, hours, asOf));
      }),
      { numRuns: 500 },
    );
  });
  it('agrees at the edge: a deadline falling exactly at the start of the evaluation day has passed', () => {
    const anchor = momentOf('2025-03-06T10:00:00Z')!;
    expect(judgeByDeadline(anchor, undefined, (t) => t + 14 * 3_600_000, '2025-03-07')).toEqual(judgeWithinHours(anchor, undefined, 14, '2025-03-07'));
    expect(judgeByDeadline(anchor, undefined, (t) => t + 14 * 3_600_000, '2025-03-07').verdict).toBe('not-done');
  });
});
