/** `pont serve`: runs the sync service until SIGINT or SIGTERM, then stops it gracefully. */
import type { Command } from 'commander';
import type { Core } from '../app/compose.js';
import { UsageError } from '../errors/errors.js';
import type { Clock } from '../ports/clock.js';
import type { RunningService, ServiceConfig } from '../service/start-service.js';
import { DEFAULT_MAX_BYTES } from './input-file.js';
import type { Io } from './io.js';
import { parseMaxBytes } from './options.js';

export interface ServeCommandDeps {
  readonly io: Io;
  readonly core: () => Core;
  readonly clock: Clock;
  /** The service's settings the environment gives (store, Redis, queue prefix). */
  readonly environment: () => Pick<ServiceConfig, 'store' | 'redisUrl' | 'queuePrefix'>;
  /** The targets and sources file (PONT_CONFIG), read and checked; none configured when there is none. */
  readonly syncConfig: () => Promise<ServiceConfig['sync']>;
  readonly start: (core: Core, clock: Clock, config: ServiceConfig) => Promise<RunningService>;
  /** Resolves when the process is asked to stop. */
  readonly stopSignal: () => Promise<string>;
}

export function registerServeCommand(program: Command, deps: ServeCommandDeps): void {
  program
    .command('serve')
    .description('run the sync service: POST /ingest/{source}?format=…, GET /messages/{id}; store DATABASE_URL or PGlite in PONT_DATA_DIR, queue REDIS_URL')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '8080')
    .option('--max-bytes <n>', 'largest message accepted, in bytes', String(DEFAULT_MAX_BYTES))
    .option('--concurrency <n>', 'messages processed at once', '4')
    .action(async (options: { host: string; port: string; maxBytes: string; concurrency: string }) => {
      const port = positiveInteger(options.port, '--port', 0);
      const concurrency = positiveInteger(options.concurrency, '--concurrency', 1);
      const sync = await deps.syncConfig();
      const config: ServiceConfig = {
        ...deps.environment(),
        sync,
        host: options.host,
        port,
        maxBytes: parseMaxBytes(options.maxBytes),
        reconcileEveryMs: 60_000,
        concurrency,
      };
      const service = await deps.start(deps.core(), deps.clock, config);
      deps.io.stderr(`pont serve: listening on ${service.url} (${service.description})\n`);
      const signal = await deps.stopSignal();
      deps.io.stderr(`pont serve: ${signal}: stopping (active jobs finish first)\n`);
      await service.stop();
    });
}

function positiveInteger(text: string, option: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > 65_535) throw new UsageError(`${option} must be a whole number from ${min} to 65535`);
  return n;
}
