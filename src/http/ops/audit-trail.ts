/**
 * Writes an AuditEvent for every audited request once its answer has gone (the outcome is then
 * known from the status). A store that cannot take it is logged as an error, by code: the answer
 * has gone already, and holding it back would not undo the read.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { auditEvent } from '../../audit/audit-event.js';
import { classifyRequest, type RequestFacts } from '../../audit/classify.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { Clock } from '../../ports/clock.js';
import type { Log } from '../../ports/log.js';
import { captureRoute, clientIdOf, logOf, requestIdOf, routeOf } from './request-context.js';

export interface AuditTrailDeps {
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly log: Log;
  /** The site pont runs as, for AuditEvent.source. */
  readonly site: string;
  readonly classify?: (request: RequestFacts) => ReturnType<typeof classifyRequest>;
  readonly newId?: () => string;
}

export function auditTrail(deps: AuditTrailDeps): RequestHandler {
  const classify = deps.classify ?? classifyRequest;
  const newId = deps.newId ?? randomUUID;
  return (req: Request, res: Response, next: NextFunction) => {
    captureRoute(req, res);
    res.once('finish', () => {
      const at = req.originalUrl.indexOf('?');
      const location = res.get('location');
      const interaction = classify({
        method: req.method,
        path: at < 0 ? req.originalUrl : req.originalUrl.slice(0, at),
        query: at < 0 ? '' : req.originalUrl.slice(at + 1),
        ...(location === undefined ? {} : { location }),
      });
      if (interaction === undefined) return;
      const clientId = clientIdOf(res);
      const requestId = requestIdOf(res);
      const event = auditEvent({
        id: newId(),
        recorded: deps.clock.now(),
        interaction,
        status: res.statusCode,
        method: req.method,
        route: routeOf(res),
        site: deps.site,
        ...(clientId === undefined ? {} : { clientId }),
        ...(requestId === undefined ? {} : { requestId }),
        ...(req.ip === undefined ? {} : { address: req.ip }),
      });
      deps.audit
        .record(event)
        .catch((err: unknown) => logOf(res, deps.log).error({ err, auditEventId: event.id, subtype: interaction.subtype.code }, 'audit event not stored'));
    });
    next();
  };
}
