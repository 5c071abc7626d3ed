/**
 * Body parsers with a size limit each, for mounting per route: ingest takes large messages, every
 * other route small bodies (a token request, a $check of one record). What a parser refuses
 * (too large, unreadable, an encoding it cannot decode) is answered as an OperationOutcome by
 * `bodyErrors`, mounted after the routes.
 */
import express, { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { problem } from '../outcome.js';

/** What a route that does not take messages accepts. */
export const SMALL_BODY_BYTES = 64 * 1024;

/** The body as bytes, whatever its type (ingest reads the format from the query). */
export function rawBody(limitBytes: number): RequestHandler {
  return express.raw({ type: () => true, limit: limitBytes });
}

export function jsonBody(limitBytes: number = SMALL_BODY_BYTES): RequestHandler {
  return express.json({ type: ['application/json', 'application/fhir+json', 'application/*+json'], limit: limitBytes });
}

/** `application/x-www-form-urlencoded` (the OAuth2 token request). */
export function formBody(limitBytes: number = SMALL_BODY_BYTES): RequestHandler {
  return express.urlencoded({ extended: false, limit: limitBytes, parameterLimit: 50 });
}

const FHIR_JSON = 'application/fhir+json';

/**
 * Refuses, before anything reads it, a body its Content-Length declares over the limit of its
 * route: the first of `routes` whose path prefix matches, else `otherBytes`. A body sent without
 * a length (chunked) is held to the limit by the route's parser as it streams.
 */
export function declaredBodyLimits(otherBytes: number, routes: readonly { readonly prefix: string; readonly bytes: number }[] = []): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = Number(req.get('content-length') ?? 0);
    const limit = routes.find((r) => req.path.startsWith(r.prefix))?.bytes ?? otherBytes;
    if (!(declared > limit)) return next();
    res.set('Connection', 'close');
    res
      .status(413)
      .type(FHIR_JSON)
      .json(problem('too-costly', `the request body is over the ${limit}-byte limit of this endpoint`));
  };
}

/** body-parser's refusals as OperationOutcomes; anything else goes on to the next error handler. */
export function bodyErrors(): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    const e = err as { type?: unknown; limit?: unknown };
    if (res.headersSent) return next(err);
    if (e?.type === 'entity.too.large') {
      const limit = typeof e.limit === 'number' ? `the ${e.limit}-byte limit` : 'the limit';
      return void res
        .status(413)
        .type(FHIR_JSON)
        .json(problem('too-costly', `the request body is over ${limit} of this endpoint`));
    }
    if (e?.type === 'entity.parse.failed')
      return void res.status(400).type(FHIR_JSON).json(problem('structure', 'the request body could not be parsed as its content type says'));
    if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
      return void res.status(415).type(FHIR_JSON).json(problem('not-supported', 'the request body is in an encoding or character set pont does not read'));
    next(err);
  };
}
