/**
 * The HTTP API `pont serve` runs, built by one factory from its dependencies (tests build it the
 * same way and never listen on fixed ports). In order: correlation ids, request logging and
 * counting, security headers and the audit trail; the token endpoint and SMART configuration;
 * body limits and timeouts; then every route of the route table (src/http/api-routes.ts), each
 * behind its authentication and permission check, with the per-client rate limit after
 * authentication; then 405 for a known path with another method, 404 for the rest, and one error
 * handler. Every 4xx and 5xx answer is an OperationOutcome.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Registry } from 'prom-client';
import type { DeadLetterDeps } from '../app/dead-letters.js';
import { PontError, RequestError } from '../errors/errors.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { FhirResourceReader, PatientScope } from '../ports/fhir-resources.js';
import type { Log } from '../ports/log.js';
import type { PipelineMetrics } from '../ports/metrics.js';
import { adminHandlers } from './admin.js';
import { API_ROUTES, type ApiRoute, type RouteName } from './api-routes.js';
import { type BulkRouterDeps, createBulkRouter } from './bulk/router.js';
import { createFhirRouter } from './fhir/router.js';
import { type IngestAppDeps, ingestHandlers } from './ingest-app.js';
import { type OperationsDeps, operationHandlers } from './operations.js';
import { auditTrail } from './ops/audit-trail.js';
import { healthRoutes, type Probes } from './ops/health.js';
import { metricsRoute } from './ops/metrics-route.js';
import { observeRequests } from './ops/observe-requests.js';
import { openApiRoute } from './ops/openapi.js';
import { requestId } from './ops/request-id.js';
import { operationOutcome, problem, requestErrorStatus } from './outcome.js';
import { bodyErrors, declaredBodyLimits, SMALL_BODY_BYTES } from './protect/body-limits.js';
import { type RateLimitSettings, rateLimitPerClient } from './protect/rate-limit.js';
import { requestTimeout } from './protect/request-timeout.js';
import { securityHeaders } from './protect/security-headers.js';
import { type AuthenticatedClient, patientScopeOf } from './security/access.js';
import { mountRoutes } from './security/routes.js';
import type { Security } from './security/security.js';
import { type SubscriptionRouterDeps, subscriptionRouter } from './subscriptions.js';

const FHIR_JSON = 'application/fhir+json';

/**
 * Who may call the API: the configured clients through SMART Backend Services, or, when no
 * client is configured, anyone who reaches the loopback interface pont alone listens on
 * (`pont serve` refuses any other address without clients).
 */
export type ApiAccess = { readonly kind: 'clients'; readonly security: Security } | { readonly kind: 'local-open' };

export interface AppDeps {
  readonly access: ApiAccess;
  readonly ingest: IngestAppDeps;
  readonly operations: Omit<OperationsDeps, 'scope'>;
  readonly resources: FhirResourceReader;
  /** Bulk Data export: its jobs and the reader of what it exports. */
  readonly bulk: Pick<BulkRouterDeps, 'jobs' | 'reader'>;
  readonly subscriptions: Omit<SubscriptionRouterDeps, 'caller'>;
  readonly deadLetters: DeadLetterDeps;
  readonly audit: AuditLog;
  readonly log: Log;
  readonly metrics: PipelineMetrics;
  readonly registry: Registry;
  readonly probes: Probes;
  readonly clock: Clock;
  readonly version: string;
  /** The site pont runs as, for AuditEvent.source. */
  readonly site: string;
  /** How long a request may take before it is answered 503; ingest and $check, which check whole messages, `ingestTimeoutMs`. */
  readonly requestTimeoutMs: number;
  readonly ingestTimeoutMs: number;
  readonly rateLimit: RateLimitSettings;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestId(deps.log));
  app.use(observeRequests(deps.log, deps.metrics));
  app.use(securityHeaders());
  app.use(auditTrail({ audit: deps.audit, clock: deps.clock, log: deps.log, site: deps.site }));

  const { access } = deps;
  if (access.kind === 'clients') {
    if (access.security.tokenRouter) app.use(access.security.tokenRouter);
    app.use(access.security.smartConfiguration);
    app.use('/fhir', access.security.smartConfiguration);
  }

  const maxBytes = deps.ingest.maxBytes;
  app.use(
    declaredBodyLimits(SMALL_BODY_BYTES, [
      { prefix: '/ingest/', bytes: maxBytes },
      { prefix: '/$check', bytes: maxBytes },
    ]),
  );
  app.use(requestTimeout(deps.requestTimeoutMs));
  app.use('/ingest', requestTimeout(deps.ingestTimeoutMs));
  app.use('/$check', requestTimeout(deps.ingestTimeoutMs));

  const scope = (_req: Request, res: Response): PatientScope => {
    const client = res.locals.client as AuthenticatedClient | undefined;
    if (client !== undefined) return patientScopeOf(client);
    // Only the local-open mode reaches a protected route without a client.
    return access.kind === 'local-open' ? { kind: 'all' } : { kind: 'none' };
  };
  const handlers = routeHandlers(deps, scope);
  const limit = rateLimitPerClient(deps.rateLimit);
  const authenticate: RequestHandler = access.kind === 'clients' ? access.security.authenticate : (_req, _res, next) => next();
  const root = express.Router();
  const fhir = express.Router();
  for (const rule of API_ROUTES) {
    const inFhir = rule.path.startsWith('/fhir/');
    const mounted: ApiRoute = {
      ...rule,
      path: inFhir ? rule.path.slice('/fhir'.length) : rule.path,
      ...(access.kind === 'local-open' ? { permission: 'open' as const } : {}),
    };
    mountRoutes(inFhir ? fhir : root, [mounted], authenticate, () => [limit, ...handlers[rule.name]]);
  }
  app.use(root);
  app.use('/fhir', fhir);

  // A path the API has, asked with a method it does not take: 405 with the methods it does.
  const allowed = new Map<string, Set<string>>();
  for (const rule of API_ROUTES) allowed.set(rule.path, (allowed.get(rule.path) ?? new Set()).add(rule.method));
  for (const [path, methods] of allowed) {
    app.all(path, (_req: Request, res: Response) => {
      const allow = [...methods].join(', ');
      res
        .status(405)
        .set('Allow', allow)
        .type(FHIR_JSON)
        .json(problem('not-supported', `this endpoint takes ${allow}; FHIR resources are written through POST /ingest/{source}`));
    });
  }
  app.use((_req: Request, res: Response) => {
    res.status(404).type(FHIR_JSON).json(problem('not-found', 'no such endpoint (see /openapi.json and /fhir/metadata)'));
  });
  app.use(bodyErrors());
  app.use(apiErrors(deps.log));
  return app;
}

