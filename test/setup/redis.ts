/**
 * Vitest global setup: a Redis for the queue's tests. Uses the one that answers at
 * PONT_TEST_REDIS_URL (default redis://127.0.0.1:6379); when none answers, starts its own
 * (`redis-server` on a free port, keeping nothing on disk) and stops it afterwards. Each test
 * uses its own key prefix.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string | undefined;
    redisProblem: string | undefined;
  }
}

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1500, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const url = process.env.PONT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await answers(url)) {
    project.provide('redisUrl', url);
    project.provide('redisProblem', undefined);
    return () => {};
  }
  const port = await freePort();
  let child: ChildProcess | undefined;
  try {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    child.on('error', () => {});
  } catch {
    child = undefined;
  }
  const ownUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 40 && child; i++) {
    if (await answers(ownUrl)) {
      project.provide('redisUrl', ownUrl);
      project.provide('redisProblem', undefined);
      return () => {
        child?.kill('SIGTERM');
      };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child?.kill('SIGKILL');
  project.provide('redisUrl', undefined);
  project.provide('redisProblem', `no Redis answers at ${url} and redis-server could not be started (install Redis, or set PONT_TEST_REDIS_URL)`);
  return () => {};
}
