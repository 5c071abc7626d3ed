/**
 * Delivery under SIGKILL: `pont worker` as a real process delivering to a real FHIR server
 * (@medplum/fhir-router on 127.0.0.1, answering slowly so that deliveries are caught in flight) is
 * killed mid-delivery; another worker takes over. Afterwards the server holds each person once and
 * every plan once, every delivery is recorded as delivered, and nothing is a dead letter.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inThreadCheck } from '../../src/app/message-check.js';
import { ingest, type SyncDeps } from '../../src/app/sync.js';
import { jobQueue } from '../../src/queue/job-queue.js';
import { PROCESS_QUEUE } from '../../src/queue/queues.js';
import { connectRedis } from '../../src/queue/redis.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { messageStore } from '../../src/store/messages.js';
import { migrate } from '../../src/store/migrations.js';
import { pontBuild } from '../helpers/build.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { startFhirServer, type TestFhirServer } from '../helpers/fhir-server.js';
import { generateRecords } from '../helpers/generate.js';
import { clearPrefix, testRedisUrl } from '../helpers/redis.js';
import { testRuntime } from '../helpers/runtime.js';
import { until, waitFor } from '../helpers/wait.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const STALLED_MS = 1000;
const PEOPLE = 12;

describe('pont worker killed with SIGKILL mid-delivery', () => {
  const core = testRuntime();
  const prefix = `pont-test-${randomUUID()}`;
  const children: ChildProcess[] = [];
  let t: TestDatabase;
  let redis: Redis;
  let deps: SyncDeps;
  let server: TestFhirServer;
  let dir: string;
  let records: CtpRecord[];

  const count = async (sql: string) => Number((await t.db.query<{ n: string }>(sql)).rows[0]!.n);

  async function startWorker(): Promise<WorkerProcess> {
    const worker = await startWorkerProcess(
      ['--threads', '1', '--concurrency', '4', '--stalled-ms', String(STALLED_MS)],
      {
        DATABASE_URL: t.url,
        REDIS_URL: testRedisUrl(),
        PONT_QUEUE_PREFIX: prefix,
        PONT_CONFIG: join(dir, 'pont-config.yaml'),
      },
      (await pontBuild()).main, // compiled: tsx would compile the sources again in each worker and its thread
    );
    children.push(worker.child);
    return worker;
  }

  beforeAll(async () => {
    t = await testDatabase('postgres');
    await migrate(t.db);
    redis = await connectRedis(testRedisUrl());
    server = await startFhirServer({ maxEntries: 8 });
    dir = mkdtempSync(join(tmpdir(), 'pont-kill-'));
    writeFileSync(
      join(dir, 'pont-config.yaml'),
      [
        'targets:',
        '  - id: regulator',
        '    kind: fhir',
        `    baseUrl: ${server.baseUrl}`,
        '    auth: { type: none }',
        '    records: { all: true }',
        '    limits: { maxEntries: 8, concurrency: 4 }',
        '',
      ].join('\n'),
    );
    deps = {
      check: inThreadCheck(core.check),
      sources: core.sources,
      clock: core.clock,
      messages: messageStore(t.db),
      processQueue: jobQueue(PROCESS_QUEUE, { connection: redis, prefix }),
    };
    records = generateRecords(PEOPLE);
  }, 60_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await deps?.processQueue.close();
    if (redis) await clearPrefix(redis, prefix);
    redis?.disconnect();
    await server?.stop();
    await t?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves each person and plan at the target once, every delivery recorded, when another worker takes over', async () => {
    // The next requests answered after a pause: deliveries (about ten requests each) are slow enough to be caught in flight.
    server.misbehave({ delayMs: 40 }, 150);
    for (let i = 0; i < PEOPLE; i += 3) {
      const payload = new TextEncoder().encode(JSON.stringify(records.slice(i, i + 3)));
      expect((await ingest(deps, { source: 'epr-a', format: 'ctp', payload })).accepted).toBe(true);
    }
    const first = await startWorker();
    await until(
      async () => ({
        delivered: await count("select count(*) as n from pont_delivery where status = 'delivered'"),
        leased: await count('select count(*) as n from pont_target_person where lease_owner is not null'),
      }),
      (n) => n.delivered >= 1 && n.leased >= 1,
      60_000,
      10,
    );
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(await count("select count(*) as n from pont_delivery where status = 'delivered'")).toBeLessThan(PEOPLE);

    await startWorker();
    await waitFor(async () => (await count("select count(*) as n from pont_delivery where status = 'delivered'")) === PEOPLE, 120_000);
    for (const r of records) expect(await server.count('Patient', NHS, r.patient!.nhsNumber as string)).toBe(1);
    const plans = records.reduce((n, r) => n + (r.plans ?? []).length, 0);
    expect((await server.all('CarePlan')).length).toBe(plans);
    expect(await count("select count(*) as n from pont_delivery where status <> 'delivered'")).toBe(0);
    expect(await count('select count(*) as n from pont_dead_letter')).toBe(0);
  }, 60_000);
});
