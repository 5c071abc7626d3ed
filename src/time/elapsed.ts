/**
 * Limits in hours ("within 72 hours of discharge"), counted as elapsed time between two moments.
 * A moment may be known to the second (a date-time with its offset) or only by its date, which
 * stands for the whole of that day in the UK (Europe/London): 24 hours most of the year, 23 on the
 * spring clock change and 25 on the autumn one. A verdict is given only when every moment the
 * record allows gives the same one.
 */
import {
  addDays,
  datePart,
  dayNumberOf,
  daysInMonth,
  digitsAt,
  FIRST_FOUR_DIGIT_DAY,
  fromDayNumber,
  type IsoDate,
  isIsoDate,
  LAST_FOUR_DIGIT_DAY,
  toDayNumber,
} from './dates.js';

/** A span of time in milliseconds since 1970: start inclusive, end exclusive. */
export interface Moment {
  readonly start: number;
  readonly end: number;
}

export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The UK's offset from UTC in minutes at an instant, as the time zone database gives it. */
export function londonOffsetFromZone(epochMs: number): number {
  const p = Object.fromEntries(londonParts.formatToParts(epochMs).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - Math.floor(epochMs / 60_000) * 60_000) / 60_000);
}

/** 01:00 UTC on the last Sunday of a month (0-based), when UK clocks change since 1996. */
function lastSundayAtOne(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
}

/**
 * The UK's offset from UTC in minutes at an instant: 60 (BST) from 01:00 UTC on the last Sunday
 * of March to 01:00 UTC on the last Sunday of October, 0 (GMT) otherwise. That rule has held
 * since 1996 and is worked out here, because asking the time zone database is slow enough to
 * matter when every rule of a pack runs over every record; earlier instants ask it.
 */
export function londonOffsetMinutes(epochMs: number): number {
  // The year by average length, not a Date: off by a day or two only around New Year, when no
  // year's summer time is in force, so the offset comes out the same.
  const year = 1970 + Math.floor(epochMs / AVERAGE_YEAR_MS);
  if (year < FIRST_RULE_YEAR) return londonOffsetFromZone(epochMs);
  const [from, to] = summerTime(year);
  return epochMs >= from && epochMs < to ? 60 : 0;
}

const AVERAGE_YEAR_MS = 365.2425 * 86_400_000;
const FIRST_RULE_YEAR = 1996;
/** When British Summer Time begins and ends, worked out once for the years a record will hold. */
const SUMMER_TIME: readonly (readonly [number, number])[] = Object.freeze(
  Array.from({ length: 2200 - FIRST_RULE_YEAR }, (_, i) => Object.freeze([lastSundayAtOne(FIRST_RULE_YEAR + i, 2), lastSundayAtOne(FIRST_RULE_YEAR + i, 9)] as const)),
);
function summerTime(year: number): readonly [number, number] {
  return SUMMER_TIME[year - FIRST_RULE_YEAR] ?? [lastSundayAtOne(year, 2), lastSundayAtOne(year, 9)];
}

/** The instant a UK calendar day starts (midnight in Europe/London). */
export function londonMidnight(date: IsoDate): number {
  const utcMidnight = isIsoDate(date) ? toDayNumber(date) * DAY_MS : Date.parse(`${date}T00:00:00Z`);
  // Clocks change at 01:00 UTC, so the offset in force at UTC midnight is the one at local midnight.
  return utcMidnight - londonOffsetMinutes(utcMidnight) * 60_000;
}

/** The calendar date in the UK (Europe/London) of an instant. */
export function londonDateOf(epochMs: number): IsoDate {
  // Day arithmetic rather than a Date's ISO string: every contact's day passes through here.
  return fromDayNumber(londonDayNumberOf(epochMs));
}

/** The day number (days since 1970-01-01) of the UK calendar date of an instant. */
export function londonDayNumberOf(epochMs: number): number {
  return Math.floor((epochMs + londonOffsetMinutes(epochMs) * 60_000) / DAY_MS);
}

/**
 * The instant of a date-time with its offset (what hasTimeOfDay accepts), as Date.parse gives it,
 * worked out from its digits: every timed contact, note and outcome passes through here. Values
 * Date.parse treats specially (fractions of a second, 24:00, a leap second, days past 31) are left
 * to it.
 */
