/**
 * Delivery and pulling as the service runs them, composed from the configuration (PONT_CONFIG):
 * a client, a queue and a worker per target, the delivery plan (routing, consent, minimum
 * necessary), and a schedule, a reader and a cursor per pulled source. Subscriptions made over
 * the API are targets too: the plan consults the active ones, and their deliveries share one queue.
 * Each pull run has its own correlation id, sent to the source as X-Request-Id and stored with the
 * messages it brings.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { Redis } from 'ioredis';
import type { DeliverDeps } from '../app/deliver.js';
import { deliveryPlan } from '../app/delivery-plan.js';
import { pull } from '../app/pull.js';
import { planSubscriptions } from '../app/subscription-plan.js';
import type { IncomingMessage, IngestResult } from '../app/sync.js';
import type { SyncConfig } from '../config/sync-config.schema.js';
import { createAuthenticator, type EnvLookup } from '../delivery/auth/auth.js';
import { fhirReader } from '../delivery/fhir-reader.js';
import { createFhirTarget } from '../delivery/fhir-target/fhir-target.js';
import { documentWriter } from '../delivery/http-target/document-writer.js';
import { createHttpTarget } from '../delivery/http-target/http-target.js';
import { createRestHookTarget } from '../delivery/rest-hook/rest-hook-target.js';
import type { RoutingReference } from '../delivery/routing/index.js';
import { ConfigError } from '../errors/errors.js';
import { originOf } from '../fhir/origin.js';
import type { MappingRegistry } from '../mapping/loader.js';
import type { Clock } from '../ports/clock.js';
import type { PlannedDelivery, TargetClient } from '../ports/delivery.js';
import type { Observers, QueueDepth } from '../ports/metrics.js';
import type { RecentBundles } from '../ports/recent-checks.js';
import { cachedSubscriptionDirectory, type SubscriptionDirectory, type SubscriptionStore, subscriptionIdOf } from '../ports/subscriptions.js';
import { deliveryQueues, startDeliveryWorkers, type TargetLimits } from '../queue/deliver-worker.js';
import { durationMs, startPulls } from '../queue/pull-worker.js';
import { subscriptionDeliveries } from '../queue/subscription-worker.js';
import type { CtpRecord } from '../record/record.schema.js';
import { cursorStore } from '../store/cursors.js';
import { deliveryLedger, writtenByPont } from '../store/deliveries.js';
import type { SqlClient } from '../store/sql-client.js';
import { subscriptionStore } from '../store/subscriptions.js';

export interface DeliverySettings {
  readonly sync: SyncConfig;
  /** Secrets by the names the configuration gives (process.env at the edge). */
  readonly env: EnvLookup;
  readonly clock: Clock;
  readonly reference: RoutingReference;
  readonly connection: Redis;
  readonly workerConnection: Redis;
  readonly prefix: string;
  /** A failed delivery's first retry; each later one doubles (with jitter) unless the target says when. */
  readonly backoffMs: number;
  /** How long a delivery's claim lasts without renewal: how long a dead worker holds up a person's next delivery. */
  readonly leaseMs: number;
  /** The queue workers' lock and stalled-job interval (`--stalled-ms`). */
  readonly stalledMs?: number;
  /** The mappings (mappings/), asked for once at start when a target of kind http names one. */
  readonly mappings: () => MappingRegistry;
  /** Subscriptions' deliveries: how long the plan trusts its list of active ones, and their limits. */
  readonly subscriptions?: { readonly cacheMs?: number; readonly attempts?: number; readonly concurrency?: number; readonly timeoutMs?: number };
  readonly observers: Observers;
  /** Bundles the process stage just stored, by delivery id, so that deliveries in this process need not read them back. */
  readonly bundles?: RecentBundles;
}

export interface DeliveryRuntime {
  readonly plan: (record: CtpRecord, from: string, bundle?: Bundle) => Promise<readonly PlannedDelivery[]>;
  readonly enqueueDelivery: (job: { readonly deliveryId: string; readonly targetId: string; readonly requestId?: string }) => Promise<void>;
  readonly ledger: ReturnType<typeof deliveryLedger>;
  /** The subscriptions, for the API's Subscription endpoints (which invalidate the directory after a change). */
  readonly subscriptions: { readonly store: SubscriptionStore; readonly directory: SubscriptionDirectory };
  /** The targets' queues' jobs by state. */
  readonly depths: () => Promise<QueueDepth[]>;
  /** Starts the targets' workers and the sources' schedules; `ingest` takes what a pull brings. */
  start(ingest: (message: IncomingMessage) => Promise<IngestResult>): Promise<void>;
  close(): Promise<void>;
}

