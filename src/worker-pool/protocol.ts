/** The messages between the check pool and its threads: plain data only (structured clone). */
import type { CheckOptions } from '../app/check.js';
import type { CheckResultJson } from '../app/check-json.js';
import type { SourceInput } from '../app/inputs.js';
import type { MessageCheck } from '../app/message-check.js';
import type { SentError } from './thread-error.js';

export interface ThreadData {
  /** pont's configuration folder (mappings, profiles, rule packs), as the main thread's core reads it. */
  readonly configDir: string;
}

export interface ToThread {
  readonly id: number;
  readonly input: SourceInput;
  readonly options?: CheckOptions;
  /** The main thread's clock at the time of asking, ISO 8601. */
  readonly now: string;
  /** What to send back: what the sync keeps of a message (default), or the check's JSON form (`POST /$check`, `pont check --format json`). */
  readonly shape?: 'message' | 'json';
}

export type ToPool =
  | { readonly type: 'ready'; readonly sources: readonly string[] }
  /** The core could not be built (a configuration fault): the thread takes no task. */
  | { readonly type: 'broken'; readonly error: SentError }
  | { readonly type: 'done'; readonly id: number; readonly result: MessageCheck | readonly CheckResultJson[] }
  | { readonly type: 'failed'; readonly id: number; readonly error: SentError };
