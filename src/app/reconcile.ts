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
  let handed = 0;
  let after: InboxCursor | undefined;
  for (;;) {
    const page = await deps.inbox.unfinished(pageSize, after);
    for (const m of page) await deps.processQueue.add(m.id, { messageId: m.id });
    handed += page.length;
    if (page.length < pageSize) break;
    after = page[page.length - 1];
  }
  const { deliveries, enqueueDelivery } = deps;
  if (deliveries === undefined || enqueueDelivery === undefined) return handed;
  let afterDelivery: string | undefined;
  for (;;) {
    const page = await deliveries.pending(pageSize, afterDelivery);
    for (const d of page) await enqueueDelivery({ deliveryId: d.id, targetId: d.targetId });
    handed += page.length;
    if (page.length < pageSize) return handed;
    afterDelivery = page[page.length - 1]!.id;
  }
}
