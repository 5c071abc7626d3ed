/**
 * BullMQ queues and workers for the sync pipeline. Jobs carry ids, never records: the store holds
 * the data, so a job lost or run twice costs nothing but time (the reconciler re-enqueues what the
 * store says is unfinished; job ids derived from content collapse duplicates).
 */
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { PontError } from '../errors/errors.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { QueueDepth } from '../ports/metrics.js';

export interface QueueOptions {
  readonly connection: Redis;
  /** Redis key prefix, so that several pont instances (or test runs) share one Redis. */
  readonly prefix?: string;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** The first retry's delay; each later one doubles, with jitter. */
  readonly backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, backoffMs: 1000 };

export interface CountedJobQueue<Data> extends JobQueue<Data> {
  /** Its jobs by state, as the metrics scrape reads them. */
  depths(): Promise<QueueDepth[]>;
}

export function jobQueue<Data extends object>(name: string, options: QueueOptions, retry: RetryPolicy = DEFAULT_RETRY): CountedJobQueue<Data> {
  const queue = new Queue(name, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: {
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs, jitter: 0.5 },
      // Kept a while so that a resend of the same id is recognised; the store is the lasting record.
      removeOnComplete: { age: 24 * 3600, count: 100_000 },
      removeOnFail: false,
    },
  });
  return {
    add: (jobId, data) => enqueue(queue, name, safeJobId(jobId), data),
    depths: () => depthsOf(queue),
    close: () => queue.close(),
  };
}

const COUNTED_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

/** A queue's jobs in the states that matter to an operator (completed ones are kept a while for duplicates, not counted). */
export async function depthsOf(queue: Queue): Promise<QueueDepth[]> {
  const counts = await queue.getJobCounts(...COUNTED_STATES);
  return COUNTED_STATES.map((state) => ({ queue: queue.name, state, count: counts[state] ?? 0 }));
}

/**
 * Adds the job for work the store holds as not done, under its id, so that asking twice queues it
 * once (ids name the work, so a job already held under the id is this work's). What Redis holds
 * under that id is checked first: a job whose data lacks the work's fields (its keys lost in part,
 * as when Redis evicts or loses keys while BullMQ writes) is replaced, since it could never run; a
 * finished one is run again (runAgainIfFinished).
 */
export async function enqueue<Data extends object>(queue: Queue, name: string, jobId: string, data: Data): Promise<void> {
  const held = await queue.getJob(jobId);
  if (held !== undefined && !hasFieldsOf(held.data, data)) await held.remove().catch(() => {});
  const added = await queue.add(name, data, { jobId });
  // Nothing was held under the id (the usual case): the job is new, or one added meanwhile by
  // another caller, which ran on a store that already held this work. Only a job held before can
  // be a finished one swallowing the add.
  if (held !== undefined) await runAgainIfFinished(added);
}

/** Fields that carry a job's context, not its work: a job without them still runs. */
const CONTEXT_FIELDS = new Set(['requestId']);

function hasFieldsOf(held: unknown, wanted: object): boolean {
  if (held === null || typeof held !== 'object') return false;
  return Object.keys(wanted).every((k) => CONTEXT_FIELDS.has(k) || (held as Record<string, unknown>)[k] !== undefined);
}

/**
 * A finished job is kept under its id, which would swallow an add of the same id. The store asks
 * for a job only for work it holds as not done (a replayed dead letter; a retry that raced the
 * store's own record of a failure), so a finished one is run again: if the work is in fact done,
 * that run finds so and does nothing.
 */
export async function runAgainIfFinished(job: Job): Promise<void> {
  const state = await job.getState();
  if (state !== 'failed' && state !== 'completed') return;
  try {
    await job.retry(state);
  } catch (err) {
    // Another caller moved it first (both asked for the same work): it runs once either way.
    if (!['waiting', 'active', 'delayed', 'prioritized', 'wait'].includes(await job.getState())) throw err;
  }
}

/** BullMQ refuses `:` in custom job ids. */
export function safeJobId(id: string): string {
  return id.replaceAll(':', '_');
}

export interface WorkerOptions extends QueueOptions {
  readonly concurrency?: number;
  /**
   * How long a job stays locked to its worker without the worker renewing the lock; a job whose
   * worker died (SIGKILL, a machine lost) can be taken over only after it. Default BullMQ's 30 s.
   */
  readonly lockDurationMs?: number;
  /** How often the worker looks for jobs whose lock lapsed and puts them back. Default BullMQ's 30 s. */
  readonly stalledIntervalMs?: number;
}

/** A job that failed for good: every attempt used, or a failure no retry can help. */
export interface FailedJob<Data> {
  readonly data: Data;
  readonly attempts: number;
  /** The error's code (a PontError's) or class name, never its text. */
  readonly reason: string;
}

export interface RunningWorker {
  /** Stops taking jobs and waits for the active ones to finish. */
  close(): Promise<void>;
}

/**
 * Runs `processor` on the queue's jobs. A PontError that says a retry cannot help (`retryable`
 * false: bad input, a configuration fault) fails the job at once; anything else is retried by the
 * queue's policy, and after the last attempt the job stays failed for the dead-letter handling.
 */
export function startWorker<Data>(
  name: string,
  processor: (data: Data, job: { id: string; attempt: number }) => Promise<void>,
  options: WorkerOptions,
  onFailedForGood?: (failed: FailedJob<Data>) => Promise<void>,
): RunningWorker {
  const worker = new Worker(
    name,
    async (job: Job) => {
      try {
        await processor(job.data as Data, { id: job.id ?? '', attempt: job.attemptsMade + 1 });
      } catch (err) {
        throw unrecoverableIfFinal(err);
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 1,
      autorun: true,
      ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
      ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
    },
  );
  worker.on('error', () => {}); // connection errors: BullMQ reconnects; jobs are retried or reconciled
  if (onFailedForGood) whenFailedForGood<Data>(worker, onFailedForGood);
  return { close: () => worker.close() };
}

/** A PontError that says no retry can help becomes BullMQ's UnrecoverableError (its code kept in front); anything else is retried. */
export function unrecoverableIfFinal(err: unknown): unknown {
  return err instanceof PontError && !err.retryable ? new UnrecoverableError(`${err.code}: ${err.message}`) : err;
}

/**
 * Calls `handle` for each job of the worker that failed for good (every attempt used, or
 * unrecoverable). Not awaited by BullMQ: a store that cannot take it now leaves the work to the
 * reconciler.
 */
export function whenFailedForGood<Data>(worker: Worker, handle: (failed: FailedJob<Data>) => Promise<void>): void {
  worker.on('failed', (job, err) => {
    if (!job) return;
    const forGood = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (forGood) handle({ data: job.data as Data, attempts: job.attemptsMade, reason: reasonOf(err) }).catch(() => {});
  });
}

/** A failure's code: a PontError's (its own, or kept in front of the UnrecoverableError's text it became), or the error's class name. */
function reasonOf(err: Error): string {
  if (err instanceof PontError) return err.code;
  const code = /^([A-Z][A-Z0-9_]{1,40}): /.exec(err.message)?.[1];
  if ((err instanceof UnrecoverableError || err.name === 'UnrecoverableError') && code) return code;
  return /^[A-Za-z][A-Za-z0-9_]{0,40}$/.test(err.name) ? err.name : 'Error';
}
