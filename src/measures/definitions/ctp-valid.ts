/**
 * ctp-valid: the StatsWales Part 2 figure. A census on the last day of each month (or the as-of
 * day, if that is earlier): the people in receipt of secondary mental health services that day,
 * and of them those holding a valid CTP.
 *
 * - In receipt: an episode accepted on or before the census day and not fully discharged
 *   before it (a partial discharge leaves other services running). A finished episode with no
 *   discharge date cannot be placed in time and does not count.
 * - Valid CTP: the latest plan version made on or before the census day is current (active, or
 *   superseded only by a version made after the census day; never draft, ended or unknown), its
 *   review-by date is on or after the census day, and that date is at most 12 calendar months
 *   after the date made.
 * - One item per person per month. No exclusions: the 90% target already allows for people
 *   still waiting for a coordinator or a first plan.
 */
import { addMonths, type IsoDate } from '../../time/dates.js';
import type { PersonFacts, VersionFacts } from '../facts.js';
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
    'initial-population': 'An episode of secondary mental health services accepted on or before the census day and not fully discharged before it.',
    denominator: 'The initial population.',
    numerator:
      'The latest plan version made on or before the census day is current (not draft, ended or superseded by then), its review-by date is not before the census day and is at most 12 calendar months after the date made.',
  },
  stratifier: 'age-group',
  target: 0.9,
  evaluate(person, window) {
    const items: MeasureItem[] = [];
    for (const month of window.months) {
      const census = lastDayOf(month) < window.asOf ? lastDayOf(month) : window.asOf;
      const episode = person.episodes.find((e) => inReceipt(e, census));
      if (!episode) continue;
      const { valid, reason } = validPlanOn(person, census);
      items.push(item(month, census, episode.id, valid ? 'met' : 'notMet', reason, ageGroupOn(person.dateOfBirth, census)));
    }
    return items;
  },
};

function inReceipt(e: PersonFacts['episodes'][number], day: IsoDate): boolean {
  return e.acceptedOn !== undefined && e.acceptedOn <= day && !e.endedUndated && (e.dischargedOn === undefined || e.dischargedOn >= day);
}

function latestMadeBy(versions: readonly VersionFacts[], day: IsoDate): VersionFacts | undefined {
  let latest: VersionFacts | undefined;
  for (const v of versions) {
    if (v.madeOn > day) break;
    latest = v;
  }
  return latest;
}

export function validPlanOn(person: PersonFacts, day: IsoDate): { valid: boolean; reason: string } {
  const plan = latestMadeBy(person.versions, day);
  if (!plan) return { valid: false, reason: 'no plan made by the census day' };
  const current = plan.status === 'active' || (plan.status === 'superseded' && plan.supersededOn !== undefined && plan.supersededOn > day);
  if (!current) return { valid: false, reason: `latest plan is ${plan.status}` };
  if (plan.reviewBy === undefined) return { valid: false, reason: 'latest plan has no review-by date' };
  if (plan.reviewBy < day) return { valid: false, reason: 'latest plan is past its review-by date' };
  if (plan.reviewBy > addMonths(plan.madeOn, 12)) return { valid: false, reason: 'review-by date is more than 12 months after the plan was made' };
  return { valid: true, reason: 'valid plan' };
}
