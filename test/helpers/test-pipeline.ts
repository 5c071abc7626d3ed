/**
 * The sync pipeline as end-to-end tests run it: real PostgreSQL (a fresh database) and Redis
 * (a prefix of its own), checks in the main thread, fast retries and reconciling; with a way to
 * wait until it has settled, which says what was still unfinished when it times out.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SyncConfig } from '../../src/config/sync-config.schema.js';
import { systemClock } from '../../src/ports/clock.js';
import { subscriptionIdOf } from '../../src/ports/subscriptions.js';
import { deliverQueueName } from '../../src/queue/deliver-worker.js';
import { SUBSCRIPTION_QUEUE } from '../../src/queue/queues.js';
import { connectRedis } from '../../src/queue/redis.js';
import type { ServiceConfig } from '../../src/service/start-service.js';
import { type PipelineConfig, type RunningPipeline, startPipeline } from '../../src/service/sync-pipeline.js';
import { type TestDatabase, testDatabase } from './databases.js';
import { clearPrefix, testRedisUrl } from './redis.js';
import { ROOT, testRuntime } from './runtime.js';
import { pipelineSettled } from './settled.js';

export interface TestPipeline {
  readonly t: TestDatabase;
  readonly redis: Redis;
  readonly prefix: string;
  readonly pipeline: RunningPipeline;
  /** The `n` of a `select count(*) as n …`. */
  count(sql: string, params?: unknown[]): Promise<number>;
  /** Resolves once every message is processed and every delivery finished (delivered, held, superseded or dead). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** The pipeline's settings as the sync tests run it: the test's database and queue prefix, checks in this thread, quick retries and reconciliation. */
export function testPipelineConfig(t: TestDatabase, prefix: string, sync: SyncConfig, overrides: Partial<PipelineConfig> = {}): PipelineConfig {
  return {
    store: { databaseUrl: t.url!, dataDir: '/nonexistent' },
    redisUrl: testRedisUrl(),
    queuePrefix: prefix,
    concurrency: 2,
    reconcileEveryMs: 300,
    checkThreads: 0,
    configDir: ROOT,
    sync,
    env: () => undefined,
    deliveryBackoffMs: 100,
    ...overrides,
  };
}

/** `pont serve`'s settings for a test: the pipeline's (testPipelineConfig) and the HTTP edge on 127.0.0.1, any free port. */
export function testServiceConfig(t: TestDatabase, prefix: string, sync: SyncConfig, overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  return { ...testPipelineConfig(t, prefix, sync), host: '127.0.0.1', port: 0, maxBytes: 8 << 20, ...overrides };
}

export async function startTestPipeline(sync: SyncConfig, overrides: Partial<PipelineConfig> = {}): Promise<TestPipeline> {
  const t = await testDatabase('postgres');
  const redis = await connectRedis(testRedisUrl());
  const prefix = `pont-test-${randomUUID()}`;
  const core = testRuntime();
  const pipeline = await startPipeline(() => core, systemClock(), testPipelineConfig(t, prefix, sync, overrides));
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query<{ n: string }>(sql, params)).rows[0]!.n);
  const unfinished = async () => {
    const stages = (await t.db.query('select stage, count(*) as n from pont_message group by stage')).rows;
    const deliveries = (await t.db.query('select target_id, status, attempts, count(*) as n from pont_delivery group by 1,2,3')).rows;
    const leases = (await t.db.query('select target_id, lease_owner, lease_until from pont_target_person where lease_owner is not null')).rows;
    const pending = (await t.db.query<{ id: string; target_id: string }>("select id, target_id from pont_delivery where status = 'pending'")).rows;
    const jobs = await Promise.all(
      pending.map(async (d) => {
        const q = new Queue(subscriptionIdOf(d.target_id) === undefined ? deliverQueueName(d.target_id) : SUBSCRIPTION_QUEUE, { connection: redis, prefix });
        const job = await q.getJob(`delivery-${d.id}`);
        const state = job ? { state: await job.getState(), delay: job.delay, made: job.attemptsMade, reason: job.failedReason } : 'no job';
        await q.close();
        return { id: d.id, ...(typeof state === 'string' ? { state } : state) };
      }),
    );
    return { stages, deliveries, leases, jobs };
  };
  return {
    t,
    redis,
    prefix,
    pipeline,
    count,
    settled: () =>
      pipelineSettled(t.db).catch(async (err) => {
        throw new Error(`not settled: ${JSON.stringify(await unfinished())}`, { cause: err });
      }),
    async stop() {
      await pipeline.stop();
      await clearPrefix(redis, prefix);
      redis.disconnect();
      await t.dispose();
    },
  };
}
