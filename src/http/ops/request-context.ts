/**
 * The per-request context the ops middleware keep in `res.locals`: the correlation id and the
 * request's logger (a child carrying that id). Typed accessors, so handlers need not know the keys.
 */
import type { Request, Response } from 'express';
import type { Log } from '../../ports/log.js';

const REQUEST_ID = 'requestId';
const LOG = 'log';
const ROUTE = 'route';

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

/** The route a request matched, as written in the app (`/messages/:id`), or `unmatched`. */
export function routeTemplate(req: Request): string {
  const path: unknown = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/**
 * Notes the route template when the answer's head is written: Express unwinds req.route and
 * req.baseUrl as the request leaves a router, so by `finish` they are gone. Idempotent.
 */
export function captureRoute(req: Request, res: Response): void {
  if (res.locals[ROUTE] !== undefined) return;
  res.locals[ROUTE] = 'unmatched';
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<typeof writeHead>) {
    if (req.route !== undefined) res.locals[ROUTE] = routeTemplate(req);
    return writeHead.apply(this, args);
  } as typeof writeHead;
}

/** The route template noted by captureRoute; `unmatched` when none matched. */
export function routeOf(res: Response): string {
  const route: unknown = res.locals[ROUTE];
  return typeof route === 'string' ? route : 'unmatched';
}
