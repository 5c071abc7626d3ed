/**
 * part3-report-10-working-days (Part 3 Regulations; Code of Practice 8.39, 8.40), mirroring
 * CoP-P3-15 through the timeline's `judgeReport`. Clock: the day the Part 3 assessment
 * concluded. Deadline: the 10th working day after it (England and Wales working days: no
 * weekends, Christmas Day, Good Friday or bank holidays). Like the Part 2 timeliness measures, a
 * report belongs to the month its deadline falls in. Met when the report was provided on or
 * before the deadline by hand or prepaid post: a report sent by fax, e-mail or other means does
 * not count as provided (8.40). The duty arises when the assessment concludes, so a request
 * withdrawn after that is still counted.
 */
import { judgeReport } from '../../timeline/part3.js';
import { fromClock, item, type MeasureDefinition, type MeasureItem } from '../measure.js';
import { monthOf } from '../period.js';
import { ageGroupOn } from '../strata.js';

const LIMIT = { value: 10, unit: 'working-days' } as const;

export const part3Report10WorkingDays: MeasureDefinition = {
  id: 'part3-report-10-working-days',
  title: 'Part 3 assessment report provided within 10 working days',
  description:
    'Of the Part 3 assessments whose report deadline (10 working days after the assessment concluded) fell in the month, the proportion whose written report was provided on time (Code of Practice 8.39).',
  clock: 'Starts on the day the assessment concluded; the report belongs to the month in which its 10th working day after conclusion falls.',
  criteria: {
    'initial-population': 'Concluded Part 3 assessments whose 10th working day after conclusion falls in the month.',
    denominator: 'The initial population.',
    'denominator-exclusion': 'Not yet due and no report provided on the as-of day.',
    numerator: 'The written report provided, by hand or prepaid post (Code 8.40), on or before the 10th working day after the assessment concluded.',
  },
  stratifier: 'age-group',
  evaluate(person, window, { calendar }) {
    const months = new Set(window.months);
    const items: MeasureItem[] = [];
    for (const request of person.part3Requests) {
      const concluded = request.assessment?.concludedOn;
      if (concluded === undefined || concluded > window.asOf) continue;
      const judged = judgeReport(request, LIMIT, window.asOf, calendar)!;
      if (!months.has(monthOf(judged.due))) continue;
      const { verdict, reason } =
        judged.verdict === 'unknown' ? { verdict: 'excepted' as const, reason: 'how the report was delivered is not recorded' } : fromClock(judged.verdict);
      items.push(item(monthOf(judged.due), judged.due, request.id, verdict, reason, ageGroupOn(person.dateOfBirth, judged.due)));
    }
    return items;
  },
};
