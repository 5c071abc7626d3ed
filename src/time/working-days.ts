/**
 * Working days as the Code of Practice's glossary defines them: every day except Saturday,
 * Sunday, Christmas Day, Good Friday and a bank holiday in England and Wales. Holidays come from
 * the date-holidays library (including substitute days and one-off holidays such as a
 * coronation), not from a list kept by hand.
 */
import Holidays from 'date-holidays';
import { dayNumberOf, fromDayNumber, type IsoDate, toDayNumber, yearOfDayNumber } from './dates.js';

export type HolidayRegion = 'GB-WLS' | 'GB-ENG';

export interface WorkingDayCalendar {
  readonly region: HolidayRegion;
  isWorkingDay(date: IsoDate): boolean;
  /** The date `count` working days after `date` (the start date itself never counts). */
  addWorkingDays(date: IsoDate, count: number): IsoDate;
  /** Working days after `from` up to and including `to`; 0 when `to` is not after `from`. */
  workingDaysAfter(from: IsoDate, to: IsoDate): number;
  /** addWorkingDays on day numbers (days since 1970-01-01), for callers that hold them already. */
  addWorkingDayNumbers(day: number, count: number): number;
  /** workingDaysAfter on day numbers. */
  workingDayNumbersAfter(from: number, to: number): number;
  /** The bank holidays (and Christmas Day and Good Friday) of a year, sorted. */
  holidaysIn(year: number): readonly IsoDate[];
}

export function createWorkingDayCalendar(region: HolidayRegion): WorkingDayCalendar {
  const [country, state] = region.split('-') as [string, string];
  const source = new Holidays(country, state, { types: ['public', 'bank'] });
  const byYear = new Map<number, { sorted: IsoDate[]; set: Set<IsoDate> }>();

  const yearOf = (year: number) => {
    let entry = byYear.get(year);
    if (!entry) {
      const dates = (source.getHolidays(year) || []).map((h) => h.date.slice(0, 10));
      const sorted = [...new Set(dates)].sort();
      entry = { sorted, set: new Set(sorted) };
      byYear.set(year, entry);
    }
    return entry;
  };

  // Holidays as day numbers, by year, with the year's bounds: counting runs over day numbers, so
  // a count of working days parses its start date once rather than every day on the way.
  interface HolidayYear {
    readonly first: number;
    readonly last: number;
    readonly days: Set<number>;
    /** Those of the days that fall on a weekday, in order. */
    readonly weekdays: readonly number[];
  }
  const holidayDays = new Map<number, HolidayYear>();
  let recent: HolidayYear | undefined;
  const holidayYearAround = (day: number): HolidayYear => {
    if (recent !== undefined && day >= recent.first && day <= recent.last) return recent;
    const year = yearOfDayNumber(day);
    let entry = holidayDays.get(year);
    if (!entry) {
      const sorted = yearOf(year).sorted.map(toDayNumber);
      entry = { first: dayNumberOf(year, 1, 1), last: dayNumberOf(year, 12, 31), days: new Set(sorted), weekdays: sorted.filter((day) => !isWeekend(day)) };
      holidayDays.set(year, entry);
    }
    recent = entry;
    return entry;
  };
  const isWorkingDayNumber = (day: number): boolean => !isWeekend(day) && !holidayYearAround(day).days.has(day);
  const isWorkingDay = (date: IsoDate): boolean => isWorkingDayNumber(toDayNumber(date));

  return {
    region,
    isWorkingDay,
    addWorkingDays(date, count) {
      const due = addWorkingDayNumbers(toDayNumber(date), count);
      return count === 0 ? date : fromDayNumber(due);
    },
    workingDaysAfter: (from, to) => workingDayNumbersAfter(toDayNumber(from), toDayNumber(to)),
    addWorkingDayNumbers,
    workingDayNumbersAfter,
    holidaysIn: (year) => yearOf(year).sorted,
  };

  function addWorkingDayNumbers(day: number, count: number): number {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a whole number of working days, 0 or more');
    // Weekdays first, as if there were no holidays; then one more for each weekday holiday passed on the way, until none is.
    let current = day;
    let left = count;
    while (left > 0) {
      const next = addWeekdays(current, left);
      left = weekdayHolidays(current + 1, next);
      current = next;
    }
    return current;
  }

  function workingDayNumbersAfter(from: number, to: number): number {
    const first = from + 1;
    const last = to;
    if (last < first) return 0;
    // Five weekdays in every whole week, the days left over one by one, then the weekday holidays in the span:
    // a late deadline can be years after its start, and this is counted for every message that says how late.
    const span = last - first + 1;
    let count = Math.floor(span / 7) * 5;
    for (let d = first + span - (span % 7); d <= last; d++) if (!isWeekend(d)) count += 1;
    return count - weekdayHolidays(first, last);
  }

  /** The holidays from `first` to `last` (both included) that fall on a weekday. */
  function weekdayHolidays(first: number, last: number): number {
    let count = 0;
    for (let lo = first; lo <= last; ) {
      // Only the year's own days, as isWorkingDayNumber asks each day's own year.
      const year = holidayYearAround(lo);
      const hi = Math.min(last, year.last);
      for (const day of year.weekdays) {
        if (day > hi) break;
        if (day >= lo) count += 1;
      }
      lo = year.last + 1;
    }
    return count;
  }
}

/** The day `count` (1 or more) weekdays (Monday to Friday) after `day`: every seven days hold five. */
function addWeekdays(day: number, count: number): number {
  let current = day + Math.floor(count / 5) * 7;
  let left = count % 5;
  // A whole number of weeks from a weekend day ends on one: the last weekday is the one before.
  if (left === 0) while (isWeekend(current)) current -= 1;
  while (left > 0) {
    current += 1;
    if (!isWeekend(current)) left -= 1;
  }
  return current;
}

function isWeekend(day: number): boolean {
  // 1970-01-01 was a Thursday; 0 = Sunday. Day numbers before 1970 are negative.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
}
