/**
 * npm run bench:sync [-- N [RATE] [--no-workers]]
 *
 * The sync service's cost on top of conversion, measured in one run over the same N generated
 * records (distinct people, each entitled to both targets):
 *   1. in-process conversion + compliance (the core's check), records/s: the ceiling;
 *   2. bare BullMQ no-op jobs at the same concurrency, jobs/s: the queue's own floor;
 *   3. end to end: ingest → store → process queue → check (worker thread) → store → two delivery
 *      queues → two loopback FHIR servers (@medplum/fhir-router behind express, in a process of
 *      their own), records/s from the first ingest to the last acknowledged delivery;
 *   4. latency ingest → delivered (both targets) at a fixed offered rate, p50 and p99;
 *   5. the back half (process + deliver) of messages already ingested, run by 1 and then by 2
 *      `pont worker` processes (one check thread each), records/s.
 * Needs PostgreSQL (DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432/postgres)
 * and Redis (REDIS_URL, default 127.0.0.1:6379); uses its own database and queue prefix.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Queue, Worker } from 'bullmq';
import pg from 'pg';
import { createCore } from '../../src/app/compose.js';
import { inThreadCheck } from '../../src/app/message-check.js';
import { ingest } from '../../src/app/sync.js';
import { syncConfigSchema } from '../../src/config/sync-config.schema.js';
import { systemClock } from '../../src/ports/clock.js';
import { directoryConfig } from '../../src/ports/directory-config.js';
import { jobQueue } from '../../src/queue/job-queue.js';
import { PROCESS_QUEUE } from '../../src/queue/queues.js';
import { connectRedis } from '../../src/queue/redis.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { startPipeline } from '../../src/service/sync-pipeline.js';
import { messageStore } from '../../src/store/messages.js';
import { connectPostgres } from '../../src/store/pg-client.js';
import { adminQuery } from '../helpers/admin-query.js';
import { generateRecords } from '../helpers/generate.js';
import { ROOT } from '../helpers/runtime.js';
import { startWorkerProcess } from '../helpers/worker-process.js';
import { backendsCpuMs, backendsDelta, ownCpuMs, processCpuMs, startProfile } from './cpu-time.js';

const count = Number(process.argv[2] ?? 300);
const offeredPerSecond = Number(process.argv[3] ?? 20);
/** `--no-workers` leaves out the 1 against 2 `pont worker` processes (quicker while iterating). */
const withWorkers = !process.argv.includes('--no-workers');
const concurrency = 8;
/**
 * The targets are medplum servers with only their own limits: pont's transactions carry no
 * conditional entries (shared resources are created first, on their own), so medplum's limit of
 * 50 updates a transaction is the one that applies, and the operator configures it.
 */
const MEDPLUM_MAX_UPDATES = 50;
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Everyone lives in Cardiff (Cardiff and Vale, 7A4), so both targets are entitled to every record. */
const inCardiff = (r: CtpRecord): CtpRecord => ({ ...r, patient: { ...r.patient, localAuthorityOfResidence: 'W06000015' } });
const records = generateRecords(count * 4).map(inCardiff);
const [batch, paced] = [records.slice(0, count), records.slice(count, count * 2)];
/** For the 1 against 2 `pont worker` processes runs. */
const forWorkers = [records.slice(count * 2, count * 3), records.slice(count * 3)];
const encode = (r: CtpRecord) => new TextEncoder().encode(JSON.stringify(r));

