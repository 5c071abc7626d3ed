/**
 * ctp-valid: the StatsWales Part 2 figure. A census on the last day of each month (or the as-of
 * day, if that is earlier): the people in receipt of secondary mental health services that day,
 * and of them those holding a valid CTP. Both questions are the timeline's:
 *
 * - In receipt: an episode accepted on or before the census day, and the census day before the
 *   day of a full discharge (the duties cease on discharge, Code 7.7; a partial discharge of an
 *   active episode leaves other services running, 7.10). A finished episode with no discharge
 *   date cannot be placed in time and does not count.
 * - Valid CTP (`Timeline.planOn`): of the plans made since the last full discharge, the latest
 *   version (by version number) of the latest plan made on or before the census day is made
 *   (never draft or unknown), not superseded by a version made by then, its review-by date is on
 *   or after the census day, and that date is at most 12 calendar months after the date made. A
 *   plan made before a full discharge ended with it (7.7, 4.86), even if left `active`.
 * - One item per person per month. No exclusions: the 90% target already allows for people
 *   still waiting for a coordinator or a first plan.
 */
import { item, type MeasureDefinition, type MeasureItem } from '../measure.js';
import { lastDayOf } from '../period.js';
import { ageGroupOn } from '../strata.js';

export const ctpValid: MeasureDefinition = {
  id: 'ctp-valid',
  title: 'People in receipt of secondary mental health services with a valid Care and Treatment Plan',
  description:
    'Of the people in receipt of secondary mental health services at the end of the month, the proportion holding a valid Care and Treatment Plan: current, not past its review date, and due for review no more than 12 months after it was made (StatsWales Part 2 return; NHS Delivery Framework target 90%).',
  clock: 'A census on the last day of each reporting month, or on the as-of day when that is earlier.',
  criteria: {
    'initial-population': 'An episode of secondary mental health services accepted on or before the census day and not fully discharged on or before it.',
    denominator: 'The initial population.',
    numerator:
      'The latest plan version made on or before the census day, and since the last full discharge, is current (made, not draft or of unknown status, and not superseded by then), its review-by date is not before the census day and is at most 12 calendar months after the date made.',
  },
  stratifier: 'age-group',
  target: 0.9,
  evaluate(person, window) {
    const items: MeasureItem[] = [];
    for (const month of window.months) {
      const lastDay = lastDayOf(month);
      // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as text
      const census = lastDay < window.asOf ? lastDay : window.asOf;
      const episode = person.timeline.episodesInReceiptOn(census)[0];
      if (!episode) continue;
      const { valid, reason } = person.timeline.planOn(census);
      items.push(item(month, census, episode.id, valid ? 'met' : 'notMet', reason, ageGroupOn(person.dateOfBirth, census)));
    }
    return items;
  },
};
