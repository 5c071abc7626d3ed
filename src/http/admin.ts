/**
 * What only an admin client does over HTTP, as express handlers: dead letters (list without
 * patient data, replay one or all, discard one with a reason, which is kept) and the audit trail
 * (AuditEvents, newest first, by time, client, action and interaction). Only translate: the
 * dead-letter use cases and the AuditLog decide.
 */
import express, { type Request, type RequestHandler } from 'express';
import { type DeadLetterDeps, discardDeadLetter, listDeadLetters, replayDeadLetters } from '../app/dead-letters.js';
import { RequestError } from '../errors/errors.js';
import type { AuditLog, AuditSearch } from '../ports/audit-log.js';
import { FHIR_JSON } from './fhir/negotiation.js';

export interface AdminDeps {
  readonly deadLetters: DeadLetterDeps;
  readonly audit: AuditLog;
}

export interface AdminHandlers {
  readonly listDeadLetters: RequestHandler;
  readonly replayDeadLetter: RequestHandler;
  readonly replayAllDeadLetters: RequestHandler;
  readonly discardDeadLetter: readonly RequestHandler[];
  readonly auditEvents: RequestHandler;
}

const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PREFIXED_INSTANT = /^(ge|gt|le|lt)?(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)$/;
const AUDIT_PARAMETERS = new Set(['date', 'agent', 'action', 'subtype', '_count']);

export function adminHandlers(deps: AdminDeps): AdminHandlers {
  const messageId = (req: Request): string => {
    const id = String(req.params.id);
    if (!MESSAGE_ID.test(id)) throw new RequestError('REQUEST_INVALID', 'a dead letter is named by its message id, a UUID');
    return id;
  };
  return {
    listDeadLetters: async (_req, res, next) => {
      try {
        res.json(await listDeadLetters(deps.deadLetters));
      } catch (err) {
        next(err);
      }
    },
    replayDeadLetter: async (req, res, next) => {
      try {
        const result = await replayDeadLetters(deps.deadLetters, [messageId(req)]);
        if (result.replayed.length === 0) throw new RequestError('REQUEST_NOT_FOUND', 'no open dead letter has this message id');
        res.json(result);
      } catch (err) {
        next(err);
      }
    },
    replayAllDeadLetters: async (_req, res, next) => {
      try {
        res.json(await replayDeadLetters(deps.deadLetters, 'all'));
      } catch (err) {
        next(err);
      }
    },
    discardDeadLetter: [
      express.json({ limit: 16 * 1024 }),
      async (req, res, next) => {
        try {
          const id = messageId(req);
          const reason = (req.body as { reason?: unknown } | undefined)?.reason;
          if (typeof reason !== 'string' || reason.trim() === '')
            throw new RequestError('REQUEST_INVALID', 'discarding needs a reason: a JSON body {"reason": "…"}, which is kept');
          if (!(await discardDeadLetter(deps.deadLetters, id, reason.trim()))) throw new RequestError('REQUEST_NOT_FOUND', 'no open dead letter has this message id');
          res.status(204).end();
        } catch (err) {
          next(err);
        }
      },
    ],
    auditEvents: async (req, res, next) => {
      try {
        const events = await deps.audit.search(auditSearchOf(req));
        const entry = events.map((resource) => ({ resource, search: { mode: 'match' as const } }));
        res
          .status(200)
          .type(FHIR_JSON)
          .send(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry }));
      } catch (err) {
        next(err);
      }
    },
  };
}

/** FHIR search parameters of AuditEvent as the AuditLog searches: date (with prefixes, repeatable), agent (client id), action, subtype, _count. */
function auditSearchOf(req: Request): AuditSearch {
  let search: { -readonly [K in keyof AuditSearch]: AuditSearch[K] } = {};
  for (const [name, raw] of Object.entries(req.query)) {
    if (!AUDIT_PARAMETERS.has(name)) throw new RequestError('REQUEST_INVALID', `AuditEvent search has no parameter "${name}"; known: ${[...AUDIT_PARAMETERS].join(', ')}`);
    const values = (Array.isArray(raw) ? raw : [raw]).map(String);
    for (const value of values) {
      if (name === 'date') {
        const m = PREFIXED_INSTANT.exec(value);
        if (m === null) throw new RequestError('REQUEST_INVALID', 'date must be an instant or day with an optional prefix ge, gt, le or lt');
        const at = new Date(m[2]!);
        if (Number.isNaN(at.getTime())) throw new RequestError('REQUEST_INVALID', 'date is not a date');
        search = m[1] === 'le' || m[1] === 'lt' ? { ...search, to: at } : { ...search, from: at };
      } else if (name === 'agent') search = { ...search, clientId: value };
      else if (name === 'action') {
        if (!['C', 'R', 'U', 'D', 'E'].includes(value)) throw new RequestError('REQUEST_INVALID', 'action is one of C, R, U, D, E');
        search = { ...search, action: value };
      } else if (name === 'subtype') search = { ...search, subtype: value };
      else {
        const count = Number(value);
        if (!Number.isInteger(count) || count < 1 || count > 1000) throw new RequestError('REQUEST_INVALID', '_count must be a whole number from 1 to 1000');
        search = { ...search, limit: count };
      }
    }
  }
  return search;
}
