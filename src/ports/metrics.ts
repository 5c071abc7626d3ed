/**
 * What the edges count (src/metrics/pipeline-metrics.ts counts it with prom-client), and the log
 * and counters the queue workers and the service report to.
 */
import type { Log } from './log.js';

/** Jobs in one state of one queue, as BullMQ counts them. */
export interface QueueDepth {
  readonly queue: string;
  readonly state: string;
  readonly count: number;
}

export interface PipelineMetrics {
  /** A message accepted, found a duplicate, or refused at ingest. */
  ingested(outcome: 'accepted' | 'duplicate' | 'refused'): void;
  /** A message reached `stage`; `latencyMs` from its receipt. */
  processed(stage: string, latencyMs: number, findings: readonly { readonly ruleId: string; readonly result: string; readonly count: number }[]): void;
  /** One delivery attempt's outcome; `latencyMs` from the delivery's planning to its arrival, when delivered. */
  delivery(targetId: string, outcome: string, latencyMs?: number): void;
  deadLetter(queue: string, reason: string): void;
  /** An HTTP request answered, by its route template (never the path as sent). */
  httpRequest(method: string, route: string, status: number, ms: number): void;
}

/** The log and counters a worker or service reports to. */
export interface Observers {
  readonly log: Log;
  readonly metrics: PipelineMetrics;
}

/** For a process with nothing to scrape it (`pont worker`, tests that do not look). */
export function uncountedMetrics(): PipelineMetrics {
  const nothing = () => {};
  return { ingested: nothing, processed: nothing, delivery: nothing, deadLetter: nothing, httpRequest: nothing };
}
