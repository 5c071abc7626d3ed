/** A replay guard shared by every pont process on one Redis: `SET key NX PX ttl` is atomic there. */
import type { Redis } from 'ioredis';
import { QueueError } from '../../errors/errors.js';
import type { ReplayGuard } from '../../ports/replay-guard.js';

export function redisReplayGuard(redis: Redis, prefix: string): ReplayGuard {
  return {
    async firstUse(key, ttlMs) {
      try {
        return (await redis.set(`${prefix}:jti:${key}`, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK';
      } catch (err) {
        throw new QueueError('QUEUE_UNAVAILABLE', 'Redis did not answer while checking a client assertion for replay', true, { cause: err });
      }
    },
  };
}
