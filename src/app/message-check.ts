/**
 * The check of one sync message, cut down to what the sync use cases keep: per record, its error
 * issues, and the record with its evaluation when it yielded a Bundle. Plain data (structured
 * clone), so that the check can run in a worker thread and its result cross back: the record's
 * Bundle (what deliveries send), but no traces or compiled rule packs.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { Evaluation } from '../compliance/engine.js';
import type { RecordOutcome, StoredFinding } from '../ports/message-inbox.js';
import type { CheckOptions, CheckRun } from './check.js';
import type { Input, SourceInput } from './inputs.js';

export interface CheckedRecord {
  /** Error and fatal issues from reading, mapping and validation; none when a Bundle was made. */
  readonly errors: readonly OperationOutcomeIssue[];
  /** Present only when a Bundle was made (findings aside, nothing refused the record). */
  readonly outcome?: RecordOutcome;
}

export interface MessageCheck {
  /** One per record the message holds, in order. */
  readonly records: readonly CheckedRecord[];
}

/** Checks one message's text, wherever the check runs (this thread, or a pool of worker threads). */
export type CheckMessage = (input: SourceInput, options?: CheckOptions) => Promise<MessageCheck>;

export function checkMessage(check: (inputs: Iterable<Input>, options?: CheckOptions) => CheckRun, input: SourceInput, options?: CheckOptions): MessageCheck {
  const run = check([input], options);
  return {
    records: run.results.map((result) => {
      const errors = result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
      if (result.record === undefined || result.bundle === undefined) return { errors };
      const e = result.evaluation;
      return { errors, outcome: { record: result.record, bundle: result.bundle, ...(e === undefined ? {} : { evaluation: storedEvaluation(e) }) } };
    }),
  };
}

/** The core's check in this thread, as a CheckMessage. */
export function inThreadCheck(check: (inputs: Iterable<Input>, options?: CheckOptions) => CheckRun): CheckMessage {
  return async (input, options) => checkMessage(check, input, options);
}

function storedEvaluation(e: Evaluation): NonNullable<RecordOutcome['evaluation']> {
  const findings: StoredFinding[] = e.findings.map((f) => ({
    ruleId: f.ruleId,
    check: f.check,
    result: f.result,
    severity: f.severity,
    message: f.message,
    ...(f.location === undefined ? {} : { location: f.location }),
    ...(f.due === undefined ? {} : { due: f.due }),
    ...(f.subject === undefined ? {} : { subject: f.subject }),
  }));
  return { pack: e.pack.id, asOf: e.asOf, findings };
}
