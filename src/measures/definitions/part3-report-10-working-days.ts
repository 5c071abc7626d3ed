/**
 * part3-report-10-working-days (Part 3 Regulations; Code of Practice 8.39). Clock: the day the
 * Part 3 assessment concluded. Deadline: the 10th working day after it (England and Wales
 * working days: no weekends, Christmas Day, Good Friday or bank holidays). Like the Part 2
 * timeliness measures, a report belongs to the month its deadline falls in, so each month counts
 * only reports whose time is up. Met when the report was provided on or before the deadline.
 */
import { dueDate } from '../../time/duration.js';
import { item, judgeDeadline, type MeasureDefinition, type MeasureItem } from '../measure.js';
import { monthOf } from '../period.js';
import { ageGroupOn } from '../strata.js';

const LIMIT = { value: 10, unit: 'working-days' } as const;

export const part3Report10WorkingDays: MeasureDefinition = {
  id: 'part3-report-10-working-days',
  title: 'Part 3 assessment report provided within 10 working days',
  description: 'Of the Part 3 assessments whose report deadline (10 working days after the assessment concluded) fell in the month, the proportion whose written report was provided on time (Code of Practice 8.39).',
  clock: 'Starts on the day the assessment concluded; the report belongs to the month in which its 10th working day after conclusion falls.',
  criteria: {
    'initial-population': 'Concluded Part 3 assessments whose 10th working day after conclusion falls in the month.',
    denominator: 'The initial population.',
    'denominator-exclusion': 'Request withdrawn, or not yet due and no report provided on the as-of day.',
    numerator: 'The written report provided on or before the 10th working day after the assessment concluded.',
  },
  stratifier: 'age-group',
  evaluate(person, window, { calendar }) {
    const months = new Set(window.months);
    const items: MeasureItem[] = [];
    for (const request of person.part3Requests) {
      const concluded = request.assessment?.concludedOn;
      if (concluded === undefined || concluded > window.asOf) continue;
      const deadline = dueDate(concluded, LIMIT, calendar);
      if (!months.has(monthOf(deadline))) continue;
      const judged =
        request.status === 'withdrawn' && request.report === undefined
          ? { verdict: 'excluded' as const, reason: 'request withdrawn' }
          : judgeDeadline(deadline, request.report?.providedOn, window.asOf);
      items.push(item(monthOf(deadline), deadline, request.id, judged.verdict, judged.reason, ageGroupOn(person.dateOfBirth, deadline)));
    }
    return items;
  },
};
