/**
 * Ingest → store → queue → process, with the real core, a real PostgreSQL and a real Redis: what
 * is accepted is stored before it is queued, what is malformed never reaches either, and running
 * anything twice changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inThreadCheck } from '../../src/app/message-check.js';
import { reconcile } from '../../src/app/reconcile.js';
import { ingest, processMessage, type SyncDeps } from '../../src/app/sync.js';
import { EngineError } from '../../src/errors/errors.js';
import type { JobQueue } from '../../src/ports/job-queue.js';
import { uncountedMetrics } from '../../src/ports/metrics.js';
import { recentChecks } from '../../src/ports/recent-checks.js';
import { jobQueue, type RunningWorker } from '../../src/queue/job-queue.js';
import { startProcessWorker } from '../../src/queue/process-worker.js';
import { PROCESS_QUEUE } from '../../src/queue/queues.js';
import { connectRedis } from '../../src/queue/redis.js';
import { personKey } from '../../src/record/person-key.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { messageStore } from '../../src/store/messages.js';
import { migrate } from '../../src/store/migrations.js';
import { sqlRecordStore } from '../../src/store/record-store.js';
import { capturedLog, quietObservers } from '../helpers/captured-log.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { clearPrefix, testRedisUrl } from '../helpers/redis.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

const example = (name: string) => readFileSync(join(ROOT, 'examples', name));

describe('the sync pipeline on PostgreSQL and Redis', () => {
  const core = testRuntime();
  let t: TestDatabase;
  let redis: Redis;
  let prefix: string;
  let queue: JobQueue<{ messageId: string }>;
  let deps: SyncDeps;
  let worker: RunningWorker | undefined;
  let workerConnection: Redis | undefined;
  /** What the worker started below logs. */
  const workerLog = capturedLog();
  const count = async (table: string) => Number((await t.db.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n);

  beforeAll(async () => {
    t = await testDatabase('postgres');
    await migrate(t.db);
    redis = await connectRedis(testRedisUrl());
    prefix = `pont-test-${randomUUID()}`;
    queue = jobQueue(PROCESS_QUEUE, { connection: redis, prefix }, { attempts: 2, backoffMs: 10 });
    deps = { check: inThreadCheck(core.check), sources: core.sources, clock: core.clock, messages: messageStore(t.db), processQueue: queue };
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    workerConnection?.disconnect();
    await queue?.close();
    await clearPrefix(redis, prefix);
    redis?.disconnect();
    await t?.dispose();
  });

  it('refuses malformed input with every problem named, storing and queueing nothing', async () => {
    const before = await count('pont_message');
    const cases = [
      { format: 'ctp', payload: new TextEncoder().encode('{"schemaVersion": ') },
      { format: 'ctp', payload: new Uint8Array([0x7b, 0xff, 0x7d]) },
      { format: 'ctp', payload: new TextEncoder().encode('{"schemaVersion":"1.0"}') },
      { format: 'hl7v2', payload: example('ctp/adult-all-eight-areas.json') },
    ];
    for (const c of cases) {
      const result = await ingest(deps, { source: 'epr-a', ...c });
      expect(result.accepted, c.format).toBe(false);
      if (!result.accepted) expect(result.issues.length).toBeGreaterThan(0);
    }
    expect(await count('pont_message')).toBe(before);
    const inspect = new Queue(PROCESS_QUEUE, { connection: redis, prefix });
    const counts = await inspect.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
    await inspect.close();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('stores an accepted message, processes it once, and takes a resend as the same message', async () => {
    workerConnection = redis.duplicate();
    worker = startProcessWorker(deps, { connection: workerConnection, prefix }, { log: workerLog.log, metrics: uncountedMetrics() });
    const payload = example('ctp/adult-all-eight-areas.json');
    const first = await ingest(deps, { source: 'epr-a', format: 'ctp', payload });
    expect(first).toMatchObject({ accepted: true, duplicate: false, queued: true });
    const id = (first as { id: string }).id;
    await waitFor(async () => (await deps.messages.get(id))?.stage === 'processed');
    const again = await ingest(deps, { source: 'epr-a', format: 'ctp', payload });
    expect(again).toMatchObject({ accepted: true, duplicate: true, id });
    await processMessage(deps, id); // a retried job: changes nothing
    const versions = await t.db.query<{ message_id: string }>('select message_id from pont_record_version where message_id = $1', [id]);
    expect(versions.rows).toHaveLength(1);
    const record = JSON.parse(payload.toString('utf8')) as CtpRecord;
    const stored = await sqlRecordStore(t.db).latest(personKey(record));
    expect(stored?.source).toEqual(record.source);
    // The version's compliance findings are kept with it: those `pont check --as-of extracted` gives.
    const expected = core.check([{ origin: 'x', source: 'ctp', text: payload.toString('utf8') }], { asOf: 'extracted' }).results[0]!.evaluation!.findings;
    const findings = await t.db.query<{ rule_id: string; check_id: string; result: string; subject: string | null }>(
      'select f.rule_id, f.check_id, f.result, f.subject from pont_finding f join pont_record_version v on v.id = f.record_version_id where v.message_id = $1',
      [id],
    );
    const key = (rule: string, check: string, result: string, subject: string | null | undefined) => `${rule}/${check}:${result} ${subject ?? '-'}`;
    expect(findings.rows.map((f) => key(f.rule_id, f.check_id, f.result, f.subject)).sort()).toEqual(expected.map((f) => key(f.ruleId, f.check, f.result, f.subject)).sort());
    expect(expected.some((f) => f.subject !== undefined)).toBe(true); // the example has findings about one recipient or item of several
    const history = await deps.messages.history(id);
    expect(Object.values(history!.findings).reduce((a, b) => a + b, 0)).toBe(expected.length);
  });

  it('processes a message its own ingest checked without checking it again, storing the same outcome, whatever the rules found', async () => {
    let checks = 0;
    const counted: SyncDeps = {
      ...deps,
      check: async (input, options) => {
        checks++;
        return deps.check(input, options);
      },
      recentChecks: recentChecks({ capacity: 8, maxAgeMs: 60_000, now: () => 0 }),
    };
    // Every example, including those whose plans break the Measure's rules: findings never refuse a message.
    const files = readdirSync(join(ROOT, 'examples/ctp')).map((f) => `ctp/${f}`);
    for (const file of files) {
      const text = example(file).toString('utf8');
      checks = 0;
      const accepted = await ingest(counted, { source: 'epr-memo', format: 'ctp', payload: new TextEncoder().encode(text) });
      expect(accepted.accepted, file).toBe(true);
      const id = (accepted as { id: string }).id;
      await processMessage(counted, id);
      expect(checks, file).toBe(1);
      const stored = await t.db.query<{ bundle: unknown; record: unknown }>('select bundle, record from pont_record_version where message_id = $1', [id]);
      const fresh = core.check([{ origin: 'x', source: 'ctp', text }], { asOf: 'extracted' }).results[0]!;
      expect(stored.rows, file).toEqual([{ bundle: fresh.bundle, record: JSON.parse(text) }]);
      const findings = await t.db.query<{ n: string }>(
        'select count(*) as n from pont_finding f join pont_record_version v on v.id = f.record_version_id where v.message_id = $1',
        [id],
      );
      expect(Number(findings.rows[0]!.n), file).toBe(fresh.evaluation!.findings.length);
    }
    expect(files.some((f) => core.check([{ origin: 'x', source: 'ctp', text: example(f).toString('utf8') }], { asOf: 'extracted' }).failed)).toBe(true);
  });

  it('logs what each message came to under its ids, and under the correlation id stored with it when its job has none (re-enqueued)', async () => {
    const notQueued: JobQueue<{ messageId: string }> = { add: async () => {}, close: async () => {} };
    const accepted = await ingest(
      { ...deps, processQueue: notQueued },
      { source: 'epr-corr', format: 'ctp', payload: example('ctp/part3-self-referral.json'), requestId: 'corr-7' },
    );
    if (!accepted.accepted) throw new Error('refused');
    await deps.processQueue.add(accepted.id, { messageId: accepted.id });
    await waitFor(() => workerLog.lines().some((l) => l.messageId === accepted.id && l.msg === 'message processed'));
    expect(workerLog.lines().find((l) => l.messageId === accepted.id && l.msg === 'message processed')).toMatchObject({
      queue: PROCESS_QUEUE,
      jobId: accepted.id,
      attempt: 1,
      requestId: 'corr-7',
      stage: 'processed',
      records: 1,
      refused: 0,
      latencyMs: expect.any(Number),
    });
  });

  it('accepts while the queue is down and leaves the message for the reconciler, which hands it on', async () => {
    const down: JobQueue<{ messageId: string }> = {
      add: async () => {
        throw new Error('connection refused');
      },
      close: async () => {},
    };
    const payload = example('carepath-json/plan-not-agreed.json');
    const result = await ingest({ ...deps, processQueue: down }, { source: 'carepath', format: 'carepath-json', payload });
    expect(result).toMatchObject({ accepted: true, queued: false });
    const id = (result as { id: string }).id;
    expect((await deps.messages.get(id))?.stage).toBe('received');
    expect(await reconcile({ inbox: deps.messages, processQueue: queue })).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await deps.messages.get(id))?.stage === 'processed');
    expect((await t.db.query('select 1 from pont_record_version where message_id = $1', [id])).rows).toHaveLength(1);
  });

  it('stores one set of record versions when two workers process one message at once', async () => {
    const payload = example('ctp/child-with-parents.json');
    const down: JobQueue<{ messageId: string }> = { add: async () => {}, close: async () => {} };
    const result = await ingest({ ...deps, processQueue: down }, { source: 'race', format: 'ctp', payload });
    const id = (result as { id: string }).id;
    await Promise.all([processMessage(deps, id), processMessage(deps, id), processMessage(deps, id)]);
    expect((await t.db.query('select 1 from pont_record_version where message_id = $1', [id])).rows).toHaveLength(1);
    const stages = await t.db.query<{ stage: string }>('select stage from pont_message_stage where message_id = $1 order by at, stage', [id]);
    expect(stages.rows.map((r) => r.stage).sort()).toEqual(['processed', 'received']);
  });

  it('sets a poison message aside as a dead letter while the rest flow, and replays it on request', async () => {
    const poisonPrefix = `pont-test-${randomUUID()}`;
    const poisonQueue = jobQueue<{ messageId: string }>(PROCESS_QUEUE, { connection: redis, prefix: poisonPrefix }, { attempts: 3, backoffMs: 10 });
    let broken = true;
    // A rule that fails on one input (an internal fault: no retry can help), as a bug would.
    const check: SyncDeps['check'] = async (input, options) => {
      if (broken && options?.compliance !== false && input.text.includes('ex-plan-not-agreed')) {
        throw new EngineError('RULE_FAILED', 'compliance', 'rule CoP-P2-99 failed');
      }
      return deps.check(input, options);
    };
    const poisonDeps: SyncDeps = { ...deps, check, processQueue: poisonQueue };
    const connection = redis.duplicate();
    const poisonWorker = startProcessWorker(poisonDeps, { connection, prefix: poisonPrefix }, quietObservers());
    try {
      const poison = (await ingest(poisonDeps, { source: 'poison', format: 'ctp', payload: example('ctp/plan-not-agreed.json') })) as { id: string };
      const healthy = (await ingest(poisonDeps, { source: 'poison', format: 'ctp', payload: example('ctp/part3-self-referral.json') })) as { id: string };
      await waitFor(async () => (await deps.messages.get(poison.id))?.stage === 'dead' && (await deps.messages.get(healthy.id))?.stage === 'processed');
      const letters = await t.db.query<{ reason: string; attempts: number; queue: string }>('select reason, attempts, queue from pont_dead_letter where message_id = $1', [
        poison.id,
      ]);
      expect(letters.rows).toEqual([{ reason: 'RULE_FAILED', attempts: 1, queue: PROCESS_QUEUE }]);
      // The reconciler leaves it alone; a replay (the bug fixed) puts it through.
      const pending = await deps.messages.unfinished(1000);
      expect(pending.map((m) => m.id)).not.toContain(poison.id);
      broken = false;
      expect(await deps.messages.replay(poison.id, new Date())).toBe(true);
      expect(await deps.messages.replay(poison.id, new Date())).toBe(false);
      await reconcile({ inbox: deps.messages, processQueue: poisonQueue });
      await waitFor(async () => (await deps.messages.get(poison.id))?.stage === 'processed');
    } finally {
      await poisonWorker.close();
      connection.disconnect();
      await poisonQueue.close();
      await clearPrefix(redis, poisonPrefix);
    }
  });
});
