/**
 * part3-response-time (Code of Practice 8.10), mirroring CoP-P3-12 through the timeline's
 * `judgeResponse`. Clock: the instant the Part 3 request was received; a request belongs to the
 * month of the day (in Wales) it was received on. Met when the assessment (its recorded start,
 * or an earlier assessment encounter) started within 4 hours (emergency), 48 hours (urgent) or 28
 * calendar days (routine, and requests with no priority recorded: "all other referrals") of
 * receipt. When only the date the assessment started is known, a start on the day an emergency
 * or urgent deadline falls cannot be judged: a denominator exception "time not recorded".
 */
import { judgeResponse, receivedOn } from '../../timeline/part3.js';
import { fromClock, item, type MeasureDefinition, type MeasureItem } from '../measure.js';
import { UNKNOWN } from '../strata.js';

const LIMITS = {
  emergency: { value: 4, unit: 'hours' },
  urgent: { value: 48, unit: 'hours' },
  routine: { value: 28, unit: 'days' },
} as const;

export const part3ResponseTime: MeasureDefinition = {
  id: 'part3-response-time',
  title: 'Part 3 assessment started within the response time for its priority',
  description:
    'Of the Part 3 requests received in the month, the proportion whose assessment started within 4 hours (emergency), 48 hours (urgent) or 28 days (routine) of the request (Code of Practice 8.10).',
  clock: 'Starts at the instant the request was received; the request belongs to the month of the day it was received on (Europe/London).',
  criteria: {
    'initial-population': 'Part 3 requests received in the month.',
    denominator: 'The initial population.',
    'denominator-exclusion': 'Withdrawn, declined or found ineligible before an assessment started, or not yet due and not yet started on the as-of day.',
    'denominator-exception': 'The assessment started on the day its emergency or urgent deadline falls and no time of day is recorded.',
    numerator: 'The assessment started within the response time for the request’s priority (28 days when no priority is recorded).',
  },
  stratifier: 'priority',
  evaluate(person, window, { calendar }) {
    const months = new Set(window.months);
    const items: MeasureItem[] = [];
    for (const request of person.part3Requests) {
      const day = receivedOn(request);
      if (!months.has(day.slice(0, 7)) || day > window.asOf) continue;
      const judged = judgeResponse(request, person.encounters, LIMITS, window.asOf, calendar);
      const { verdict, reason } =
        judged.verdict === 'set-aside' ? { verdict: 'excluded' as const, reason: 'withdrawn, declined or ineligible before an assessment' } : fromClock(judged.verdict);
      items.push(item(day.slice(0, 7), day, request.id, verdict, reason, request.priority ?? UNKNOWN));
    }
    return items;
  },
};
