/**
 * What the pipeline and the HTTP edge count, as prom-client instruments on a Registry passed in
 * (never prom-client's global default). Labels are codes only: stages, targets, rule ids,
 * outcomes, route templates; never a value from a record.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PipelineMetrics, QueueDepth } from '../ports/metrics.js';

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

export function pipelineMetrics(registry: Registry): PipelineMetrics {
  const registers = [registry];
  const ingested = new Counter({ name: 'pont_ingest_total', help: 'Messages handed in, by outcome (accepted, duplicate, refused)', labelNames: ['outcome'], registers });
  const processing = new Histogram({
    name: 'pont_message_processing_seconds',
    help: 'From a message being received to its processing, by the stage it reached',
    labelNames: ['stage'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const findings = new Counter({
    name: 'pont_findings_total',
    help: 'Compliance findings about stored record versions, by rule id and result',
    labelNames: ['rule', 'result'],
    registers,
  });
  const deliveries = new Counter({ name: 'pont_deliveries_total', help: 'Delivery attempts, by target and outcome', labelNames: ['target', 'outcome'], registers });
  const delivering = new Histogram({
    name: 'pont_delivery_seconds',
    help: 'From a record version being processed (its delivery planned) to its arrival at the target, by target',
    labelNames: ['target'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const deadLetters = new Counter({ name: 'pont_dead_letters_total', help: 'Work set aside for good, by queue and reason code', labelNames: ['queue', 'reason'], registers });
  const requests = new Counter({
    name: 'pont_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'pont_http_request_seconds',
    help: 'HTTP request durations, by method and route template',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers,
  });
  return {
    ingested: (outcome) => ingested.inc({ outcome }),
    processed(stage, latencyMs, counts) {
      processing.observe({ stage }, Math.max(0, latencyMs) / 1000);
      for (const f of counts) findings.inc({ rule: f.ruleId, result: f.result }, f.count);
    },
    delivery(targetId, outcome, latencyMs) {
      deliveries.inc({ target: targetId, outcome });
      if (latencyMs !== undefined) delivering.observe({ target: targetId }, Math.max(0, latencyMs) / 1000);
    },
    deadLetter: (queue, reason) => deadLetters.inc({ queue, reason }),
    httpRequest(method, route, status, ms) {
      requests.inc({ method, route, status: String(status) });
      requestSeconds.observe({ method, route }, ms / 1000);
    },
  };
}

/** The queues' depths, read from `depths` (BullMQ's counts) on every scrape. */
export function queueDepthGauge(registry: Registry, depths: () => Promise<readonly QueueDepth[]>): void {
  new Gauge({
    name: 'pont_queue_jobs',
    help: 'Jobs in each queue (process, and deliver per target) by state, counted when scraped',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const d of await depths()) this.set({ queue: d.queue, state: d.state }, d.count);
    },
  });
}
