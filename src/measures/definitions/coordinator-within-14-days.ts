/**
 * coordinator-within-14-days (Code of Practice 3.6). Clock: the day the episode was accepted
 * into secondary mental health services. Deadline: 14 calendar days later. An episode belongs
 * to the month its deadline falls in. Met by the timeline's first appointment of the episode: the
 * first usual appointment (temporary cover stands in for a usual coordinator, 3.13, and does not
 * meet 3.6), counted from acceptance when already in force then. Late with exceptional
 * circumstances recorded: a denominator exception, as CoP-P2-11 does not apply the 14 days then.
 */
import type { MeasureDefinition } from '../measure.js';
import { type EpisodeClock, evaluateEpisodeClock } from './episode-deadline.js';

const CLOCK: EpisodeClock = {
  limit: { value: 14, unit: 'days' },
  startsOn: (e) => e.acceptedOn,
  done(e, timeline) {
    const first = timeline.firstAppointment(e);
    return first && { on: first.on, excuse: first.appointment.delayReason };
  },
};

export const coordinatorWithin14Days: MeasureDefinition = {
  id: 'coordinator-within-14-days',
  title: 'Care coordinator appointed within 14 days of acceptance into services',
  description:
    'Of the episodes whose 14-day deadline fell in the month, the proportion with a care coordinator appointed within 14 calendar days of acceptance into secondary mental health services (Code of Practice 3.6).',
  clock: 'Starts on the day of acceptance into services; the episode belongs to the month in which the 14th day after acceptance falls.',
  criteria: {
    'initial-population': 'Episodes accepted into secondary mental health services whose 14th day after acceptance falls in the month.',
    denominator: 'The initial population.',
    'denominator-exclusion': 'Fully discharged on or before the deadline without a coordinator, or not yet due and not yet met on the as-of day.',
    'denominator-exception': 'Appointed later than 14 days with exceptional circumstances recorded (Code 3.6).',
    numerator: 'A usual (not temporary) care coordinator appointment in force no later than 14 calendar days after acceptance.',
  },
  stratifier: 'age-group',
  evaluate: (person, window, deps) => evaluateEpisodeClock(CLOCK, person, window, deps),
};
