/**
 * An export file streams in constant memory: 13,000 synthetic resources of about 4 KB (about 50 MB of NDJSON)
 * downloaded with the heap measured after collections along the way, and a client that stops
 * reading stops the reading of rows from the store (backpressure).
 */
import { once } from 'node:events';
import { get, type IncomingMessage, type Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportManifest } from '../../src/app/bulk-export.js';
import { createBulkRouter, DEFAULT_BATCH_SIZE } from '../../src/http/bulk/router.js';
import type { ExportReader } from '../../src/ports/bulk-export.js';
import { sqlExportJobStore } from '../../src/store/export-jobs.js';
import { sqlExportReader } from '../../src/store/export-reader.js';
import { migrate } from '../../src/store/migrations.js';
import { DATABASE_KINDS, type TestDatabase, testDatabase } from '../helpers/databases.js';
import { closeServer, listenLocally } from '../helpers/listen.js';
import { countNewlines, insertSyntheticResources, SYNTHETIC_TYPE } from '../helpers/synthetic-resources.js';
import { until } from '../helpers/wait.js';

// Fewer, larger resources than a real export holds: the bytes streamed are what memory is about,
// and each row costs PGlite's WebAssembly more CPU than its bytes do. The reader's batches are as
// much smaller, so each holds the bytes of the router's default batch of resources of 1 KB.
const COUNT = 13_000;
const KILOBYTES = 4;
const BATCH_SIZE = DEFAULT_BATCH_SIZE / KILOBYTES;
/** Heap growth allowed while the ~50 MB file streams: a fraction of the file. */
const HEAP_BOUND = 16 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/**
 * Heap and buffers in use once garbage is collected. V8 frees the memory of dead ArrayBuffers on
 * a background thread after a collection, so their count lags on a busy machine: collected again,
 * with a short pause after each, until the figure stops falling (at most five times).
 */
const heapAfterGc = async () => {
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { heapUsed, external } = process.memoryUsage();
    const now = heapUsed + external; // what the socket holds is in Buffers, outside the heap
    if (now >= last) return now;
    last = now;
  }
  return last;
};

describe.each(DATABASE_KINDS)('an export file on %s', (kind) => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  /** Lines the store has given the router so far. */
  let linesRead = 0;

  beforeAll(async () => {
    t = await testDatabase(kind);
    await migrate(t.db);
    await insertSyntheticResources(t.db, COUNT, { kilobytes: KILOBYTES });
    const reader = sqlExportReader(t.db);
    const counting: ExportReader = {
      ...reader,
      async *lines(job, file, batchSize) {
        for await (const chunk of reader.lines(job, file, batchSize)) {
          linesRead += countNewlines(chunk);
          yield chunk;
        }
      },
    };
    const app = express();
    app.use(
      '/fhir',
      createBulkRouter({ jobs: sqlExportJobStore(t.db), reader: counting, scope: () => ({ kind: 'all' }), clientId: () => 'regulator', batchSize: BATCH_SIZE }),
    );
    let origin: string;
    ({ server, origin } = await listenLocally(app));
    base = `${origin}/fhir`;
  }, 300_000);

  afterAll(async () => {
    await closeServer(server);
    await t?.dispose();
  });

  async function fileUrl(): Promise<string> {
    const kick = await fetch(`${base}/$export?_type=${SYNTHETIC_TYPE}`, { headers: { Prefer: 'respond-async' } });
    expect(kick.status).toBe(202);
    const status = await until(
      () => fetch(kick.headers.get('content-location')!),
      (r) => r.status !== 202,
    );
    const manifest = (await status.json()) as ExportManifest;
    expect(manifest.output).toEqual([expect.objectContaining({ type: SYNTHETIC_TYPE, count: COUNT })]);
    return manifest.output[0]!.url;
  }

  it(`streams ${COUNT.toLocaleString('en-GB')} resources with the heap and buffers growing by less than ${HEAP_BOUND / 2 ** 20} MiB`, async () => {
    const url = await fileUrl();
    // once first, so that PGlite's WebAssembly memory (which only grows) has its working size
    await (await fetch(url)).arrayBuffer();
    const before = await heapAfterGc();
    let peak = before;
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    const body = (await fetch(url)).body!.getReader();
    for (;;) {
      const { done, value } = await body.read();
      if (done) break;
      bytes += value.length;
      lines += countNewlines(value);
      if (++chunks % 200 === 0) peak = Math.max(peak, await heapAfterGc());
    }
    peak = Math.max(peak, await heapAfterGc());
    expect(lines).toBe(COUNT);
    expect(bytes).toBeGreaterThan(3 * HEAP_BOUND);
    expect(peak - before).toBeLessThan(HEAP_BOUND);
  }, 300_000);

  it('stops reading rows while the client does not read, and goes on when it does', async () => {
    const url = await fileUrl();
    linesRead = 0;
    // A client that takes the first chunk and then reads nothing (node:http, paused: only the
    // sockets' buffers fill, with no client library reading ahead into memory of its own).
    const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject));
    await once(response, 'data');
    response.pause();
    // the socket's buffers fill, then the rows stop
    let whilePaused = -1;
    for (let waited = 0; linesRead !== whilePaused; waited++) {
      expect(waited).toBeLessThan(30);
      whilePaused = linesRead;
      await new Promise((r) => setTimeout(r, 700));
    }
    expect(whilePaused).toBeLessThan(COUNT / 2);
    let lines = 0;
    response.on('data', (chunk: Buffer) => {
      lines += countNewlines(chunk);
    });
    response.resume();
    await once(response, 'end');
    expect(linesRead).toBe(COUNT);
    expect(lines).toBeGreaterThan(COUNT - whilePaused - 1);
  }, 300_000);
});
