/** `pont worker` refusing to start: each refusal one line, exit code 2, nothing left running. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_USAGE, run } from '../../src/cli/run.js';
import { fixedClock } from '../../src/ports/clock.js';
import { type PipelineConfig, startPipeline } from '../../src/service/sync-pipeline.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { FIXED_NOW, ROOT, testRuntime } from '../helpers/runtime.js';

async function worker(settings: Pick<PipelineConfig, 'store' | 'redisUrl' | 'queuePrefix'>) {
  const environment = { ...settings, env: () => undefined };
  let err = '';
  let started = 0;
  const code = await run(['worker', '--threads', '0'], { stdout: () => {}, stderr: (t) => void (err += t) }, testRuntime, {
    openStore: () => Promise.reject(new Error('not used by pont worker')),
    clock: fixedClock(FIXED_NOW),
    worker: {
      environment: () => environment,
      configDir: ROOT,
      syncConfig: async () => ({ targets: [], sources: [] }),
      start: (core, clock, config) => {
        started++;
        return startPipeline(core, clock, config);
      },
      stopSignal: () => Promise.resolve('SIGTERM'),
    },
  });
  return { code, err, started };
}

describe('pont worker refuses to start', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase('postgres');
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('on the embedded store, saying why and what to set', async () => {
    const { code, err, started } = await worker({ store: { dataDir: '/tmp/pont-never-created' }, redisUrl: 'redis://127.0.0.1:6379', queuePrefix: 'pont-test-never' });
    expect(code).toBe(EXIT_USAGE);
    expect(started).toBe(0);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).toMatch(/DATABASE_URL/);
    expect(err).toMatch(/PGlite.*one process/);
  });

  it('when Redis does not answer, saying where it looked and how to start one', async () => {
    const { code, err, started } = await worker({ store: { databaseUrl: t.url!, dataDir: '/nonexistent' }, redisUrl: 'redis://127.0.0.1:1', queuePrefix: 'pont-test-never' });
    expect(code).toBe(EXIT_USAGE);
    expect(started).toBe(1);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).toMatch(/Redis at 127\.0\.0\.1:1 does not answer: start one \(`redis-server`/);
  });
});
