/**
 * Durations as rule packs write them ("14 days", "6 weeks", "12 months", "10 working days",
 * "4 hours"), and the deadlines they give from an anchor date or instant.
 */
import { addDays, addMonths, addMonthsToDayNumber, type IsoDate } from './dates.js';
import type { WorkingDayCalendar } from './working-days.js';

export const durationUnits = ['hours', 'days', 'weeks', 'months', 'years', 'working-days'] as const;
export type DurationUnit = (typeof durationUnits)[number];

export interface Duration {
  readonly value: number;
  readonly unit: DurationUnit;
}

const PATTERN = /^(\d{1,4})\s+(hours?|days?|weeks?|months?|years?|working[ -]days?)$/;

export const DURATION_FORMAT = 'a whole number and a unit, e.g. "14 days", "6 weeks", "12 months", "10 working days" or "4 hours"';

export function parseDuration(text: string): Duration | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const word = m[2]!.replace(' ', '-');
  const unit = (word.endsWith('s') ? word : `${word}s`) as DurationUnit;
  return { value: Number(m[1]), unit };
}

export function formatDuration(d: Duration): string {
  const unit = d.unit === 'working-days' ? 'working days' : d.unit;
  return `${d.value} ${d.value === 1 && unit.endsWith('s') ? unit.slice(0, -1) : unit}`;
}

/** The last date on which something due `d` after `anchor` is still on time. */
export function dueDate(anchor: IsoDate, d: Duration, calendar: WorkingDayCalendar): IsoDate {
  switch (d.unit) {
    case 'days':
      return addDays(anchor, d.value);
    case 'weeks':
      return addDays(anchor, d.value * 7);
    case 'months':
      return addMonths(anchor, d.value);
    case 'years':
      return addMonths(anchor, d.value * 12);
    case 'working-days':
      return calendar.addWorkingDays(anchor, d.value);
    case 'hours':
      throw new RangeError('a duration in hours needs an anchor with a time of day');
  }
}

/**
 * dueDate on day numbers (days since 1970-01-01): a loop over many anchors need not write a date
 * for each. NaN for a limit in hours.
 */
export function dueDayNumber(anchorDay: number, d: Duration, calendar: WorkingDayCalendar): number {
  switch (d.unit) {
    case 'days':
      return anchorDay + d.value;
    case 'weeks':
      return anchorDay + d.value * 7;
    case 'working-days':
      return calendar.addWorkingDayNumbers(anchorDay, d.value);
    case 'months':
      return addMonthsToDayNumber(anchorDay, d.value);
    case 'years':
      return addMonthsToDayNumber(anchorDay, d.value * 12);
    default:
      return Number.NaN;
  }
}

/** The instant (ms since the epoch) `d` after `anchorMs`; only for hours, days and weeks. */
export function dueInstant(anchorMs: number, d: Duration): number {
  const hours = { hours: 1, days: 24, weeks: 168 } as Partial<Record<DurationUnit, number>>;
  const factor = hours[d.unit];
  if (factor === undefined) throw new RangeError(`a duration in ${d.unit} has no fixed length in hours`);
  return anchorMs + d.value * factor * 3_600_000;
}

const families: Record<DurationUnit, { family: string; scale: number }> = {
  hours: { family: 'elapsed', scale: 1 },
  days: { family: 'elapsed', scale: 24 },
  weeks: { family: 'elapsed', scale: 168 },
  months: { family: 'months', scale: 1 },
  years: { family: 'months', scale: 12 },
  'working-days': { family: 'working-days', scale: 1 },
};

/**
 * Orders two durations: negative when `a` is shorter. Undefined when they cannot be compared
 * without a calendar (days against months, or against working days).
 */
export function compareDurations(a: Duration, b: Duration): number | undefined {
  const fa = families[a.unit];
  const fb = families[b.unit];
  if (fa.family !== fb.family) return undefined;
  return a.value * fa.scale - b.value * fb.scale;
}