export function instantOf(value: string): number {
  return hasTimeOfDay(value) ? instantOfDateTime(value) : Date.parse(value);
}

/** instantOf for a value already known to be a date-time with its offset (hasTimeOfDay). */
export function instantOfDateTime(value: string): number {
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const hasSeconds = value.charCodeAt(16) === 58;
  const second = hasSeconds ? digitsAt(value, 17, 2) : 0;
  const zoneAt = hasSeconds ? 19 : 16;
  const zone = value.charCodeAt(zoneAt);
  const utc = zone === 90;
  if (!utc && zone !== 43 && zone !== 45) return Date.parse(value);
  const offsetHours = utc ? 0 : digitsAt(value, zoneAt + 1, 2);
  const offsetMinutes = utc ? 0 : digitsAt(value, zoneAt + 4, 2);
  // A field that is not digits (-1) or out of range is Date.parse's to judge.
  const outOfRange = hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59 || Math.min(hour, minute, second, offsetHours, offsetMinutes) < 0;
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || outOfRange) {
    return Date.parse(value);
  }
  const offset = (zone === 45 ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return dayNumberOf(year, month, day) * DAY_MS + ((hour * 60 + minute - offset) * 60 + second) * 1000;
}

/** The UK date a record value falls on: a date-time's date in the UK, a date itself; undefined for a year or a month alone. */
export function londonDateOfValue(value: string): IsoDate | undefined {
  if (!hasTimeOfDay(value)) return value.length === 10 ? datePart(value) : undefined;
  const at = instantOfDateTime(value);
  if (Number.isNaN(at)) return undefined;
  const day = londonDayNumberOf(at);
  // Usually the UK date is the one the value is written with: then it is that text, without building a date string.
  return writtenDayNumber(value) === day ? value.slice(0, 10) : fromDayNumber(day);
}

/**
 * The day number (days since 1970-01-01) of the UK date a record value falls on, as londonDateOfValue
 * gives it, NaN where that gives none: a check that only compares two days need not build either date.
 */
export function londonDayNumberOfValue(value: string): number {
  if (!hasTimeOfDay(value)) {
    const date = value.length === 10 ? datePart(value) : undefined;
    return date === undefined ? Number.NaN : toDayNumber(date);
  }
  const at = instantOfDateTime(value);
  return Number.isNaN(at) ? Number.NaN : londonDayNumberOf(at);
}

/** The day number of the date a date-time (hasTimeOfDay) is written with, read from its digits; NaN when that is no calendar date (a 30 February). */
function writtenDayNumber(value: string): number {
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) ? dayNumberOf(year, month, day) : Number.NaN;
}

/** Whether a record value carries a time of day (a date-time with its offset). */
export function hasTimeOfDay(value: string): boolean {
  // YYYY-MM-DDThh:mm[:ss[.s…]] then Z or ±hh:mm, read by character codes: every timed value of every rule passes through here.
  const length = value.length;
  if (length < 17 || value.charCodeAt(10) !== 84) return false;
  if (!(isDigits(value, 0, 4) && value.charCodeAt(4) === 45 && isDigits(value, 5, 2) && value.charCodeAt(7) === 45 && isDigits(value, 8, 2))) return false;
  if (!(isDigits(value, 11, 2) && value.charCodeAt(13) === 58 && isDigits(value, 14, 2))) return false;
  let i = 16;
  if (value.charCodeAt(i) === 58) {
    if (i + 3 > length || !isDigits(value, i + 1, 2)) return false;
    i += 3;
    if (value.charCodeAt(i) === 46) {
      const fraction = ++i;
      while (i < length && isDigits(value, i, 1)) i++;
      if (i === fraction) return false;
    }
  }
  const zone = value.charCodeAt(i);
  if (zone === 90) return i + 1 === length;
  return (zone === 43 || zone === 45) && i + 6 === length && isDigits(value, i + 1, 2) && value.charCodeAt(i + 3) === 58 && isDigits(value, i + 4, 2);
}

