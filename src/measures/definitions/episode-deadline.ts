/** Items for a deadline that runs from an event in an episode (acceptance, coordinator appointment). */
import type { IsoDate } from '../../time/dates.js';
import { type Duration, dueDate } from '../../time/duration.js';
import { judgeClock } from '../../timeline/clock.js';
import type { EpisodeSpan, Timeline } from '../../timeline/timeline.js';
import type { PersonFacts } from '../facts.js';
import { type EvaluationWindow, fromClock, item, type MeasureDeps, type MeasureItem } from '../measure.js';
import { monthOf } from '../period.js';
import { ageGroupOn } from '../strata.js';

export interface EpisodeClock {
  readonly limit: Duration;
  /** The event that starts the clock, if it happened. */
  readonly startsOn: (episode: EpisodeSpan, timeline: Timeline) => IsoDate | undefined;
  /** When the thing that must be done by the deadline was done, if it was, and any recorded excuse for lateness. */
  readonly done: (episode: EpisodeSpan, timeline: Timeline) => { readonly on: IsoDate; readonly excuse?: string | undefined } | undefined;
}

/**
 * One item per episode whose clock started by the as-of day and whose deadline falls in a
 * reporting month, judged by the timeline's clock (the duty ends when the person leaves
 * services, Code 7.7).
 */
export function evaluateEpisodeClock(clock: EpisodeClock, person: PersonFacts, window: EvaluationWindow, { calendar }: MeasureDeps): MeasureItem[] {
  const months = new Set(window.months);
  const items: MeasureItem[] = [];
  const timeline = person.timeline;
  for (const episode of timeline.episodes) {
    const start = clock.startsOn(episode, timeline);
    if (start === undefined || start > window.asOf) continue;
    const due = dueDate(start, clock.limit, calendar);
    if (!months.has(monthOf(due))) continue;
    const done = clock.done(episode, timeline);
    const { verdict, reason } = fromClock(judgeClock({ due, done: done?.on, excuse: done?.excuse, asOf: window.asOf, leftServicesOn: episode.leftOn }));
    items.push(item(monthOf(due), due, episode.id, verdict, reason, ageGroupOn(person.dateOfBirth, due)));
  }
  return items;
}
