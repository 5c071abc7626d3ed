/**
 * The sync pipeline's back half, as both `pont serve` (with its HTTP edge) and `pont worker`
 * (without) run it: the store, the check pool, the process queue and its worker on Redis, and the
 * reconciler (at start and then at an interval). Stops gracefully: no new jobs, active ones
 * finish, then threads and connections close, in the reverse order of starting. It logs its start
 * and stop, what the reconciler hands on, and (through the workers) every message and delivery.
 */

import type { Bundle } from '@medplum/fhirtypes';
import type { Redis } from 'ioredis';
import { checkRunJson } from '../app/check-json.js';
import type { Core } from '../app/compose.js';
import { inThreadCheck } from '../app/message-check.js';
import { reconcile } from '../app/reconcile.js';
import { type IncomingMessage, type IngestResult, ingest, type SyncDeps } from '../app/sync.js';
import type { SyncConfig } from '../config/sync-config.schema.js';
import type { EnvLookup } from '../delivery/auth/auth.js';
import type { RoutingReference } from '../delivery/routing/index.js';
import { silentLogger } from '../log/logger.js';
import { loadMappings } from '../mapping/loader.js';
import { createMeasureDeps } from '../measures/deps.js';
import type { EvaluationDeps } from '../measures/evaluate.js';
import type { Clock } from '../ports/clock.js';
import { CONFIG_LAYOUT } from '../ports/config-source.js';
import { directoryConfig } from '../ports/directory-config.js';
import type { Log } from '../ports/log.js';
import { type Observers, type PipelineMetrics, type QueueDepth, uncountedMetrics } from '../ports/metrics.js';
import { recent, recentChecks } from '../ports/recent-checks.js';
import { jobQueue } from '../queue/job-queue.js';
import { startProcessWorker } from '../queue/process-worker.js';
import { PROCESS_QUEUE } from '../queue/queues.js';
import { connectRedis, describeRedisUrl } from '../queue/redis.js';
import { messageStore } from '../store/messages.js';
import { openStore, type StoreSettings } from '../store/open.js';
import type { SqlClient } from '../store/sql-client.js';
import { type CheckPool, startCheckPool } from '../worker-pool/check-pool.js';
import { type DeliveryRuntime, type DeliverySettings, deliveryRuntime } from './delivery-runtime.js';

export interface PipelineConfig {
  readonly store: StoreSettings;
  readonly redisUrl: string;
  /** Redis key prefix of the queues. */
  readonly queuePrefix: string;
  /** Messages processed at once. */
  readonly concurrency: number;
  readonly reconcileEveryMs: number;
  /** Worker threads that check messages; 0 checks them in the main thread. */
  readonly checkThreads: number;
  /** pont's configuration folder, which each check thread's core reads (the main thread's core reads the same). */
  readonly configDir: string;
  /**
   * How long a job's lock lasts without its worker renewing it, and how often the worker looks
   * for jobs whose lock lapsed (their worker died) to take them over. Default BullMQ's 30 s.
   */
  readonly stalledMs?: number;
  /** Targets and sources (PONT_CONFIG), checked at start. */
  readonly sync: SyncConfig;
  /** Where the targets' and sources' secrets are looked up by name (process.env at the edge). */
  readonly env: EnvLookup;
  /** A failed delivery's first retry delay. @defaultValue 1000 */
  readonly deliveryBackoffMs?: number;
  /** Subscriptions' deliveries (see DeliverySettings). */
  readonly subscriptions?: DeliverySettings['subscriptions'];
  /** Where the pipeline logs (made at the edge: src/log/logger.ts). @defaultValue nothing logged */
  readonly log?: Log;
  /** What it counts. @defaultValue nothing counted */
  readonly metrics?: PipelineMetrics;
}

/** Ingest checks kept for processing (a Bundle and its record, ~100 kB each), and for how long. */
const RECENT_CHECKS = 256;
const RECENT_CHECKS_MS = 60_000;
/** Stored Bundles kept for their deliveries, by delivery id (one Bundle for each of its targets). */
const RECENT_BUNDLES = 256;

export interface RunningPipeline {
  readonly deps: SyncDeps;
  readonly messages: ReturnType<typeof messageStore>;
  /** The API's Subscriptions (store, and the planner's cached directory to invalidate after a change). */
  readonly subscriptions: DeliveryRuntime['subscriptions'];
  /** The store, for the edges that read or write it beside the pipeline (audit, the FHIR facade). */
  readonly db: SqlClient;
  readonly observers: Observers;
  /** The ingest use case, logged (the message's id and stage, or the refusal's codes) and counted. */
  ingest(message: IncomingMessage): Promise<IngestResult>;
  /** The process and delivery queues' jobs by state (for the metrics scrape). */
  depths(): Promise<QueueDepth[]>;
  /** Whether the store and Redis answer now (for /readyz); each throws when it does not. */
  readonly probes: { readonly store: () => Promise<void>; readonly redis: () => Promise<void> };
  /** The check of one input in its JSON form ($check), in the check threads when there are any. */
  readonly checkJson: CheckPool['checkJson'];
  /** Reference data routing reads (which health board serves where), for the API's use cases too. */
  readonly reference: RoutingReference;
  /** What the measures read (health boards, the working-day calendar), for $evaluate-measure. */
  readonly measureDeps: EvaluationDeps;
  /** The Redis connection the queues use, for the API's shared state (token replay). */
  readonly redis: Redis;
  /** Where it runs, without credentials: store, queue and checks. */
  readonly description: string;
  stop(): Promise<void>;
}

/**
 * Starts the pipeline. `core` is asked for only when messages are checked in the main thread: the
 * check threads build their own.
 */
