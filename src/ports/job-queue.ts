/** Where the core hands work on: a queue of jobs by id (BullMQ in src/queue, or anything else). */
export interface JobQueue<Data> {
  /** Adds a job; a job with the same id already waiting, active or done is not added again, and one that failed is retried. */
  add(jobId: string, data: Data): Promise<void>;
  close(): Promise<void>;
}
