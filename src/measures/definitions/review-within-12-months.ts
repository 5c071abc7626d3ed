/**
 * review-within-12-months (Regulations; Code of Practice 6.11, E-10). Per plan (planId), a chain
 * of review cycles: the first is due 12 calendar months after the first version was made; each
 * later one 12 months after the review that closed the previous cycle (held late or not). A
 * cycle belongs to the month its due date falls in and is met by a review of that plan held
 * after the previous anchor and on or before the due date. Minor amendments are not reviews.
 * The chain stops at a full discharge (a cycle falling due after it is excluded) and after a
 * cycle still open on the as-of day.
 */
import { addMonths, type IsoDate } from '../../time/dates.js';
import type { PersonFacts, VersionFacts } from '../facts.js';
import { item, judgeWhileInServices, type MeasureDefinition, type MeasureItem } from '../measure.js';
import { monthOf } from '../period.js';
import { ageGroupOn } from '../strata.js';

export const reviewWithin12Months: MeasureDefinition = {
  id: 'review-within-12-months',
  title: 'Care and Treatment Plan reviewed within 12 months',
  description: 'Of the plan reviews falling due in the month, the proportion held within 12 calendar months of the plan being made or of the previous review (Part 2 Regulations; Code of Practice 6.11).',
  clock: 'Starts on the day the plan was first made, then on each review held; the cycle belongs to the month in which its due date (12 calendar months later) falls.',
  criteria: {
    'initial-population': 'Review cycles of a plan whose due date (12 calendar months after the plan was made or last reviewed) falls in the month.',
    denominator: 'The initial population.',
    'denominator-exclusion': 'Fully discharged before the review fell due, or not yet due and not yet held on the as-of day.',
    numerator: 'A review of the plan held on or before the due date.',
  },
  stratifier: 'age-group',
  evaluate(person, window) {
    const months = new Set(window.months);
    const lastMonth = window.months.at(-1) ?? '';
    const items: MeasureItem[] = [];
    for (const first of firstVersions(person.versions)) {
      const held = person.reviewsHeld.get(first.planId) ?? [];
      const dischargedOn = person.episodes.find((e) => e.id === first.episode)?.dischargedOn ?? dischargeAfter(person, first.madeOn);
      let anchor: IsoDate = first.madeOn;
      for (let cycle = 1; anchor <= window.asOf; cycle++) {
        const due = addMonths(anchor, 12);
        if (monthOf(due) > lastMonth) break;
        const next = held.find((d) => d > anchor);
        const { verdict, reason } = judgeWhileInServices(due, next, dischargedOn, window.asOf);
        if (months.has(monthOf(due))) items.push(item(monthOf(due), due, `${first.planId}#${cycle}`, verdict, reason, ageGroupOn(person.dateOfBirth, due)));
        if (next === undefined || next > window.asOf || (dischargedOn !== undefined && dischargedOn < due)) break;
        anchor = next;
      }
    }
    return items;
  },
};

function firstVersions(versions: readonly VersionFacts[]): VersionFacts[] {
  const seen = new Set<string>();
  return versions.filter((v) => !seen.has(v.planId) && seen.add(v.planId));
}

/** The discharge ending the episode open on `day`, for plans not linked to an episode. */
function dischargeAfter(person: PersonFacts, day: IsoDate): IsoDate | undefined {
  return person.episodes.find((e) => e.acceptedOn !== undefined && e.acceptedOn <= day && (e.dischargedOn === undefined || e.dischargedOn >= day))?.dischargedOn;
}
