/** The process queue's worker: takes a message id off the queue and runs the core's processMessage. */
import { type ProcessJob, processMessage, type SyncDeps } from '../app/sync.js';
import { type RunningWorker, startWorker, type WorkerOptions } from './job-queue.js';
import { PROCESS_QUEUE } from './queues.js';

export function startProcessWorker(deps: SyncDeps, options: WorkerOptions): RunningWorker {
  return startWorker<ProcessJob>(PROCESS_QUEUE, (job) => processMessage(deps, job.messageId), options);
}
