/**
 * copies-within-2-weeks (Code of Practice 4.87, 4.88). One item per plan version that must be
 * distributed: a first plan, or a plan revised after a review (minor amendments are not
 * distributed under these paragraphs and are not counted). Clock: for a revision, the day the
 * review was held; for a first plan, the day it was completed (else the day it was made).
 * Deadline: 14 calendar days later; the version belongs to the month its deadline falls in.
 * Met when every copy due (not declined or withheld) was sent, in full or in part, by then.
 */
import type { IsoDate } from '../../time/dates.js';
import { dueDate } from '../../time/duration.js';
import type { PersonFacts, VersionFacts } from '../facts.js';
import { item, judgeDeadline, type MeasureDefinition, type MeasureItem, type Verdict } from '../measure.js';
import { monthOf } from '../period.js';
import { ageGroupOn } from '../strata.js';

const LIMIT = { value: 14, unit: 'days' } as const;
const NOT_DUE = new Set(['declined', 'withheld-serious-harm', 'withheld-other']);

export const copiesWithin2Weeks: MeasureDefinition = {
  id: 'copies-within-2-weeks',
  title: 'Copies of the Care and Treatment Plan distributed within 2 weeks',
  description: 'Of the first and review-revised Care and Treatment Plans whose 2-week distribution deadline fell in the month, the proportion whose copies were all provided within 14 calendar days of completion or of the review (Code of Practice 4.87, 4.88).',
  clock: 'Starts on the day the review was held (revised plans) or the plan was completed (first plans, else the day made); the version belongs to the month in which the 14th day falls.',
  criteria: {
    'initial-population': 'First plan versions and versions revised after a review whose 14-day distribution deadline falls in the month.',
    denominator: 'The initial population.',
    'denominator-exclusion': 'Not yet due and not yet distributed on the as-of day.',
    'denominator-exception': 'Every recipient declined or had the copy withheld, or a copy is marked sent with no date.',
    numerator: 'Every copy due was provided (in full or in part) within 14 calendar days.',
  },
  stratifier: 'age-group',
  evaluate(person, window, { calendar }) {
    const months = new Set(window.months);
    const items: MeasureItem[] = [];
    for (const version of person.versions) {
      const start = clockStart(person, version);
      if (start === undefined || start > window.asOf) continue;
      const deadline = dueDate(start, LIMIT, calendar);
      if (!months.has(monthOf(deadline))) continue;
      const { verdict, reason } = judgeCopies(version, deadline, window.asOf);
      items.push(item(monthOf(deadline), deadline, version.id, verdict, reason, ageGroupOn(person.dateOfBirth, deadline)));
    }
    return items;
  },
};

function clockStart(person: PersonFacts, v: VersionFacts): IsoDate | undefined {
  const revised = v.changeType === 'review-revision' || (v.changeType === undefined && v.review !== undefined);
  if (revised) return (v.review && person.reviewHeldOn.get(v.review)) || v.completedOn || v.madeOn;
  const first = v.changeType === 'initial' || (v.changeType === undefined && v.version === 1);
  return first ? (v.completedOn ?? v.madeOn) : undefined;
}

function judgeCopies(v: VersionFacts, deadline: IsoDate, asOf: IsoDate): { verdict: Verdict; reason: string } {
  const due = v.copies.filter((c) => !NOT_DUE.has(c.status));
  if (v.copies.length > 0 && due.length === 0) return { verdict: 'excepted', reason: 'no copy due: declined or withheld' };
  const sent = due.filter((c) => (c.status === 'sent' || c.status === 'partial') && c.date !== undefined && c.date <= asOf);
  if (due.some((c) => (c.status === 'sent' || c.status === 'partial') && c.date === undefined)) return { verdict: 'excepted', reason: 'copy date not recorded' };
  const allSentOn = due.length > 0 && sent.length === due.length ? sent.map((c) => c.date!).sort().at(-1) : undefined;
  return judgeDeadline(deadline, allSentOn, asOf);
}
