/**
 * A check thread of the pool (check-pool.ts): builds its own core once, from the configuration
 * folder it is given, then checks one message at a time. Each task brings the main thread's
 * "now", so that results are those the core would give in the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkRunJson } from '../app/check-json.js';
import { createCore } from '../app/compose.js';
import { checkMessage } from '../app/message-check.js';
import { type Clock, fixedClock } from '../ports/clock.js';
import { directoryConfig } from '../ports/directory-config.js';
import type { ThreadData, ToPool, ToThread } from './protocol.js';
import { sendError } from './thread-error.js';

const port = parentPort;
if (port === null) throw new Error('check-thread.ts runs only as a worker thread');
const post = (message: ToPool) => port.postMessage(message);

let current: Clock = fixedClock(new Date());
const clock: Clock = { now: () => current.now(), today: () => current.today() };

try {
  const core = createCore({ config: directoryConfig((workerData as ThreadData).configDir), clock });
  port.on('message', (task: ToThread) => {
    current = fixedClock(task.now);
    try {
      const result = task.shape === 'json' ? checkRunJson(core.check([task.input], task.options)) : checkMessage(core.check, task.input, task.options);
      post({ type: 'done', id: task.id, result });
    } catch (err) {
      post({ type: 'failed', id: task.id, error: sendError(err) });
    }
  });
  post({ type: 'ready', sources: core.sources });
} catch (err) {
  post({ type: 'broken', error: sendError(err) });
}