function routeHandlers(deps: AppDeps, scope: (req: Request, res: Response) => PatientScope): Record<RouteName, readonly RequestHandler[]> {
  const ingest = ingestHandlers(deps.ingest);
  const operations = operationHandlers({ ...deps.operations, scope });
  const admin = adminHandlers({ deadLetters: deps.deadLetters, audit: deps.audit });
  const health = healthRoutes({ probes: deps.probes, log: deps.log });
  const facade: Router = createFhirRouter({ resources: deps.resources, scope: (req) => scope(req, req.res!), software: { name: 'pont', version: deps.version } });
  const bulk = createBulkRouter({
    ...deps.bulk,
    scope,
    clientId: (_req, res) => (res.locals.client as AuthenticatedClient | undefined)?.id ?? 'local',
    onBackgroundError: (err) => deps.log.error({ err }, 'an export job could not be counted'),
  });
  const subscriptions = subscriptionRouter({ ...deps.subscriptions, caller: (req) => req.res?.locals.client as AuthenticatedClient | undefined });
  return {
    healthz: [health],
    readyz: [health],
    metrics: [metricsRoute(deps.registry)],
    openapi: [openApiRoute({ formats: deps.ingest.formats, maxBytes: deps.ingest.maxBytes, version: deps.version })],
    ingest: ingest.ingest,
    'message-status': [ingest.status],
    check: operations.check,
    'export-system': [bulk],
    'export-system-post': [bulk],
    'export-patient': [bulk],
    'export-patient-post': [bulk],
    'export-group': [bulk],
    'export-group-post': [bulk],
    'export-status': [bulk],
    'export-cancel': [bulk],
    'export-output': [bulk],
    'dead-letters': [admin.listDeadLetters],
    'dead-letters-replay-all': [admin.replayAllDeadLetters],
    'dead-letter-replay': [admin.replayDeadLetter],
    'dead-letter-discard': admin.discardDeadLetter,
    metadata: [facade],
    'audit-events': [admin.auditEvents],
    'subscription-create': [subscriptions],
    'subscription-list': [subscriptions],
    'subscription-read': [subscriptions],
    'subscription-update': [subscriptions],
    'subscription-delete': [subscriptions],
    measures: [operations.measures],
    'evaluate-measure': operations.evaluateMeasure,
    'evaluate-measure-post': operations.evaluateMeasure,
    measure: [operations.measure],
    search: [facade],
    'search-post': [facade],
    history: [facade],
    vread: [facade],
    read: [facade],
  };
}

/** The last word on an error: the caller's mistake as 4xx, "try later" as 503, anything else as an internal fault (500), never disguised. */
function apiErrors(log: Log) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return; // answered already (the request ran out of time)
    if (err instanceof RequestError) return void res.status(requestErrorStatus(err)).type(FHIR_JSON).json(operationOutcome(err.issues));
    if (err instanceof PontError && err.retryable) {
      // Nothing was accepted or decided: the caller should try again later.
      return void res.status(503).set('Retry-After', '30').type(FHIR_JSON).json(problem('transient', err.message));
    }
    if (err instanceof PontError && err.stage === 'input') return void res.status(400).type(FHIR_JSON).json(operationOutcome(err.issues));
    log.error({ err }, 'internal fault answering a request');
    res
      .status(500)
      .type(FHIR_JSON)
      .json(problem('exception', err instanceof PontError ? `${err.code}: ${err.message}` : 'internal fault in pont; nothing was accepted', 'fatal'));
  };
}
