/**
 * Dead letters as an operator handles them (`pont dlq`): list them (codes and counts, never a
 * payload), replay some or all (back to be processed, and queued at once where a queue is at
 * hand, else at the service's next reconciliation), or discard one with a reason, which is kept.
 */
import type { Clock } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { DeadLetterView, MessageStorePort } from '../ports/message-inbox.js';
import type { DeliverJob } from './deliver.js';
import { enqueueAll } from './sync.js';

export interface DeadLetterDeps {
  readonly messages: MessageStorePort;
  readonly clock: Clock;
  /** The process queue, when one answers. */
  readonly processQueue?: JobQueue<{ readonly messageId: string }>;
  /** Re-opens a message's dead deliveries; returns them. */
  readonly replayDeliveries?: (messageId: string, at: Date) => Promise<readonly { readonly id: string; readonly targetId: string }[]>;
  /** The targets' queues, when they answer. */
  readonly enqueueDelivery?: (job: DeliverJob) => Promise<void>;
}

export const listDeadLetters = (deps: DeadLetterDeps): Promise<DeadLetterView[]> => deps.messages.deadLetters();

export interface ReplayResult {
  readonly replayed: readonly string[];
  /** Ids with no open dead letter (unknown, processed, already replayed or discarded). */
  readonly notDead: readonly string[];
  /** Whether the replayed messages were queued now (else the reconciler queues them). */
  readonly queued: boolean;
}

export async function replayDeadLetters(deps: DeadLetterDeps, ids: readonly string[] | 'all'): Promise<ReplayResult> {
  const wanted = ids === 'all' ? [...new Set((await deps.messages.deadLetters()).map((d) => d.messageId))] : ids;
  const replayed: string[] = [];
  const reprocess: string[] = [];
  const redeliver: DeliverJob[] = [];
  const notDead: string[] = [];
  for (const id of wanted) {
    const message = await deps.messages.replay(id, deps.clock.now());
    const deliveries = (await deps.replayDeliveries?.(id, deps.clock.now())) ?? [];
    if (message) reprocess.push(id);
    redeliver.push(...deliveries.map((d) => ({ deliveryId: d.id, targetId: d.targetId })));
    (message || deliveries.length > 0 ? replayed : notDead).push(id);
  }
  let queued = replayed.length > 0;
  if (reprocess.length > 0) {
    try {
      if (!deps.processQueue) throw new Error('no process queue');
      for (const id of reprocess) await deps.processQueue.add(id, { messageId: id });
    } catch {
      queued = false; // stored as to be processed: the reconciler queues them
    }
  }
  if (redeliver.length > 0 && !(await enqueueAll(deps, redeliver))) queued = false;
  return { replayed, notDead, queued };
}

export async function discardDeadLetter(deps: DeadLetterDeps, id: string, reason: string): Promise<boolean> {
  return deps.messages.discard(id, reason, deps.clock.now());
}
