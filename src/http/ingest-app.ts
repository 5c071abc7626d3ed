/**
 * The sync service's HTTP edge (issue 9): `POST /ingest/{source}?format=…` takes a message from a
 * pushing system, and `GET /messages/{id}` says how far it got. Only translates: the core's
 * ingest checks and stores; every answer that is not a success is a FHIR OperationOutcome.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { IncomingMessage, IngestResult } from '../app/sync.js';
import { PontError } from '../errors/errors.js';
import type { MessageHistory } from '../ports/message-inbox.js';
import { requestIdOf } from './ops/request-context.js';
import { operationOutcome, problem } from './outcome.js';
import { rawBody } from './protect/body-limits.js';

export interface IngestAppDeps {
  readonly ingest: (message: IncomingMessage) => Promise<IngestResult>;
  readonly history: (id: string) => Promise<MessageHistory | undefined>;
  readonly formats: readonly string[];
  /** Largest message accepted, in bytes. */
  readonly maxBytes: number;
}

const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FHIR_JSON = 'application/fhir+json';

export function createIngestApp(deps: IngestAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');

  app.post('/ingest/:source', rawBody(deps.maxBytes), async (req: Request, res: Response, next: NextFunction) => {
    try {
      const source = String(req.params.source ?? '');
      const format = typeof req.query.format === 'string' ? req.query.format : '';
      if (!SOURCE_NAME.test(source))
        return void res.status(400).type(FHIR_JSON).json(problem('value', 'the source in the path must be a system name of letters, digits, ".", "_" or "-" (at most 64)'));
      if (!deps.formats.includes(format))
        return void res
          .status(400)
          .type(FHIR_JSON)
          .json(problem('value', `give the message's format as ?format=…, one of: ${deps.formats.join(', ')}`));
      const payload = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
      const requestId = requestIdOf(res);
      const result = await deps.ingest({ source, format, payload, ...(requestId === undefined ? {} : { requestId }) });
      if (!result.accepted) return void res.status(400).type(FHIR_JSON).json(operationOutcome(result.issues));
      res.status(202).location(`/messages/${result.id}`).json({ id: result.id, duplicate: result.duplicate, queued: result.queued });
    } catch (err) {
      next(err);
    }
  });

  app.get('/messages/:id', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const id = String(req.params.id ?? '');
      if (!MESSAGE_ID.test(id)) return void res.status(400).type(FHIR_JSON).json(problem('value', 'a message id is a UUID, as POST /ingest answered'));
      const history = await deps.history(id);
      if (history === undefined) return void res.status(404).type(FHIR_JSON).json(problem('not-found', 'no message has this id'));
      res.json(history);
    } catch (err) {
      next(err);
    }
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).type(FHIR_JSON).json(problem('not-found', 'no such endpoint: POST /ingest/{source}?format=…, GET /messages/{id}'));
  });

  // Errors: too large, unreadable body, the store or queue unavailable, an internal fault.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return; // answered already (the request ran out of time)
    const status = (err as { status?: unknown; type?: unknown })?.type === 'entity.too.large' ? 413 : undefined;
    if (status === 413)
      return void res
        .status(413)
        .type(FHIR_JSON)
        .json(problem('too-costly', `the message is over the ${deps.maxBytes}-byte limit`));
    if (err instanceof PontError && err.retryable) {
      // Nothing was accepted: the sender should try again later.
      return void res.status(503).set('Retry-After', '30').type(FHIR_JSON).json(problem('transient', err.message));
    }
    if (err instanceof PontError && err.stage === 'input') return void res.status(400).type(FHIR_JSON).json(operationOutcome(err.issues));
    res
      .status(500)
      .type(FHIR_JSON)
      .json(problem('exception', err instanceof PontError ? `${err.code}: ${err.message}` : 'internal fault in pont; nothing was accepted', 'fatal'));
  });
  return app;
}
