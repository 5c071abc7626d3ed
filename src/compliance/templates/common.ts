/** Small helpers shared by rule templates: locations in the record and deadline judgements. */
import type { Actor, PlanVersion } from '../../record/record.schema.js';
import { addDays, dayNumberOfIsoDate, daysBetween, fromDayNumber, type IsoDate, LAST_FOUR_DIGIT_DAY } from '../../time/dates.js';
import { type Duration, dueDate, dueDayNumber, formatDuration } from '../../time/duration.js';
import { HOUR_MS, hasTimeOfDay, instantOfDateTime, judgeWithinHours, momentOf, onTimeWithinHours } from '../../time/elapsed.js';
import { judgeClock } from '../../timeline/clock.js';
import type { Encounter, RecordFacts } from '../facts.js';
import type { Emit } from '../template.js';

export const at = {
  plan: (f: RecordFacts, plan: PlanVersion) => `plans[${f.indexOf(plan)}]`,
  item: (f: RecordFacts, list: string, item: object) => `${list}[${f.indexOf(item)}]`,
};

const FIRST_ENCOUNTERS = 256;

/** Paths into the first encounters, with a suffix, written once when a module loads: every contact's finding names one. */
export function encounterPaths(suffix: string): readonly string[] {
  return Object.freeze(Array.from({ length: FIRST_ENCOUNTERS }, (_, i) => `encounters[${i}]${suffix}`));
}
const ENCOUNTER_LOCATIONS = encounterPaths('');

/** The location of the encounter at a position in the list: its index, as at.item gives it, without a look-up. */
export function encounterLocation(i: number): string {
  return ENCOUNTER_LOCATIONS[i] ?? `encounters[${i}]`;
}

export interface DeadlineCase {
  /** The event that starts the clock. */
  readonly anchor: IsoDate;
  /** When the required thing happened, if it has. */
  readonly done: IsoDate | undefined;
  readonly limit: Duration;
  /** Plain words for what must happen, e.g. "The first plan was made". */
  readonly what: string;
  /** Plain words for it not having happened, e.g. "No plan has been made"; needed where `done` can be absent. */
  readonly notDone?: string;
  /** Plain words for the clock's start, e.g. "the care coordinator was appointed". */
  readonly since: string;
  readonly location: string | undefined;
  /** A recorded reason that excuses lateness (exceptional circumstances), when the rule allows one. */
  readonly excuse?: string | undefined;
  /** The first day the person was no longer in receipt of services, when the duty ends with discharge (Code 7.7). */
  readonly leftServicesOn?: IsoDate | undefined;
  /** For limits in hours: the anchor as the record holds it (a date-time when the time is known) and where. */
  readonly anchorAt?: TimedValue | undefined;
  /** For limits in hours: when it was done as the record holds it, and where. */
  readonly doneAt?: TimedValue | undefined;
}

/** A date or date-time from the record, with its location. */
export interface TimedValue {
  readonly value: string;
  readonly path: string;
}

/**
 * Judges "X within N of Y" with the timeline's clock: done in time passes; done late fails, unless
 * exceptional circumstances are recorded, when the recommended time does not apply (not
 * applicable); not done fails once the deadline has passed at the evaluation date, and is not yet
 * applicable before that, or at all if the person left services on or before the deadline.
 * Something dated after the evaluation date had not happened yet on it.
 */
