/**
 * The Redis connection BullMQ runs on. Checked at start: a Redis that does not answer is one line
 * naming where it was looked for and how to start one, not a stream of reconnection errors.
 */
import { Redis } from 'ioredis';
import { QueueError } from '../errors/errors.js';
import { DEFAULT_REDIS_URL } from './queues.js';

export async function connectRedis(url: string = DEFAULT_REDIS_URL, timeoutMs = 3000): Promise<Redis> {
  const where = describeRedisUrl(url);
  // BullMQ workers block on Redis: they need maxRetriesPerRequest null (BullMQ's own requirement).
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null });
  redis.on('error', () => {}); // reported by the ping below, or by the next command
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new QueueError('QUEUE_UNAVAILABLE', `${where} does not answer: start one (\`redis-server\`, or \`docker run -p 6379:6379 redis:7\`) or set REDIS_URL`, true, {
      cause: err,
    });
  }
  // From here on, reconnect after a network blip rather than give up.
  redis.options.retryStrategy = (times: number) => Math.min(times * 200, 5000);
  return redis;
}

/** `Redis at host:port`, without credentials. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `Redis at ${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'Redis (REDIS_URL is not a URL)';
  }
}
