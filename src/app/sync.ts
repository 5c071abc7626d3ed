/**
 * The sync pipeline's use cases, on ports only (the service and the queue worker translate):
 * - ingest: a message from a source is read and checked like `pont check` input; a message with a
 *   problem is refused with every problem named and never reaches the store or the queue; a good
 *   one is committed to the store first and only then handed to the process queue.
 * - process: a stored message is converted and checked, and its records are stored with the
 *   message's stage, all or nothing. Running it twice changes nothing.
 */
import type { Bundle, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { InputError } from '../errors/errors.js';
import { decodeUtf8 } from '../input/utf8.js';
import type { Clock } from '../ports/clock.js';
import type { PlannedDelivery } from '../ports/delivery.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Accepted, MessageStorePort, RecordOutcome } from '../ports/message-inbox.js';
import type { RecentBundles, RecentChecks } from '../ports/recent-checks.js';
import type { CtpRecord } from '../record/record.schema.js';
import type { DeliverJob } from './deliver.js';
import type { CheckMessage, MessageCheck } from './message-check.js';

export interface ProcessJob {
  readonly messageId: string;
  /** The correlation id of the request that brought the message (also stored with it). */
  readonly requestId?: string;
}

/** A message as a sender hands it in. */
export interface IncomingMessage {
  readonly source: string;
  readonly format: string;
  readonly payload: Uint8Array;
  /** The correlation id (X-Request-Id) of the request or pull run that brought it. */
  readonly requestId?: string;
}

/** What processing a message came to, for the edge to log and count: codes and counts only. */
export type ProcessSummary =
  /** Already processed, refused or set aside: nothing was done. */
  | { readonly kind: 'skipped'; readonly stage: string; readonly requestId?: string }
  | {
      readonly kind: 'finished';
      readonly stage: 'processed' | 'failed';
      readonly receivedAt: Date;
      readonly requestId?: string;
      readonly records: number;
      readonly refused: number;
      /** Deliveries planned and pending (handed to the targets' queues). */
      readonly deliveries: number;
      /** Compliance findings by rule id and result. */
      readonly findings: readonly { readonly ruleId: string; readonly result: string; readonly count: number }[];
      /** The failure's code when the message could not be read at all. */
      readonly reason?: string;
    };

/** What the sync use cases need of the core (createCore gives it) and of the outside world. */
export interface SyncDeps {
  /** The core's check of one message, in this thread or in a pool of worker threads (src/worker-pool). */
  readonly check: CheckMessage;
  readonly sources: readonly string[];
  readonly clock: Clock;
  readonly messages: MessageStorePort;
  readonly processQueue: JobQueue<ProcessJob>;
  /**
   * Where a stored record version goes (routing, consent, echo suppression): none when absent.
   * `from` is the source the message came from, which never gets its own change back; `bundle`
   * is the version's FHIR resources (what a subscription's criteria are matched on).
   */
  readonly plan?: (record: CtpRecord, from: string, bundle?: Bundle) => readonly PlannedDelivery[] | Promise<readonly PlannedDelivery[]>;
  /** Hands a pending delivery to its target's queue; one that cannot be queued now is left to the reconciler. */
  readonly enqueueDelivery?: (job: DeliverJob) => Promise<void>;
  /**
   * Where ingest leaves its check of an accepted message for processing in this process to take,
   * instead of checking the message again. Without it, ingest checks only what can refuse a
   * message (no compliance rules).
   */
  readonly recentChecks?: RecentChecks;
  /** Where processing leaves the Bundles it stored for their deliveries in this process to take, instead of reading them back. */
  readonly recentBundles?: RecentBundles;
}

/** How a message is checked for processing: as of each record's extraction, so the result does not depend on when it runs. */
const PROCESS_CHECK = { asOf: 'extracted' } as const;

export type IngestResult =
  | (Accepted & { readonly accepted: true; readonly queued: boolean })
  | { readonly accepted: false; readonly issues: readonly OperationOutcomeIssue[] };

/**
 * Checks and accepts one message. Refused: unknown format, not UTF-8, unreadable, or any record
 * with errors in reading, mapping or validation (compliance findings do not refuse a message:
 * they are what the sync reports on). A store that cannot be reached throws (the edge answers 503).
 */
export async function ingest(deps: SyncDeps, message: IncomingMessage): Promise<IngestResult> {
  if (!deps.sources.includes(message.format)) {
    return { accepted: false, issues: [{ severity: 'error', code: 'not-supported', diagnostics: `unknown input format; known: ${deps.sources.join(', ')}` }] };
  }
  const checked = await checkAtIngest(deps, message.format, message.payload, `message from ${message.source}`);
  if (checked.issues.length > 0) return { accepted: false, issues: checked.issues };
  const accepted = await deps.messages.accept({ ...message, receivedAt: deps.clock.now() });
  if (!accepted.duplicate && checked.run !== undefined) deps.recentChecks?.remember(accepted.id, checked.run);
  // Committed: from here on nothing is lost. A queue that cannot take the job now leaves the
  // message for the reconciler.
  try {
    await deps.processQueue.add(accepted.id, { messageId: accepted.id, ...(message.requestId === undefined ? {} : { requestId: message.requestId }) });
    return { ...accepted, accepted: true, queued: true };
  } catch {
    return { ...accepted, accepted: true, queued: false };
  }
}

/** Processes one stored message; a message already processed (or refused) is left as it is. */
export async function processMessage(deps: SyncDeps, messageId: string): Promise<ProcessSummary> {
  const message = await deps.messages.get(messageId);
  if (message === undefined) throw new InputError('INPUT_UNREADABLE', 'no stored message has this id');
  const context = { ...(message.requestId === undefined ? {} : { requestId: message.requestId }) };
  if (message.stage !== 'received') return { kind: 'skipped', stage: message.stage, ...context };
  let text: string;
  try {
    text = decodeUtf8(message.payload, `message ${messageId}`);
  } catch (err) {
    const reason = err instanceof InputError ? err.code : 'INPUT_UNREADABLE';
    await deps.messages.finish(messageId, { stage: 'failed', records: [], at: deps.clock.now(), detail: { reason } });
    return { kind: 'finished', stage: 'failed', receivedAt: message.receivedAt, ...context, records: 0, refused: 0, deliveries: 0, findings: [], reason };
  }
  // An internal fault (EngineError) propagates: no retry can help, so the worker sets the message aside as a dead letter.
  const run = deps.recentChecks?.take(messageId) ?? (await deps.check({ origin: `message ${messageId}`, source: message.format, text }, PROCESS_CHECK));
  const records: RecordOutcome[] = await Promise.all(
    run.records
      .flatMap((r) => (r.outcome === undefined ? [] : [r.outcome]))
      .map(async (o) => (deps.plan === undefined ? o : { ...o, deliveries: await deps.plan(o.record, message.source, o.bundle) })),
  );
  const refused = run.records.length - records.length;
  const stage = records.length > 0 || run.records.length === 0 ? 'processed' : 'failed';
  const pending = await deps.messages.finish(messageId, { stage, records, at: deps.clock.now(), detail: { records: records.length, refused } });
  for (const d of pending) {
    const bundle = records[d.record]?.bundle;
    if (bundle !== undefined) deps.recentBundles?.remember(d.id, bundle);
  }
  await enqueueAll(
    deps,
    pending.map((d) => ({ deliveryId: d.id, targetId: d.targetId, ...context })),
  );
  return {
    kind: 'finished',
    stage,
    receivedAt: message.receivedAt,
    ...context,
    records: records.length,
    refused,
    deliveries: pending.length,
    findings: findingCounts(records),
  };
}

function findingCounts(records: readonly RecordOutcome[]): { ruleId: string; result: string; count: number }[] {
  const counts = new Map<string, { ruleId: string; result: string; count: number }>();
  for (const f of records.flatMap((r) => r.evaluation?.findings ?? [])) {
    const key = `${f.ruleId}\u0000${f.result}`;
    const c = counts.get(key) ?? { ruleId: f.ruleId, result: f.result, count: 0 };
    c.count++;
    counts.set(key, c);
  }
  return [...counts.values()];
}

/**
 * Queues deliveries, already committed in the store; false when the queue could not take them
 * now (they wait for the reconciler).
 */
export async function enqueueAll(deps: Pick<SyncDeps, 'enqueueDelivery'>, jobs: readonly DeliverJob[]): Promise<boolean> {
  if (deps.enqueueDelivery === undefined) return jobs.length === 0;
  try {
    for (const job of jobs) await deps.enqueueDelivery(job);
    return true;
  } catch {
    return false;
  }
}

/** The problems that refuse a message, and the check made, when processing can use it. */
async function checkAtIngest(
  deps: SyncDeps,
  format: string,
  payload: Uint8Array,
  origin: string,
): Promise<{ readonly issues: OperationOutcomeIssue[]; readonly run?: MessageCheck }> {
  let text: string;
  try {
    text = decodeUtf8(payload, origin);
  } catch (err) {
    if (err instanceof InputError) return { issues: err.issues };
    throw err;
  }
  const run = await deps.check({ origin, source: format, text }, deps.recentChecks === undefined ? { compliance: false } : PROCESS_CHECK);
  if (run.records.length === 0) return { issues: [{ severity: 'error', code: 'required', diagnostics: `${origin} holds no record` }] };
  // A record that yielded a Bundle is accepted whatever the rules found (its errors are findings).
  return { issues: run.records.flatMap((r) => (r.outcome === undefined ? r.errors : [])), run };
}
