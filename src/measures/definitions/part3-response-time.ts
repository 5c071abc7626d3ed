/**
 * part3-response-time (Code of Practice 8.10). Clock: the instant the Part 3 request was
 * received; a request belongs to the month of the day (in Wales) it was received on. Met when
 * the assessment started within 4 hours (emergency), 48 hours (urgent) or 28 calendar days
 * (routine) of receipt. Only the date the assessment started is recorded, so for emergency and
 * urgent requests a start on the day the deadline instant falls cannot be judged: a
 * denominator exception "time not recorded". Routine requests are judged by calendar days.
 */
import { type IsoDate } from '../../time/dates.js';
import { dueDate, dueInstant } from '../../time/duration.js';
import type { Part3Request } from '../../record/integrity.js';
import { item, judgeDeadline, type MeasureDefinition, type MeasureItem, type Verdict } from '../measure.js';
import type { WorkingDayCalendar } from '../../time/working-days.js';
import { UNKNOWN } from '../strata.js';
import { ukDateOf } from '../uk-date.js';

const LIMITS = {
  emergency: { value: 4, unit: 'hours' },
  urgent: { value: 48, unit: 'hours' },
  routine: { value: 28, unit: 'days' },
} as const;

export const part3ResponseTime: MeasureDefinition = {
  id: 'part3-response-time',
  title: 'Part 3 assessment started within the response time for its priority',
  description: 'Of the Part 3 requests received in the month, the proportion whose assessment started within 4 hours (emergency), 48 hours (urgent) or 28 days (routine) of the request (Code of Practice 8.10).',
  clock: 'Starts at the instant the request was received; the request belongs to the month of the day it was received on (Europe/London).',
  criteria: {
    'initial-population': 'Part 3 requests received in the month.',
    denominator: 'The initial population.',
    'denominator-exclusion': 'Withdrawn, declined or found ineligible before an assessment started, or not yet due and not yet started on the as-of day.',
    'denominator-exception': 'Priority not recorded, or the assessment started on the day its deadline falls and no time of day is recorded.',
    numerator: 'The assessment started within the response time for the request’s priority.',
  },
  stratifier: 'priority',
  evaluate(person, window, { calendar }) {
    const months = new Set(window.months);
    const items: MeasureItem[] = [];
    for (const request of person.part3Requests) {
      const receivedMs = Date.parse(request.receivedAt);
      const receivedOn = ukDateOf(receivedMs);
      if (!months.has(receivedOn.slice(0, 7)) || receivedOn > window.asOf) continue;
      const { verdict, reason } = judgeResponse(request, receivedMs, receivedOn, window.asOf, calendar);
      items.push(item(receivedOn.slice(0, 7), receivedOn, request.id, verdict, reason, request.priority ?? UNKNOWN));
    }
    return items;
  },
};

function judgeResponse(request: Part3Request, receivedMs: number, receivedOn: IsoDate, asOf: IsoDate, calendar: WorkingDayCalendar): { verdict: Verdict; reason: string } {
  const startedOn = request.assessment?.startedOn;
  const started = startedOn !== undefined && startedOn <= asOf;
  if (!started && (request.status === 'withdrawn' || request.status === 'declined' || request.eligibility?.decision === 'ineligible')) {
    return { verdict: 'excluded', reason: 'withdrawn, declined or ineligible before an assessment' };
  }
  if (request.priority === undefined) return { verdict: 'excepted', reason: 'priority not recorded' };
  const limit = LIMITS[request.priority];
  if (limit.unit !== 'hours') return judgeDeadline(dueDate(receivedOn, limit, calendar), startedOn, asOf);
  const deadlineOn = ukDateOf(dueInstant(receivedMs, limit));
  if (started && startedOn === deadlineOn) return { verdict: 'excepted', reason: 'time not recorded' };
  return judgeDeadline(deadlineOn, startedOn, asOf);
}
