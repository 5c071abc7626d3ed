/**
 * ctp-within-6-weeks (Code of Practice 4.87). Clock: the start of the episode's first care
 * coordinator appointment (the timeline's first usual appointment). Deadline: 6 weeks (42
 * calendar days) later. An episode belongs to the month its deadline falls in. Met by the
 * episode's first plan (made: active, superseded or ended), or by a plan carried into it from
 * before acceptance without a full discharge in between (Code 7.7, 4.86).
 */
import type { MeasureDefinition } from '../measure.js';
import { type EpisodeClock, evaluateEpisodeClock } from './episode-deadline.js';

const CLOCK: EpisodeClock = {
  limit: { value: 6, unit: 'weeks' },
  startsOn: (e, timeline) => timeline.firstAppointment(e)?.on,
  done(e, timeline) {
    const first = timeline.firstPlan(e);
    return first && { on: first.on };
  },
};

export const ctpWithin6Weeks: MeasureDefinition = {
  id: 'ctp-within-6-weeks',
  title: 'First Care and Treatment Plan within 6 weeks of the care coordinator appointment',
  description:
    'Of the episodes whose 6-week deadline fell in the month, the proportion whose first Care and Treatment Plan was made within 6 weeks of the first care coordinator appointment (Code of Practice 4.87).',
  clock: 'Starts on the first care coordinator appointment of the episode; the episode belongs to the month in which the 42nd day after it falls.',
  criteria: {
    'initial-population': 'Episodes with a care coordinator appointment whose 6-week deadline falls in the month.',
    denominator: 'The initial population.',
    'denominator-exclusion': 'Fully discharged on or before the deadline without a plan, or not yet due and not yet met on the as-of day.',
    numerator: 'A plan for the episode made (or carried into it) no later than 6 weeks after the first coordinator appointment.',
  },
  stratifier: 'age-group',
  evaluate: (person, window, deps) => evaluateEpisodeClock(CLOCK, person, window, deps),
};
