import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InputError, PontError, QueueError } from '../../src/errors/errors.js';
import { jobQueue, type RunningWorker, safeJobId, startWorker, unrecoverableIfFinal } from '../../src/queue/job-queue.js';
import { connectRedis } from '../../src/queue/redis.js';
import { clearPrefix, testRedisUrl } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';

describe('the job queue on a real Redis', () => {
  let connection: Redis;
  let prefix: string;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    connection = await connectRedis(testRedisUrl());
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    // Leave nothing behind in a shared Redis.
    await clearPrefix(connection, prefix);
  });
  afterAll(async () => {
    connection.disconnect();
  });

  /** A connection of its own for a worker (BullMQ blocks on it), closed after the test. */
  const own = () => {
    const c = connection.duplicate();
    closers.unshift(async () => c.disconnect());
    return c;
  };

  const fresh = () => {
    prefix = `pont-test-${randomUUID()}`;
    return prefix;
  };

  it('runs a job added twice under one id once', async () => {
    const p = fresh();
    const seen: string[] = [];
    const queue = jobQueue<{ n: number }>('process', { connection, prefix: p });
    closers.push(() => queue.close());
    await queue.add('message-1', { n: 1 });
    await queue.add('message-1', { n: 2 });
    await queue.add('message-2', { n: 3 });
    const worker: RunningWorker = startWorker<{ n: number }>(
      'process',
      async (data, job) => {
        seen.push(`${job.id}:${data.n}`);
      },
      { connection: own(), prefix: p },
    );
    closers.push(() => worker.close());
    await waitFor(() => seen.length >= 2, 15_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.sort()).toEqual(['message-1:1', 'message-2:3']);
  });

  it('runs again a job finished before, and replaces one whose keys were lost in part, when its work is asked for again', async () => {
    const p = fresh();
    const seen: string[] = [];
    const queue = jobQueue<{ messageId: string }>('process', { connection, prefix: p });
    closers.push(() => queue.close());
    const worker = startWorker<{ messageId: string }>('process', async (data) => void seen.push(String(data.messageId)), { connection: own(), prefix: p });
    closers.push(() => worker.close());
    // Finished, as BullMQ records it: the processor has returned and the job is in the completed set.
    // (Asked for while still active, the work is the active run's: that add is rightly swallowed.)
    const finished = async () => (await connection.zscore(`${p}:process:completed`, 'm-1')) !== null;
    await queue.add('m-1', { messageId: 'm-1' });
    await waitFor(async () => seen.length === 1 && (await finished()));
    // Asked again (a replay, or a retry that raced the store): the finished job runs again.
    await queue.add('m-1', { messageId: 'm-1' });
    await waitFor(async () => seen.length === 2 && (await finished()));
    // Redis lost part of the job's keys (its data), as eviction or a restart mid-write leaves it.
    await connection.hdel(`${p}:process:m-1`, 'data');
    await queue.add('m-1', { messageId: 'm-1' });
    await waitFor(() => seen.length === 3);
    expect(seen).toEqual(['m-1', 'm-1', 'm-1']);
  });

  it('keeps a waiting job that lacks only context (a correlation id) when the same work is asked for with it, and counts jobs by state', async () => {
    const p = fresh();
    const queue = jobQueue<{ messageId: string; requestId?: string }>('process', { connection, prefix: p });
    closers.push(() => queue.close());
    await queue.add('m-2', { messageId: 'm-2' });
    await queue.add('m-2', { messageId: 'm-2', requestId: 'r-1' });
    const depths = await queue.depths();
    expect(depths.find((d) => d.state === 'waiting')).toEqual({ queue: 'process', state: 'waiting', count: 1 });
    expect(depths.filter((d) => d.state !== 'waiting').every((d) => d.count === 0)).toBe(true);
    const [data] = (await connection.hmget(`${p}:process:m-2`, 'data')) as [string];
    expect(JSON.parse(data)).toEqual({ messageId: 'm-2' });
  });

  it('retries a failure that may pass, and fails at once one that cannot', async () => {
    const p = fresh();
    const attempts = new Map<string, number>();
    const queue = jobQueue<{ kind: string }>('process', { connection, prefix: p }, { attempts: 3, backoffMs: 10 });
    closers.push(() => queue.close());
    const worker = startWorker<{ kind: string }>(
      'process',
      async (data, job) => {
        attempts.set(data.kind, job.attempt);
        if (data.kind === 'transient' && job.attempt < 3) throw new Error('connection reset');
        if (data.kind === 'bad-input') throw new InputError('INPUT_INVALID', 'the input is not a CTP record');
      },
      { connection: own(), prefix: p },
    );
    closers.push(() => worker.close());
    await queue.add('t', { kind: 'transient' });
    await queue.add('b', { kind: 'bad-input' });
    await waitFor(() => attempts.get('transient') === 3 && attempts.has('bad-input'), 15_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts.get('transient')).toBe(3);
    expect(attempts.get('bad-input')).toBe(1);
  });

  it('lets an active job finish when the worker is closed', async () => {
    const p = fresh();
    let finished = false;
    let started = false;
    const queue = jobQueue<object>('process', { connection, prefix: p });
    closers.push(() => queue.close());
    const worker = startWorker<object>(
      'process',
      async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 300));
        finished = true;
      },
      { connection: own(), prefix: p },
    );
    await queue.add('slow', {});
    await waitFor(() => started, 15_000);
    await worker.close();
    expect(finished).toBe(true);
  });

  it('makes job ids BullMQ accepts from person keys', () => {
    expect(safeJobId('nhs:9434765919')).toBe('nhs_9434765919');
  });
});

describe('a Redis that does not answer', () => {
  it('is one line saying where and how to start one', async () => {
    const error = await connectRedis('redis://:secret-pw@127.0.0.1:1', 500).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueError);
    const e = error as QueueError;
    expect(e.code).toBe('QUEUE_UNAVAILABLE');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('127.0.0.1:1');
    expect(e.message).toContain('redis-server');
    expect(e.message).not.toContain('secret-pw');
    expect(e.message).not.toContain('\n');
  });
});

describe('final errors from another copy of the errors module', () => {
  it('are final for the queue too, while retryable ones and foreign errors stay retryable', async () => {
    const secondCopy = '../../src/errors/errors.js?second-copy'; // the query makes the runner load the module again
    const copy = (await import(secondCopy)) as typeof import('../../src/errors/errors.js');
    const foreignFinal = new copy.InputError('INPUT_INVALID', 'the input is not a CTP record');
    expect(foreignFinal instanceof InputError).toBe(false); // a second module graph, as a test runner or bundle can make
    expect(foreignFinal instanceof PontError).toBe(true); // pont's errors are known by their brand
    expect(new Error('x') instanceof PontError).toBe(false);
    expect(unrecoverableIfFinal(foreignFinal)).toBeInstanceOf(UnrecoverableError);
    expect((unrecoverableIfFinal(foreignFinal) as Error).message).toMatch(/^INPUT_INVALID: /);
    const retryable = new copy.QueueError('QUEUE_UNAVAILABLE', 'the queue cannot be reached', true);
    expect(unrecoverableIfFinal(retryable)).toBe(retryable);
    const plain = Object.assign(new Error('x'), { retryable: false });
    expect(unrecoverableIfFinal(plain)).toBe(plain);
  });
});
