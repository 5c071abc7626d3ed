/**
 * What a measure is: populations with the criteria that put an item in them, and a function
 * that reads one person's precomputed facts and says, for each item of theirs that falls in the
 * reporting months, which populations it belongs to and why.
 */
import type { CtpRecord } from '../record/record.schema.js';
import type { IsoDate } from '../time/dates.js';
import type { WorkingDayCalendar } from '../time/working-days.js';
import type { ClockVerdict } from '../timeline/clock.js';
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

export type Stratifier = 'age-group' | 'priority' | 'team';

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
  /** Which way is better; default 'increase'. Quality signals count what should be rare, so theirs is 'decrease'. */
  readonly improvement?: 'increase' | 'decrease';
  evaluate(person: PersonFacts, window: EvaluationWindow, deps: MeasureDeps): MeasureItem[];
  /**
   * For a measure that looks across people (shared plan text): given every record of the run once,
   * before any person is evaluated. Such a definition belongs to one run.
   */
  prepare?(records: readonly CtpRecord[]): void;
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

/** Reasons that explain each clock verdict in individual reports. */
const CLOCK_REASONS: Record<ClockVerdict, { verdict: Verdict; reason: string }> = {
  'on-time': { verdict: 'met', reason: 'on time' },
  late: { verdict: 'notMet', reason: 'late' },
  'not-done': { verdict: 'notMet', reason: 'not done by the deadline' },
  excused: { verdict: 'excepted', reason: 'late with exceptional circumstances recorded' },
  pending: { verdict: 'excluded', reason: 'not yet due' },
  'set-aside': { verdict: 'excluded', reason: 'discharged before the deadline' },
  unknown: { verdict: 'excepted', reason: 'time not recorded' },
};

/**
 * The populations of an item judged by the timeline's clock (`judgeClock`), the same verdict the
 * mirrored rule turns into a finding: met (pass), not met (fail), excluded or excepted (not
 * applicable, or cannot be known).
 */
export function fromClock(verdict: ClockVerdict): { verdict: Verdict; reason: string } {
  return CLOCK_REASONS[verdict];
}

export function item(month: string, on: IsoDate, subject: string, verdict: Verdict, reason: string, stratum?: string): MeasureItem {
  return { month, on, subject, populations: populationsFor[verdict], reason, ...(stratum === undefined ? {} : { stratum }) };
}
