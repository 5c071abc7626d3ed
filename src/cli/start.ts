/** The `pont` command, once the Node.js version is known to be right: composes the core from pont's own configuration and the system clock. */
import { join } from 'node:path';
import { createCore } from '../app/compose.js';
import { systemClock } from '../ports/clock.js';
import { directoryConfig } from '../ports/directory-config.js';
import { DEFAULT_REDIS_URL } from '../queue/queues.js';
import { storeSettings } from '../store/settings.js';
import type { StoreAccess } from './dlq-command.js';
import { readInputText } from './input-file.js';
import { PACKAGE_ROOT } from './package-root.js';
import { run } from './run.js';

// A reader that stops early (`pont map … | head`) closes the pipe: stop quietly, as other Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/** Writes to standard output, waiting for it to drain when full, so long reports stream in bounded memory. */
function stdout(text: string): void | Promise<void> {
  if (process.stdout.write(text)) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

/**
 * The store for `pont dlq` and `pont status`, as the environment configures it, and the process
 * queue when Redis answers. The drivers load only for these commands (they take a third of a
 * second), not for `check`, `map` or `report`.
 */
async function openStore(): Promise<StoreAccess> {
  const [{ openStore: openSqlStore }, { messageStore }, { replayDeliveries }, { connectRedis }, { jobQueue }, { PROCESS_QUEUE }] = await Promise.all([
    import('../store/open.js'),
    import('../store/messages.js'),
    import('../store/deliveries.js'),
    import('../queue/redis.js'),
    import('../queue/job-queue.js'),
    import('../queue/queues.js'),
  ]);
  const db = await openSqlStore(storeSettings(process.env, process.cwd()));
  let redis: Awaited<ReturnType<typeof connectRedis>> | undefined;
  try {
    redis = await connectRedis(process.env.REDIS_URL ?? DEFAULT_REDIS_URL, 1000);
  } catch {
    redis = undefined; // replayed messages are then queued by the service's reconciler
  }
  const processQueue = redis ? jobQueue<{ messageId: string }>(PROCESS_QUEUE, { connection: redis, prefix: process.env.PONT_QUEUE_PREFIX ?? 'pont' }) : undefined;
  return {
    messages: messageStore(db),
    // Replayed deliveries are queued by the service's reconciler, which knows the targets' queues.
    replayDeliveries: (messageId, at) => replayDeliveries(db, messageId, at),
    ...(processQueue ? { processQueue } : {}),
    async close() {
      await processQueue?.close();
      redis?.disconnect();
      await db.close();
    },
  };
}

/** The sync service's settings the environment gives, for `pont serve` and `pont worker`. */
const environment = () => ({
  store: storeSettings(process.env, process.cwd()),
  redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  queuePrefix: process.env.PONT_QUEUE_PREFIX ?? 'pont',
  env: (name: string) => process.env[name],
});

/** The service's logger: JSON lines on standard output at LOG_LEVEL (pino loads only for `serve` and `worker`). */
const serviceLog = async () => {
  const { createLogger, logLevelFrom } = await import('../log/logger.js');
  return createLogger({ level: logLevelFrom(process.env.LOG_LEVEL), base: { service: 'pont', pid: process.pid } });
};

/** pont's version, from its package.json (read when the service starts, for the OpenAPI document). */
const version = async () => (JSON.parse(await readInputText(join(PACKAGE_ROOT, 'package.json'), 1 << 20)) as { version: string }).version;

/** Where the API's signing key may come from when the configuration names a file or a variable. */
const signingKeyIo = { readText: (path: string) => readInputText(path, 1 << 16), env: process.env };

/** The targets and sources file (PONT_CONFIG), read and checked; none configured when there is none. */
const syncConfig = async () => {
  const path = process.env.PONT_CONFIG;
  if (path === undefined || path.trim() === '') return { targets: [], sources: [] };
  const { parseSyncConfig } = await import('../config/sync-config.js');
  return parseSyncConfig(await readInputText(path, 1 << 20), path);
};

const stopSignal = () =>
  new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });

const code = await run(
  process.argv.slice(2),
  { stdout, stderr: (t) => process.stderr.write(t) },
  () => createCore({ config: directoryConfig(PACKAGE_ROOT), clock: systemClock() }),
  {
    openStore,
    clock: systemClock(),
    serve: {
      environment,
      configDir: PACKAGE_ROOT,
      syncConfig,
      start: async (core, clock, config) =>
        (await import('../service/start-service.js')).startService(core, clock, { ...config, version: await version(), signingKeyIo, log: await serviceLog() }),
      stopSignal,
    },
    worker: {
      environment,
      syncConfig,
      configDir: PACKAGE_ROOT,
      start: async (core, clock, config) => (await import('../service/start-worker.js')).startWorker(core, clock, { ...config, log: await serviceLog() }),
      stopSignal,
    },
  },
);
process.exitCode = code;
