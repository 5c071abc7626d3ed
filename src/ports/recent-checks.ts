/**
 * What one stage of this process made and the next one, usually in this process too, would
 * otherwise make or read again: the check of a message made at ingest (for processing), the
 * Bundle of a record version just stored (for its deliveries). A hint only: after a restart, when
 * another process takes the job, or when it was not kept, there is nothing to take and the next
 * stage makes or reads it itself. Only what never changes once made is kept.
 */
import type { Bundle } from '@medplum/fhirtypes';
import type { MessageCheck } from '../app/message-check.js';

export interface Recent<T> {
  remember(key: string, value: T): void;
  /** The value remembered under the key, forgotten as it is taken. */
  take(key: string): T | undefined;
}

/** Checks made at ingest, by message id. */
export type RecentChecks = Recent<MessageCheck>;
/** Bundles of record versions stored, by the id of each delivery planned for them. */
export type RecentBundles = Recent<Bundle>;

export interface RecentOptions {
  /** Values kept at most. */
  readonly capacity: number;
  /** A value not taken within this long is forgotten (its job ran in another process). */
  readonly maxAgeMs: number;
  readonly now: () => number;
}

/**
 * Keeps values in the order they were made. When full it keeps the older ones rather than the
 * newest: the queues take jobs in the order they were added, so under a backlog the older are the
 * ones about to be taken.
 */
export function recent<T>(options: RecentOptions): Recent<T> {
  const kept = new Map<string, { readonly value: T; readonly at: number }>();
  const forgetStale = (now: number) => {
    for (const [key, entry] of kept) {
      if (now - entry.at < options.maxAgeMs) return;
      kept.delete(key);
    }
  };
  return {
    remember(key, value) {
      const now = options.now();
      forgetStale(now);
      if (kept.size < options.capacity) kept.set(key, { value, at: now });
    },
    take(key) {
      const entry = kept.get(key);
      kept.delete(key);
      return entry?.value;
    },
  };
}

export const recentChecks: (options: RecentOptions) => RecentChecks = recent;
