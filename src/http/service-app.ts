/**
 * The HTTP app `pont serve` runs, composed: correlation ids and request logging first, then the
 * open operational endpoints (health, readiness, metrics, OpenAPI), then protection (security
 * headers, per-client rate limits, request timeouts) and the audit trail in front of the ingest
 * and message-status endpoints.
 */
import express from 'express';
import type { Registry } from 'prom-client';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { Log } from '../ports/log.js';
import type { PipelineMetrics } from '../ports/metrics.js';
import { createIngestApp, type IngestAppDeps } from './ingest-app.js';
import { auditTrail } from './ops/audit-trail.js';
import { healthRoutes, type Probes } from './ops/health.js';
import { metricsRoute } from './ops/metrics-route.js';
import { observeRequests } from './ops/observe-requests.js';
import { openApiRoute } from './ops/openapi.js';
import { requestId } from './ops/request-id.js';
import { declaredBodyLimits, SMALL_BODY_BYTES } from './protect/body-limits.js';
import { type RateLimitSettings, rateLimitPerClient } from './protect/rate-limit.js';
import { requestTimeout } from './protect/request-timeout.js';
import { securityHeaders } from './protect/security-headers.js';

export interface ServiceAppDeps {
  readonly ingest: IngestAppDeps;
  readonly log: Log;
  readonly metrics: PipelineMetrics;
  readonly registry: Registry;
  readonly probes: Probes;
  readonly version: string;
  /** How long a request may take before it is answered 503; ingest, which checks whole messages, `ingestTimeoutMs`. */
  readonly requestTimeoutMs: number;
  readonly ingestTimeoutMs: number;
  readonly rateLimit: RateLimitSettings;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** The site pont runs as, for AuditEvent.source. */
  readonly site: string;
}

export function createServiceApp(deps: ServiceAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestId(deps.log));
  app.use(observeRequests(deps.log, deps.metrics));
  app.use(securityHeaders());
  app.use(auditTrail({ audit: deps.audit, clock: deps.clock, log: deps.log, site: deps.site }));
  app.use(healthRoutes({ probes: deps.probes, log: deps.log }));
  app.use(openApiRoute({ formats: deps.ingest.formats, maxBytes: deps.ingest.maxBytes, version: deps.version }));
  app.use(metricsRoute(deps.registry));
  app.use(rateLimitPerClient(deps.rateLimit));
  app.use(declaredBodyLimits(SMALL_BODY_BYTES, [{ prefix: '/ingest/', bytes: deps.ingest.maxBytes }]));
  app.use(requestTimeout(deps.requestTimeoutMs));
  app.use('/ingest', requestTimeout(deps.ingestTimeoutMs));
  app.use(createIngestApp(deps.ingest));
  return app;
}
