/**
 * `pont worker --metrics-port`: the worker's own counters scraped from GET /metrics while it runs,
 * after it has processed a message (real PostgreSQL and Redis, the real startWorker).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/app/sync.js';
import { run } from '../../src/cli/run.js';
import { fixedClock } from '../../src/ports/clock.js';
import { type RunningWorker, startWorker } from '../../src/service/start-worker.js';
import { migrate } from '../../src/store/migrations.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { testRedisUrl } from '../helpers/redis.js';
import { FIXED_NOW, ROOT, testRuntime } from '../helpers/runtime.js';
import { until } from '../helpers/wait.js';

describe('pont worker --metrics-port', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase('postgres');
    await migrate(t.db);
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('serves its counters on GET /metrics while it runs, on loopback, and nothing else', async () => {
    const prefix = `pont-test-${randomUUID()}`;
    let running: RunningWorker | undefined;
    let release!: (signal: string) => void;
    const stopped = new Promise<string>((resolve) => {
      release = resolve;
    });
    let stderr = '';
    const exited = run(['worker', '--threads', '0', '--metrics-port', '0'], { stdout: () => {}, stderr: (s) => void (stderr += s) }, testRuntime, {
      openStore: () => Promise.reject(new Error('not used by pont worker')),
      clock: fixedClock(FIXED_NOW),
      worker: {
        environment: () => ({ store: { databaseUrl: t.url!, dataDir: '/nonexistent' }, redisUrl: testRedisUrl(), queuePrefix: prefix, env: () => undefined }),
        configDir: ROOT,
        syncConfig: async () => ({ targets: [], sources: [] }),
        start: async (core, clock, config) => (running = await startWorker(core, clock, config)),
        stopSignal: () => stopped,
      },
    });
    try {
      const worker = await until(
        async () => running,
        (w) => w !== undefined,
      );
      expect(worker!.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(stderr).toContain(`metrics at ${worker!.metricsUrl}/metrics`);
      const payload = readFileSync(join(ROOT, 'examples/ctp/adult-all-eight-areas.json'));
      expect((await ingest(worker!.deps, { source: 'epr-x', format: 'ctp', payload })).accepted).toBe(true);
      const text = await until(
        async () => (await fetch(`${worker!.metricsUrl}/metrics`)).text(),
        (body) => /^pont_message_processing_seconds_count(\{[^}]*\})? [1-9]/m.test(body),
      );
      expect(text).toMatch(/^# HELP pont_queue_jobs /m);
      const other = await fetch(`${worker!.metricsUrl}/fhir/Patient`);
      expect(other.status).toBe(404);
      expect(((await other.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    } finally {
      release('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
