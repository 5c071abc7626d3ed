import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueError } from '../../../src/errors/errors.js';
import { memoryReplayGuard } from '../../../src/http/security/memory-replay-guard.js';
import { redisReplayGuard } from '../../../src/http/security/redis-replay-guard.js';
import type { ReplayGuard } from '../../../src/ports/replay-guard.js';
import { connectRedis } from '../../../src/queue/redis.js';
import { clearPrefix, testRedisUrl } from '../../helpers/redis.js';

/** The same contract for every guard: the first use passes, a repeat within the time does not, after it does. */
function behavesAsAReplayGuard(name: string, make: () => { guard: ReplayGuard; pass: (ms: number) => Promise<void> }) {
  describe(name, () => {
    it('lets a key through once while it is held, and again once it has lapsed', async () => {
      const { guard, pass } = make();
      const key = randomUUID();
      expect(await guard.firstUse(key, 200)).toBe(true);
      expect(await guard.firstUse(key, 200)).toBe(false);
      expect(await guard.firstUse(randomUUID(), 200)).toBe(true);
      await pass(250);
      expect(await guard.firstUse(key, 200)).toBe(true);
    });

    it('lets exactly one of many simultaneous uses of a key through', async () => {
      const { guard } = make();
      const key = randomUUID();
      const results = await Promise.all(Array.from({ length: 20 }, () => guard.firstUse(key, 5_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}

let clockMs = Date.parse('2026-03-02T09:00:00Z');
behavesAsAReplayGuard('the in-memory replay guard', () => ({
  guard: memoryReplayGuard({ now: () => new Date(clockMs) }),
  pass: async (ms) => void (clockMs += ms),
}));

describe('the in-memory replay guard, held long', () => {
  it('still holds the live keys after sweeping out lapsed ones', async () => {
    let at = 0;
    const guard = memoryReplayGuard({ now: () => new Date(at) });
    for (let i = 0; i < 5000; i++) expect(await guard.firstUse(`short-${i}`, 10)).toBe(true);
    expect(await guard.firstUse('long', 1_000_000)).toBe(true);
    at = 1000;
    for (let i = 0; i < 5000; i++) expect(await guard.firstUse(`short-${i}`, 10)).toBe(true);
    expect(await guard.firstUse('long', 1_000_000)).toBe(false);
  });
});

describe('the Redis replay guard', () => {
  let redis: Redis;
  const prefix = `pont-test-${randomUUID()}`;
  beforeAll(async () => {
    redis = await connectRedis(testRedisUrl());
  });
  afterAll(async () => {
    await clearPrefix(redis, prefix);
    redis.disconnect();
  });

  behavesAsAReplayGuard('on a real Redis', () => ({ guard: redisReplayGuard(redis, prefix), pass: (ms) => new Promise((r) => setTimeout(r, ms)) }));

  it('is shared by every process on the same Redis', async () => {
    const other = redis.duplicate();
    try {
      const key = randomUUID();
      expect(await redisReplayGuard(redis, prefix).firstUse(key, 5_000)).toBe(true);
      expect(await redisReplayGuard(other, prefix).firstUse(key, 5_000)).toBe(false);
      expect(await redis.pttl(`${prefix}:jti:${key}`)).toBeGreaterThan(4_000);
    } finally {
      other.disconnect();
    }
  });

  it('fails as a retryable queue error, never as a replay, when Redis is gone', async () => {
    const gone = new Redis('redis://127.0.0.1:9', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    gone.on('error', () => {});
    await expect(redisReplayGuard(gone, prefix).firstUse(randomUUID(), 1000)).rejects.toSatisfy((e) => e instanceof QueueError && e.retryable);
  });
});
