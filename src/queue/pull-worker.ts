/**
 * Pulling sources on their schedules: one BullMQ job scheduler per source on the pull queue, so
 * that however many pont processes share the Redis, each pull runs once per interval, one at a
 * time per source. A pull that fails is retried by the next run: its cursor did not move.
 */
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { PULL_QUEUE } from './queues.js';

export interface PullSchedule {
  readonly sourceId: string;
  readonly everyMs: number;
}

export interface RunningPulls {
  close(): Promise<void>;
}

export async function startPulls(
  schedules: readonly PullSchedule[],
  run: (sourceId: string, job: { readonly id: string }) => Promise<void>,
  options: { readonly connection: Redis; readonly workerConnection: Redis; readonly prefix?: string },
): Promise<RunningPulls> {
  const queue = new Queue(PULL_QUEUE, { connection: options.connection, prefix: options.prefix });
  const wanted = new Set(schedules.map((s) => s.sourceId));
  for (const s of await queue.getJobSchedulers()) if (s.key !== undefined && !wanted.has(s.key)) await queue.removeJobScheduler(s.key);
  for (const s of schedules) {
    await queue.upsertJobScheduler(s.sourceId, { every: s.everyMs }, { name: 'pull', data: { sourceId: s.sourceId }, opts: { removeOnComplete: 100, removeOnFail: 100 } });
  }
  const worker = new Worker<{ sourceId: string }>(PULL_QUEUE, async (job) => run(job.data.sourceId, { id: job.id ?? '' }), {
    connection: options.workerConnection,
    prefix: options.prefix,
    concurrency: Math.max(1, schedules.length),
  });
  worker.on('error', () => {});
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

/** `30s`, `5m`, `1h` (the configuration's form) in milliseconds. */
export function durationMs(text: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(text);
  if (m === null) throw new RangeError('a duration is a number and s, m or h');
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}
