/**
 * The per-request context the ops middleware keep in `res.locals`: the correlation id and the
 * request's logger (a child carrying that id). Typed accessors, so handlers need not know the keys.
 */
import type { Response } from 'express';
import type { Log } from '../../ports/log.js';

const REQUEST_ID = 'requestId';
const LOG = 'log';

export function setRequestContext(res: Response, requestId: string, log: Log): void {
  res.locals[REQUEST_ID] = requestId;
  res.locals[LOG] = log;
}

/** The request's correlation id; undefined when the request-id middleware is not mounted. */
export function requestIdOf(res: Response): string | undefined {
  const id: unknown = res.locals[REQUEST_ID];
  return typeof id === 'string' ? id : undefined;
}

/** The request's logger, or `fallback` when the request-id middleware is not mounted. */
export function logOf(res: Response, fallback: Log): Log {
  const log: unknown = res.locals[LOG];
  return log === undefined ? fallback : (log as Log);
}

/** The authenticated client's id, when the security middleware (src/http/security) set one. */
export function clientIdOf(res: Response): string | undefined {
  const id: unknown = (res.locals.client as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