export function judgeDeadline(f: RecordFacts, emit: Emit, c: DeadlineCase): void {
  // The cases come from many templates in many shapes, so reading a field is slow: each is read once.
  const limit = c.limit;
  if (limit.unit === 'hours') {
    judgeHoursDeadline(f, emit, c, limit);
    return;
  }
  const done = c.done;
  if (done !== undefined && done <= f.asOf && judgeDoneByDayNumbers(f, emit, c, limit, done)) return;
  const due = dueDate(c.anchor, limit, f.calendar);
  const words = formatDuration(limit);
  const verdict = judgeClock({ due, done, asOf: f.asOf, excuse: c.excuse, leftServicesOn: c.leftServicesOn });
  switch (verdict) {
    case 'on-time':
      emit.pass(`${elapsed(f, c)}, within ${words}.`, c.location);
      return;
    case 'excused':
      emit.notApplicable(`${elapsed(f, c)}, later than ${words}; exceptional circumstances are recorded, so the ${words} do not apply.`, c.location);
      return;
    case 'late':
      emit.fail(`${elapsed(f, c)}; the limit is ${words}.`, c.location, { due });
      return;
    case 'not-done':
      emit.fail(`${c.notDone ?? 'It has not happened'}, and ${words} have passed since ${c.since}.`, c.location, { due });
      return;
    case 'set-aside':
      emit.notApplicable(`The person left secondary mental health services before the ${words} from ${c.since} had passed; the duty ended with the discharge.`, c.location);
      return;
    default:
      emit.notApplicable(`Not yet due: ${words} from ${c.since} have not passed.`, c.location);
      return;
  }
}

/**
 * judgeDeadline for something done by the evaluation date, with a limit in calendar units or
 * working days and both dates written as calendar dates (most cases): judged on day numbers, which order
 * such dates as their text does, so the due date is written only for a failure. False, with
 * nothing emitted, when the case is not of that kind.
 */
function judgeDoneByDayNumbers(f: RecordFacts, emit: Emit, c: DeadlineCase, limit: Duration, done: IsoDate): boolean {
  const anchorDay = dayNumberOfIsoDate(c.anchor);
  const doneDay = dayNumberOfIsoDate(done);
  const dueDay = dueDayNumber(anchorDay, limit, f.calendar);
  // NaN: a date that is not a calendar date.
  if (Number.isNaN(dueDay) || Number.isNaN(doneDay) || dueDay > LAST_FOUR_DIGIT_DAY) return false;
  const words = formatDuration(limit);
  const days = limit.unit === 'working-days' ? `${f.calendar.workingDayNumbersAfter(anchorDay, doneDay)} working days` : `${doneDay - anchorDay} days`;
  const took = `${c.what} ${days} after ${c.since}`;
  const location = c.location;
  if (doneDay <= dueDay) emit.pass(`${took}, within ${words}.`, location);
  else if (c.excuse !== undefined) emit.notApplicable(`${took}, later than ${words}; exceptional circumstances are recorded, so the ${words} do not apply.`, location);
  else emit.fail(`${took}; the limit is ${words}.`, location, { due: fromDayNumber(dueDay) });
  return true;
}

/**
 * Whether `on` comes more than `limit` after `from` (after dueDate(from, limit)), each date given
 * with its day number (NaN when it is not a calendar date). Judged on the day numbers when they
 * order as the dates' text does (calendar dates, a due date with a four-digit year), so the due
 * date need not be written; on the text otherwise.
 */
export function laterThanLimit(f: RecordFacts, on: IsoDate, onDay: number, from: IsoDate, fromDay: number, limit: Duration): boolean {
  // Most gaps are well within the limit or well beyond it: the days between settle them without the due day.
  const { fewest, most } = daysSpanned(limit);
  if (fromDay + most <= LAST_FOUR_DIGIT_DAY) {
    const gap = onDay - fromDay;
    if (gap <= fewest) return false;
    if (gap > most) return true;
  }
  // NaN also stands for a limit in hours, for which dueDate throws as it always has.
  const dueDay = Number.isNaN(fromDay) ? Number.NaN : dueDayNumber(fromDay, limit, f.calendar);
  if (Number.isNaN(dueDay) || Number.isNaN(onDay) || dueDay > LAST_FOUR_DIGIT_DAY) return on > dueDate(from, limit, f.calendar);
  return onDay > dueDay;
}

/**
 * dueDate(from, limit), with `from`'s day number (NaN when it is not a calendar date) as
 * laterThanLimit takes it: written from the day number when that gives the same text, without
 * reading the date again.
 */
