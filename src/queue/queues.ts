/** The queues of the sync pipeline: ingest → process → deliver. Names live only here. */
export const PROCESS_QUEUE = 'pont-process';
export const DELIVER_QUEUE = 'pont-deliver';
