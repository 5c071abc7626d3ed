import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/app/reconcile.js';
import type { JobQueue } from '../../src/ports/job-queue.js';
import type { InboxCursor, MessageInbox } from '../../src/ports/message-inbox.js';
import { jobQueue } from '../../src/queue/job-queue.js';
import { connectRedis } from '../../src/queue/redis.js';
import { messageStore } from '../../src/store/messages.js';
import { migrate } from '../../src/store/migrations.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { testRedisUrl } from '../helpers/redis.js';

/** An inbox held in a list, ordered as the store orders it. */
function listInbox(messages: InboxCursor[]): MessageInbox {
  const sorted = [...messages].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const after = (m: InboxCursor, c: InboxCursor) => m.receivedAt.getTime() > c.receivedAt.getTime() || (m.receivedAt.getTime() === c.receivedAt.getTime() && m.id > c.id);
  return { unfinished: async (limit, cursor) => sorted.filter((m) => cursor === undefined || after(m, cursor)).slice(0, limit) };
}

function recordingQueue(): JobQueue<{ messageId: string }> & { ids: string[] } {
  const ids: string[] = [];
  return { ids, add: async (id, data) => void ids.push(`${id}=${data.messageId}`), close: async () => {} };
}

describe('the reconciler', () => {
  it('hands every unfinished message on exactly once, whatever the page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ id: fc.uuid(), minute: fc.integer({ min: 0, max: 5 }) }), { maxLength: 40 }).map((ms) => {
          const unique = new Map(ms.map((m) => [m.id, m]));
          return [...unique.values()].map((m) => ({ id: m.id, receivedAt: new Date(Date.UTC(2026, 11, 1, 10, m.minute)) }));
        }),
        fc.integer({ min: 1, max: 10 }),
        async (messages, pageSize) => {
          const queue = recordingQueue();
          const handed = await reconcile({ inbox: listInbox(messages), processQueue: queue }, pageSize);
          expect(handed).toBe(messages.length);
          expect([...queue.ids].sort()).toEqual(messages.map((m) => `${m.id}=${m.id}`).sort());
        },
      ),
    );
  });

  describe('on PostgreSQL and Redis', () => {
    let t: TestDatabase;
    let redis: Redis;
    beforeAll(async () => {
      t = await testDatabase('postgres');
      await migrate(t.db);
      redis = await connectRedis(testRedisUrl());
    }, 60_000);
    afterAll(async () => {
      redis?.disconnect();
      await t?.dispose();
    });

    it('puts back what a flushed Redis lost, and nothing twice', async () => {
      const prefix = `pont-test-${randomUUID()}`;
      const inbox = messageStore(t.db);
      const accepted = [];
      for (let i = 0; i < 7; i++)
        accepted.push(
          await inbox.accept({ source: 'epr-a', format: 'ctp', payload: new TextEncoder().encode(`{"n":${i}}`), receivedAt: new Date(Date.UTC(2026, 11, 1, 10, i)) }),
        );
      await inbox.finish(accepted[0]!.id, { stage: 'processed', records: [], at: new Date(), detail: {} });
      await inbox.finish(accepted[3]!.id, { stage: 'processed', records: [], at: new Date(), detail: {} });
      const queue = jobQueue<{ messageId: string }>('process', { connection: redis, prefix });
      const inspect = new Queue('process', { connection: redis, prefix });
      try {
        // The jobs were there once; Redis lost them all (FLUSHALL, or a restart without persistence).
        expect(await reconcile({ inbox, processQueue: queue }, 2)).toBe(5);
        expect(await reconcile({ inbox, processQueue: queue }, 2)).toBe(5);
        const waiting = await inspect.getJobs(['waiting']);
        const pending = accepted.filter((_, i) => i !== 0 && i !== 3).map((a) => a.id);
        expect(waiting.map((j) => j.id).sort()).toEqual([...pending].sort());
        expect(waiting.map((j) => (j.data as { messageId: string }).messageId).sort()).toEqual([...pending].sort());
      } finally {
        await inspect.obliterate({ force: true });
        await inspect.close();
        await queue.close();
      }
    });
  });
});