export function dueDateAfter(f: RecordFacts, from: IsoDate, fromDay: number, limit: Duration): IsoDate {
  const dueDay = Number.isNaN(fromDay) ? Number.NaN : dueDayNumber(fromDay, limit, f.calendar);
  return Number.isNaN(dueDay) || dueDay > LAST_FOUR_DIGIT_DAY ? dueDate(from, limit, f.calendar) : fromDayNumber(dueDay);
}

const UNKNOWN_SPAN = { fewest: Number.NaN, most: Number.NaN } as const;

/**
 * The fewest and most days a limit in calendar units spans from any day (a month is 28 to 31 days
 * and a year 365 or 366, end-of-month days included); NaN for working days and hours, and NaN
 * makes every comparison above false.
 */
function daysSpanned({ unit, value }: Duration): { readonly fewest: number; readonly most: number } {
  switch (unit) {
    case 'days':
      return { fewest: value, most: value };
    case 'weeks':
      return { fewest: value * 7, most: value * 7 };
    case 'months':
      return { fewest: value * 28, most: value * 31 };
    case 'years':
      return { fewest: value * 365, most: value * 366 };
    default:
      return UNKNOWN_SPAN;
  }
}

/**
 * A limit in hours runs from the anchor's instant to the instant it was done; a date without a time
 * stands for the whole UK day, and when the verdict depends on the times, the times are named as
 * missing (cannot evaluate).
 */
function judgeHoursDeadline(f: RecordFacts, emit: Emit, c: DeadlineCase, limit: Duration): void {
  const anchorValue = c.anchorAt?.value ?? c.anchor;
  const doneValue = c.doneAt?.value ?? c.done;
  const words = formatDuration(limit);
  const location = c.location;
  // Most timed entries come in time: said from the two instants alone.
  if (doneValue !== undefined && hasTimeOfDay(anchorValue) && hasTimeOfDay(doneValue)) {
    const from = instantOfDateTime(anchorValue);
    const to = instantOfDateTime(doneValue);
    if (onTimeWithinHours(from, to, limit.value, f.asOf)) {
      emit.pass(`${hoursAfter(c, (to - from) / HOUR_MS)}, within ${words}.`, location);
      return;
    }
  }
  const anchor = momentOf(anchorValue) ?? momentOf(c.anchor)!;
  const done = doneValue === undefined ? undefined : momentOf(doneValue);
  const j = judgeWithinHours(anchor, done, limit.value, f.asOf);
  const took = () => {
    if (j.elapsedHours !== undefined) return hoursAfter(c, j.elapsedHours);
    const days = daysBetween(c.anchor, doneValue!.slice(0, 10));
    return `${c.what} ${days === 0 ? 'on the day of' : `${days} ${days === 1 ? 'day' : 'days'} after`} ${c.since}`;
  };
  switch (j.verdict) {
    case 'on-time':
      emit.pass(`${took()}, within ${words}.`, location);
      return;
    case 'late':
      if (c.excuse !== undefined) emit.notApplicable(`${took()}, later than ${words}; exceptional circumstances are recorded, so the ${words} do not apply.`, location);
      else emit.fail(`${took()}; the limit is ${words}.`, location, { due: j.due });
      return;
    case 'unknown': {
      const missing = [c.anchorAt, c.doneAt].filter((t): t is TimedValue => t !== undefined && !hasTimeOfDay(t.value)).map((t) => t.path);
      emit.cannotEvaluate(
        missing,
        `Whether ${c.what.charAt(0).toLowerCase()}${c.what.slice(1)} within ${words} of ${c.since} depends on times of day the record does not hold.`,
        location,
      );
      return;
    }
    case 'not-done':
      if (leftBefore(f, c, j.due)) break;
      emit.fail(`${c.notDone ?? 'It has not happened'}, and ${words} have passed since ${c.since}.`, location, { due: j.due });
      return;
    default:
      break;
  }
  if (leftBefore(f, c, j.due)) {
    emit.notApplicable(`The person left secondary mental health services before the ${words} from ${c.since} had passed; the duty ended with the discharge.`, location);
  } else {
    emit.notApplicable(`Not yet due: ${words} from ${c.since} have not passed.`, location);
  }
}

