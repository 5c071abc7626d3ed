/**
 * The result of checking one rule against one item of a person's record (a plan version, a
 * copy, a review, a request …), or against the whole record.
 */
import type { IsoDate } from '../time/dates.js';

export const ruleResults = ['pass', 'fail', 'not-applicable', 'cannot-evaluate'] as const;
export type RuleResult = (typeof ruleResults)[number];

/**
 * "must" is a statutory duty (or the Code's own "must"); "should" is guidance; "prompt" is a
 * quality signal for human review (src/quality/), never a breach, so it fails as information.
 */
export const forces = ['must', 'should', 'prompt'] as const;
export type Force = (typeof forces)[number];

export type Severity = 'error' | 'warning' | 'information';

export interface Finding {
  /** The rule's catalogue id, e.g. CoP-P2-11. */
  readonly ruleId: string;
  /** Which part of the rule was checked, e.g. "within-14-days"; unique within the rule. */
  readonly check: string;
  readonly pack: string;
  readonly result: RuleResult;
  readonly force: Force;
  readonly severity: Severity;
  /** Where the duty comes from, e.g. "Code of Practice para 3.6". */
  readonly citation: string;
  /** Plain English: what the rule asks, as a care coordinator would put it. */
  readonly explanation: string;
  /** Plain English: what was found. Never carries names or free text from the record. */
  readonly message: string;
  /** FHIRPath location of the offending element in the canonical record, e.g. `plans[1].copies[0].date`. */
  readonly location?: string;
  /**
   * The person or item the finding is about, as a record path, when several findings of one check
   * share a location: e.g. `relatedPeople[1]` for a copy missing at `plans[0].copies`. With the
   * rule, check and location it makes every finding unique.
   */
  readonly subject?: string;
  /** For cannot-evaluate: the data that would be needed, as record paths or plain names. */
  readonly missing?: readonly string[];
  /** The last on-time date, where the rule has a deadline. */
  readonly due?: IsoDate;
  /** Location of a recorded departure from the Code that explains this failure of guidance. */
  readonly departure?: string;
}

export function severityOf(result: RuleResult, force: Force): Severity {
  if (force === 'prompt') return 'information';
  if (result === 'fail') return force === 'must' ? 'error' : 'warning';
  if (result === 'cannot-evaluate') return force === 'must' ? 'warning' : 'information';
  return 'information';
}

/** The findings a person needs to act on: failures and checks that could not be made. */
export function isActionable(finding: Finding): boolean {
  return finding.result === 'fail' || finding.result === 'cannot-evaluate';
}

/** What a finding takes from the rule that produced it. */
export interface RuleIdentity {
  readonly id: string;
  readonly check: string;
  readonly force: Force;
  readonly citation: string;
  readonly explanation: string;
}

export function makeFinding(
  rule: RuleIdentity,
  pack: string,
  result: RuleResult,
  message: string,
  location?: string,
  extra?: Pick<Finding, 'missing' | 'due' | 'subject'>,
): Finding {
  // Built by assignment rather than spreads (every evaluation makes hundreds): the keys come in the same order.
  const finding: { -readonly [K in keyof Finding]: Finding[K] } = {
    ruleId: rule.id,
    check: rule.check,
    pack,
    result,
    force: rule.force,
    severity: severityOf(result, rule.force),
    citation: rule.citation,
    explanation: rule.explanation,
    message,
  };
  if (location !== undefined) finding.location = location;
  // Field by field rather than Object.assign, in the one order the extras come in (a failure has no `missing`, a finding that cannot be evaluated no `due`).
  if (extra !== undefined) {
    if (extra.missing !== undefined) finding.missing = extra.missing;
    if (extra.due !== undefined) finding.due = extra.due;
    if (extra.subject !== undefined) finding.subject = extra.subject;
  }
  return finding;
}
