/**
 * A request that has no answer within the limit is answered 503 with an OperationOutcome (and
 * Retry-After) instead of leaving the socket hanging; the handler still running sees the request's
 * signal aborted (`timeoutSignalOf`) and its late answer is dropped. Mounted more than once (an
 * app-wide limit, a longer one for ingest), the one nearest the route wins.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { problem } from '../outcome.js';

const SIGNAL = 'timeoutSignal';
const CANCEL = 'cancelTimeout';

export function requestTimeout(ms: number): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    (res.locals[CANCEL] as (() => void) | undefined)?.();
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
    const cancel = () => clearTimeout(timer);
    res.locals[CANCEL] = cancel;
    res.once('finish', cancel);
    res.once('close', cancel);
    next();
  };
}

/** Aborted when the request ran out of time; undefined when no timeout is mounted. */
export function timeoutSignalOf(res: Response): AbortSignal | undefined {
  const signal: unknown = res.locals[SIGNAL];
  return signal instanceof AbortSignal ? signal : undefined;
}