/** Whether the person left services by the evaluation date and no later than the due date. */
function leftBefore(f: RecordFacts, c: DeadlineCase, due: IsoDate): boolean {
  const left = c.leftServicesOn;
  return left !== undefined && left <= f.asOf && left <= due;
}

/** "X happened N hours after Y". */
function hoursAfter(c: DeadlineCase, hours: number): string {
  return `${c.what} ${roundedHours(hours)} hours after ${c.since}`;
}

/** Hours to two decimal places, as few as needed; most entries come a whole number of hours later, which needs no rounding (toFixed is slow). */
export function roundedHours(hours: number): number {
  return Number.isInteger(hours) ? hours : Number(hours.toFixed(2));
}

/** "X happened N days after Y", for something done. */
function elapsed(f: RecordFacts, c: DeadlineCase): string {
  const done = c.done!;
  const text = c.limit.unit === 'working-days' ? `${f.calendar.workingDaysAfter(c.anchor, done)} working days` : `${daysBetween(c.anchor, done)} days`;
  return `${c.what} ${text} after ${c.since}`;
}

/**
 * Whether a usual (not temporary) coordinator was appointed at some time from `from` to the day
 * before `until` (or to the evaluation date): one coordinator acts for the person (Code 3.3),
 * whichever of their concurrent episodes the appointment names.
 */
export function usualAppointmentDuring(f: RecordFacts, from: IsoDate, until: IsoDate | undefined): boolean {
  const last = until ?? addDays(f.asOf, 1);
  return (f.record.coordinatorAppointments ?? []).some((a) => !a.temporary && a.start !== undefined && a.start < last && (a.end === undefined || a.end >= from));
}

/**
 * The earliest finished contact, among those `accept` takes, made on or after a moment given by its
 * date and, when known, its date-time: a contact timed before a timed anchor on the same day came
 * before it. "Earliest" is the one that ended soonest at the latest, so a timed contact wins over
 * an untimed one on the same day.
 */
export function firstContactAfter(
  f: RecordFacts,
  from: { readonly on: IsoDate; readonly at?: string | undefined },
  accept: (encounter: Encounter) => boolean,
): { date: IsoDate; at: TimedValue } | undefined {
  const fromMs = from.at !== undefined && hasTimeOfDay(from.at) ? instantOfDateTime(from.at) : undefined;
  let best: { date: IsoDate; at: TimedValue; end: number } | undefined;
  // The contacts are by date: start at the first on or after the day.
  for (let i = firstIndexFrom(f.contacts, contactDate, from.on); i < f.contacts.length; i++) {
    const c = f.contacts[i]!;
    if (best !== undefined && c.date > best.date) break;
    if (!accept(c.encounter)) continue;
    const start = c.encounter.start!;
    if (fromMs !== undefined && hasTimeOfDay(start) && instantOfDateTime(start) < fromMs) continue;
    const end = momentOf(start)?.end;
    if (end === undefined) continue;
    if (best === undefined || end < best.end) best = { date: c.date, at: { value: start, path: `${at.item(f, 'encounters', c.encounter)}.start` }, end };
  }
  return best && { date: best.date, at: best.at };
}

/** The index of the first item of a list in date order dated on or after `day` (after it, when `strictly`), found by halving; the list's length when none is. */
export function firstIndexFrom<T>(items: readonly T[], dateOf: (item: T) => IsoDate, day: IsoDate, strictly = false): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const date = dateOf(items[mid]!);
    if (date < day || (strictly && date === day)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The date of one of the facts' contacts. */
export const contactDate = (c: { readonly date: IsoDate }): IsoDate => c.date;

/** Whether two actors are the same party (the patient is always the same). */
export function sameActor(a: Actor, b: Actor): boolean {
  return a.kind === b.kind && (a.kind === 'patient' || a.id === b.id);
}

export function isPhone(t: { system: string }): boolean {
  return t.system === 'phone';
}
