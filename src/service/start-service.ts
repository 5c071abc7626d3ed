/**
 * `pont serve` composed: the sync pipeline (store, check pool, process queue and worker,
 * reconciler: sync-pipeline.ts) and the HTTP ingest edge, all around one core. Stops gracefully:
 * no new requests, then the pipeline stops (active jobs finish first).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '../app/compose.js';
import { ingest } from '../app/sync.js';
import { createIngestApp } from '../http/ingest-app.js';
import type { Clock } from '../ports/clock.js';
import { type PipelineConfig, startPipeline } from './sync-pipeline.js';

export interface ServiceConfig extends PipelineConfig {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  readonly maxBytes: number;
}

export interface RunningService {
  readonly url: string;
  readonly description: string;
  stop(): Promise<void>;
}

/** `core` is asked for only when messages are checked in the main thread (`checkThreads` 0). */
export async function startService(core: () => Core, clock: Clock, config: ServiceConfig): Promise<RunningService> {
  const pipeline = await startPipeline(core, clock, config);
  const { deps, messages } = pipeline;
  const app = createIngestApp({ ingest: (message) => ingest(deps, message), history: (id) => messages.history(id), formats: deps.sources, maxBytes: config.maxBytes });
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
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    description: pipeline.description,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pipeline.stop();
    },
  };
}
