/**
 * npm run bench:sync-stages [-- N]
 *
 * Where the sync service's CPU goes, stage by stage, over N generated records (distinct people,
 * each entitled to two FHIR targets), each stage run over all records before the next, in this
 * process and on one PostgreSQL connection whose backend's CPU is read from /proc:
 *   check (the core's, in this thread) · accept (the inbox) · finish (record version, served FHIR
 *   resources, findings, deliveries) · claim + send + complete at two loopback medplum targets (in
 *   a process of their own, whose CPU is read as well).
 * Queues are left out: their cost is the bare BullMQ rate bench:sync measures.
 * CPU time, not wall time: the machine is shared. BENCH_STAGES_PROFILE=DIR writes a CPU profile
 * of each stage there (wall-clock samples: on a busy machine a socket write that wakes the
 * database is charged the database's time; trust the CPU columns); BENCH_STAGES_SQL=1 adds the
 * database's and the driver's CPU by statement; BENCH_STAGES_KEEP=1 keeps the database to look
 * at afterwards. Needs PostgreSQL (DATABASE_URL's server).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Bundle } from '@medplum/fhirtypes';
import pg from 'pg';
import { createCore } from '../../src/app/compose.js';
import { deliver } from '../../src/app/deliver.js';
import { deliveryPlan } from '../../src/app/delivery-plan.js';
import { checkMessage } from '../../src/app/message-check.js';
import { syncConfigSchema } from '../../src/config/sync-config.schema.js';
import { createFhirTarget } from '../../src/delivery/fhir-target/fhir-target.js';
import { createMeasureDeps } from '../../src/measures/deps.js';
import { systemClock } from '../../src/ports/clock.js';
import type { TargetClient } from '../../src/ports/delivery.js';
import { directoryConfig } from '../../src/ports/directory-config.js';
import type { RecordOutcome } from '../../src/ports/message-inbox.js';
import { recent } from '../../src/ports/recent-checks.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { deliveryLedger } from '../../src/store/deliveries.js';
import { messageStore } from '../../src/store/messages.js';
import { migrate } from '../../src/store/migrations.js';
import { connectPostgres } from '../../src/store/pg-client.js';
import type { SqlClient, SqlExecutor } from '../../src/store/sql-client.js';
import { adminQuery } from '../helpers/admin-query.js';
import { generateRecords } from '../helpers/generate.js';
import { ROOT } from '../helpers/runtime.js';
import { backendsCpuMs, backendsDelta, ownCpuMs, processCpuMs, startProfile } from './cpu-time.js';

const count = Number(process.argv[2] ?? 100);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const inCardiff = (r: CtpRecord): CtpRecord => ({ ...r, patient: { ...r.patient, localAuthorityOfResidence: 'W06000015' } });
const records = generateRecords(count).map(inCardiff);

/** The client with its backend's CPU read around each statement (one connection, so one backend). */
async function statementCpu(client: SqlClient, into: Map<string, { n: number; ms: number; own: number }>): Promise<SqlClient> {
  const pid = Number((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
  const timed =
    (query: SqlExecutor['query']): SqlExecutor['query'] =>
    async <Row>(text: string, params?: readonly unknown[]) => {
      const before = processCpuMs(pid);
      const own = ownCpuMs();
      const result = await query<Row>(text, params);
      const name = text.replace(/\s+/g, ' ').trim().slice(0, 80);
      const entry = into.get(name) ?? { n: 0, ms: 0, own: 0 };
      entry.n++;
      entry.own += ownCpuMs() - own;
      entry.ms += processCpuMs(pid) - before;
      into.set(name, entry);
      return result;
    };
  return {
    ...client,
    query: timed(client.query),
    transaction: (body) => client.transaction((tx) => body({ ...tx, query: timed(tx.query) })),
  };
}

const admin = (sql: string): Promise<void> => adminQuery(adminUrl, sql);

/** HTTP requests this process makes, by method and path's first segment (fhir-kit-client uses the global fetch). */
const requests = new Map<string, number>();
const platformFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const request = input instanceof Request ? input : undefined;
  const method = init?.method ?? request?.method ?? 'GET';
  const path = new URL(request?.url ?? String(input)).pathname.split('/')[1] ?? '';
  const what = `${method} /${/^[A-Z]/.test(path) ? path : path === '' ? '' : '…'}`;
  requests.set(what, (requests.get(what) ?? 0) + 1);
  return platformFetch(input, init);
};

const clock = systemClock();
const core = createCore({ config: directoryConfig(ROOT), clock });
const servers = spawn(process.execPath, ['--import', 'tsx', new URL('../fhir-server/serve.ts', import.meta.url).pathname, '2', 'none'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const [line] = (await once(createInterface({ input: servers.stdout! }), 'line')) as [string];
const [hbA, regulator] = JSON.parse(line) as string[];
const dbName = `pont_stages_${Date.now().toString(36)}`;
await admin(`create database ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
// One connection: its backend is the one whose CPU is read.
const pool = await connectPostgres({ connectionString: url.toString(), max: 1 });
/** With BENCH_STAGES_SQL set, the backend's CPU is read around every statement and summed by statement. */
const bySql = new Map<string, { n: number; ms: number; own: number }>();
const db = process.env.BENCH_STAGES_SQL === undefined ? pool : await statementCpu(pool, bySql);
const probe = new pg.Client({ connectionString: url.toString() });
try {
  await migrate(db);
  await probe.connect();
  const rows: string[] = [];
  /** Runs a stage, then reports its CPU a record: this process, the database's backends (not the probe's own), the targets. */
  const stage = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const before = { own: ownCpuMs(), store: await backendsCpuMs(probe, dbName), targets: processCpuMs(servers.pid!) };
    const profiler = process.env.BENCH_STAGES_PROFILE === undefined ? undefined : await startProfile();
    const wall = performance.now();
    const result = await body();
    if (profiler) writeFileSync(join(process.env.BENCH_STAGES_PROFILE!, `${name.replace(/\W+/g, '-')}.cpuprofile`), JSON.stringify(await profiler.stop()));
    const ms = (performance.now() - wall) / count;
    const own = (ownCpuMs() - before.own) / count;
    const store = backendsDelta(before.store, await backendsCpuMs(probe, dbName)) / count;
    const targets = (processCpuMs(servers.pid!) - before.targets) / count;
    rows.push(`${name.padEnd(34)} ${own.toFixed(2).padStart(7)} ${store.toFixed(2).padStart(7)} ${targets.toFixed(2).padStart(7)} ${ms.toFixed(2).padStart(7)}`);
    return result;
  };
  const texts = records.map((r) => JSON.stringify(r));
  checkMessage(core.check, { origin: 'warm-up', source: 'ctp', text: texts[0]! }, { asOf: 'extracted' });
  const checks = await stage('check (core, in process)', async () =>
    texts.map((text) => checkMessage(core.check, { origin: 'bench', source: 'ctp', text }, { asOf: 'extracted' })),
  );
  const messages = messageStore(db);
  const accepted = await stage('accept (inbox)', async () => {
    const ids: string[] = [];
    for (const text of texts) ids.push((await messages.accept({ source: 'bench', format: 'ctp', payload: new TextEncoder().encode(text), receivedAt: clock.now() })).id);
    return ids;
  });
  const sync = syncConfigSchema.parse({
    targets: [
      { id: 'hb-a', kind: 'fhir', baseUrl: hbA, auth: { type: 'none' }, records: { healthBoard: '7A4' }, limits: { maxEntries: 50 } },
      { id: 'regulator', kind: 'fhir', baseUrl: regulator, auth: { type: 'none' }, records: { all: true }, limits: { maxEntries: 50 } },
    ],
  });
  const plan = deliveryPlan(sync.targets, { healthBoards: createMeasureDeps(directoryConfig(ROOT)).healthBoards });
  await stage('get message (process reads it)', async () => {
    for (const id of accepted) await messages.get(id);
  });
  const bundles = recent<Bundle>({ capacity: count * 2, maxAgeMs: 3_600_000, now: () => Date.now() });
  const pending = await stage('finish (version, served, findings)', async () => {
    const all: { id: string; targetId: string }[] = [];
    for (const [n, id] of accepted.entries()) {
      const outcomes: RecordOutcome[] = checks[n]!.records.flatMap((r) =>
        r.outcome === undefined ? [] : [{ ...r.outcome, deliveries: plan.plan(r.outcome.record, 'bench') }],
      );
      const pending = await messages.finish(id, { stage: 'processed', records: outcomes, at: clock.now(), detail: { records: outcomes.length } });
      // As processing hands the Bundles it stored to the deliveries in its process.
      for (const d of pending) bundles.remember(d.id, outcomes[d.record]!.bundle!);
      all.push(...pending);
    }
    return all;
  });
  const ledger = deliveryLedger(db);
  const clients = new Map<string, TargetClient>(
    sync.targets.flatMap((t) => (t.kind === 'fhir' ? [[t.id, createFhirTarget(t, { env: () => undefined, clock })] as const] : [])),
  );
  const deps = { ledger, clients, prepare: plan.prepare, clock, leaseMs: 30_000, bundles };
  for (const targetId of ['hb-a', 'regulator']) {
    await stage(`deliver to ${targetId} (claim, send, complete)`, async () => {
      for (const d of pending.filter((p) => p.targetId === targetId)) {
        const result = await deliver(deps, { deliveryId: d.id, targetId }, `bench-${d.id}`);
        if (result.kind !== 'delivered') throw new Error(`delivery ${d.id}: ${result.kind}`);
      }
    });
  }
  console.log(`${count} records, CPU ms a record (this process, PostgreSQL backend, the 2 targets) and wall ms a record, node ${process.version}`);
  console.log(`${'stage'.padEnd(34)} ${'pont'.padStart(7)} ${'pg'.padStart(7)} ${'targets'.padStart(7)} ${'wall'.padStart(7)}`);
  for (const r of rows) console.log(r);
  console.log(`HTTP requests a record: ${[...requests].map(([what, n]) => `${what} ${(n / count).toFixed(2)}`).join(', ')}`);
  if (bySql.size > 0) console.log('PostgreSQL and pont (driver, in the call) CPU by statement, ms a record:');
  for (const [sql, { n, ms, own }] of [...bySql].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    console.log(`${(ms / count).toFixed(2).padStart(6)} ${(own / count).toFixed(2).padStart(6)} ${String(n).padStart(6)}×  ${sql}`);
  }
} finally {
  await probe.end().catch(() => {});
  await pool.close();
  servers.stdin!.end();
  await once(servers, 'exit');
  if (process.env.BENCH_STAGES_KEEP === undefined) await admin(`drop database ${dbName} with (force)`);
}
