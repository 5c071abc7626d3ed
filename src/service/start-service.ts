/**
 * `pont serve` composed: the sync pipeline (store, check pool, process queue and worker,
 * reconciler: sync-pipeline.ts) and the HTTP API (src/http/app.ts), all around one core,
 * reporting to one logger and one metrics Registry. The API is open only to the clients the
 * configuration registers (SMART Backend Services); with none registered it is open to whoever
 * reaches the loopback address, and pont refuses to listen anywhere else. Stops gracefully: no new requests, then the
 * pipeline stops (active jobs finish first).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { Patient } from '@medplum/fhirtypes';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { Core } from '../app/compose.js';
import { evaluateMeasure, measureResources } from '../app/evaluate-measure.js';
import { ConfigError } from '../errors/errors.js';
import { type ApiAccess, createApp } from '../http/app.js';
import { problem } from '../http/outcome.js';
import { redisReplayGuard } from '../http/security/redis-replay-guard.js';
import { createSecurity } from '../http/security/security.js';
import type { SigningKeyIo } from '../http/security/signing-key.js';
import { silentLogger } from '../log/logger.js';
import { pipelineMetrics, queueDepthGauge } from '../metrics/pipeline-metrics.js';
import type { Clock } from '../ports/clock.js';
import { auditLog } from '../store/audit-events.js';
import { replayDeliveries } from '../store/deliveries.js';
import { sqlExportJobStore } from '../store/export-jobs.js';
import { sqlExportReader } from '../store/export-reader.js';
import { sqlRecordStore } from '../store/record-store.js';
import { sqlResourceReader } from '../store/resources.js';
import { listenOn } from './listen.js';
import { type PipelineConfig, startPipeline } from './sync-pipeline.js';

export interface ServiceConfig extends Omit<PipelineConfig, 'metrics'> {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  readonly maxBytes: number;
  /** Where the metrics are kept and scraped from (GET /metrics). @defaultValue a Registry of this service's own */
  readonly registry?: Registry;
  /** How long a request may take before it is answered 503. @defaultValue 30000 */
  readonly requestTimeoutMs?: number;
  /** The same for ingest, which checks a whole message before answering. @defaultValue 120000 */
  readonly ingestTimeoutMs?: number;
  /** Requests per client per window. @defaultValue 600 a minute */
  readonly rateLimit?: { readonly windowMs: number; readonly limit: number };
  /** pont's version, for the OpenAPI document. */
  readonly version?: string;
  /** Where pont's token-signing key is read from when the configuration names a file or a variable. @defaultValue neither can be read */
  readonly signingKeyIo?: SigningKeyIo;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export interface RunningService {
  readonly url: string;
  readonly description: string;
  stop(): Promise<void>;
}

/** `core` is asked for only when messages are checked in the main thread (`checkThreads` 0). */
export async function startService(core: () => Core, clock: Clock, config: ServiceConfig): Promise<RunningService> {
  if ((config.sync.clients ?? []).length === 0 && !LOOPBACK.has(config.host))
    throw new ConfigError(
      `no API clients are configured (PONT_CONFIG clients:), so pont listens only on a loopback address, not ${config.host}: register clients or use --host 127.0.0.1`,
    );
  const registry = config.registry ?? new Registry();
  const log = config.log ?? silentLogger();
  const metrics = pipelineMetrics(registry);
  const pipeline = await startPipeline(core, clock, { ...config, log, metrics });
  queueDepthGauge(registry, () => pipeline.depths());
  const requestTimeoutMs = config.requestTimeoutMs ?? 30_000;
  const ingestTimeoutMs = config.ingestTimeoutMs ?? 120_000;
  // Listening first, so that the token endpoint's address (the audience of client assertions) is the one bound.
  // Until the API is built (moments), a request is told to come back rather than left hanging.
  const starting = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503, { 'Retry-After': '1', 'Content-Type': 'application/fhir+json' }).end(JSON.stringify(problem('transient', 'pont is starting')));
  };
  const server = createServer(starting);
  let url: string;
  try {
    url = await listenOn(server, config.port, config.host);
  } catch (err) {
    await pipeline.stop();
    throw err;
  }
  try {
    const access = await apiAccess(config, pipeline, clock, url);
    for (const notice of access.kind === 'clients' ? access.security.notices : ['no API clients are configured: the API is open to this machine alone (loopback)'])
      log.warn({ event: 'security' }, notice);
    const { messages, db } = pipeline;
    const records = sqlRecordStore(db);
    const resources = sqlResourceReader(db);
    const measureDeps = { measureDeps: pipeline.measureDeps, reference: pipeline.reference };
    const app = createApp({
      access,
      ingest: { ingest: (message) => pipeline.ingest(message), history: (id) => messages.history(id), formats: pipeline.deps.sources, maxBytes: config.maxBytes },
      operations: {
        formats: pipeline.deps.sources,
        maxBytes: config.maxBytes,
        clock,
        checkJson: pipeline.checkJson,
        measures: measureResources(),
        evaluate: (request) => evaluateMeasure(measureDeps, records, request),
        patient: async (scope, id) => {
          const read = await resources.read(scope, 'Patient', id);
          return read.status === 'found' ? (read.version.resource as Patient) : undefined;
        },
      },
      resources,
      bulk: { jobs: sqlExportJobStore(db), reader: sqlExportReader(db) },
      subscriptions: { subscriptions: pipeline.subscriptions.store, clock, changed: () => pipeline.subscriptions.directory.invalidate() },
      deadLetters: {
        messages,
        clock,
        processQueue: pipeline.deps.processQueue,
        replayDeliveries: (messageId, at) => replayDeliveries(db, messageId, at),
        ...(pipeline.deps.enqueueDelivery === undefined ? {} : { enqueueDelivery: pipeline.deps.enqueueDelivery }),
      },
      log,
      metrics,
      registry,
      probes: pipeline.probes,
      version: config.version ?? '0.0.0',
      requestTimeoutMs,
      ingestTimeoutMs,
      rateLimit: { ...(config.rateLimit ?? { windowMs: 60_000, limit: 600 }), shared: { redis: pipeline.redis, prefix: config.queuePrefix } },
      audit: auditLog(db),
      clock,
      site: hostname(),
    });
    server.off('request', starting);
    server.on('request', app);
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pipeline.stop();
    throw err;
  }
  // A client that sends its request slowly is cut off by Node itself (408), past the handlers' own limit.
  server.requestTimeout = Math.max(requestTimeoutMs, ingestTimeoutMs) + 5000;
  server.headersTimeout = Math.min(60_000, requestTimeoutMs + 5000);
  log.info({ event: 'listen', url }, 'HTTP edge listening');
  return {
    url,
    description: pipeline.description,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      log.info({ event: 'stop' }, 'HTTP edge closed');
      await pipeline.stop();
    },
  };
}

/** The configured clients and their security, or the loopback-only open mode when there are none. */
async function apiAccess(config: ServiceConfig, pipeline: { readonly redis: Redis }, clock: Clock, url: string): Promise<ApiAccess> {
  if ((config.sync.clients ?? []).length === 0) return { kind: 'local-open' };
  const security = await createSecurity(config.sync, {
    defaultPublicUrl: url,
    replay: redisReplayGuard(pipeline.redis, `${config.queuePrefix}:auth`),
    clock,
    io: config.signingKeyIo ?? { readText: (path) => Promise.reject(new Error(`no file may be read here (${path})`)), env: {} },
  });
  return { kind: 'clients', security };
}
