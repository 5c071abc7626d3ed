/**
 * Nothing accepted is lost: every message the store holds as received but not processed is put
 * on the process queue again, under its own id, so a job still there is not doubled. Redis
 * restarted without its data, flushed, or a job dropped: the store is the truth.
 */
import type { JobQueue } from '../ports/job-queue.js';
import type { InboxCursor, MessageInbox } from '../ports/message-inbox.js';

export interface ReconcileDeps {
  readonly inbox: MessageInbox;
  readonly processQueue: JobQueue<{ readonly messageId: string }>;
}

/** Re-enqueues every unfinished message, a page at a time; returns how many were handed on. */
export async function reconcile(deps: ReconcileDeps, pageSize = 1000): Promise<number> {
  let handed = 0;
  let after: InboxCursor | undefined;
  for (;;) {
    const page = await deps.inbox.unfinished(pageSize, after);
    for (const m of page) await deps.processQueue.add(m.id, { messageId: m.id });
    handed += page.length;
    if (page.length < pageSize) return handed;
    after = page[page.length - 1];
  }
}