function isDigits(text: string, from: number, count: number): boolean {
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The moment a date or date-time stands for; undefined for a year or a month alone. */
export function momentOf(value: string): Moment | undefined {
  if (hasTimeOfDay(value)) {
    const at = instantOfDateTime(value);
    return Number.isNaN(at) ? undefined : { start: at, end: at + 1 };
  }
  const day = datePart(value);
  if (day === undefined || value.length !== 10) return undefined;
  return { start: londonMidnight(day), end: londonMidnight(addDays(day, 1)) };
}

/**
 * - `on-time`: done no later than `hours` after the anchor, whatever the exact times were.
 * - `late`: done later than that, whatever the exact times were.
 * - `unknown`: it depends on times the record does not hold.
 * - `not-done`: not done by the start of the evaluation day, when the limit had certainly run out.
 * - `pending`: not done, and the limit may not have run out by the start of the evaluation day.
 */
export type HoursVerdict = 'on-time' | 'late' | 'unknown' | 'not-done' | 'pending';

export interface HoursJudgement {
  readonly verdict: HoursVerdict;
  /** The elapsed hours, when both moments are known to the second. */
  readonly elapsedHours?: number;
  /** The UK date on which the limit runs out at the latest. */
  readonly due: IsoDate;
}

/**
 * What judgeWithinHours calls on time for two exact instants (done by the end of the UK day
 * `asOf`, no later than `hours` after the start), without working out its due date: most timed
 * entries are on time, and this is the cheap way to say so.
 */
export function onTimeWithinHours(startMs: number, doneMs: number, hours: number, asOf: IsoDate): boolean {
  return doneMs <= startMs + hours * HOUR_MS && londonDayNumberOf(doneMs) <= toDayNumber(asOf);
}

/**
 * Judges "done within `hours` of the anchor" as at the start of the UK day `asOf` (a thing done on
 * or after that day had not happened yet).
 */
export function judgeWithinHours(anchor: Moment, done: Moment | undefined, hours: number, asOf: IsoDate): HoursJudgement {
  const limit = hours * HOUR_MS;
  const due = londonDateOf(anchor.end - 1 + limit);
  if (done === undefined || done.start >= londonMidnightAfter(asOf)) {
    return { verdict: londonMidnight(asOf) >= anchor.end - 1 + limit ? 'not-done' : 'pending', due };
  }
  const exact = anchor.end - anchor.start === 1 && done.end - done.start === 1;
  let verdict: HoursVerdict = 'unknown';
  if (done.end - 1 <= anchor.start + limit) verdict = 'on-time';
  else if (done.start > anchor.end - 1 + limit) verdict = 'late';
  else return { verdict, due };
  return exact ? { verdict, due, elapsedHours: (done.start - anchor.start) / HOUR_MS } : { verdict, due };
}

/** londonMidnight(addDays(date, 1)), without writing the next day's date when it has a four-digit year. */
function londonMidnightAfter(date: IsoDate): number {
  const next = toDayNumber(date) + 1;
  if (next < FIRST_FOUR_DIGIT_DAY || next > LAST_FOUR_DIGIT_DAY) return londonMidnight(addDays(date, 1));
  const utcMidnight = next * DAY_MS;
  return utcMidnight - londonOffsetMinutes(utcMidnight) * 60_000;
}

/**
 * Judges "done by a deadline that depends on the moment the clock started", as at the start of the
 * UK day `asOf`: `dueOf` gives the last instant (inclusive) for an anchor instant and must not go
 * back as the anchor moves on. Verdicts as for judgeWithinHours.
 */
export function judgeByDeadline(anchor: Moment, done: Moment | undefined, dueOf: (anchorMs: number) => number, asOf: IsoDate): HoursJudgement {
  const earliest = dueOf(anchor.start);
  const latest = dueOf(anchor.end - 1);
  const due = londonDateOf(latest);
  if (done === undefined || done.start >= londonMidnight(addDays(asOf, 1))) return { verdict: londonMidnight(asOf) >= latest ? 'not-done' : 'pending', due };
  const exact = anchor.end - anchor.start === 1 && done.end - done.start === 1;
  const elapsed = exact ? { elapsedHours: (done.start - anchor.start) / HOUR_MS } : {};
  if (done.end - 1 <= earliest) return { verdict: 'on-time', due, ...elapsed };
  if (done.start > latest) return { verdict: 'late', due, ...elapsed };
  return { verdict: 'unknown', due };
}
