/**
 * One log line and one count per HTTP request once answered: method, route template (never the
 * path as sent, which may carry ids or search values), status, duration, and the client when known.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Log } from '../../ports/log.js';
import type { PipelineMetrics } from '../../ports/metrics.js';
import { clientIdOf, logOf } from './request-context.js';

/** The route a request matched, as written in the app (`/messages/:id`), or `unmatched`. */
export function routeTemplate(req: Request): string {
  const path: unknown = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

export function observeRequests(log: Log, metrics: PipelineMetrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    let route = 'unmatched';
    // Express unwinds req.route and req.baseUrl as the request leaves a router: read them while in it.
    const remember = () => {
      if (req.route !== undefined) route = routeTemplate(req);
    };
    res.once('finish', () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      metrics.httpRequest(req.method, route, res.statusCode, ms);
      const client = clientIdOf(res);
      logOf(res, log).info({ method: req.method, route, status: res.statusCode, ms, ...(client === undefined ? {} : { clientId: client }) }, 'request answered');
    });
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<typeof writeHead>) {
      remember();
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  };
}
