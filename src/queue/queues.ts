/** The queues of the sync pipeline: ingest → process → deliver. Names live only here. */
export const PROCESS_QUEUE = 'pont-process';
export const DELIVER_QUEUE = 'pont-deliver';
/** One queue for the deliveries of every Subscription (named apart from `pont-deliver-{target}`, which any target id could take). */
export const SUBSCRIPTION_QUEUE = 'pont-notify';
export const PULL_QUEUE = 'pont-pull';

/** Where the queues' Redis is looked for when REDIS_URL is not set. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
