/** The options `pont serve` and `pont worker` share: how much work runs at once, and when a dead worker's jobs are taken over. */
import type { Command } from 'commander';
import { UsageError } from '../errors/errors.js';
import type { PipelineConfig } from '../service/sync-pipeline.js';
import { defaultThreads } from '../worker-pool/check-pool.js';

export interface PipelineOptions {
  concurrency: string;
  threads: string;
  stalledMs: string;
}

export function addPipelineOptions(command: Command): Command {
  return command
    .option('--concurrency <n>', 'messages processed at once', '4')
    .option('--threads <n>', 'worker threads that convert and check messages, by default one fewer than the cores (0: in the main thread)', String(defaultThreads()))
    .option('--stalled-ms <ms>', "how long a job may go without its worker's heartbeat before another worker takes it over", '30000');
}

/** The pipeline's settings from the environment's and the command line's. */
/** The service's settings the environment gives (store, Redis, queue prefix, secrets by name). */
export type PipelineEnvironment = Pick<PipelineConfig, 'store' | 'redisUrl' | 'queuePrefix' | 'env'>;

export function pipelineConfig(environment: PipelineEnvironment, configDir: string, options: PipelineOptions, sync: PipelineConfig['sync']): PipelineConfig {
  return {
    ...environment,
    sync,
    configDir,
    concurrency: wholeNumber(options.concurrency, '--concurrency', 1, 1000),
    checkThreads: wholeNumber(options.threads, '--threads', 0, 256),
    stalledMs: wholeNumber(options.stalledMs, '--stalled-ms', 100, 3_600_000),
    reconcileEveryMs: 60_000,
  };
}

export function wholeNumber(text: string, option: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${option} must be a whole number from ${min} to ${max}`);
  return n;
}