export function deliveryRuntime(db: SqlClient, settings: DeliverySettings): DeliveryRuntime {
  const { sync, env, clock } = settings;
  // Minimum necessary is defined on FHIR resource types; a target of kind http is sent the whole record.
  const gpHttp = sync.targets.find((t) => t.kind === 'http' && 'gpPractice' in t.records);
  if (gpHttp !== undefined) {
    throw new ConfigError(
      `target ${gpHttp.id}: a target of kind "http" is sent the whole record, more than a GP practice may receive (minimum necessary); give the practice a target of kind "fhir"`,
    );
  }
  const ledger = deliveryLedger(db);
  const clients = new Map<string, TargetClient>();
  const limits = new Map<string, TargetLimits>();
  let mappings: MappingRegistry | undefined;
  for (const t of sync.targets) {
    if (t.kind === 'fhir') clients.set(t.id, createFhirTarget(t, { env, clock }));
    else {
      mappings ??= settings.mappings();
      clients.set(t.id, createHttpTarget(t, { env, clock, writer: documentWriter(t, mappings) }));
    }
    limits.set(t.id, { concurrency: t.limits.concurrency, attempts: t.limits.attempts, ...(t.limits.perSecond === undefined ? {} : { perSecond: t.limits.perSecond }) });
  }
  const plan = deliveryPlan(sync.targets, settings.reference);
  const queueOptions = {
    connection: settings.connection,
    prefix: settings.prefix,
    backoffMs: settings.backoffMs,
    ...(settings.stalledMs === undefined ? {} : { stalledMs: settings.stalledMs }),
  };
  const queues = deliveryQueues(limits, queueOptions);
  const subscriptionSettings = settings.subscriptions ?? {};
  const subscriptions = subscriptionStore(db);
  const directory = cachedSubscriptionDirectory(subscriptions, { ttlMs: subscriptionSettings.cacheMs ?? 5000, now: () => clock.now() });
  const notifications = subscriptionDeliveries(
    {
      ledger,
      subscriptions,
      client: (s) => createRestHookTarget(s, { clock, timeoutMs: subscriptionSettings.timeoutMs ?? 30_000 }),
      clock,
      leaseMs: settings.leaseMs,
      ...(settings.bundles === undefined ? {} : { bundles: settings.bundles }),
      changed: () => directory.invalidate(),
      observers: settings.observers,
    },
    { ...queueOptions, attempts: subscriptionSettings.attempts ?? 8, concurrency: subscriptionSettings.concurrency ?? 4 },
  );
  const closers: (() => Promise<void>)[] = [
    () => queues.close(),
    () => notifications.close(),
    async () => Promise.all([...clients.values()].map((c) => c.close())).then(() => {}),
  ];

  return {
    plan: async (record, from, bundle) => [...plan.plan(record, from), ...planSubscriptions(await directory.active(), settings.reference, record, from, bundle)],
    enqueueDelivery: (job) => (subscriptionIdOf(job.targetId) === undefined ? queues.enqueue(job) : notifications.enqueue(job)),
    ledger,
    subscriptions: { store: subscriptions, directory },
    depths: () => queues.depths(),
    async start(ingest) {
      const deps: DeliverDeps = {
        ledger,
        clients,
        prepare: plan.prepare,
        clock,
        leaseMs: settings.leaseMs,
        ...(settings.bundles === undefined ? {} : { bundles: settings.bundles }),
      };
      const workers = startDeliveryWorkers(deps, limits, { ...queueOptions, connection: settings.workerConnection }, settings.observers);
      closers.push(() => workers.close());
      notifications.start(settings.workerConnection);
      if (sync.sources.length === 0) return;
      const cursors = cursorStore(db);
      const { log } = settings.observers;
      const sources = new Map(sync.sources.map((s) => [s.id, { source: s, auth: createAuthenticator(s.auth, { targetId: s.id, env, clock, timeoutMs: 30_000 }) }]));
      /** One run's dependencies: its requests to the source and the messages it brings carry the run's correlation id. */
      const runDeps = (sourceId: string, requestId: string) => {
        const { source, auth } = sources.get(sourceId)!;
        const reader = fhirReader({
          sourceId,
          baseUrl: source.baseUrl,
          headers: async (): Promise<Record<string, string>> => {
            const authorization = await auth.authorization();
            return { 'x-request-id': requestId, ...(authorization === undefined ? {} : { authorization }) };
          },
        });
        return {
          reader,
          cursors,
          clock,
          ingest: (message: IncomingMessage) => ingest({ ...message, requestId }),
          writtenByPont: (system: string, type: string, id: string) => writtenByPont(db, system, type, id),
          originOf: (resource: Resource) => originOf([resource]),
        };
      };
      const pulls = await startPulls(
        sync.sources.map((s) => ({ sourceId: s.id, everyMs: durationMs(s.every) })),
        async (sourceId, job) => {
          if (!sources.has(sourceId)) return;
          const requestId = randomUUID();
          const l = log.child({ queue: 'pont-pull', sourceId, jobId: job.id, requestId });
          try {
            const { refused, cursor: _, ...counts } = await pull(runDeps(sourceId, requestId), sourceId);
            l.info({ ...counts, refused: refused.length }, 'pull run finished');
          } catch (err) {
            l.warn({ err }, 'pull run failed: the next run starts from the same cursor');
            throw err;
          }
        },
        { connection: settings.connection, workerConnection: settings.workerConnection, prefix: settings.prefix },
      );
      closers.push(() => pulls.close());
    },
    async close() {
      for (const close of closers.splice(0).reverse()) await close();
    },
  };
}
