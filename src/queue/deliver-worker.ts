/**
 * Delivery queues: one BullMQ queue per target, so that each target has its own concurrency,
 * rate limit and backoff, and a target that is down holds up only its own deliveries. Jobs carry
 * the delivery's id; the store holds the rest. A target's own "later" (Retry-After, an open
 * circuit) and a person's delivery already in flight wait without using up an attempt; a refusal
 * no retry can help, or the last attempt, makes a dead letter.
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, type Job, Queue, Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { type DeliverDeps, type DeliverJob, deliver } from '../app/deliver.js';
import { DeliveryError } from '../errors/errors.js';
import { enqueue, safeJobId, unrecoverableIfFinal, whenFailedForGood } from './job-queue.js';
import { DELIVER_QUEUE } from './queues.js';

export interface TargetLimits {
  readonly concurrency: number;
  readonly perSecond?: number;
  readonly attempts: number;
}

export interface DeliveryQueueOptions {
  readonly connection: Redis;
  readonly prefix?: string;
  /** The first retry's delay; each later one doubles, with jitter, unless the target said when. */
  readonly backoffMs: number;
  /** How long a job's lock lasts without renewal, and how often dead workers' jobs are looked for. @defaultValue BullMQ's 30 s */
  readonly stalledMs?: number;
}

export const deliverQueueName = (targetId: string): string => `${DELIVER_QUEUE}-${targetId}`;
const deliverJobId = (deliveryId: string): string => safeJobId(`delivery-${deliveryId}`);
const BACKOFF = 'pont-delivery';

export interface DeliveryQueues {
  enqueue(job: DeliverJob): Promise<void>;
  close(): Promise<void>;
}

/** The targets' queues, for adding deliveries (the process stage and the reconciler). */
export function deliveryQueues(targets: ReadonlyMap<string, TargetLimits>, options: DeliveryQueueOptions): DeliveryQueues {
  const queues = new Map([...targets].map(([id, limits]) => [id, deliverQueue(deliverQueueName(id), limits.attempts, options)]));
  return {
    async enqueue(job) {
      const queue = queues.get(job.targetId);
      if (queue === undefined) return; // a target no longer configured: the delivery stays pending in the store
      await addDeliverJob(queue, job);
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}

/** A delivery queue: `attempts` in all, pont's backoff, finished jobs kept a while (duplicates collapse on their ids). */
export function deliverQueue(name: string, attempts: number, options: DeliveryQueueOptions): Queue {
  return new Queue(name, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: {
      attempts,
      backoff: { type: BACKOFF, delay: options.backoffMs },
      removeOnComplete: { age: 24 * 3600, count: 100_000 },
      removeOnFail: false,
    },
  });
}

/** Adds a delivery's job under an id made of the delivery's, so that asking twice queues it once. */
export function addDeliverJob(queue: Queue, job: DeliverJob): Promise<void> {
  return enqueue(queue, 'deliver', deliverJobId(job.deliveryId), { deliveryId: job.deliveryId, targetId: job.targetId });
}

export interface RunningDeliveryWorkers {
  close(): Promise<void>;
}

/** Runs each target's deliveries, at most `concurrency` at once and `perSecond` started a second. */
export function startDeliveryWorkers(deps: DeliverDeps, targets: ReadonlyMap<string, TargetLimits>, options: DeliveryQueueOptions): RunningDeliveryWorkers {
  const workers = [...targets].map(([id, limits]) => {
    const worker = new Worker<DeliverJob>(deliverQueueName(id), (job, token) => processDeliverJob(deps, job, token, options.backoffMs), deliverWorkerOptions(options, limits));
    worker.on('error', () => {}); // connection errors: BullMQ reconnects; deliveries are retried or reconciled
    whenFailedForGood<DeliverJob>(worker, (failed) =>
      deps.ledger.deadLetter(failed.data.deliveryId, { queue: deliverQueueName(id), reason: failed.reason, attempts: failed.attempts, at: deps.clock.now() }),
    );
    return worker;
  });
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

/**
 * Runs one delivery job. The target's own "later" (an open circuit) and a person's delivery
 * already in flight wait without using up an attempt; a failure is retried by the queue, or fails
 * the job for good when no retry can help.
 */
export async function processDeliverJob(deps: DeliverDeps, job: Job<DeliverJob>, token: string | undefined, backoffMs: number): Promise<void> {
  const later = async (ms: number) => {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  };
  try {
    // One owner per run: a second run of the same job (its lock lost) waits instead of sending alongside.
    const result = await deliver(deps, job.data, `deliver:${job.id ?? job.data.deliveryId}:${token ?? randomUUID()}`);
    // Looked at again soon rather than when the other's lease would run out: it usually finishes long before.
    if (result.kind === 'busy') await later(Math.min(result.retryAfterMs, Math.max(50, backoffMs)));
  } catch (err) {
    if (err instanceof DelayedError) throw err;
    if (err instanceof DeliveryError && err.code === 'DELIVERY_CIRCUIT_OPEN') await later(err.retryAfterMs ?? backoffMs);
    throw unrecoverableIfFinal(err);
  }
}

/** A delivery worker's BullMQ options: its limits, the stalled-job interval and pont's backoff. */
export function deliverWorkerOptions(options: DeliveryQueueOptions, limits: Pick<TargetLimits, 'concurrency' | 'perSecond'>): WorkerOptions {
  return {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: limits.concurrency,
    ...(options.stalledMs === undefined ? {} : { lockDuration: options.stalledMs, stalledInterval: options.stalledMs }),
    ...(limits.perSecond === undefined ? {} : { limiter: { max: limits.perSecond, duration: 1000 } }),
    settings: { backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) => backoff(attemptsMade, options.backoffMs, err) },
  };
}

/** The target's own word (Retry-After) when it gave one, else exponential with full jitter, capped at an hour. */
export function backoff(attemptsMade: number, baseMs: number, err?: Error): number {
  if (err instanceof DeliveryError && err.retryAfterMs !== undefined) return err.retryAfterMs;
  const ceiling = Math.min(3_600_000, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
