/**
 * Nothing accepted is lost: every message the store holds as received but not processed is put
 * on the process queue again, under its own id, so a job still there is not doubled; and every
 * delivery still pending goes back on its target's queue the same way. Redis restarted without
 * its data, flushed, or a job dropped: the store is the truth.
 */
import type { DeliveryLedger } from '../ports/delivery.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { InboxCursor, MessageInbox } from '../ports/message-inbox.js';
import type { DeliverJob } from './deliver.js';

export interface ReconcileDeps {
  readonly inbox: MessageInbox;
  readonly processQueue: JobQueue<{ readonly messageId: string }>;
  readonly deliveries?: Pick<DeliveryLedger, 'pending'>;
  readonly enqueueDelivery?: (job: DeliverJob) => Promise<void>;
}

/** Re-enqueues every unfinished message and pending delivery, a page at a time; returns how many were handed on. */
export async function reconcile(deps: ReconcileDeps, pageSize = 1000): Promise<number> {
  let handed = await eachPage(
    (after?: InboxCursor) => deps.inbox.unfinished(pageSize, after),
    (m) => deps.processQueue.add(m.id, { messageId: m.id }),
    pageSize,
  );
  const { deliveries, enqueueDelivery } = deps;
  if (deliveries !== undefined && enqueueDelivery !== undefined) {
    handed += await eachPage(
      (after?: { readonly id: string; readonly targetId: string }) => deliveries.pending(pageSize, after?.id),
      (d) => enqueueDelivery({ deliveryId: d.id, targetId: d.targetId }),
      pageSize,
    );
  }
  return handed;
}

/** Hands on every item of a paged listing, each page after the last item of the one before; returns how many. */
async function eachPage<T>(page: (after?: T) => Promise<readonly T[]>, handOn: (item: T) => Promise<void>, pageSize: number): Promise<number> {
  let handed = 0;
  let after: T | undefined;
  for (;;) {
    const items = await page(after);
    for (const item of items) await handOn(item);
    handed += items.length;
    if (items.length < pageSize) return handed;
    after = items[items.length - 1];
  }
}
