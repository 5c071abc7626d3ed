/**
 * Rate limits per client: keyed by the authenticated client (`res.locals.client.id`, set by the
 * security middleware) when there is one, else by the caller's address (IPv6 by its /56). Over
 * the limit: 429 with Retry-After and an OperationOutcome. Counts are kept in Redis when a
 * connection is given (rate-limit-redis), so that several `pont serve` processes share each
 * client's limit; else in this process.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import { clientIdOf } from '../ops/request-context.js';
import { problem } from '../outcome.js';

export interface RateLimitSettings {
  readonly windowMs: number;
  /** Requests a client may make per window. */
  readonly limit: number;
  /** Where the counts are shared between processes, and the key prefix (the queue prefix's own). */
  readonly shared?: { readonly redis: Redis; readonly prefix: string };
}

export function rateLimitPerClient(settings: RateLimitSettings): RequestHandler {
  return rateLimit({
    windowMs: settings.windowMs,
    limit: settings.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(settings.shared === undefined
      ? {}
      : {
          store: new RedisStore({
            prefix: `${settings.shared.prefix}:rate-limit:`,
            sendCommand: (command: string, ...args: string[]) => settings.shared!.redis.call(command, ...args) as Promise<number>,
          }),
        }),
    keyGenerator: (req: Request, res: Response) => {
      const client = clientIdOf(res);
      return client === undefined ? `ip:${ipKeyGenerator(req.ip ?? '')}` : `client:${client}`;
    },
    handler: (_req: Request, res: Response) => {
      res
        .status(429)
        .type('application/fhir+json')
        .json(problem('throttled', `too many requests: at most ${settings.limit} per ${Math.round(settings.windowMs / 1000)} s for each client; try again after Retry-After`));
    },
  });
}
