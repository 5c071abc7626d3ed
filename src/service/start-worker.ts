/**
 * `pont worker`'s process: the sync pipeline's queue workers and reconciler, with their metrics
 * (the same as `pont serve` counts) kept in a Registry of its own and, when a metrics port is
 * given, scraped from `GET /metrics` there. That endpoint has no authentication, so it listens on
 * loopback unless the operator names another address: it carries codes and counts only.
 */
import { createServer } from 'node:http';
import express from 'express';
import { Registry } from 'prom-client';
import type { Core } from '../app/compose.js';
import { metricsRoute } from '../http/ops/metrics-route.js';
import { problem } from '../http/outcome.js';
import { silentLogger } from '../log/logger.js';
import { pipelineMetrics, queueDepthGauge } from '../metrics/pipeline-metrics.js';
import type { Clock } from '../ports/clock.js';
import { listenOn } from './listen.js';
import { type PipelineConfig, type RunningPipeline, startPipeline } from './sync-pipeline.js';

export interface WorkerConfig extends Omit<PipelineConfig, 'metrics'> {
  /** Serve `GET /metrics` on this port (0: any free port); none when absent. */
  readonly metricsPort?: number;
  /** @defaultValue 127.0.0.1 */
  readonly metricsHost?: string;
  /** @defaultValue a Registry of this worker's own */
  readonly registry?: Registry;
}

export interface RunningWorker extends RunningPipeline {
  /** Where its metrics are scraped, when served. */
  readonly metricsUrl?: string;
}

export async function startWorker(core: () => Core, clock: Clock, config: WorkerConfig): Promise<RunningWorker> {
  const registry = config.registry ?? new Registry();
  const log = config.log ?? silentLogger();
  const pipeline = await startPipeline(core, clock, { ...config, log, metrics: pipelineMetrics(registry) });
  queueDepthGauge(registry, () => pipeline.depths());
  if (config.metricsPort === undefined) return pipeline;
  const server = createServer(metricsApp(registry));
  let metricsUrl: string;
  try {
    metricsUrl = await listenOn(server, config.metricsPort, config.metricsHost ?? '127.0.0.1');
  } catch (err) {
    await pipeline.stop();
    throw err;
  }
  log.info({ event: 'listen', url: metricsUrl }, 'metrics endpoint listening');
  return {
    ...pipeline,
    metricsUrl,
    description: `${pipeline.description}; metrics at ${metricsUrl}/metrics`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pipeline.stop();
    },
  };
}

function metricsApp(registry: Registry): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsRoute(registry));
  app.use((_req, res) => void res.status(404).type('application/fhir+json').json(problem('not-found', 'a worker serves only GET /metrics')));
  return app;
}
