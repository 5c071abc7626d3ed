/** `pont serve`'s port: --port, else the PORT environment variable, else 8080; a bad one refused by name. */
import { describe, expect, it } from 'vitest';
import { EXIT_USAGE, run } from '../../src/cli/run.js';
import { fixedClock } from '../../src/ports/clock.js';
import type { ServiceConfig } from '../../src/service/start-service.js';
import { FIXED_NOW, ROOT, testRuntime } from '../helpers/runtime.js';

async function serve(args: readonly string[], env: Readonly<Record<string, string>>) {
  let err = '';
  let config: ServiceConfig | undefined;
  const code = await run(['serve', ...args], { stdout: () => {}, stderr: (t) => void (err += t) }, testRuntime, {
    openStore: () => Promise.reject(new Error('not used by pont serve')),
    clock: fixedClock(FIXED_NOW),
    serve: {
      environment: () => ({ store: { dataDir: '/nonexistent' }, redisUrl: 'redis://127.0.0.1:6379', queuePrefix: 'pont-test-never', env: (name: string) => env[name] }),
      configDir: ROOT,
      syncConfig: async () => ({ targets: [], sources: [] }),
      start: async (_core, _clock, c) => {
        config = c;
        return { url: 'http://127.0.0.1:1', description: 'not started', stop: async () => {} };
      },
      stopSignal: () => Promise.resolve('SIGTERM'),
    },
  });
  return { code, err, port: config?.port };
}

describe('pont serve listens on', () => {
  it('8080 by default, PORT when it is set, and --port above both', async () => {
    expect((await serve([], {})).port).toBe(8080);
    expect((await serve([], { PORT: '9123' })).port).toBe(9123);
    expect((await serve(['--port', '0'], { PORT: '9123' })).port).toBe(0);
  });

  it('nothing when PORT is not a port, saying so by its name', async () => {
    const { code, err, port } = await serve([], { PORT: 'eighty' });
    expect(code).toBe(EXIT_USAGE);
    expect(port).toBeUndefined();
    expect(err).toContain('PORT');
  });
});
