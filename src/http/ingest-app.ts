/**
 * The sync service's HTTP edge (issue 9): `POST /ingest/{source}?format=…` takes a message from a
 * pushing system, and `GET /messages/{id}` says how far it got. Only translates: the core's
 * ingest checks and stores; every answer that is not a success is a FHIR OperationOutcome.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, IngestResult } from '../app/sync.js';
import type { MessageHistory } from '../ports/message-inbox.js';
import { messageFormat } from './message-format.js';
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

export interface IngestHandlers {
  /** POST /ingest/{source}?format=…: 202 with the message's Location, or 400 naming every problem (415 for a Content-Type that contradicts the format). */
  readonly ingest: readonly RequestHandler[];
  /** GET /messages/{id}: its stages, findings and deliveries; a source sees only its own messages. */
  readonly status: RequestHandler;
}

export function ingestHandlers(deps: IngestAppDeps): IngestHandlers {
  const ingest = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const source = String(req.params.source ?? '');
      if (!SOURCE_NAME.test(source))
        return void res.status(400).type(FHIR_JSON).json(problem('value', 'the source in the path must be a system name of letters, digits, ".", "_" or "-" (at most 64)'));
      const format = messageFormat(req, deps.formats);
      const payload = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
      const requestId = requestIdOf(res);
      const result = await deps.ingest({ source, format, payload, ...(requestId === undefined ? {} : { requestId }) });
      if (!result.accepted) return void res.status(400).type(FHIR_JSON).json(operationOutcome(result.issues));
      res.status(202).location(`/messages/${result.id}`).json({ id: result.id, duplicate: result.duplicate, queued: result.queued });
    } catch (err) {
      next(err);
    }
  };

  const status = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const id = String(req.params.id ?? '');
      if (!MESSAGE_ID.test(id)) return void res.status(400).type(FHIR_JSON).json(problem('value', 'a message id is a UUID, as POST /ingest answered'));
      const history = await deps.history(id);
      // Another source's message is answered as one that does not exist: nothing about it leaks.
      const ownSource = (res.locals.client as { role?: string; source?: string } | undefined)?.role === 'source-epr' ? res.locals.client.source : undefined;
      if (history === undefined || (ownSource !== undefined && history.source !== ownSource))
        return void res.status(404).type(FHIR_JSON).json(problem('not-found', 'no message has this id'));
      res.json(history);
    } catch (err) {
      next(err);
    }
  };

  return { ingest: [rawBody(deps.maxBytes), ingest], status };
}
