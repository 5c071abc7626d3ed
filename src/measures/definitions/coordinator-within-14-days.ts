/**
 * coordinator-within-14-days (Code of Practice 3.6). Clock: the day the episode was accepted
 * into secondary mental health services. Deadline: 14 calendar days later. An episode belongs
 * to the month its deadline falls in. Met by the earliest coordinator appointment of the episode
 * (linked to it, or unlinked and starting while it was open), temporary cover included.
 */
import type { MeasureDefinition } from '../measure.js';
import { evaluateEpisodeClock, type EpisodeClock } from './episode-deadline.js';

const CLOCK: EpisodeClock = { limit: { value: 14, unit: 'days' }, startsOn: (e) => e.acceptedOn, doneOn: (e) => e.appointmentStarts[0] };

export const coordinatorWithin14Days: MeasureDefinition = {
  id: 'coordinator-within-14-days',
  title: 'Care coordinator appointed within 14 days of acceptance into services',
  description: 'Of the episodes whose 14-day deadline fell in the month, the proportion with a care coordinator appointed within 14 calendar days of acceptance into secondary mental health services (Code of Practice 3.6).',
  clock: 'Starts on the day of acceptance into services; the episode belongs to the month in which the 14th day after acceptance falls.',
  criteria: {
    'initial-population': 'Episodes accepted into secondary mental health services whose 14th day after acceptance falls in the month.',
    denominator: 'The initial population.',
    'denominator-exclusion': 'Fully discharged before the deadline without a coordinator, or not yet due and not yet met on the as-of day.',
    numerator: 'A care coordinator appointment starting no later than 14 calendar days after acceptance.',
  },
  stratifier: 'age-group',
  evaluate: (person, window, deps) => evaluateEpisodeClock(CLOCK, person, window, deps),
};
