/**
 * `pont worker` as real processes on a real PostgreSQL and Redis: a worker killed with SIGKILL in
 * the middle of its jobs loses nothing and duplicates nothing once another takes over (BullMQ's
 * stalled-job check and the reconciler), and SIGTERM lets the active jobs finish.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inThreadCheck } from '../../src/app/message-check.js';
import { ingest, type SyncDeps } from '../../src/app/sync.js';
import { jobQueue } from '../../src/queue/job-queue.js';
import { PROCESS_QUEUE } from '../../src/queue/queues.js';
import { connectRedis } from '../../src/queue/redis.js';
import { messageStore } from '../../src/store/messages.js';
import { migrate } from '../../src/store/migrations.js';
import { pontBuild } from '../helpers/build.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { generateRecords } from '../helpers/generate.js';
import { clearPrefix, testRedisUrl } from '../helpers/redis.js';
import { testRuntime } from '../helpers/runtime.js';
import { until, waitFor } from '../helpers/wait.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

/** Records per message: enough work per job that jobs are caught in the middle. */
const RECORDS = 6;
/** The lock and stalled-job interval the workers run with, short so the test is. */
const STALLED_MS = 1000;

describe('pont worker processes', () => {
  const core = testRuntime();
  const prefix = `pont-test-${randomUUID()}`;
  const started: WorkerProcess[] = [];
  let t: TestDatabase;
  let redis: Redis;
  let deps: SyncDeps;
  let inspect: Queue;
  let people = 0;

  /** Starts `pont worker` on the test's database and queue prefix. */
  async function startWorker(): Promise<WorkerProcess> {
    const worker = await startWorkerProcess(
      ['--threads', '1', '--concurrency', '4', '--stalled-ms', String(STALLED_MS)],
      {
        DATABASE_URL: t.url,
        REDIS_URL: testRedisUrl(),
        PONT_QUEUE_PREFIX: prefix,
      },
      (await pontBuild()).main, // compiled: tsx would compile the sources again in each worker and its thread
    );
    started.push(worker);
    return worker;
  }

  /** Ingests `count` messages of RECORDS people each (no one in two messages); returns their ids. */
  async function ingestMessages(count: number): Promise<string[]> {
    const records = generateRecords(people + count * RECORDS).slice(people);
    people += count * RECORDS;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const payload = new TextEncoder().encode(JSON.stringify(records.slice(i * RECORDS, (i + 1) * RECORDS)));
      const result = await ingest(deps, { source: 'epr-a', format: 'ctp', payload });
      if (!result.accepted) throw new Error(`message ${i} refused`);
      ids.push(result.id);
    }
    return ids;
  }

  const stages = async (ids: readonly string[]) =>
    (await t.db.query<{ id: string; stage: string }>('select id, stage from pont_message where id = any($1::uuid[])', [ids])).rows.map((r) => r.stage);

  beforeAll(async () => {
    t = await testDatabase('postgres');
    await migrate(t.db);
    redis = await connectRedis(testRedisUrl());
    deps = {
      check: inThreadCheck(core.check),
      sources: core.sources,
      clock: core.clock,
      messages: messageStore(t.db),
      processQueue: jobQueue(PROCESS_QUEUE, { connection: redis, prefix }),
    };
    inspect = new Queue(PROCESS_QUEUE, { connection: redis, prefix });
  }, 60_000);

  afterAll(async () => {
    for (const w of started) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(started.map((w) => w.exited));
    await inspect?.close();
    await deps?.processQueue.close();
    if (redis) await clearPrefix(redis, prefix);
    redis?.disconnect();
    await t?.dispose();
  });

  it('loses nothing and duplicates nothing when a worker is killed with SIGKILL mid-job and another takes over', async () => {
    const ids = await ingestMessages(16);
    const first = await startWorker();
    // Killed while it holds jobs: some done, some active.
    await until(
      async () => ({ done: (await stages(ids)).filter((s) => s === 'processed').length, active: await inspect.getActiveCount() }),
      (n) => n.done >= 1 && n.active >= 1,
      60_000,
      10,
    );
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect((await stages(ids)).filter((s) => s === 'processed').length).toBeLessThan(ids.length);
    expect(await inspect.getActiveCount()).toBeGreaterThanOrEqual(1); // left locked by the dead worker

    await startWorker();
    await waitFor(async () => (await stages(ids)).every((s) => s === 'processed'), 120_000);
    // Exactly once: each message's people stored once, one 'processed' stage each, no dead letter.
    const versions = await t.db.query<{ message_id: string; n: string }>(
      'select message_id, count(*) as n from pont_record_version where message_id = any($1::uuid[]) group by message_id',
      [ids],
    );
    expect(versions.rows.map((r) => [r.message_id, Number(r.n)]).sort()).toEqual(ids.map((id) => [id, RECORDS]).sort());
    const processed = await t.db.query<{ n: string }>("select count(*) as n from pont_message_stage where stage = 'processed' and message_id = any($1::uuid[])", [ids]);
    expect(Number(processed.rows[0]!.n)).toBe(ids.length);
    expect((await t.db.query('select 1 from pont_dead_letter')).rows).toHaveLength(0);
    // Two worker processes start, each building its core, and the second waits out the first's locks.
  }, 180_000);

  it('finishes its active jobs on SIGTERM, then exits cleanly', async () => {
    const worker = started.at(-1)!;
    const ingesting = ingestMessages(12);
    const active = await until(
      () => inspect.getActive(),
      (jobs) => jobs.length >= 1,
      60_000,
      10,
    );
    worker.child.kill('SIGTERM');
    const ids = await ingesting;
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.stderr()).toContain('SIGTERM: stopping');
    // The jobs active at SIGTERM were finished, none is left active, and no job or message is half done.
    expect(await inspect.getActiveCount()).toBe(0);
    const finished = await stages(active.map((job) => job.data.messageId as string));
    expect(finished).toEqual(active.map(() => 'processed'));
    for (const id of ids) {
      const [stage] = await stages([id]);
      const state = await (await inspect.getJob(id))!.getState();
      expect({ stage, state }).toEqual(stage === 'processed' ? { stage, state: 'completed' } : { stage: 'received', state: 'waiting' });
    }
  }, 120_000);
});
