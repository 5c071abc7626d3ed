/**
 * One log line and one count per HTTP request once answered: method, route template (never the
 * path as sent, which may carry ids or search values), status, duration, and the client when known.
 * Probes and scrapes that succeed are logged at debug, so they do not drown the rest.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Log } from '../../ports/log.js';
import type { PipelineMetrics } from '../../ports/metrics.js';
import { captureRoute, clientIdOf, logOf, routeOf } from './request-context.js';

const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

export function observeRequests(log: Log, metrics: PipelineMetrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    captureRoute(req, res);
    res.once('finish', () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const route = routeOf(res);
      metrics.httpRequest(req.method, route, res.statusCode, ms);
      const client = clientIdOf(res);
      const level = QUIET_ROUTES.has(route) && res.statusCode < 400 ? 'debug' : 'info';
      logOf(res, log)[level]({ method: req.method, route, status: res.statusCode, ms, ...(client === undefined ? {} : { clientId: client }) }, 'request answered');
    });
    next();
  };
}
