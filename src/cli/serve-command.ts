/** `pont serve`: runs the sync service until SIGINT or SIGTERM, then stops it gracefully. */
import type { Command } from 'commander';
import type { Core } from '../app/compose.js';
import type { Clock } from '../ports/clock.js';
import type { RunningService, ServiceConfig } from '../service/start-service.js';
import { DEFAULT_MAX_BYTES } from './input-file.js';
import type { Io } from './io.js';
import { parseMaxBytes } from './options.js';
import { addPipelineOptions, type PipelineEnvironment, type PipelineOptions, pipelineConfig, wholeNumber } from './pipeline-options.js';

export interface ServeCommandDeps {
  readonly io: Io;
  readonly core: () => Core;
  readonly clock: Clock;
  /** The service's settings the environment gives (store, Redis, queue prefix). */
  readonly environment: () => PipelineEnvironment;
  /** pont's configuration folder (mappings, profiles, rule packs), which the check threads read. */
  readonly configDir: string;
  /** The targets and sources file (PONT_CONFIG), read and checked; none configured when there is none. */
  readonly syncConfig: () => Promise<ServiceConfig['sync']>;
  readonly start: (core: () => Core, clock: Clock, config: ServiceConfig) => Promise<RunningService>;
  /** Resolves when the process is asked to stop. */
  readonly stopSignal: () => Promise<string>;
}

export function registerServeCommand(program: Command, deps: ServeCommandDeps): void {
  addPipelineOptions(
    program
      .command('serve')
      .description(
        'run the sync service: POST /ingest/{source}?format=…, GET /messages/{id}, /healthz, /readyz, /metrics, /openapi.json; store DATABASE_URL or PGlite in PONT_DATA_DIR, queue REDIS_URL, logs to standard output at LOG_LEVEL',
      )
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--port <port>', 'port to listen on (0: any free port; default PORT, else 8080)')
      .option('--max-bytes <n>', 'largest message accepted, in bytes', String(DEFAULT_MAX_BYTES)),
  ).action(async (options: PipelineOptions & { host: string; port?: string; maxBytes: string }) => {
    const environment = deps.environment();
    const port = options.port ?? environment.env('PORT') ?? '8080';
    const config: ServiceConfig = {
      ...pipelineConfig(environment, deps.configDir, options, await deps.syncConfig()),
      host: options.host,
      port: wholeNumber(port, options.port === undefined && environment.env('PORT') !== undefined ? 'PORT' : '--port', 0, 65_535),
      maxBytes: parseMaxBytes(options.maxBytes),
    };
    const service = await deps.start(deps.core, deps.clock, config);
    deps.io.stderr(`pont serve: listening on ${service.url} (${service.description})\n`);
    const signal = await deps.stopSignal();
    deps.io.stderr(`pont serve: ${signal}: stopping (active jobs finish first)\n`);
    await service.stop();
  });
}
