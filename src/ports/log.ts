/**
 * Where the edges (HTTP, queue workers, the service) report what happened: structured lines of
 * stages, ids, codes and counts. pino's Logger fits it (src/log/logger.ts makes one); the core
 * (src/app) never logs, its results are logged at the edges.
 */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Log {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  /** A log whose every line carries `bindings` as well (a request's or a job's ids). */
  child(bindings: LogFields): Log;
}