const admin = (sql: string): Promise<void> => adminQuery(adminUrl, sql);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const core = createCore({ config: directoryConfig(ROOT), clock: systemClock() });

  // 1. In-process conversion + compliance.
  const texts = batch.map((r) => JSON.stringify(r));
  core.check([{ origin: 'warm-up', source: 'ctp', text: texts[0]! }], { asOf: 'extracted' });
  let start = performance.now();
  const checkCpu = ownCpuMs();
  for (const text of texts) core.check([{ origin: 'bench', source: 'ctp', text }], { asOf: 'extracted' });
  const inProcess = count / ((performance.now() - start) / 1000);
  const checkCpuPerRecord = (ownCpuMs() - checkCpu) / count;

  const stage = (what: string) => process.stderr.write(`bench:sync: ${what}\n`);
  stage('conversion measured; BullMQ no-op jobs');
  // 2. Bare BullMQ no-op jobs.
  const redis = await connectRedis(redisUrl);
  const prefix = `pont-bench-${randomUUID()}`;
  const noop = new Queue('noop', { connection: redis, prefix });
  let done = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const noopConnection = redis.duplicate();
  const noopWorker = new Worker(
    'noop',
    async () => {
      if (++done >= count * 10) finished();
    },
    { connection: noopConnection, prefix, concurrency },
  );
  start = performance.now();
  await noop.addBulk(Array.from({ length: count * 10 }, (_, i) => ({ name: 'noop', data: { i } })));
  await allDone;
  const bareQueue = (count * 10) / ((performance.now() - start) / 1000);
  await noopWorker.close();
  await noop.close();
  noopConnection.disconnect();

  stage('end to end');
  // 3 and 4. End to end.
  const servers = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fhir-server/serve.ts'), '2', 'none'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: servers.stdout! }), 'line')) as [string];
  const [hbA, regulator] = (JSON.parse(line) as string[]).map((baseUrl) => ({ baseUrl }));
  const dbName = `pont_bench_${Date.now().toString(36)}`;
  await admin(`create database ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const sync = syncConfigSchema.parse({
    targets: [
      { id: 'hb-a', kind: 'fhir', baseUrl: hbA!.baseUrl, auth: { type: 'none' }, records: { healthBoard: '7A4' }, limits: { maxEntries: MEDPLUM_MAX_UPDATES, concurrency } },
      { id: 'regulator', kind: 'fhir', baseUrl: regulator!.baseUrl, auth: { type: 'none' }, records: { all: true }, limits: { maxEntries: MEDPLUM_MAX_UPDATES, concurrency } },
    ],
  });
  const pipeline = await startPipeline(() => core, systemClock(), {
    store: { databaseUrl: url.toString(), dataDir: '/nonexistent' },
    redisUrl,
    queuePrefix: prefix,
    concurrency,
    reconcileEveryMs: 60_000,
    checkThreads: 1,
    configDir: ROOT,
    sync,
    env: () => undefined,
  });
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  let stopped = false;
  const open = async () =>
    Number(
      (await db.query("select (select count(*) from pont_message where stage = 'received') + (select count(*) from pont_delivery where status = 'pending') as n")).rows[0].n,
    );
  const settle = async () => {
    while ((await open()) > 0) await new Promise((r) => setTimeout(r, 50));
  };
  try {
    // What the service costs doing nothing (its queues' polling, timers): at a low rate it weighs on every record.
    const idleFrom = { pont: ownCpuMs(), at: performance.now() };
    await new Promise((r) => setTimeout(r, 3000));
    const idlePerSecond = (ownCpuMs() - idleFrom.pont) / ((performance.now() - idleFrom.at) / 1000);
    const cpuBefore = { pont: ownCpuMs(), targets: processCpuMs(servers.pid!), store: await backendsCpuMs(db, dbName) };
    const profiler = process.env.BENCH_SYNC_PROFILE === undefined ? undefined : await startProfile();
    start = performance.now();
    for (const r of batch) await ingest(pipeline.deps, { source: 'bench', format: 'ctp', payload: encode(r) });
    await settle();
    const endToEnd = count / ((performance.now() - start) / 1000);
    if (profiler) writeFileSync(process.env.BENCH_SYNC_PROFILE!, JSON.stringify(await profiler.stop()));
    // CPU a record of each process on the path (the pont process's includes its check thread).
    const cpu = {
      pont: (ownCpuMs() - cpuBefore.pont) / count,
      targets: (processCpuMs(servers.pid!) - cpuBefore.targets) / count,
      store: backendsDelta(cpuBefore.store, await backendsCpuMs(db, dbName)) / count,
    };
    const delivered = Number((await db.query("select count(*) as n from pont_delivery where status = 'delivered'")).rows[0].n);

    stage('latency at a fixed rate');
    // Latency at a fixed offered rate: ingest → the later of the two deliveries' acknowledgements.
    const gap = 1000 / offeredPerSecond;
    const t0 = performance.now();
    // Offered at the rate whatever ingest's own pace: each message is sent at its time, not after the last one's answer.
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i < paced.length; i++) {
      const wait = t0 + i * gap - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sent.push(ingest(pipeline.deps, { source: 'bench-paced', format: 'ctp', payload: encode(paced[i]!) }));
    }
    const offeredFor = (performance.now() - t0) / 1000;
    await Promise.all(sent);
    await settle();
    const latencies = (
      await db.query<{ ms: string }>(
        `select extract(epoch from max(d.done_at) - m.received_at) * 1000 as ms
           from pont_message m join pont_record_version v on v.message_id = m.id join pont_delivery d on d.record_version_id = v.id
          where m.source = 'bench-paced' group by m.id, m.received_at`,
      )
    ).rows
      .map((r) => Number(r.ms))
      .sort((a, b) => a - b);

    console.log(`records: ${count} (+${paced.length} paced at ${offeredPerSecond}/s), 2 FHIR targets, concurrency ${concurrency}, 1 check thread, node ${process.version}`);
    const perCore = (ms: number) => (1000 / ms).toFixed(0);
    console.log(
      `in-process conversion + compliance : ${inProcess.toFixed(0)} records/s (${checkCpuPerRecord.toFixed(1)} ms CPU a record = ${perCore(checkCpuPerRecord)}/s per core)`,
    );
    console.log(`bare BullMQ no-op jobs             : ${bareQueue.toFixed(0)} jobs/s`);
    console.log(`end to end (ingest → 2 deliveries) : ${endToEnd.toFixed(1)} records/s (${delivered} deliveries) = ${(endToEnd / inProcess).toFixed(3)}× in-process`);
    console.log(
      `CPU a record, end to end           : pont ${cpu.pont.toFixed(1)} ms (= ${perCore(cpu.pont)} records/s per core, ${(cpu.pont / checkCpuPerRecord).toFixed(1)}× the in-process check), ` +
        `the 2 FHIR targets ${cpu.targets.toFixed(1)} ms, PostgreSQL ${cpu.store.toFixed(1)} ms; pont idle ${idlePerSecond.toFixed(0)} ms CPU a second`,
    );
    // What the machine allows whatever pont costs: the targets run on the same cores.
    const cores = availableParallelism();
    const cap = (cores * 1000) / cpu.targets;
    console.log(
      `cap on ${cores} cores shared with the targets: ≤ ${cap.toFixed(0)} records/s (${(cap / inProcess).toFixed(2)}× in-process) with pont free; ` +
        `≤ ${((cores * 1000) / (cpu.pont + cpu.targets + cpu.store)).toFixed(0)} records/s at these costs`,
    );
    console.log(
      `latency ingest → delivered at ${offeredPerSecond}/s offered (${(paced.length / offeredFor).toFixed(0)}/s achieved): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms (${latencies.length} records)`,
    );

    await pipeline.stop();
    stopped = true;
    if (!withWorkers) return;
    stage('1 against 2 pont worker processes');
    const configFile = join(mkdtempSync(join(tmpdir(), 'pont-bench-')), 'pont-config.yaml');
    writeFileSync(configFile, JSON.stringify(sync)); // YAML is a superset of JSON
    const store = await connectPostgres({ connectionString: url.toString(), max: 2 });
    const perWorkers: string[] = [];
    for (const [i, workers] of [1, 2].entries()) {
      const roundPrefix = `${prefix}-w${workers}`;
      const deps = {
        ...pipeline.deps,
        messages: messageStore(store),
        check: inThreadCheck(core.check),
        processQueue: jobQueue<{ messageId: string }>(PROCESS_QUEUE, { connection: redis, prefix: roundPrefix }),
        plan: undefined,
        enqueueDelivery: undefined,
        recentChecks: undefined,
      };
      // Held paused until every worker runs, so that none starts before the others and the clock.
      const gate = new Queue(PROCESS_QUEUE, { connection: redis, prefix: roundPrefix });
      await gate.pause();
      for (const r of forWorkers[i]!) await ingest(deps, { source: `bench-w${workers}`, format: 'ctp', payload: encode(r) });
      await deps.processQueue.close();
      const children = await Promise.all(
        Array.from({ length: workers }, () =>
          startWorkerProcess(['--threads', '1', '--concurrency', String(concurrency)], {
            DATABASE_URL: url.toString(),
            REDIS_URL: redisUrl,
            PONT_QUEUE_PREFIX: roundPrefix,
            PONT_CONFIG: configFile,
          }),
        ),
      );
      const t1 = performance.now();
      await gate.resume();
      await gate.close();
      await settle();
      perWorkers.push(`${workers} process${workers > 1 ? 'es' : ''} ${(count / ((performance.now() - t1) / 1000)).toFixed(1)} records/s`);
      for (const worker of children) worker.child.kill('SIGTERM');
      await Promise.all(children.map((worker) => worker.exited));
      const keys = await redis.keys(`${roundPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await store.close();
    console.log(`back half (process + 2 deliveries) by pont worker: ${perWorkers.join(', ')}`);
  } finally {
    stage('cleaning up');
    await db.end();
    if (!stopped) await pipeline.stop();
    stage('pipeline stopped');
    servers.stdin!.end();
    await once(servers, 'exit');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await admin(`drop database ${dbName} with (force)`);
  }
}

await main();
// Anything still holding the event loop (a connection a library keeps) must not keep a benchmark alive.
process.exit(0);
