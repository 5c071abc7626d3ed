/** Small helpers shared by rule templates: locations in the record and deadline judgements. */
import type { Actor, PlanVersion } from '../../record/record.schema.js';
import { daysBetween, type IsoDate } from '../../time/dates.js';
import { dueDate, formatDuration, type Duration } from '../../time/duration.js';
import type { RecordFacts } from '../facts.js';
import type { Emit } from '../template.js';

export const at = {
  plan: (f: RecordFacts, plan: PlanVersion) => `plans[${f.indexOf(plan)}]`,
  item: (f: RecordFacts, list: string, item: object) => `${list}[${f.indexOf(item)}]`,
};

export interface DeadlineCase {
  /** The event that starts the clock. */
  readonly anchor: IsoDate;
  /** When the required thing happened, if it has. */
  readonly done: IsoDate | undefined;
  readonly limit: Duration;
  /** Plain words for what must happen, e.g. "The first plan was made". */
  readonly what: string;
  /** Plain words for it not having happened, e.g. "No plan has been made"; needed where `done` can be absent. */
  readonly notDone?: string;
  /** Plain words for the clock's start, e.g. "the care coordinator was appointed". */
  readonly since: string;
  readonly location: string | undefined;
  /** A recorded reason that excuses lateness (exceptional circumstances), when the rule allows one. */
  readonly excuse?: string | undefined;
}

/**
 * Judges "X within N of Y": done in time passes; done late fails (unless excused); not done fails
 * once the deadline has passed at the evaluation date, and is not yet applicable before that.
 * Something dated after the evaluation date had not happened yet on it.
 */
export function judgeDeadline(f: RecordFacts, emit: Emit, c: DeadlineCase): void {
  const due = dueDate(c.anchor, c.limit, f.calendar);
  const limit = formatDuration(c.limit);
  const done = c.done !== undefined && c.done <= f.asOf ? c.done : undefined;
  if (done !== undefined) {
    const days = daysBetween(c.anchor, done);
    const elapsed = c.limit.unit === 'working-days' ? `${f.calendar.workingDaysAfter(c.anchor, done)} working days` : `${days} days`;
    if (done <= due) emit.pass(`${c.what} ${elapsed} after ${c.since}, within ${limit}.`, c.location);
    else if (c.excuse !== undefined) emit.pass(`${c.what} ${elapsed} after ${c.since}, later than ${limit}; exceptional circumstances are recorded.`, c.location);
    else emit.fail(`${c.what} ${elapsed} after ${c.since}; the limit is ${limit}.`, c.location, { due });
    return;
  }
  if (f.asOf > due) emit.fail(`${c.notDone ?? 'It has not happened'}, and ${limit} have passed since ${c.since}.`, c.location, { due });
  else emit.notApplicable(`Not yet due: ${limit} from ${c.since} have not passed.`, c.location);
}

/** Whether two actors are the same party (the patient is always the same). */
export function sameActor(a: Actor, b: Actor): boolean {
  return a.kind === b.kind && (a.kind === 'patient' || a.id === b.id);
}

export function isPhone(t: { system: string }): boolean {
  return t.system === 'phone';
}
