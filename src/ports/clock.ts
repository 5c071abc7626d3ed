/** The time, passed in so that "today" (the default evaluation date) and "now" are reproducible. */
import type { IsoDate } from '../time/dates.js';

export interface Clock {
  /** The current instant. */
  now(): Date;
  /** Today's date (UTC), YYYY-MM-DD. */
  today(): IsoDate;
}

export function systemClock(): Clock {
  return clockAt(() => new Date());
}

/** A clock stopped at `instant`. */
export function fixedClock(instant: Date | string): Clock {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) throw new RangeError('fixedClock needs a valid instant');
  return clockAt(() => new Date(at));
}

function clockAt(now: () => Date): Clock {
  return { now, today: () => now().toISOString().slice(0, 10) as IsoDate };
}
