/**
 * `pont serve` composed: the sync pipeline (store, check pool, process queue and worker,
 * reconciler: sync-pipeline.ts) and the HTTP edge (src/http/service-app.ts), all around one core,
 * reporting to one logger and one metrics Registry. Stops gracefully: no new requests, then the
 * pipeline stops (active jobs finish first).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { Registry } from 'prom-client';
import type { Core } from '../app/compose.js';
import { createServiceApp } from '../http/service-app.js';
import { silentLogger } from '../log/logger.js';
import { pipelineMetrics, queueDepthGauge } from '../metrics/pipeline-metrics.js';
import type { Clock } from '../ports/clock.js';
import { auditLog } from '../store/audit-events.js';
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
}

export interface RunningService {
  readonly url: string;
  readonly description: string;
  stop(): Promise<void>;
}

/** `core` is asked for only when messages are checked in the main thread (`checkThreads` 0). */
export async function startService(core: () => Core, clock: Clock, config: ServiceConfig): Promise<RunningService> {
  const registry = config.registry ?? new Registry();
  const log = config.log ?? silentLogger();
  const metrics = pipelineMetrics(registry);
  const pipeline = await startPipeline(core, clock, { ...config, log, metrics });
  queueDepthGauge(registry, () => pipeline.depths());
  const requestTimeoutMs = config.requestTimeoutMs ?? 30_000;
  const ingestTimeoutMs = config.ingestTimeoutMs ?? 120_000;
  const app = createServiceApp({
    ingest: { ingest: (message) => pipeline.ingest(message), history: (id) => pipeline.messages.history(id), formats: pipeline.deps.sources, maxBytes: config.maxBytes },
    log,
    metrics,
    registry,
    probes: pipeline.probes,
    version: config.version ?? '0.0.0',
    requestTimeoutMs,
    ingestTimeoutMs,
    rateLimit: config.rateLimit ?? { windowMs: 60_000, limit: 600 },
    audit: auditLog(pipeline.db),
    clock,
    site: hostname(),
  });
  let server: Server;
  try {
    server = await new Promise((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s));
      s.once('error', reject);
    });
  } catch (err) {
    await pipeline.stop();
    throw err;
  }
  // A client that sends its request slowly is cut off by Node itself (408), past the handlers' own limit.
  server.requestTimeout = Math.max(requestTimeoutMs, ingestTimeoutMs) + 5000;
  server.headersTimeout = Math.min(60_000, requestTimeoutMs + 5000);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
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
