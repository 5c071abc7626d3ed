/**
 * A request that has no answer within the limit is answered 503 with an OperationOutcome (and
 * Retry-After) instead of leaving the socket hanging; the handler still running sees the request's
 * signal aborted (`timeoutSignalOf`) and its late answer is dropped.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { problem } from '../outcome.js';

const SIGNAL = 'timeoutSignal';

export function requestTimeout(ms: number): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const controller = new AbortController();
    res.locals[SIGNAL] = controller.signal;
    const timer = setTimeout(() => {
      controller.abort();
      if (res.headersSent) return;
      res
        .status(503)
        .set('Retry-After', '5')
        .type('application/fhir+json')
        .json(problem('timeout', `pont could not answer within ${ms} ms; nothing more will be said about this request`));
    }, ms);
    const done = () => clearTimeout(timer);
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}

/** Aborted when the request ran out of time; undefined when no timeout is mounted. */
export function timeoutSignalOf(res: Response): AbortSignal | undefined {
  const signal: unknown = res.locals[SIGNAL];
  return signal instanceof AbortSignal ? signal : undefined;
}
