/** Items for a deadline that runs from an event in an episode (acceptance, coordinator appointment). */
import type { IsoDate } from '../../time/dates.js';
import { dueDate, type Duration } from '../../time/duration.js';
import type { EpisodeFacts, PersonFacts } from '../facts.js';
import { item, judgeWhileInServices, type EvaluationWindow, type MeasureDeps, type MeasureItem } from '../measure.js';
import { monthOf } from '../period.js';
import { ageGroupOn } from '../strata.js';

export interface EpisodeClock {
  readonly limit: Duration;
  /** The event that starts the clock, if it happened. */
  readonly startsOn: (episode: EpisodeFacts) => IsoDate | undefined;
  /** When the thing that must be done by the deadline was done, if it was. */
  readonly doneOn: (episode: EpisodeFacts) => IsoDate | undefined;
}

/** One item per episode whose clock started by the as-of day and whose deadline falls in a reporting month. */
export function evaluateEpisodeClock(clock: EpisodeClock, person: PersonFacts, window: EvaluationWindow, { calendar }: MeasureDeps): MeasureItem[] {
  const months = new Set(window.months);
  const items: MeasureItem[] = [];
  for (const episode of person.episodes) {
    const start = clock.startsOn(episode);
    if (start === undefined || start > window.asOf) continue;
    const deadline = dueDate(start, clock.limit, calendar);
    if (!months.has(monthOf(deadline))) continue;
    const { verdict, reason } = judgeWhileInServices(deadline, clock.doneOn(episode), episode.dischargedOn, window.asOf);
    items.push(item(monthOf(deadline), deadline, episode.id, verdict, reason, ageGroupOn(person.dateOfBirth, deadline)));
  }
  return items;
}
