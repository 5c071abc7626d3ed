/**
 * The review clock of one plan (Part 2 Regulations; Code 6.11, catalogue E-10): from the day
 * the plan was first made to the first review, then from each review held to the next, while
 * the person is in receipt of services. Rules and the review measure both walk these cycles.
 */
import type { IsoDate } from '../time/dates.js';
import { type Duration, dueDate } from '../time/duration.js';
import type { WorkingDayCalendar } from '../time/working-days.js';
import { type ClockVerdict, judgeClock } from './clock.js';
import type { HeldReview, Timeline } from './timeline.js';

export interface ReviewCycle {
  /** The day the cycle's clock started: the plan made, or the previous review held. */
  readonly from: IsoDate;
  readonly due: IsoDate;
  /** The review that closed the cycle, if one was held by the as-of day. */
  readonly review?: HeldReview;
  readonly verdict: ClockVerdict;
}

export interface ReviewLimits {
  readonly every: Duration;
  /** A shorter limit for the first review, when a pack sets one. */
  readonly first?: Duration | undefined;
}

/**
 * The cycles of a plan up to the as-of day: one per review held, then the open cycle. A review
 * held on the day the clock started (e.g. on the day the plan was made) is a review of the plan,
 * but restarts the clock on that same day, so it opens no cycle of its own. Reviews held after
 * the person left services are not counted, and the open cycle is set aside if they left before
 * it fell due (Code 7.7).
 */
export function reviewCycles(timeline: Timeline, planId: string, asOf: IsoDate, limits: ReviewLimits, calendar: WorkingDayCalendar): ReviewCycle[] {
  const start = firstMadeOn(timeline, planId);
  if (start === undefined) return [];
  const leftServicesOn = timeline.planLeftServicesOn(planId);
  const cycles: ReviewCycle[] = [];
  let from = start;
  let limit = limits.first ?? limits.every;
  for (const review of timeline.heldReviewsOf(planId)) {
    if (review.heldOn <= from) continue;
    if (review.heldOn > asOf || (leftServicesOn !== undefined && review.heldOn > leftServicesOn)) break;
    const due = dueDate(from, limit, calendar);
    cycles.push({ from, due, review, verdict: judgeClock({ due, done: review.heldOn, asOf }) });
    from = review.heldOn;
    limit = limits.every;
  }
  const due = dueDate(from, limit, calendar);
  cycles.push({ from, due, verdict: judgeClock({ due, done: undefined, asOf, leftServicesOn }) });
  return cycles;
}

/** The earliest day a version of the plan was made, if any records one. */
function firstMadeOn(timeline: Timeline, planId: string): IsoDate | undefined {
  let first: IsoDate | undefined;
  for (const version of timeline.versionsOf(planId)) if (version.madeOn !== undefined && (first === undefined || version.madeOn < first)) first = version.madeOn;
  return first;
}
