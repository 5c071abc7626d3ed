/** The sync service as `pont serve` runs it, on a real PostgreSQL and Redis, spoken to over HTTP. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors/errors.js';
import { systemClock } from '../../src/ports/clock.js';
import { connectRedis } from '../../src/queue/redis.js';
import { type RunningService, startService } from '../../src/service/start-service.js';
import { testApp } from '../helpers/app.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { generateRecords } from '../helpers/generate.js';
import { clearPrefix, testRedisUrl } from '../helpers/redis.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';
import { until } from '../helpers/wait.js';

const example = (name: string) => readFileSync(join(ROOT, 'examples', name));

describe('pont serve', () => {
  let t: TestDatabase;
  let service: RunningService;
  const prefix = `pont-test-${randomUUID()}`;

  beforeAll(async () => {
    t = await testDatabase('postgres');
    const redisUrl = testRedisUrl();
    // Checks in a worker thread, as `pont serve` runs them by default.
    service = await startService(testRuntime, systemClock(), {
      store: { databaseUrl: t.url!, dataDir: '/nonexistent' },
      sync: { targets: [], sources: [] },
      env: () => undefined,
      redisUrl,
      queuePrefix: prefix,
      host: '127.0.0.1',
      port: 0,
      maxBytes: 8 << 20,
      reconcileEveryMs: 60_000,
      concurrency: 2,
      checkThreads: 1,
      configDir: ROOT,
    });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    const redis = await connectRedis(testRedisUrl());
    await clearPrefix(redis, prefix);
    redis.disconnect();
    await t?.dispose();
  });

  const post = (path: string, body: Uint8Array | string, type = 'application/json') =>
    fetch(`${service.url}${path}`, { method: 'POST', body, headers: { 'content-type': type } });

  it('accepts a message (202, with where to follow it), processes it, and says so', async () => {
    const response = await post('/ingest/epr-a?format=ctp', example('ctp/plan-not-agreed.json'));
    expect(response.status).toBe(202);
    const body = (await response.json()) as { id: string; duplicate: boolean };
    expect(response.headers.get('location')).toBe(`/messages/${body.id}`);
    const history = await until(
      async () => (await (await fetch(`${service.url}/messages/${body.id}`)).json()) as { stage: string; records: number },
      (h) => h.stage === 'processed',
    );
    expect(history.records).toBe(1);
    const again = (await (await post('/ingest/epr-a?format=ctp', example('ctp/plan-not-agreed.json'))).json()) as { id: string; duplicate: boolean };
    expect(again).toMatchObject({ id: body.id, duplicate: true });
  });

  it('accepts the other formats as they are sent (CSV as text/csv)', async () => {
    const response = await post('/ingest/wpas?format=wpas-csv', example('wpas-csv/plan-not-agreed.csv'), 'text/csv');
    expect(response.status).toBe(202);
  });

  it('answers while a large message is converted and checked: the checks run off the event loop', async () => {
    const known = (await (await post('/ingest/epr-a?format=ctp', example('ctp/child-with-parents.json'))).json()) as { id: string };
    // One message of many records: checked in the main thread, it would hold the event loop for all of its check.
    const large = JSON.stringify(generateRecords(100));
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let slowest = 0;
    let answered = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const started = performance.now();
        const response = await fetch(`${service.url}/messages/${known.id}`);
        await response.arrayBuffer();
        expect(response.status).toBe(200);
        slowest = Math.max(slowest, performance.now() - started);
        answered++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    delay.enable();
    const started = performance.now();
    const accepted = await post('/ingest/epr-b?format=ctp', large);
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as { id: string };
    const history = await until(
      async () => (await (await fetch(`${service.url}/messages/${id}`)).json()) as { stage: string; records: number },
      (h) => h.stage !== 'received',
      60_000,
      20,
    );
    const took = performance.now() - started;
    delay.disable();
    polling = false;
    await poll;
    expect(history).toMatchObject({ stage: 'processed', records: 100 });
    // Checked in the main thread, the message would hold the loop for one whole check, about half
    // of `took` (it is checked at ingest and again at process). Relative to `took`, so that a
    // loaded machine, slower at everything, does not fail it.
    expect(delay.max / 1e6).toBeLessThan(took / 5);
    expect(slowest).toBeLessThan(took / 5);
    expect(answered).toBeGreaterThan(10);
  });

  it('answers every refusal with an OperationOutcome naming the problem', async () => {
    const cases: [string, Uint8Array | string, number, RegExp][] = [
      ['/ingest/epr-a?format=ctp', '{"schemaVersion": ', 400, /not valid JSON/],
      ['/ingest/epr-a?format=hl7v2', '{}', 400, /format/],
      ['/ingest/epr-a', '{}', 400, /format/],
      ['/ingest/a%20b?format=ctp', '{}', 400, /source/],
      ['/ingest/epr-a?format=ctp', new Uint8Array((8 << 20) + 1).fill(32), 413, /limit/],
      ['/nowhere', '{}', 404, /no such endpoint/],
    ];
    for (const [path, body, status, says] of cases) {
      const response = await post(path, body);
      expect(response.status, path).toBe(status);
      const outcome = (await response.json()) as { resourceType: string; issue: { diagnostics: string }[] };
      expect(outcome.resourceType, path).toBe('OperationOutcome');
      expect(outcome.issue.map((i) => i.diagnostics).join(' '), path).toMatch(says);
    }
    const unknown = await fetch(`${service.url}/messages/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
  });
});

describe('the ingest edge when the store does not answer', () => {
  it('accepts nothing and says to try again (503, Retry-After, OperationOutcome)', async () => {
    const app = testApp({
      ingest: {
        ingest: async () => {
          throw StoreError.unavailable('PostgreSQL at 127.0.0.1:5432/pont', new Error('ECONNREFUSED'));
        },
        history: async () => undefined,
        formats: ['ctp'],
        maxBytes: 1000,
      },
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/ingest/epr-a?format=ctp`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      const outcome = (await response.json()) as { issue: { code: string; diagnostics: string }[] };
      expect(outcome.issue[0]).toMatchObject({ code: 'transient', diagnostics: expect.stringContaining('does not answer') });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
