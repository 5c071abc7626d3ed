/**
 * copies-within-2-weeks (Code of Practice 4.87, 4.88), mirroring CoP-P2-47 and CoP-P2-48. One
 * item per made plan version that must be distributed: every version except minor amendments
 * (6.8). Clock (the timeline's `copyClock`): for a version revised after a review, the day the
 * review was held; otherwise the day it was completed (else the day it was made). Deadline: 14
 * calendar days later; the version belongs to the month its deadline falls in. Each copy due is
 * judged by the timeline's clock: copies declined or withheld, and optional copies (a copy given
 * to help achieve the outcomes, 4.93, or to someone the person asked to have one, 4.95), are not
 * due. Met when every copy due was provided, in full or in part, by the deadline; a version with
 * no copy recorded at all is judged as one copy not provided. Like the other measures, a person
 * discharged on or before the deadline without the copies sent is set aside (7.7).
 */

import type { IsoDate } from '../../time/dates.js';
import { dueDate } from '../../time/duration.js';
import { type ClockVerdict, judgeClock } from '../../timeline/clock.js';
import { copyProvidedOn, copyUndated, type DatedVersion, isCopyDue, type Timeline } from '../../timeline/timeline.js';
import { fromClock, item, type MeasureDefinition, type MeasureItem, type Verdict } from '../measure.js';
import { monthOf } from '../period.js';
import { ageGroupOn } from '../strata.js';

const LIMIT = { value: 14, unit: 'days' } as const;

export const copiesWithin2Weeks: MeasureDefinition = {
  id: 'copies-within-2-weeks',
  title: 'Copies of the Care and Treatment Plan distributed within 2 weeks',
  description:
    'Of the Care and Treatment Plans (first plans and revisions, not minor amendments) whose 2-week distribution deadline fell in the month, the proportion whose copies were all provided within 14 calendar days of completion or of the review (Code of Practice 4.87, 4.88).',
  clock:
    'Starts on the day the review was held (plans revised after a review) or the plan was completed (other plans, else the day made); the version belongs to the month in which the 14th day falls.',
  criteria: {
    'initial-population': 'Plan versions other than minor amendments whose 14-day distribution deadline falls in the month.',
    denominator: 'The initial population.',
    'denominator-exclusion': 'Fully discharged on or before the deadline without the copies provided, or not yet due and not yet distributed on the as-of day.',
    'denominator-exception':
      'No copy due (every recipient declined, had the copy withheld, or was an optional recipient under paras 4.93 or 4.95), or a copy is marked sent with no date.',
    numerator: 'Every copy due was provided (in full or in part) within 14 calendar days.',
  },
  stratifier: 'age-group',
  evaluate(person, window, { calendar }) {
    const months = new Set(window.months);
    const items: MeasureItem[] = [];
    const timeline = person.timeline;
    for (const version of timeline.datedVersions) {
      const start = timeline.copyClock(version)?.startsOn;
      if (start === undefined || start > window.asOf) continue;
      const deadline = dueDate(start, LIMIT, calendar);
      if (!months.has(monthOf(deadline))) continue;
      const { verdict, reason } = judgeCopies(timeline, version, deadline, window.asOf);
      items.push(item(monthOf(deadline), deadline, version.id, verdict, reason, ageGroupOn(person.dateOfBirth, deadline)));
    }
    return items;
  },
};

/** One verdict for a version from its copies' verdicts: any missed, else any undated, else any open, else met. */
function judgeCopies(timeline: Timeline, v: DatedVersion, due: IsoDate, asOf: IsoDate): { verdict: Verdict; reason: string } {
  const copies = v.copies ?? [];
  const owed = copies.filter(isCopyDue);
  if (copies.length > 0 && owed.length === 0) return { verdict: 'excepted', reason: 'no copy due: declined, withheld or optional' };
  const leftServicesOn = timeline.episodeOfVersion(v)?.leftOn;
  const verdicts: ClockVerdict[] = (owed.length === 0 ? [undefined] : owed).map((c) =>
    c !== undefined && copyUndated(c) ? 'unknown' : judgeClock({ due, done: c === undefined ? undefined : copyProvidedOn(c), asOf, leftServicesOn }),
  );
  const first = (['late', 'not-done', 'unknown', 'pending', 'set-aside'] as const).find((x) => verdicts.includes(x));
  if (first === 'unknown') return { verdict: 'excepted', reason: 'copy date not recorded' };
  return fromClock(first ?? 'on-time');
}
