/**
 * The process queue's worker: takes a message id off the queue and runs the core's
 * processMessage; a message whose processing fails for good is set aside as a dead letter, so
 * that the rest flow and the reconciler does not hand it on again.
 */
import { type ProcessJob, processMessage, type SyncDeps } from '../app/sync.js';
import { type RunningWorker, startWorker, type WorkerOptions } from './job-queue.js';
import { PROCESS_QUEUE } from './queues.js';

export function startProcessWorker(deps: SyncDeps, options: WorkerOptions): RunningWorker {
  return startWorker<ProcessJob>(
    PROCESS_QUEUE,
    (job) => processMessage(deps, job.messageId),
    options,
    (failed) => deps.messages.deadLetter(failed.data.messageId, { queue: PROCESS_QUEUE, reason: failed.reason, attempts: failed.attempts, at: deps.clock.now() }),
  );
}
