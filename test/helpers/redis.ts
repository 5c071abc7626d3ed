/** The Redis the tests use (test/setup/redis.ts finds or starts it), and clearing a test's keys from it. */
import type { Redis } from 'ioredis';
import { inject } from 'vitest';

export function testRedisUrl(): string {
  const url = inject('redisUrl');
  if (url === undefined) throw new Error(inject('redisProblem') ?? 'no Redis for the tests');
  return url;
}

/** Removes every key under a test's prefix, so that a shared Redis keeps nothing of the test. */
export async function clearPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
}
