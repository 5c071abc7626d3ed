/**
 * Checks already made of messages at ingest, kept so that processing the same message need not
 * make them again. A hint only: after a restart, when another process takes the job, or when the
 * check was not kept, there is nothing to take and processing checks the stored message itself.
 */
import type { MessageCheck } from '../app/message-check.js';

export interface RecentChecks {
  remember(messageId: string, check: MessageCheck): void;
  /** The check remembered for the message, forgotten as it is taken. */
  take(messageId: string): MessageCheck | undefined;
}

export interface RecentChecksOptions {
  /** Checks kept at most. */
  readonly capacity: number;
  /** A check not taken within this long is forgotten (its job ran in another process). */
  readonly maxAgeMs: number;
  readonly now: () => number;
}

/**
 * Keeps checks in the order messages arrived. When full it keeps the older ones rather than the
 * newest: the queue processes messages in arrival order, so under a backlog the older are the
 * ones about to be taken.
 */
export function recentChecks(options: RecentChecksOptions): RecentChecks {
  const checks = new Map<string, { readonly check: MessageCheck; readonly at: number }>();
  const forgetStale = (now: number) => {
    for (const [id, kept] of checks) {
      if (now - kept.at < options.maxAgeMs) return;
      checks.delete(id);
    }
  };
  return {
    remember(messageId, check) {
      const now = options.now();
      forgetStale(now);
      if (checks.size < options.capacity) checks.set(messageId, { check, at: now });
    },
    take(messageId) {
      const kept = checks.get(messageId);
      checks.delete(messageId);
      return kept?.check;
    },
  };
}
