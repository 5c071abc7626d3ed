/**
 * R4 Subscription endpoints, as an express Router to mount under `/fhir`: create (POST, 201 with
 * Location), list the caller's own (GET, a searchset Bundle, `status` the one search parameter),
 * read, update (PUT: pause with status off, resume with status requested) and delete. Only
 * translates: the use cases (src/app/subscriptions.ts) decide; the caller is whoever the
 * authentication in front of this Router says (`deps.caller`). Every error is an OperationOutcome.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle, Subscription } from '@medplum/fhirtypes';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  type ApiCaller,
  createSubscription,
  deleteSubscription,
  listSubscriptions,
  ownSubscription,
  type SubscriptionDeps,
  updateSubscription,
} from '../app/subscriptions.js';
import { PontError, RequestError } from '../errors/errors.js';
import type { Clock } from '../ports/clock.js';
import type { StoredSubscription, SubscriptionStatus, SubscriptionStore } from '../ports/subscriptions.js';
import { toResource } from '../subscription/resource.js';
import { operationOutcome, problem, requestErrorStatus } from './outcome.js';

export interface SubscriptionRouterDeps {
  /** Who is asking; undefined when nobody was authenticated (answered 401). */
  readonly caller: (req: Request) => ApiCaller | undefined;
  readonly subscriptions: SubscriptionStore;
  readonly clock: Clock;
  /** Told after every change (the delivery planner's cache). */
  readonly changed?: () => void;
  /** @defaultValue randomUUID */
  readonly newId?: () => string;
}

const FHIR_JSON = 'application/fhir+json';
const JSON_TYPES = [FHIR_JSON, 'application/json'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUSES: readonly SubscriptionStatus[] = ['requested', 'active', 'off', 'error'];

export function subscriptionRouter(deps: SubscriptionRouterDeps): express.Router {
  const useCases: SubscriptionDeps = { store: deps.subscriptions, clock: deps.clock, newId: deps.newId ?? randomUUID, ...(deps.changed ? { changed: deps.changed } : {}) };
  const router = express.Router();
  const body = express.json({ type: JSON_TYPES, limit: '64kb' });

  /** The handler with its caller, its errors passed to the Router's error answer. */
  const handle =
    (f: (caller: ApiCaller, req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      try {
        const caller = deps.caller(req);
        if (caller === undefined) return void res.status(401).type(FHIR_JSON).json(problem('login', 'authentication is required'));
        await f(caller, req, res);
      } catch (err) {
        next(err);
      }
    };
  const jsonOnly = (req: Request, res: Response, next: NextFunction) => {
    if (req.is(JSON_TYPES)) return next();
    res
      .status(415)
      .type(FHIR_JSON)
      .json(problem('not-supported', `send the Subscription as ${FHIR_JSON}`));
  };
  const idOf = (req: Request): string => {
    const id = String(req.params.id ?? '');
    if (!UUID.test(id)) throw new RequestError('REQUEST_NOT_FOUND', 'the caller has no Subscription with this id');
    return id;
  };
  const send = (req: Request, res: Response, s: StoredSubscription, status = 200) => {
    res.status(status).set('ETag', `W/"${s.versionId}"`).set('Last-Modified', s.updatedAt.toUTCString());
    if (status === 201) res.location(`${req.baseUrl}/Subscription/${s.id}/_history/${s.versionId}`);
    res.type(FHIR_JSON).json(toResource(s));
  };

  router.post(
    '/Subscription',
    jsonOnly,
    body,
    handle(async (caller, req, res) => send(req, res, await createSubscription(useCases, caller, req.body), 201)),
  );

  router.get(
    '/Subscription',
    handle(async (caller, req, res) => {
      const status = statusFilter(req.query);
      const own = await listSubscriptions(useCases, caller, status === undefined ? {} : { status });
      const bundle: Bundle<Subscription> = {
        resourceType: 'Bundle',
        type: 'searchset',
        total: own.length,
        link: [{ relation: 'self', url: req.originalUrl }],
        entry: own.map((s) => ({ fullUrl: `${req.baseUrl}/Subscription/${s.id}`, resource: toResource(s), search: { mode: 'match' } })),
      };
      res.type(FHIR_JSON).json(bundle);
    }),
  );

  router.get(
    '/Subscription/:id',
    handle(async (caller, req, res) => send(req, res, await ownSubscription(useCases, caller, idOf(req)))),
  );

  router.put(
    '/Subscription/:id',
    jsonOnly,
    body,
    handle(async (caller, req, res) => send(req, res, await updateSubscription(useCases, caller, idOf(req), req.body))),
  );

  router.delete(
    '/Subscription/:id',
    handle(async (caller, req, res) => {
      await deleteSubscription(useCases, caller, idOf(req));
      res.status(204).end();
    }),
  );

  router.all(['/Subscription', '/Subscription/:id'], (req: Request, res: Response) => {
    res
      .status(405)
      .set('Allow', req.path === '/Subscription' ? 'GET, POST' : 'GET, PUT, DELETE')
      .type(FHIR_JSON)
      .json(problem('not-supported', `${req.method} is not offered here`));
  });

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: unknown } | null)?.type;
    if (type === 'entity.too.large') return void res.status(413).type(FHIR_JSON).json(problem('too-costly', 'the Subscription is over the 64 kB limit'));
    if (type === 'entity.parse.failed') return void res.status(400).type(FHIR_JSON).json(problem('structure', 'the body is not JSON'));
    if (err instanceof RequestError) return void res.status(requestErrorStatus(err)).type(FHIR_JSON).json(operationOutcome(err.issues));
    if (err instanceof PontError && err.retryable) return void res.status(503).set('Retry-After', '30').type(FHIR_JSON).json(problem('transient', err.message));
    res
      .status(500)
      .type(FHIR_JSON)
      .json(problem('exception', err instanceof PontError ? `${err.code}: ${err.message}` : 'internal fault in pont', 'fatal'));
  });
  return router;
}

/** The one search parameter offered: `status`, a comma-separated list; any other is refused by name. */
function statusFilter(query: Request['query']): SubscriptionStatus[] | undefined {
  const unknown = Object.keys(query).filter((k) => k !== 'status');
  if (unknown.length > 0) {
    const name = unknown[0]!;
    throw new RequestError('REQUEST_INVALID', `search parameter "${/^[A-Za-z_:.-]{1,40}$/.test(name) ? name : '(unreadable)'}" is not offered for Subscription; only status`);
  }
  if (query.status === undefined) return undefined;
  const values = (Array.isArray(query.status) ? query.status : [query.status]).flatMap((v) => String(v).split(','));
  if (!values.every((v): v is SubscriptionStatus => (STATUSES as readonly string[]).includes(v))) {
    throw new RequestError('REQUEST_INVALID', `search parameter "status" takes ${STATUSES.join(', ')}`);
  }
  return values;
}
