/**
 * review-within-12-months (Regulations; Code of Practice 6.11, E-10). Per plan (planId), the
 * timeline's review cycles, the same ones CoP-P2-67 walks: the first is due 12 calendar months
 * after the first version was made; each later one 12 months after the review that closed the
 * previous cycle (held late or not). A cycle belongs to the month its due date falls in and is
 * met by a review of that plan held after the previous anchor and on or before the due date.
 * Minor amendments are not reviews. A full discharge on or before the due date sets the open
 * cycle aside (Code 7.7); a plan's status does not stop the clock.
 */
import { reviewCycles } from '../../timeline/reviews.js';
import { fromClock, item, type MeasureDefinition, type MeasureItem } from '../measure.js';
import { monthOf } from '../period.js';
import { ageGroupOn } from '../strata.js';

const LIMITS = { every: { value: 12, unit: 'months' } } as const;

export const reviewWithin12Months: MeasureDefinition = {
  id: 'review-within-12-months',
  title: 'Care and Treatment Plan reviewed within 12 months',
  description:
    'Of the plan reviews falling due in the month, the proportion held within 12 calendar months of the plan being made or of the previous review (Part 2 Regulations; Code of Practice 6.11).',
  clock: 'Starts on the day the plan was first made, then on each review held; the cycle belongs to the month in which its due date (12 calendar months later) falls.',
  criteria: {
    'initial-population': 'Review cycles of a plan whose due date (12 calendar months after the plan was made or last reviewed) falls in the month.',
    denominator: 'The initial population.',
    'denominator-exclusion': 'Fully discharged on or before the day the review fell due, or not yet due and not yet held on the as-of day.',
    numerator: 'A review of the plan held on or before the due date.',
  },
  stratifier: 'age-group',
  evaluate(person, window, { calendar }) {
    const months = new Set(window.months);
    const items: MeasureItem[] = [];
    const timeline = person.timeline;
    for (const planId of new Set(timeline.datedVersions.map((v) => v.planId))) {
      reviewCycles(timeline, planId, window.asOf, LIMITS, calendar).forEach((cycle, i) => {
        if (!months.has(monthOf(cycle.due))) return;
        const { verdict, reason } = fromClock(cycle.verdict);
        items.push(item(monthOf(cycle.due), cycle.due, `${planId}#${i + 1}`, verdict, reason, ageGroupOn(person.dateOfBirth, cycle.due)));
      });
    }
    return items;
  },
};
