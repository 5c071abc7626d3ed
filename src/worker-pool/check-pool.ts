/**
 * The core's check (reading, mapping, validation, compliance) in a pool of worker threads, so
 * that the HTTP edge and the queue workers of the main thread stay responsive while messages are
 * converted: a message takes milliseconds to seconds of CPU, all of it synchronous. Each thread
 * builds its own core once; tasks wait in one queue, oldest first, for the next free thread. The
 * store stays in the main thread (PGlite is one connection per process).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CheckOptions } from '../app/check.js';
import type { CheckResultJson } from '../app/check-json.js';
import type { SourceInput } from '../app/inputs.js';
import type { CheckMessage, MessageCheck } from '../app/message-check.js';
import type { Clock } from '../ports/clock.js';
import type { ThreadData, ToPool, ToThread } from './protocol.js';
import { receiveError } from './thread-error.js';

export interface CheckPoolOptions {
  /** Threads in the pool, at least 1. */
  readonly threads: number;
  /** pont's configuration folder, which each thread's core reads. */
  readonly configDir: string;
  /** The main thread's clock: each task takes its "now" from it. */
  readonly clock: Clock;
  /** The threads' module; default check-thread (tests give one that fails on purpose). */
  readonly threadEntry?: URL;
}

export interface CheckPool {
  readonly threads: number;
  /** The source formats the threads' core reads. */
  readonly sources: readonly string[];
  readonly check: CheckMessage;
  /** The check of one input in its JSON form, the same as `pont check --format json` gives. */
  readonly checkJson: (input: SourceInput, options?: CheckOptions) => Promise<readonly CheckResultJson[]>;
  /** Stops the threads; tasks still waiting are refused. Close the callers first. */
  close(): Promise<void>;
}

/** One thread fewer than the machine's cores (the main thread has the rest), at least one. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const THREAD_ENTRY = new URL(FROM_SOURCE ? './check-thread.ts' : './check-thread.js', import.meta.url);
// A thread whose module is TypeScript (run from the sources: tests, tsx) needs tsx's loader as
// well: the sources import `.js` names that exist only as `.ts` files. A compiled one does not.
const threadArgv = (entry: URL): string[] => (entry.pathname.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : []);

interface Task {
  readonly message: ToThread;
  resolve(result: MessageCheck | readonly CheckResultJson[]): void;
  reject(err: Error): void;
}

interface Slot {
  readonly worker: Worker;
  task?: Task;
}

function poolFault(message: string): Error {
  const err = new Error(message);
  err.name = 'CheckThreadStopped';
  return err;
}

export async function startCheckPool(options: CheckPoolOptions): Promise<CheckPool> {
  if (!Number.isInteger(options.threads) || options.threads < 1) throw new RangeError('a check pool needs at least one thread');
  const waiting: Task[] = [];
  const ready: Slot[] = [];
  const running = new Set<Worker>();
  let closing = false;
  /** Set when the last thread was lost and could not be replaced: every task is refused with it. */
  let lost: Error | undefined;
  let nextId = 0;

  const dispatch = () => {
    for (const slot of ready) {
      if (waiting.length === 0) return;
      if (slot.task !== undefined) continue;
      slot.task = waiting.shift()!;
      slot.worker.postMessage(slot.task.message);
    }
  };

  /** Starts a thread; resolves with the formats its core reads once it is ready. */
  const spawn = (): Promise<readonly string[]> =>
    new Promise((resolve, reject) => {
      const data: ThreadData = { configDir: options.configDir };
      const entry = options.threadEntry ?? THREAD_ENTRY;
      const worker = new Worker(entry, { workerData: data, execArgv: threadArgv(entry) });
      running.add(worker);
      const slot: Slot = { worker };
      let started = false;
      worker.on('message', (message: ToPool) => {
        if (message.type === 'ready') {
          started = true;
          ready.push(slot);
          resolve(message.sources);
          dispatch();
        } else if (message.type === 'broken') {
          reject(receiveError(message.error));
          void worker.terminate();
        } else {
          const task = slot.task;
          slot.task = undefined;
          if (message.type === 'done') task?.resolve(message.result);
          else task?.reject(receiveError(message.error));
          dispatch();
        }
      });
      worker.on('error', () => {}); // an uncaught error in the thread: 'exit' follows and says what it cost
      worker.on('exit', () => {
        running.delete(worker);
        const i = ready.indexOf(slot);
        if (i >= 0) ready.splice(i, 1);
        if (!started) return reject(poolFault('a check thread stopped before its core was ready'));
        slot.task?.reject(poolFault('a check thread stopped while checking a message'));
        if (closing) return;
        // A thread lost (out of memory on one message, say) is replaced; if it cannot be, the
        // tasks waiting for a thread are refused rather than left to wait for ever.
        spawn().catch((err: Error) => {
          if (ready.length > 0) return;
          lost = err;
          for (const task of waiting.splice(0)) task.reject(err);
        });
      });
    });

  const started = await Promise.allSettled(Array.from({ length: options.threads }, spawn));
  const failure = started.find((s) => s.status === 'rejected');
  if (failure !== undefined) {
    closing = true;
    await Promise.all([...running].map((w) => w.terminate()));
    throw failure.reason;
  }
  const sources = (started[0] as PromiseFulfilledResult<readonly string[]>).value;

  const submit = (input: SourceInput, checkOptions: CheckOptions | undefined, shape: 'message' | 'json') =>
    new Promise<MessageCheck | readonly CheckResultJson[]>((resolve, reject) => {
      if (closing) return reject(poolFault('the check pool is closed'));
      if (lost !== undefined && ready.length === 0) return reject(lost);
      const message: ToThread = {
        id: nextId++,
        input,
        ...(checkOptions === undefined ? {} : { options: checkOptions }),
        now: options.clock.now().toISOString(),
        ...(shape === 'json' ? { shape } : {}),
      };
      waiting.push({ message, resolve, reject });
      dispatch();
    });

  return {
    threads: options.threads,
    sources,
    check: (input, checkOptions) => submit(input, checkOptions, 'message') as Promise<MessageCheck>,
    checkJson: (input, checkOptions) => submit(input, checkOptions, 'json') as Promise<readonly CheckResultJson[]>,
    async close() {
      closing = true;
      for (const task of waiting.splice(0)) task.reject(poolFault('the check pool is closed'));
      await Promise.all([...running].map((w) => w.terminate()));
    },
  };
}
