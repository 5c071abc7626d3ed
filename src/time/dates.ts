/**
 * Calendar dates as ISO `YYYY-MM-DD` strings, computed on day numbers (days since 1970-01-01)
 * so that no time zone or daylight-saving change can move a date.
 */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;

/**
 * The number written by `count` ASCII digits of `text` from `from`, read by character codes
 * rather than a regular expression (every rule and measure parses dates and times, so this is
 * hot); -1 when one of them is not a digit.
 */
export function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
function isDateShape(text: string): boolean {
  return text.length === 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45;
}

export function isIsoDate(value: string): boolean {
  if (!isDateShape(value)) return false;
  const y = digitsAt(value, 0, 4);
  const mo = digitsAt(value, 5, 2);
  const d = digitsAt(value, 8, 2);
  if (y < 0 || mo < 0 || d < 0) return false;
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/**
 * The day number of a calendar date written YYYY-MM-DD (what isIsoDate accepts), NaN for any other
 * text: for these dates, and only these, comparing day numbers orders them as comparing their text
 * does, so a deadline can be judged without writing its date.
 */
export function dayNumberOfIsoDate(text: string): number {
  if (!isDateShape(text)) return Number.NaN;
  // Digit by digit, unrolled: deadlines read two dates each.
  const y0 = digitAt(text, 0);
  const y1 = digitAt(text, 1);
  const y2 = digitAt(text, 2);
  const y3 = digitAt(text, 3);
  const m0 = digitAt(text, 5);
  const m1 = digitAt(text, 6);
  const d0 = digitAt(text, 8);
  const d1 = digitAt(text, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return Number.NaN;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const mo = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return Number.NaN;
  return daysFromCivil(y, mo, d);
}

/** The digit at `index`, -1 when the character there is not one. */
function digitAt(text: string, index: number): number {
  const d = text.charCodeAt(index) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The day numbers of 0000-01-01 and 9999-12-31, the first and last dates written with a four-digit year. */
export const FIRST_FOUR_DIGIT_DAY = -719_528;
export const LAST_FOUR_DIGIT_DAY = 2_932_896;

export function toDayNumber(date: IsoDate): number {
  const year = isDateShape(date) ? digitsAt(date, 0, 4) : -1;
  const month = year < 0 ? -1 : digitsAt(date, 5, 2);
  const day = month < 0 ? -1 : digitsAt(date, 8, 2);
  if (day < 0) throw new RangeError(`not a date in the form YYYY-MM-DD: ${JSON.stringify(date)}`);
  // Out-of-range months and days roll over, as Date.UTC does.
  if (month < 1 || month > 12) return utc(year, month - 1, day) / MS_PER_DAY;
  return daysFromCivil(year, month, day);
}

/** Date.UTC, except that years 0–99 are those years, not 1900–1999. */
function utc(year: number, monthIndex: number, day: number): number {
  if (year >= 100) return Date.UTC(year, monthIndex, day);
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

/** The day number of a year, month (1–12) and day (1–31; a day past the month's end rolls over into the next). */
export function dayNumberOf(year: number, month: number, day: number): number {
  return daysFromCivil(year, month, day);
}

/*
 * Day numbers from and to the proleptic Gregorian calendar by integer arithmetic, without Date
 * objects (the dates of every rule and measure pass through here, so it is hot): the calendar is
 * counted in 400-year eras starting on 1 March, so the leap day falls at the end of a year.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function fromDayNumber(day: number): IsoDate {
  const packed = civilOf(day);
  const y = Math.floor(packed / 10_000);
  const m = Math.floor((packed - y * 10_000) / 100);
  const d = packed % 100;
  if (y < 0 || y > 9999) return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** The year of a day number, without building its date. */
export function yearOfDayNumber(day: number): number {
  return Math.floor(civilOf(day) / 10_000);
}

/** The year, month and day of a day number packed in one number, year × 10,000 + month × 100 + day, so that nothing is allocated. */
function civilOf(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const d = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yearOfEra + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10_000 + m * 100 + d;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** `to − from` in calendar days. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month < 1 || month > 12) return new Date(utc(year, month, 0)).getUTCDate();
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

/**
 * The same day `months` calendar months later; a day that month lacks becomes its last day
 * (31 January + 1 month = 28 or 29 February; 29 February + 12 months = 28 February).
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const shaped = isDateShape(date);
  const y = shaped ? digitsAt(date, 0, 4) : -1;
  const m = y < 0 ? -1 : digitsAt(date, 5, 2);
  const d = m < 0 ? -1 : digitsAt(date, 8, 2);
  if (d < 0) return addMonthsOfParts(...(date.split('-').map(Number) as [number, number, number]), months);
  return addMonthsOfParts(y, m, d, months);
}

function twoDigits(n: number): string {
  return n >= 0 && n <= 9 ? `0${n}` : String(n).padStart(2, '0');
}

function addMonthsOfParts(y: number, m: number, d: number, months: number): IsoDate {
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(d, daysInMonth(year, month));
  // Years of four digits (all but the odd test date) skip padStart, which is slow in a hot path.
  const yearText = year >= 1000 && year <= 9999 ? String(year) : String(year).padStart(4, '0');
  return `${yearText}-${twoDigits(month)}-${twoDigits(day)}`;
}

/** addMonths on day numbers: the day number of the date `months` calendar months after the given one, the day of the month kept or, past the month's end, its last day. */
export function addMonthsToDayNumber(day: number, months: number): number {
  const packed = civilOf(day);
  const y = Math.floor(packed / 10_000);
  const m = Math.floor((packed - y * 10_000) / 100);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return daysFromCivil(year, month, Math.min(packed - y * 10_000 - m * 100, daysInMonth(year, month)));
}

export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

/**
 * The date on which someone born on `dateOfBirth` reaches `years` years of age. A person born on
 * 29 February reaches it on 1 March in a common year, as in the law of England and Wales
 * (Family Law Reform Act 1969, s.9: the age is attained at the start of the anniversary, and a
 * common year has no 29 February).
 */
export function birthdayOfAge(dateOfBirth: IsoDate, years: number): IsoDate {
  const anniversary = addYears(dateOfBirth, years);
  return dateOfBirth.endsWith('-02-29') && !anniversary.endsWith('-02-29') ? addDays(anniversary, 1) : anniversary;
}

/** Age in whole years on `date`. */
export function ageOn(dateOfBirth: IsoDate, date: IsoDate): number {
  const birthYear = Number(dateOfBirth.slice(0, 4));
  let age = Number(date.slice(0, 4)) - birthYear;
  if (age > 0 && date < birthdayOfAge(dateOfBirth, age)) age -= 1;
  return Math.max(age, 0);
}

export function earliest(dates: readonly IsoDate[]): IsoDate | undefined {
  let best: IsoDate | undefined;
  for (const d of dates) if (best === undefined || d < best) best = d;
  return best;
}

export function latest(dates: readonly IsoDate[]): IsoDate | undefined {
  let best: IsoDate | undefined;
  for (const d of dates) if (best === undefined || d > best) best = d;
  return best;
}

/** The calendar date part of a FHIR date or dateTime (`2025-03-01T09:30:00Z` → `2025-03-01`); undefined when only a year or month is known. */
export function datePart(value: string): IsoDate | undefined {
  const d = value.slice(0, 10);
  return isIsoDate(d) ? d : undefined;
}

/** First and last day of a `YYYY-MM` month. */
export function monthBounds(month: string): { first: IsoDate; last: IsoDate } {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`not a month in the form YYYY-MM: ${JSON.stringify(month)}`);
  const first = `${month}-01`;
  return { first, last: addDays(addMonths(first, 1), -1) };
}
