/**
 * One log line and one count per HTTP request once answered: method, route template (never the
 * path as sent, which may carry ids or search values), status, duration, and the client when known.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Log } from '../../ports/log.js';
import type { PipelineMetrics } from '../../ports/metrics.js';
import { captureRoute, clientIdOf, logOf, routeOf } from './request-context.js';

export function observeRequests(log: Log, metrics: PipelineMetrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    captureRoute(req, res);
    res.once('finish', () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const route = routeOf(res);
      metrics.httpRequest(req.method, route, res.statusCode, ms);
      const client = clientIdOf(res);
      logOf(res, log).info({ method: req.method, route, status: res.statusCode, ms, ...(client === undefined ? {} : { clientId: client }) }, 'request answered');
    });
    next();
  };
}
