/**
 * `pont serve` composed: the store (PostgreSQL or embedded PGlite), the process queue and its
 * worker on Redis, the reconciler (at start and then at an interval), and the HTTP ingest edge,
 * all around one core. Stops gracefully: no new requests, active jobs finish, then connections close.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '../app/compose.js';
import { reconcile } from '../app/reconcile.js';
import { ingest, type SyncDeps } from '../app/sync.js';
import type { SyncConfig } from '../config/sync-config.schema.js';
import { createIngestApp } from '../http/ingest-app.js';
import type { Clock } from '../ports/clock.js';
import { jobQueue } from '../queue/job-queue.js';
import { startProcessWorker } from '../queue/process-worker.js';
import { PROCESS_QUEUE } from '../queue/queues.js';
import { connectRedis, describeRedisUrl } from '../queue/redis.js';
import { messageStore } from '../store/messages.js';
import { openStore, type StoreSettings } from '../store/open.js';

export interface ServiceConfig {
  readonly store: StoreSettings;
  /** Targets and sources (PONT_CONFIG), checked at start; delivery and pulling are not built yet. */
  readonly sync: SyncConfig;
  readonly redisUrl: string;
  /** Redis key prefix of the queues. */
  readonly queuePrefix: string;
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  readonly maxBytes: number;
  readonly reconcileEveryMs: number;
  readonly concurrency: number;
}

export interface RunningService {
  readonly url: string;
  readonly description: string;
  stop(): Promise<void>;
}

export async function startService(core: Core, clock: Clock, config: ServiceConfig): Promise<RunningService> {
  const db = await openStore(config.store);
  let redis: Awaited<ReturnType<typeof connectRedis>>;
  try {
    redis = await connectRedis(config.redisUrl);
  } catch (err) {
    await db.close();
    throw err;
  }
  const workerConnection = redis.duplicate();
  const processQueue = jobQueue<{ messageId: string }>(PROCESS_QUEUE, { connection: redis, prefix: config.queuePrefix });
  const messages = messageStore(db);
  const deps: SyncDeps = { check: core.check, sources: core.sources, clock, messages, processQueue };
  const worker = startProcessWorker(deps, { connection: workerConnection, prefix: config.queuePrefix, concurrency: config.concurrency });
  const reconcileNow = () => reconcile({ inbox: messages, processQueue }).catch(() => 0); // the store or queue away: next time
  await reconcileNow();
  const timer = setInterval(reconcileNow, config.reconcileEveryMs);
  timer.unref();

  const app = createIngestApp({ ingest: (message) => ingest(deps, message), history: (id) => messages.history(id), formats: core.sources, maxBytes: config.maxBytes });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    description: `store: ${db.description}; queue: ${describeRedisUrl(config.redisUrl)}, prefix ${config.queuePrefix}; ${config.sync.targets.length} target(s) and ${config.sync.sources.length} source(s) configured, not yet delivered to or pulled from`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearInterval(timer);
      await worker.close();
      await processQueue.close();
      workerConnection.disconnect();
      redis.disconnect();
      await db.close();
    },
  };
}
