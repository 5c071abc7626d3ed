/**
 * Dead letters as an operator handles them (`pont dlq`): list them (codes and counts, never a
 * payload), replay some or all (back to be processed, and queued at once where a queue is at
 * hand, else at the service's next reconciliation), or discard one with a reason, which is kept.
 */
import type { Clock } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { DeadLetterView, MessageStorePort } from '../ports/message-inbox.js';

export interface DeadLetterDeps {
  readonly messages: MessageStorePort;
  readonly clock: Clock;
  /** The process queue, when one answers. */
  readonly processQueue?: JobQueue<{ readonly messageId: string }>;
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
  const wanted = ids === 'all' ? (await deps.messages.deadLetters()).map((d) => d.messageId) : ids;
  const replayed: string[] = [];
  const notDead: string[] = [];
  for (const id of wanted) ((await deps.messages.replay(id, deps.clock.now())) ? replayed : notDead).push(id);
  let queued = false;
  if (deps.processQueue && replayed.length > 0) {
    try {
      for (const id of replayed) await deps.processQueue.add(id, { messageId: id });
      queued = true;
    } catch {
      queued = false; // stored as to be processed: the reconciler queues them
    }
  }
  return { replayed, notDead, queued };
}

export async function discardDeadLetter(deps: DeadLetterDeps, id: string, reason: string): Promise<boolean> {
  return deps.messages.discard(id, reason, deps.clock.now());
}
