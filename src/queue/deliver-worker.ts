/**
 * Delivery queues: one BullMQ queue per target, so that each target has its own concurrency,
 * rate limit and backoff, and a target that is down holds up only its own deliveries. Jobs carry
 * the delivery's id; the store holds the rest. A target's own "later" (Retry-After, an open
 * circuit) and a person's delivery already in flight wait without using up an attempt; a refusal
 * no retry can help, or the last attempt, makes a dead letter. Every attempt's outcome is logged
 * under the delivery's ids (job, delivery, target, request) and counted.
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, type Job, Queue, Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { type DeliverDeps, type DeliverJob, deliver } from '../app/deliver.js';
import { DeliveryError, PontError } from '../errors/errors.js';
import type { Observers, QueueDepth } from '../ports/metrics.js';
import { depthsOf, enqueue, safeJobId, unrecoverableIfFinal, whenFailedForGood } from './job-queue.js';
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
  /** Every target queue's jobs by state. */
  depths(): Promise<QueueDepth[]>;
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
    depths: async () => (await Promise.all([...queues.values()].map(depthsOf))).flat(),
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
  return enqueue(queue, 'deliver', deliverJobId(job.deliveryId), {
    deliveryId: job.deliveryId,
    targetId: job.targetId,
    ...(job.requestId === undefined ? {} : { requestId: job.requestId }),
  });
}

export interface RunningDeliveryWorkers {
  close(): Promise<void>;
}

/** Runs each target's deliveries, at most `concurrency` at once and `perSecond` started a second. */
export function startDeliveryWorkers(
  deps: DeliverDeps,
  targets: ReadonlyMap<string, TargetLimits>,
  options: DeliveryQueueOptions,
  observers: Observers,
): RunningDeliveryWorkers {
  const workers = [...targets].map(([id, limits]) => {
    const queue = deliverQueueName(id);
    const worker = new Worker<DeliverJob>(
      queue,
      (job, token) => processDeliverJob(deps, job, token, options.backoffMs, { ...observers, queue, target: id }),
      deliverWorkerOptions(options, limits),
    );
    worker.on('error', () => {}); // connection errors: BullMQ reconnects; deliveries are retried or reconciled
    whenFailedForGood<DeliverJob>(worker, (failed) => deadLetter(deps, failed, { ...observers, queue, target: id }));
    return worker;
  });
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

/** Where a delivery job runs, for its log lines and counts. */
export interface DeliverJobContext extends Observers {
  readonly queue: string;
  /** The target as counted in metrics (a target id, or `subscription` for every subscription). */
  readonly target: string;
}

const jobLog = (context: DeliverJobContext, data: DeliverJob, ids: Readonly<Record<string, unknown>>) =>
  context.log.child({
    queue: context.queue,
    deliveryId: data.deliveryId,
    targetId: data.targetId,
    ...(data.requestId === undefined ? {} : { requestId: data.requestId }),
    ...ids,
  });

/**
 * Runs one delivery job. The target's own "later" (an open circuit) and a person's delivery
 * already in flight wait without using up an attempt; a failure is retried by the queue, or fails
 * the job for good when no retry can help.
 */
export async function processDeliverJob(deps: DeliverDeps, job: Job<DeliverJob>, token: string | undefined, backoffMs: number, context: DeliverJobContext): Promise<void> {
  const { metrics } = context;
  const l = jobLog(context, job.data, { jobId: job.id, attempt: job.attemptsMade + 1 });
  const later = async (ms: number) => {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  };
  try {
    // One owner per run: a second run of the same job (its lock lost) waits instead of sending alongside.
    const result = await deliver(deps, job.data, `deliver:${job.id ?? job.data.deliveryId}:${token ?? randomUUID()}`);
    if (result.kind === 'delivered') {
      const latencyMs = deps.clock.now().getTime() - result.plannedAt.getTime();
      const { mode, requests, resources } = result.receipt;
      // A job the reconciler re-enqueued has no correlation id of its own: the message's is named here.
      const ids = job.data.requestId === undefined && result.requestId !== undefined ? { requestId: result.requestId } : {};
      l.info({ ...ids, status: 'delivered', mode, requests, resources: resources.length, latencyMs }, 'delivered');
      metrics.delivery(context.target, 'delivered', latencyMs);
    } else if (result.kind === 'done') {
      l.info({ status: result.status }, `nothing to send: ${result.status}`);
      metrics.delivery(context.target, result.status);
    } else {
      l.debug({ status: 'busy' }, 'another delivery for the person is in flight: later');
      // Looked at again soon rather than when the other's lease would run out: it usually finishes long before.
      await later(Math.min(result.retryAfterMs, Math.max(50, backoffMs)));
    }
  } catch (err) {
    if (err instanceof DelayedError) throw err;
    const code = err instanceof PontError ? err.code : 'INTERNAL';
    if (err instanceof DeliveryError && err.code === 'DELIVERY_CIRCUIT_OPEN') {
      l.info({ status: 'deferred', code }, 'target circuit open: later');
      metrics.delivery(context.target, 'deferred');
      await later(err.retryAfterMs ?? backoffMs);
    }
    l.warn({ status: 'failed', code, err }, 'delivery failed');
    metrics.delivery(context.target, 'failed');
    throw unrecoverableIfFinal(err);
  }
}

/** A delivery whose job failed for good: a dead letter in the ledger, logged and counted. */
export async function deadLetter(
  deps: Pick<DeliverDeps, 'ledger' | 'clock'>,
  failed: { readonly data: DeliverJob; readonly reason: string; readonly attempts: number },
  context: DeliverJobContext,
): Promise<void> {
  await deps.ledger.deadLetter(failed.data.deliveryId, { queue: context.queue, reason: failed.reason, attempts: failed.attempts, at: deps.clock.now() });
  jobLog(context, failed.data, {}).error({ status: 'dead', reason: failed.reason, attempts: failed.attempts }, 'delivery dead-lettered');
  context.metrics.deadLetter(context.queue, failed.reason);
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
