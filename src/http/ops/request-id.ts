/**
 * Correlation ids: a request's `X-Request-Id` is taken when it is a sane token (letters, digits and
 * `._:-`, at most 128), else a new UUID is made; it is echoed in the response, kept with the
 * request's logger, stored with an ingested message and carried to its jobs and outbound calls.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Log } from '../../ports/log.js';
import { setRequestContext } from './request-context.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const SANE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The id to use for a request that sent `given`. */
export function requestIdFrom(given: string | undefined, make: () => string = randomUUID): string {
  return given !== undefined && SANE.test(given) ? given : make();
}

export function requestId(log: Log, make: () => string = randomUUID): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const id = requestIdFrom(req.get(REQUEST_ID_HEADER), make);
    res.set(REQUEST_ID_HEADER, id);
    setRequestContext(res, id, log.child({ requestId: id }));
    next();
  };
}
