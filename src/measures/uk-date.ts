/** The calendar date in Wales (Europe/London) of an instant: the day a request was received on. */
import type { IsoDate } from '../time/dates.js';

const formatter = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

export function ukDateOf(epochMs: number): IsoDate {
  return formatter.format(epochMs);
}
