/**
 * R4 Subscriptions (rest-hook) as the core sees them: delivery targets that API clients create,
 * pause and delete, kept in the store (pont_subscription). A subscription's deliveries go through
 * the same ledger as a configured target's, under the target id `subscription/{id}`.
 */

export type SubscriptionStatus = 'requested' | 'active' | 'off' | 'error';

/**
 * Whose patients a subscription is for, fixed from the client when it subscribed: a GP system's
 * practice (its registered patients) or a source EPR's health board (the people resident in its
 * area or under its care), as for a configured target of that kind.
 */
export interface SubscriptionRecipient {
  readonly kind: 'gp-practice' | 'health-board';
  /** The practice's or board's ODS code, upper-case. */
  readonly code: string;
  /** The source a source EPR ingests as: a change that came from it is never sent back to it. */
  readonly source?: string;
}

/** What a client says of its subscription (the Subscription resource, checked). */
export interface SubscriptionDefinition {
  readonly criteria: string;
  readonly endpoint: string;
  /** The payload's mime type; absent: a notification without a body. */
  readonly payload?: string;
  /** `Name: value` lines sent with each notification. Values may be secrets: never logged. */
  readonly headers: readonly string[];
  readonly reason: string;
  readonly end?: Date;
}

export interface StoredSubscription extends SubscriptionDefinition {
  readonly id: string;
  readonly clientId: string;
  readonly status: SubscriptionStatus;
  /** Counts the changes made to it, from 1 (ETag, `_history`). */
  readonly versionId: number;
  readonly recipient: SubscriptionRecipient;
  /** Why pont turned it to `error`: a failure code, never a target's own text. */
  readonly error?: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewSubscription {
  readonly id: string;
  readonly clientId: string;
  readonly status: SubscriptionStatus;
  readonly recipient: SubscriptionRecipient;
  readonly definition: SubscriptionDefinition;
}

/** Why a subscription's pending deliveries are set aside rather than sent. */
export type SetAsideReason = 'subscription-off' | 'subscription-error' | 'subscription-deleted';

export interface SubscriptionStore {
  create(subscription: NewSubscription, at: Date): Promise<StoredSubscription>;
  get(id: string): Promise<StoredSubscription | undefined>;
  /** A client's subscriptions, oldest first. */
  listByClient(clientId: string): Promise<StoredSubscription[]>;
  /** Replaces what the client said and sets the status (an error is cleared); undefined when there is no such subscription. */
  update(id: string, change: { readonly definition: SubscriptionDefinition; readonly status: SubscriptionStatus }, at: Date): Promise<StoredSubscription | undefined>;
  /**
   * Sets the status, with pont's reason for `error`. Turned `off` or `error`, its pending
   * deliveries are held with that reason, in the same transaction.
   */
  setStatus(id: string, status: SubscriptionStatus, at: Date, error?: string): Promise<StoredSubscription | undefined>;
  /** Deletes it; its pending deliveries become superseded, and those made stay in the ledger. False when there was none. */
  remove(id: string, at: Date): Promise<boolean>;
  /** The subscriptions deliveries may go to at `now`: active, and not past their end. */
  active(now: Date): Promise<StoredSubscription[]>;
  /** Settles one pending delivery of a subscription without sending it (held or superseded, with the reason). */
  setAside(deliveryId: string, status: 'held' | 'superseded', reason: SetAsideReason, at: Date): Promise<void>;
}

/** The subscriptions the delivery planner consults at processing time. */
export interface SubscriptionDirectory {
  active(): Promise<readonly StoredSubscription[]>;
  /** Forgets what it holds, so the next call reads the store (after a change made in this process). */
  invalidate(): void;
}

const PREFIX = 'subscription/';

export const subscriptionTargetId = (id: string): string => `${PREFIX}${id}`;

/** The subscription id in a delivery's target id, or undefined for a configured target. */
export const subscriptionIdOf = (targetId: string): string | undefined => (targetId.startsWith(PREFIX) ? targetId.slice(PREFIX.length) : undefined);

/** Whether the subscription may be delivered to at `now`. */
export const isLive = (s: StoredSubscription, now: Date): boolean => s.status === 'active' && (s.end === undefined || s.end > now);

/**
 * The store's active subscriptions, read at most once per `ttlMs`: the planner runs per record
 * version, and a change made in another process shows within `ttlMs`. Concurrent callers share
 * one read. The worker looks each subscription up again before sending, so a subscription paused
 * or deleted meanwhile gets nothing.
 */
export function cachedSubscriptionDirectory(store: Pick<SubscriptionStore, 'active'>, options: { readonly ttlMs: number; readonly now: () => Date }): SubscriptionDirectory {
  let held: { readonly value: readonly StoredSubscription[]; readonly until: number } | undefined;
  let reading: Promise<readonly StoredSubscription[]> | undefined;
  /** Counts invalidations, so that a read started before one is not kept. */
  let generation = 0;
  return {
    active() {
      const now = options.now();
      if (held !== undefined && now.getTime() < held.until) return Promise.resolve(held.value.filter((s) => isLive(s, now)));
      reading ??= (async () => {
        const startedIn = generation;
        try {
          const value = await store.active(now);
          if (startedIn === generation) held = { value, until: now.getTime() + options.ttlMs };
          return value;
        } finally {
          if (startedIn === generation) reading = undefined;
        }
      })();
      return reading;
    },
    invalidate() {
      generation++;
      held = undefined;
      reading = undefined;
    },
  };
}
