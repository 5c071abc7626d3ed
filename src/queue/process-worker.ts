/**
 * The process queue's worker: takes a message id off the queue and runs the core's
 * processMessage; a message whose processing fails for good is set aside as a dead letter, so
 * that the rest flow and the reconciler does not hand it on again. Each job logs under its ids
 * (job, message, request) what the message came to, and counts it.
 */
import { type ProcessJob, processMessage, type SyncDeps } from '../app/sync.js';
import type { Observers } from '../ports/metrics.js';
import { type RunningWorker, startWorker, type WorkerOptions } from './job-queue.js';
import { PROCESS_QUEUE } from './queues.js';

export function startProcessWorker(deps: SyncDeps, options: WorkerOptions, observers: Observers): RunningWorker {
  const { log, metrics } = observers;
  const jobLog = (data: ProcessJob, ids: Readonly<Record<string, unknown>>) =>
    log.child({ queue: PROCESS_QUEUE, messageId: data.messageId, ...(data.requestId === undefined ? {} : { requestId: data.requestId }), ...ids });
  return startWorker<ProcessJob>(
    PROCESS_QUEUE,
    async (data, job) => {
      const l = jobLog(data, { jobId: job.id, attempt: job.attempt });
      let summary: Awaited<ReturnType<typeof processMessage>>;
      try {
        summary = await processMessage(deps, data.messageId);
      } catch (err) {
        l.warn({ err }, 'processing failed');
        throw err;
      }
      const ids = data.requestId === undefined && summary.requestId !== undefined ? { requestId: summary.requestId } : {};
      if (summary.kind === 'skipped') return l.debug({ ...ids, stage: summary.stage }, 'message already handled');
      const { kind: _, receivedAt, findings, requestId: __, ...counts } = summary;
      const latencyMs = deps.clock.now().getTime() - receivedAt.getTime();
      l.info({ ...ids, ...counts, findings: findings.reduce((n, f) => n + f.count, 0), latencyMs }, `message ${summary.stage}`);
      metrics.processed(summary.stage, latencyMs, findings);
    },
    options,
    async (failed) => {
      await deps.messages.deadLetter(failed.data.messageId, { queue: PROCESS_QUEUE, reason: failed.reason, attempts: failed.attempts, at: deps.clock.now() });
      jobLog(failed.data, {}).error({ stage: 'dead', reason: failed.reason, attempts: failed.attempts }, 'message dead-lettered');
      metrics.deadLetter(PROCESS_QUEUE, failed.reason);
    },
  );
}