export async function startPipeline(core: () => Core, clock: Clock, config: PipelineConfig): Promise<RunningPipeline> {
  const closers: (() => Promise<void> | void)[] = [];
  const observers: Observers = { log: config.log ?? silentLogger(), metrics: config.metrics ?? uncountedMetrics() };
  const { log } = observers;
  const stop = async () => {
    const started = closers.length > 0;
    for (const close of closers.splice(0).reverse()) await close();
    if (started) log.info({ event: 'stop' }, 'pipeline stopped');
  };
  try {
    const db = await openStore(config.store);
    closers.push(() => db.close());
    const redis = await connectRedis(config.redisUrl);
    closers.push(() => redis.disconnect());
    const checks = config.checkThreads > 0 ? await startCheckPool({ threads: config.checkThreads, configDir: config.configDir, clock }) : undefined;
    if (checks) closers.push(() => checks.close());
    const processQueue = jobQueue<{ messageId: string }>(PROCESS_QUEUE, { connection: redis, prefix: config.queuePrefix });
    closers.push(() => processQueue.close());
    const messages = messageStore(db);
    const inThread = checks ? undefined : core();
    const workerConnection = redis.duplicate();
    closers.push(() => workerConnection.disconnect());
    const recentBundles = recent<Bundle>({ capacity: RECENT_BUNDLES, maxAgeMs: RECENT_CHECKS_MS, now: () => clock.now().getTime() });
    const measureDeps = inThread?.measureDeps ?? createMeasureDeps(directoryConfig(config.configDir));
    const reference: RoutingReference = { healthBoards: measureDeps.healthBoards };
    const delivery = deliveryRuntime(db, {
      sync: config.sync,
      env: config.env,
      clock,
      reference,
      connection: redis,
      workerConnection,
      prefix: config.queuePrefix,
      backoffMs: config.deliveryBackoffMs ?? 1000,
      // The same notion as a job's lock: how long without a sign of life before others take over.
      leaseMs: config.stalledMs ?? 30_000,
      ...(config.stalledMs === undefined ? {} : { stalledMs: config.stalledMs }),
      mappings: () => loadMappings(directoryConfig(config.configDir), CONFIG_LAYOUT.mappings),
      ...(config.subscriptions === undefined ? {} : { subscriptions: config.subscriptions }),
      observers,
      bundles: recentBundles,
    });
    closers.push(() => delivery.close());
    const deps: SyncDeps = {
      check: checks ? checks.check : inThreadCheck(inThread!.check),
      sources: checks ? checks.sources : inThread!.sources,
      clock,
      messages,
      processQueue,
      plan: delivery.plan,
      enqueueDelivery: delivery.enqueueDelivery,
      // This process's workers usually take the messages its ingest accepted: spare them a second check.
      recentChecks: recentChecks({ capacity: RECENT_CHECKS, maxAgeMs: RECENT_CHECKS_MS, now: () => clock.now().getTime() }),
      recentBundles,
    };
    const ingestObserved = (message: IncomingMessage) => observedIngest(deps, observers, message);
    await delivery.start(ingestObserved);
    const stalled = config.stalledMs === undefined ? {} : { lockDurationMs: config.stalledMs, stalledIntervalMs: config.stalledMs };
    const worker = startProcessWorker(deps, { connection: workerConnection, prefix: config.queuePrefix, concurrency: config.concurrency, ...stalled }, observers);
    closers.push(() => worker.close());
    const reconcileNow = () =>
      reconcile({ inbox: messages, processQueue, deliveries: delivery.ledger, enqueueDelivery: delivery.enqueueDelivery }).then(
        (handed) => {
          if (handed > 0) log.info({ event: 'reconcile', handed }, 'reconciler handed unfinished work to the queues (work already queued is not doubled)');
        },
        // The store or queue away: next time.
        (err: unknown) => log.warn({ event: 'reconcile', err }, 'reconciler could not run: next time'),
      );
    await reconcileNow();
    const timer = setInterval(reconcileNow, config.reconcileEveryMs);
    timer.unref();
    closers.push(() => clearInterval(timer));
    const threads = checks ? `${checks.threads} check thread(s)` : 'checks in the main thread';
    const sync = `${config.sync.targets.length} target(s), ${config.sync.sources.length} pulled source(s)`;
    const description = `store: ${db.description}; queue: ${describeRedisUrl(config.redisUrl)}, prefix ${config.queuePrefix}; ${threads}; ${sync}`;
    log.info({ event: 'start', queuePrefix: config.queuePrefix, targets: config.sync.targets.length, sources: config.sync.sources.length }, 'pipeline started');
    return {
      deps,
      messages,
      subscriptions: delivery.subscriptions,
      db,
      redis,
      reference,
      measureDeps,
      checkJson: checks ? checks.checkJson : async (input, options) => checkRunJson(inThread!.check([input], options)),
      observers,
      ingest: ingestObserved,
      description,
      depths: async () => [...(await processQueue.depths()), ...(await delivery.depths())],
      probes: {
        store: async () => void (await db.query('select 1')),
        redis: async () => void (await redis.ping()),
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function observedIngest(deps: SyncDeps, { log, metrics }: Observers, message: IncomingMessage): Promise<IngestResult> {
  const l = log.child({ source: message.source, format: message.format, ...(message.requestId === undefined ? {} : { requestId: message.requestId }) });
  const result = await ingest(deps, message);
  if (result.accepted) {
    l.info({ messageId: result.id, stage: 'received', duplicate: result.duplicate, queued: result.queued, bytes: message.payload.byteLength }, 'message accepted');
    metrics.ingested(result.duplicate ? 'duplicate' : 'accepted');
  } else {
    l.info({ stage: 'refused', problems: result.issues.length, codes: [...new Set(result.issues.map((i) => i.code))] }, 'message refused');
    metrics.ingested('refused');
  }
  return result;
}
