/**
 * What a measure is: populations with the criteria that put an item in them, and a function
 * that reads one person's precomputed facts and says, for each item of theirs that falls in the
 * reporting months, which populations it belongs to and why.
 */
import type { IsoDate } from '../time/dates.js';
import type { WorkingDayCalendar } from '../time/working-days.js';
import type { PersonFacts } from './facts.js';
import type { PopulationCode } from './score.js';

export interface EvaluationWindow {
  /** Reporting months, `YYYY-MM`, ascending. */
  readonly months: readonly string[];
  /** What is known: events dated after this day are treated as not (yet) having happened. */
  readonly asOf: IsoDate;
}

export interface MeasureDeps {
  readonly calendar: WorkingDayCalendar;
}

export interface MeasureItem {
  /** The reporting month the item belongs to. */
  readonly month: string;
  /** The day on which age and resident health board are taken for this item. */
  readonly on: IsoDate;
  /** Local id of what is counted (episode, plan version, review cycle, request), for individual reports. */
  readonly subject: string;
  readonly populations: readonly PopulationCode[];
  readonly reason: string;
  /** Set by measures stratified by something other than age group. */
  readonly stratum?: string;
}

export type Stratifier = 'age-group' | 'priority';

export interface MeasureDefinition {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Which event starts the clock and which month an item belongs to. */
  readonly clock: string;
  readonly criteria: Readonly<Partial<Record<PopulationCode, string>>>;
  readonly stratifier: Stratifier;
  /** Target proportion, when there is a published one. */
  readonly target?: number;
  evaluate(person: PersonFacts, window: EvaluationWindow, deps: MeasureDeps): MeasureItem[];
}

const IN_DENOMINATOR: readonly PopulationCode[] = ['initial-population', 'denominator'];
const MET: readonly PopulationCode[] = [...IN_DENOMINATOR, 'numerator'];
const EXCLUDED: readonly PopulationCode[] = [...IN_DENOMINATOR, 'denominator-exclusion'];
const EXCEPTED: readonly PopulationCode[] = [...IN_DENOMINATOR, 'denominator-exception'];

export const populationsFor = {
  met: MET,
  notMet: IN_DENOMINATOR,
  excluded: EXCLUDED,
  excepted: EXCEPTED,
} as const;

export type Verdict = keyof typeof populationsFor;

/**
 * Judges something due by `deadline` that happened on `doneOn` (if it did). Not done by the
 * as-of day and not yet due: excluded as pending, not counted as a failure.
 */
export function judgeDeadline(deadline: IsoDate, doneOn: IsoDate | undefined, asOf: IsoDate): { verdict: Verdict; reason: string } {
  if (doneOn !== undefined && doneOn <= asOf) {
    return doneOn <= deadline ? { verdict: 'met', reason: 'on time' } : { verdict: 'notMet', reason: 'late' };
  }
  return deadline >= asOf ? { verdict: 'excluded', reason: 'not yet due' } : { verdict: 'notMet', reason: 'not done by the deadline' };
}

export function item(month: string, on: IsoDate, subject: string, verdict: Verdict, reason: string, stratum?: string): MeasureItem {
  return { month, on, subject, populations: populationsFor[verdict], reason, ...(stratum === undefined ? {} : { stratum }) };
}

/**
 * judgeDeadline for an episode's clock: someone fully discharged before the deadline, without
 * the thing having been done, is excluded (the duty ended with the episode).
 */
export function judgeWhileInServices(deadline: IsoDate, doneOn: IsoDate | undefined, dischargedOn: IsoDate | undefined, asOf: IsoDate): { verdict: Verdict; reason: string } {
  const done = doneOn !== undefined && doneOn <= asOf;
  if (!done && dischargedOn !== undefined && dischargedOn <= asOf && dischargedOn < deadline) {
    return { verdict: 'excluded', reason: 'discharged before the deadline' };
  }
  return judgeDeadline(deadline, doneOn, asOf);
}
