/**
 * Part 3 clocks (Code chapter 8): when a request was received, when the assessment started, how
 * fast it had to start for its priority, and when the written report counts as provided.
 */
import type { Encounter, Part3Request } from '../record/integrity.js';
import { validPart3Requesters } from '../record/vocabulary.js';
import { addDays, datePart, type IsoDate } from '../time/dates.js';
import { type Duration, dueDate, dueInstant } from '../time/duration.js';
import { londonDateOf, londonMidnight } from '../time/elapsed.js';
import type { WorkingDayCalendar } from '../time/working-days.js';
import { type ClockVerdict, judgeClock } from './clock.js';

/**
 * Whether a recorded request is a Part 3 request under the Measure: only the former user, or a
 * donee or deputy for them, can make one (Code 8.20). Anyone else's request stays in the record
 * and is reported by CoP-P3-02, but no Part 3 clock runs for it.
 */
export function isValidPart3Request(request: Part3Request): boolean {
  return (validPart3Requesters as readonly string[]).includes(request.requester);
}

/** Whether only the date of the request is known, not its time of day. */
function receivedOnDateOnly(request: Part3Request): boolean {
  return request.receivedAt.length === 10;
}

/** The day in Wales a request was received on. */
export function receivedOn(request: Part3Request): IsoDate {
  return receivedOnDateOnly(request) ? request.receivedAt : londonDateOf(Date.parse(request.receivedAt));
}

/**
 * The earliest and latest instant a limit in hours can run out: from the instant of the request,
 * or, when only its date is known, from the start and from the end of that day in Wales (Europe/London).
 */
function deadlines(request: Part3Request, limit: Duration): { readonly earliest: number; readonly latest: number } {
  if (!receivedOnDateOnly(request)) {
    const deadline = dueInstant(Date.parse(request.receivedAt), limit);
    return { earliest: deadline, latest: deadline };
  }
  const day = request.receivedAt;
  return { earliest: dueInstant(londonMidnight(day), limit), latest: dueInstant(londonMidnight(addDays(day, 1)), limit) - 1 };
}

/** A report counts as provided only when delivered by hand or sent by prepaid post (Code 8.40, E-19). */
const REPORT_METHODS = new Set(['hand', 'prepaid-post']);

/** The day the written report was provided, if it was provided in a way that counts. */
export function reportProvidedOn(request: Part3Request): IsoDate | undefined {
  const report = request.report;
  return report?.method !== undefined && REPORT_METHODS.has(report.method) ? report.providedOn : undefined;
}

/** Whether a report was sent in a way that does not count as provided. */
export function reportByOtherMeans(request: Part3Request): boolean {
  return request.report?.method !== undefined && !REPORT_METHODS.has(request.report.method);
}

/** Whether a report is recorded without how it was delivered, so that whether it counts as provided cannot be told. */
export function reportMethodUnknown(request: Part3Request): boolean {
  return request.report !== undefined && request.report.method === undefined;
}

/**
 * When the assessment started: the recorded start date, or the first finished assessment
 * encounter on or after the day of the request, whichever is earlier (a date, or a date and time).
 */
export function assessmentStart(request: Part3Request, encounters: readonly Encounter[] | undefined): string | undefined {
  const requestDay = receivedOn(request);
  const encounter = (encounters ?? [])
    .filter((e) => e.kind === 'assessment' && e.status === 'finished' && e.start !== undefined && (datePart(e.start) ?? '') >= requestDay)
    .map((e) => e.start!)
    .sort()[0];
  const started = request.assessment?.startedOn;
  if (encounter === undefined) return started;
  if (started === undefined) return encounter;
  return started < encounter.slice(0, 10) ? started : encounter;
}

export type Part3Priority = NonNullable<Part3Request['priority']>;
export type ResponseLimits = Readonly<Record<Part3Priority, Duration>>;

/** The priority a request is held to: one with none recorded is held to the routine limit (Code 8.10, "all other referrals"). */
export function heldToPriority(request: Part3Request): Part3Priority {
  return request.priority ?? 'routine';
}

export interface ResponseJudgement {
  readonly verdict: ClockVerdict;
  readonly priority: Part3Priority;
  readonly limit: Duration;
  /** The day the limit runs out (in Wales). */
  readonly due: IsoDate;
  readonly start: string | undefined;
}

/**
 * The response to a request (Code 8.10). Set aside when the request was withdrawn or declined, or
 * the person found ineligible, before any assessment started. Limits in days run on dates (the
 * last day is on time); limits in hours run from the instant of the request, and a start known
 * only by its date on the day the limit runs out cannot be judged.
 */
export function judgeResponse(
  request: Part3Request,
  encounters: readonly Encounter[] | undefined,
  limits: ResponseLimits,
  asOf: IsoDate,
  calendar: WorkingDayCalendar,
): ResponseJudgement {
  const priority = heldToPriority(request);
  const limit = limits[priority];
  const start = assessmentStart(request, encounters);
  const startDay = start === undefined ? undefined : datePart(start);
  const started = startDay !== undefined && startDay <= asOf;
  const base = { priority, limit, start: started ? start : undefined };
  const stopped = request.status === 'withdrawn' || request.status === 'declined' || request.eligibility?.decision === 'ineligible';
  if (limit.unit !== 'hours') {
    const due = dueDate(receivedOn(request), limit, calendar);
    if (!started && stopped) return { ...base, due, verdict: 'set-aside' };
    return { ...base, due, verdict: judgeClock({ due, done: startDay, asOf }) };
  }
  // With only the date of the request, the deadline lies somewhere in a day-long window: only a start before it or after it can be judged.
  const { earliest, latest } = deadlines(request, limit);
  const due = londonDateOf(latest);
  if (!started) return { ...base, due, verdict: stopped ? 'set-aside' : asOf > due ? 'not-done' : 'pending' };
  if (start!.length > 10) {
    const at = Date.parse(start!);
    return { ...base, due, verdict: at <= earliest ? 'on-time' : at > latest ? 'late' : 'unknown' };
  }
  return { ...base, due, verdict: startDay! < londonDateOf(earliest) ? 'on-time' : startDay! > due ? 'late' : 'unknown' };
}

/** The written report (Part 3 Regulations; Code 8.39, 8.40): due 10 working days after the assessment concluded. */
export function judgeReport(request: Part3Request, limit: Duration, asOf: IsoDate, calendar: WorkingDayCalendar): { verdict: ClockVerdict; due: IsoDate } | undefined {
  const concluded = request.assessment?.concludedOn;
  if (concluded === undefined) return undefined;
  const due = dueDate(concluded, limit, calendar);
  if (reportMethodUnknown(request)) {
    // Late is late however it went; in time counts only if the means did, which the record does not say.
    const sent = request.report!.providedOn;
    if (sent > due || sent > asOf) return { verdict: judgeClock({ due, done: sent, asOf }), due };
    return { verdict: 'unknown', due };
  }
  return { verdict: judgeClock({ due, done: reportProvidedOn(request), asOf }), due };
}
