/**
 * npm run bench:api [-- N [SECONDS]]
 *
 * The ingest half (`ingestBench`): `pont serve` (its pipeline and HTTP API, no clients registered,
 * on 127.0.0.1) on a fresh PostgreSQL database and a Redis prefix of its own, loaded by autocannon
 * for SECONDS (default 10) with 8 connections, each request a different generated record (so none
 * collapses as a duplicate): ingest requests/s and latency (202 after the message is checked and
 * committed), then how long processing takes to catch up.
 *
 * The export half (`exportBench`): N synthetic resources (default 1,000,000, about 1 KB each)
 * written straight into a fresh PostgreSQL database, then in one run
 *   1. the raw floor: the same rows streamed straight out of the store through a server-side
 *      cursor (DECLARE … FETCH 1000), each row's JSON text and a newline, MB/s;
 *   2. Bulk Data $export through the HTTP router on 127.0.0.1: kick-off, polling until the files
 *      are counted, then every NDJSON file downloaded by a client in another process, MB/s and
 *      the ratio to the raw stream;
 * with this (the server's) process's peak RSS in each. Needs PostgreSQL (DATABASE_URL's server, default
 * postgres://postgres@127.0.0.1:5432/postgres); creates and drops a database of its own.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import express from 'express';
import pg from 'pg';
import type { ExportManifest } from '../../src/app/bulk-export.js';
import { createCore } from '../../src/app/compose.js';
import { createBulkRouter } from '../../src/http/bulk/router.js';
import { systemClock } from '../../src/ports/clock.js';
import { directoryConfig } from '../../src/ports/directory-config.js';
import { connectRedis } from '../../src/queue/redis.js';
import { startService } from '../../src/service/start-service.js';
import { sqlExportJobStore } from '../../src/store/export-jobs.js';
import { sqlExportReader } from '../../src/store/export-reader.js';
import { migrate } from '../../src/store/migrations.js';
import { connectPostgres } from '../../src/store/pg-client.js';
import { generateRecords } from '../helpers/generate.js';
import { closeServer, listenLocally } from '../helpers/listen.js';
import { ROOT } from '../helpers/runtime.js';
import { insertSyntheticResources, SYNTHETIC_TYPE } from '../helpers/synthetic-resources.js';

const MB = 1024 * 1024;

/** The peak RSS while `body` runs, sampled every 20 ms. */
async function withPeakRss<T>(body: () => Promise<T>): Promise<{ result: T; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await body();
    return { result, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Downloads the files one after another in a client process of its own (node:http, as a real
 * client is elsewhere), so the figures are the server's, not a client sharing its thread.
 */
async function downloadInAnotherProcess(urls: readonly string[]): Promise<{ bytes: number; lines: number; seconds: number }> {
  const client = `
    const http = require('node:http');
    const started = process.hrtime.bigint();
    let bytes = 0, lines = 0;
    const get = (url) => new Promise((resolve, reject) => http.get(url, (res) => {
      res.on('data', (chunk) => { bytes += chunk.length; for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++; });
      res.on('end', resolve);
      res.on('error', reject);
    }).on('error', reject));
    (async () => {
      for (const url of JSON.parse(process.argv[1])) await get(url);
      console.log(JSON.stringify({ bytes, lines, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
    })();`;
  const child = spawn(process.execPath, ['-e', client, JSON.stringify(urls)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the download client exited with ${code}`);
  return JSON.parse(out) as { bytes: number; lines: number; seconds: number };
}

const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;
const mb = (bytes: number) => (bytes / MB).toFixed(1);

/** A fresh PostgreSQL database of this run's own on DATABASE_URL's server, and how to drop it. */
async function benchDatabase(kind: string): Promise<{ url: URL; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `pont_bench_${kind}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url,
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export async function exportBench(count = 1_000_000): Promise<void> {
  const { url, drop } = await benchDatabase('export');
  const db = await connectPostgres({ connectionString: url.toString(), max: 4 });
  let server: Server | undefined;
  try {
    await migrate(db);
    let started = process.hrtime.bigint();
    await insertSyntheticResources(db, count, { chunk: 100_000 });
    await db.query('analyze');
    console.log(`export: ${count} synthetic ${SYNTHETIC_TYPE} resources written in ${seconds(started).toFixed(1)} s (PostgreSQL)`);

    // 1. the raw floor: a server-side cursor over the same rows
    const raw = new pg.Client({ connectionString: url.toString() });
    await raw.connect();
    const rawRun = await withPeakRss(async () => {
      started = process.hrtime.bigint();
      let bytes = 0;
      await raw.query('begin');
      await raw.query(`declare resources no scroll cursor for select resource::text as line from pont_fhir_resource where resource_type = $1 order by id`, [SYNTHETIC_TYPE]);
      for (;;) {
        const { rows } = await raw.query<{ line: string }>('fetch 1000 from resources');
        for (const row of rows) bytes += Buffer.byteLength(row.line) + 1;
        if (rows.length < 1000) break;
      }
      await raw.query('commit');
      return { bytes, seconds: seconds(started) };
    });
    await raw.end();
    const rawRate = rawRun.result.bytes / MB / rawRun.result.seconds;
    console.log(
      `export: raw cursor stream: ${mb(rawRun.result.bytes)} MB in ${rawRun.result.seconds.toFixed(2)} s = ${rawRate.toFixed(1)} MB/s, peak RSS ${mb(rawRun.peakRss)} MB`,
    );

    // 2. $export over HTTP on 127.0.0.1
    const app = express();
    app.use('/fhir', createBulkRouter({ jobs: sqlExportJobStore(db), reader: sqlExportReader(db), scope: () => ({ kind: 'all' }), clientId: () => 'bench' }));
    let origin: string;
    ({ server, origin } = await listenLocally(app));
    const base = `${origin}/fhir`;
    const exportRun = await withPeakRss(async () => {
      started = process.hrtime.bigint();
      const kick = await fetch(`${base}/$export?_type=${SYNTHETIC_TYPE}`, { headers: { Prefer: 'respond-async', Accept: 'application/fhir+json' } });
      if (kick.status !== 202) throw new Error(`kick-off answered ${kick.status}`);
      let status: Response;
      for (;;) {
        status = await fetch(kick.headers.get('content-location')!);
        if (status.status !== 202) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const manifest = (await status.json()) as ExportManifest;
      const counted = seconds(started);
      const download = await downloadInAnotherProcess(manifest.output.map((o) => o.url));
      return { ...download, files: manifest.output.length, counted };
    });
    const e = exportRun.result;
    if (e.lines !== count) throw new Error(`the export gave ${e.lines} lines for ${count} resources`);
    const exportRate = e.bytes / MB / e.seconds;
    console.log(
      `export: $export: counted in ${e.counted.toFixed(2)} s; ${e.files} files, ${mb(e.bytes)} MB downloaded in ${e.seconds.toFixed(2)} s = ${exportRate.toFixed(1)} MB/s (${(rawRate / exportRate).toFixed(2)}× the raw stream's time per MB), peak RSS ${mb(exportRun.peakRss)} MB`,
    );
  } finally {
    await closeServer(server);
    await db.close();
    await drop();
  }
}

export async function ingestBench(duration = 10, connections = 8): Promise<void> {
  const { url, drop } = await benchDatabase('ingest');
  const prefix = `pont-bench-api-${process.pid}`;
  const records = generateRecords(4000).map((r) => JSON.stringify(r));
  let next = 0;
  const service = await startService(() => createCore({ config: directoryConfig(ROOT), clock: systemClock() }), systemClock(), {
    store: { databaseUrl: url.toString(), dataDir: '/nonexistent' },
    sync: { targets: [], sources: [] },
    env: () => undefined,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    queuePrefix: prefix,
    host: '127.0.0.1',
    port: 0,
    maxBytes: 8 << 20,
    reconcileEveryMs: 60_000,
    concurrency: 8,
    checkThreads: 1,
    configDir: ROOT,
    rateLimit: { windowMs: 60_000, limit: 1_000_000 },
  });
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    const result = await autocannon({
      url: service.url,
      connections,
      duration,
      requests: [
        {
          method: 'POST',
          path: '/ingest/bench?format=ctp',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: records[next++ % records.length] }),
        },
      ],
    });
    const started = process.hrtime.bigint();
    const unprocessed = async () => Number((await db.query("select count(*) as n from pont_message where stage = 'received'")).rows[0].n);
    while ((await unprocessed()) > 0) await new Promise((r) => setTimeout(r, 50));
    const accepted = Number((await db.query('select count(*) as n from pont_message')).rows[0].n);
    console.log(
      `ingest: ${connections} connections for ${duration} s: ${result.requests.average.toFixed(1)} requests/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ${result['2xx']} accepted (${accepted} stored), ${result.non2xx} refused, ${result.errors} errors; processing caught up ${seconds(started).toFixed(1)} s after the load stopped`,
    );
  } finally {
    await db.end();
    await service.stop();
    const redis = await connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await drop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await ingestBench(Number(process.argv[3] ?? 10));
  await exportBench(Number(process.argv[2] ?? 1_000_000));
  process.exit(0);
}
