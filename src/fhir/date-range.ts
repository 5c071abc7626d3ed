/**
 * FHIR dates, dateTimes and instants as the ranges of time they stand for, in milliseconds since
 * 1970, start inclusive and end exclusive: `2025` is the whole year, `2025-02-11` the whole day,
 * `2025-02-11T10:00:00Z` that second. A date or time without a zone is read as UTC. Search
 * compares these ranges (FHIR R4 §3.1.1.4.1).
 */

export interface TimeRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** Unbounded on one side: a period without a start or an end. */
export const OPEN_START = Number.NEGATIVE_INFINITY;
export const OPEN_END = Number.POSITIVE_INFINITY;

const PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The range a FHIR date, dateTime or instant stands for; undefined when it is not one. */
export function timeRange(value: string): TimeRange | undefined {
  const m = PATTERN.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? 0 : Number(mo) - 1;
  const day = d === undefined ? 1 : Number(d);
  if (month > 11 || day < 1 || day > 31) return undefined;
  if (h === undefined) {
    const start = Date.UTC(year, month, day);
    if (new Date(start).getUTCDate() !== day) return undefined; // 2025-02-30
    const end = mo === undefined ? Date.UTC(year + 1, 0, 1) : d === undefined ? Date.UTC(year, month + 1, 1) : Date.UTC(year, month, day + 1);
    return { start, end };
  }
  const hours = Number(h);
  const minutes = Number(mi);
  const seconds = s === undefined ? 0 : Number(s);
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const offset = zone === undefined || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const millis = frac === undefined ? 0 : Math.floor(Number(`0${frac}`) * 1000);
  const start = Date.UTC(year, month, day, hours, minutes, seconds, millis) - offset * 60_000;
  const step = s === undefined ? 60_000 : frac === undefined ? 1000 : 1;
  return { start, end: start + step };
}

/** A Period's range: from its start's range to its end's, open where either is missing. */
export function periodRange(period: { readonly start?: string; readonly end?: string } | undefined): TimeRange | undefined {
  if (period === undefined) return undefined;
  const start = period.start === undefined ? undefined : timeRange(period.start);
  const end = period.end === undefined ? undefined : timeRange(period.end);
  if (start === undefined && end === undefined) return undefined;
  return { start: start?.start ?? OPEN_START, end: end?.end ?? OPEN_END };
}
