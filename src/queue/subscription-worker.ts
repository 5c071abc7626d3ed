/**
 * The deliveries of every Subscription on one BullMQ queue (subscriptions come and go over the
 * API; a queue each would outlive them). The worker looks the subscription up for each job: a
 * deleted one's delivery is superseded, a paused (`off`), ended or failed (`error`) one's held,
 * with the reason, rather than sent. A delivery that fails for good is a dead letter as any other,
 * and turns its subscription to `error` with the failure's code: that subscription stops, the
 * rest of the sync does not.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { type Job, Worker } from 'bullmq';
import type { DeliverJob } from '../app/deliver.js';
import { prepareForSubscription } from '../app/subscription-plan.js';
import type { Clock } from '../ports/clock.js';
import type { DeliveryLedger, TargetClient } from '../ports/delivery.js';
import type { Observers } from '../ports/metrics.js';
import type { RecentBundles } from '../ports/recent-checks.js';
import { isLive, type StoredSubscription, type SubscriptionStore, subscriptionIdOf } from '../ports/subscriptions.js';
import { addDeliverJob, type DeliverJobContext, type DeliveryQueueOptions, deadLetter, deliverQueue, deliverWorkerOptions, processDeliverJob } from './deliver-worker.js';
import { whenFailedForGood } from './job-queue.js';
import { SUBSCRIPTION_QUEUE } from './queues.js';

export interface SubscriptionDeliveryDeps {
  readonly ledger: DeliveryLedger;
  readonly subscriptions: SubscriptionStore;
  /** The client of a subscription's channel (rest-hook). */
  readonly client: (subscription: StoredSubscription) => TargetClient;
  readonly clock: Clock;
  readonly leaseMs: number;
  /** Bundles just stored, by delivery id (DeliverDeps.bundles). */
  readonly bundles?: RecentBundles;
  /** Told when the worker changes a subscription (ended, or turned to error). */
  readonly changed?: () => void;
  /** Where each attempt's outcome is logged and counted (as the target `subscription`). */
  readonly observers: Observers;
}

export interface SubscriptionQueueOptions extends DeliveryQueueOptions {
  /** Attempts of one delivery in all before it is a dead letter and its subscription turns to error. */
  readonly attempts: number;
  /** Subscription deliveries in flight at once, all subscriptions together. */
  readonly concurrency: number;
}

export interface SubscriptionDeliveries {
  enqueue(job: DeliverJob): Promise<void>;
  /** Starts the worker (on its own connection, as BullMQ workers block on theirs). */
  start(workerConnection: DeliveryQueueOptions['connection']): void;
  close(): Promise<void>;
}

export function subscriptionDeliveries(deps: SubscriptionDeliveryDeps, options: SubscriptionQueueOptions): SubscriptionDeliveries {
  const queue = deliverQueue(SUBSCRIPTION_QUEUE, options.attempts, options);
  let worker: Worker<DeliverJob> | undefined;
  const context: DeliverJobContext = { ...deps.observers, queue: SUBSCRIPTION_QUEUE, target: 'subscription' };

  async function run(job: Job<DeliverJob>, token: string | undefined): Promise<void> {
    const { deliveryId, targetId } = job.data;
    const id = subscriptionIdOf(targetId);
    const subscription = id === undefined ? undefined : await deps.subscriptions.get(id);
    const now = deps.clock.now();
    if (subscription === undefined) return deps.subscriptions.setAside(deliveryId, 'superseded', 'subscription-deleted', now);
    if (!isLive(subscription, now)) {
      // R4: the server turns a subscription off at its end.
      if (subscription.status === 'active') {
        await deps.subscriptions.setStatus(subscription.id, 'off', now);
        deps.changed?.();
      }
      return deps.subscriptions.setAside(deliveryId, 'held', subscription.status === 'error' ? 'subscription-error' : 'subscription-off', now);
    }
    const client = deps.client(subscription);
    try {
      const deliverDeps = {
        ledger: deps.ledger,
        clients: new Map([[targetId, client]]),
        prepare: (_: string, bundle: Bundle) => prepareForSubscription(subscription, bundle),
        clock: deps.clock,
        leaseMs: deps.leaseMs,
        ...(deps.bundles === undefined ? {} : { bundles: deps.bundles }),
      };
      await processDeliverJob(deliverDeps, job, token, options.backoffMs, context);
    } finally {
      await client.close();
    }
  }

  return {
    enqueue: (job) => addDeliverJob(queue, job),
    start(workerConnection) {
      if (worker !== undefined) return;
      const w = new Worker<DeliverJob>(SUBSCRIPTION_QUEUE, run, deliverWorkerOptions({ ...options, connection: workerConnection }, { concurrency: options.concurrency }));
      w.on('error', () => {}); // connection errors: BullMQ reconnects; deliveries are retried or reconciled
      whenFailedForGood<DeliverJob>(w, async (failed) => {
        await deadLetter(deps, failed, context);
        const at = deps.clock.now();
        const id = subscriptionIdOf(failed.data.targetId);
        if (id !== undefined && (await deps.subscriptions.setStatus(id, 'error', at, failed.reason)) !== undefined) deps.changed?.();
      });
      worker = w;
    },
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}
