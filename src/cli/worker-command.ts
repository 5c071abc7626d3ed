/**
 * `pont worker`: the sync pipeline's queue workers and reconciler without the HTTP edge, against
 * the store and Redis the environment names, so that processing scales out over processes and
 * machines. Runs until SIGINT or SIGTERM, then stops gracefully.
 */
import type { Command } from 'commander';
import type { Core } from '../app/compose.js';
import { UsageError } from '../errors/errors.js';
import type { Clock } from '../ports/clock.js';
import type { RunningWorker, WorkerConfig } from '../service/start-worker.js';
import type { Io } from './io.js';
import { addPipelineOptions, type PipelineOptions, pipelineConfig, wholeNumber } from './pipeline-options.js';
import type { ServeCommandDeps } from './serve-command.js';

export interface WorkerCommandDeps extends Pick<ServeCommandDeps, 'environment' | 'configDir' | 'stopSignal' | 'syncConfig'> {
  readonly io: Io;
  readonly core: () => Core;
  readonly clock: Clock;
  readonly start: (core: () => Core, clock: Clock, config: WorkerConfig) => Promise<RunningWorker>;
}

export const EMBEDDED_STORE_REFUSED =
  'DATABASE_URL is not set: pont worker needs a PostgreSQL server, since the embedded store (PGlite in PONT_DATA_DIR) opens in one process only and separate workers cannot share it; set DATABASE_URL, or run `pont serve` alone, which runs the workers in its own process';

export function registerWorkerCommand(program: Command, deps: WorkerCommandDeps): void {
  addPipelineOptions(
    program
      .command('worker')
      .description('run the queue workers and the reconciler without the HTTP edge (scale out: several on several machines); store DATABASE_URL, queue REDIS_URL')
      .option('--metrics-port <port>', 'serve GET /metrics (Prometheus) on this port (0: any free port; default METRICS_PORT, else none)')
      .option('--metrics-host <host>', 'address the metrics endpoint listens on (it has no authentication)', '127.0.0.1'),
  ).action(async (options: PipelineOptions & { metricsPort?: string; metricsHost: string }) => {
    const environment = deps.environment();
    if (!environment.store.databaseUrl) throw new UsageError(EMBEDDED_STORE_REFUSED);
    const port = options.metricsPort ?? environment.env('METRICS_PORT');
    const metrics =
      port === undefined
        ? {}
        : { metricsPort: wholeNumber(port, options.metricsPort === undefined ? 'METRICS_PORT' : '--metrics-port', 0, 65_535), metricsHost: options.metricsHost };
    const pipeline = await deps.start(deps.core, deps.clock, { ...pipelineConfig(environment, deps.configDir, options, await deps.syncConfig()), ...metrics });
    deps.io.stderr(`pont worker: running (${pipeline.description})\n`);
    const signal = await deps.stopSignal();
    deps.io.stderr(`pont worker: ${signal}: stopping (active jobs finish first)\n`);
    await pipeline.stop();
  });
}
