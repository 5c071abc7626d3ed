/** The queues of the sync pipeline and their jobs: ingest → process → deliver. Names live only here. */
export const PROCESS_QUEUE = 'pont-process';
export const DELIVER_QUEUE = 'pont-deliver';

/** What a process job carries: the id of a message already committed to the store, nothing else. */
export interface ProcessJob {
  readonly messageId: string;
}
