/**
 * One judgement of "X within N of Y" for rules and measures alike. Rules turn the verdict into
 * a finding, measures into populations, so a deadline can never be met for one and missed for
 * the other.
 */
import type { IsoDate } from '../time/dates.js';

/**
 * - `on-time`: done on or before the deadline.
 * - `late`: done after the deadline, with no exceptional circumstances recorded.
 * - `excused`: done late with exceptional circumstances recorded (Code 3.6): the recommended
 *   time does not apply, so it is neither met nor missed.
 * - `not-done`: not done by the as-of day, and the deadline has passed.
 * - `pending`: not done, and the deadline has not passed yet.
 * - `set-aside`: not done, and the person left services on or before the deadline: the duty
 *   ceased on discharge (Code 7.7).
 * - `unknown`: done on the day the deadline falls, but only the date is known for a limit in hours.
 */
export type ClockVerdict = 'on-time' | 'late' | 'excused' | 'not-done' | 'pending' | 'set-aside' | 'unknown';

export interface Clock {
  readonly due: IsoDate;
  /** When the thing was done, if it was; anything dated after `asOf` had not happened yet. */
  readonly done: IsoDate | undefined;
  readonly asOf: IsoDate;
  /** A recorded reason that excuses lateness, when the duty allows one. */
  readonly excuse?: string | undefined;
  /** The first day the person was no longer in receipt of services, if they left. */
  readonly leftServicesOn?: IsoDate | undefined;
}

export function judgeClock(c: Clock): ClockVerdict {
  if (c.done !== undefined && c.done <= c.asOf) {
    if (c.done <= c.due) return 'on-time';
    return c.excuse !== undefined ? 'excused' : 'late';
  }
  if (c.leftServicesOn !== undefined && c.leftServicesOn <= c.asOf && c.leftServicesOn <= c.due) return 'set-aside';
  return c.asOf > c.due ? 'not-done' : 'pending';
}
