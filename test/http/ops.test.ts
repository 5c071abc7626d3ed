/** The operational endpoints and middleware, each on a small express app spoken to with supertest. */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import fc from 'fast-check';
import { register as globalRegistry, Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { healthRoutes } from '../../src/http/ops/health.js';
import { metricsRoute } from '../../src/http/ops/metrics-route.js';
import { observeRequests } from '../../src/http/ops/observe-requests.js';
import { requestIdOf } from '../../src/http/ops/request-context.js';
import { requestId, requestIdFrom } from '../../src/http/ops/request-id.js';
import { bodyErrors, declaredBodyLimits, jsonBody } from '../../src/http/protect/body-limits.js';
import { rateLimitPerClient } from '../../src/http/protect/rate-limit.js';
import { requestTimeout, timeoutSignalOf } from '../../src/http/protect/request-timeout.js';
import { securityHeaders } from '../../src/http/protect/security-headers.js';
import { pipelineMetrics, queueDepthGauge } from '../../src/metrics/pipeline-metrics.js';
import { connectRedis } from '../../src/queue/redis.js';
import { capturedLog } from '../helpers/captured-log.js';
import { clearPrefix, testRedisUrl } from '../helpers/redis.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function expectOutcome(body: unknown, code: string): void {
  expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: expect.arrayContaining([expect.objectContaining({ severity: 'error', code })]) });
}

describe('X-Request-Id', () => {
  const app = express();
  const captured = capturedLog();
  app.use(requestId(captured.log));
  app.get('/echo', (_req, res) => void res.json({ seen: requestIdOf(res) }));

  it('keeps a sane id the caller sent, echoes it and hands it to the handler', async () => {
    const response = await request(app).get('/echo').set('X-Request-Id', 'abc-123_x.y:z');
    expect(response.headers['x-request-id']).toBe('abc-123_x.y:z');
    expect(response.body).toEqual({ seen: 'abc-123_x.y:z' });
  });

  it('makes a UUID when none was sent, or when what was sent is not a sane token', async () => {
    for (const sent of [undefined, '', 'has space', 'x'.repeat(129), '-leading', 'semi;colon', 'ünïcode']) {
      const r = request(app).get('/echo');
      const response = await (sent === undefined ? r : r.set('X-Request-Id', sent));
      expect(response.headers['x-request-id'], String(sent)).toMatch(UUID);
      expect(response.body.seen).toBe(response.headers['x-request-id']);
    }
  });

  it('gives back either what was sent or a UUID, and only ever a token of at most 128 characters of the safe set', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (sent) => {
        const id = requestIdFrom(sent);
        expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);
        if (id !== sent) expect(id).toMatch(UUID);
      }),
    );
  });
});

describe('/healthz and /readyz', () => {
  const log = capturedLog().log;
  const app = (probes: Record<string, () => Promise<void>>) => express().use(healthRoutes({ probes, log, timeoutMs: 200 }));

  it('/healthz is up without asking anything', async () => {
    const response = await request(app({ redis: () => Promise.reject(new Error('down')) })).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'up' });
  });

  it('/readyz is ready when every probe answers', async () => {
    const response = await request(app({ redis: async () => {}, store: async () => {} })).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: { redis: 'up', store: 'up' } });
  });

  it('/readyz is 503 with an OperationOutcome naming each dependency down: one that fails, one that does not answer in time', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    const response = await request(app({ redis: () => Promise.reject(refused), store: () => new Promise(() => {}), other: async () => {} })).get('/readyz');
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expectOutcome(response.body, 'transient');
    const said = (response.body.issue as { diagnostics: string }[]).map((i) => i.diagnostics);
    expect(said).toEqual(['redis is down (ECONNREFUSED)', 'store is down (timeout)']);
  });
});

describe('/metrics', () => {
  it("serves the Registry passed in, not prom-client's global one, with request counts by route template", async () => {
    const registry = new Registry();
    const metrics = pipelineMetrics(registry);
    queueDepthGauge(registry, async () => [
      { queue: 'pont-process', state: 'waiting', count: 3 },
      { queue: 'pont-deliver-hb-a', state: 'delayed', count: 1 },
    ]);
    const app = express();
    app.use(observeRequests(capturedLog().log, metrics));
    app.get('/messages/:id', (_req, res) => void res.status(404).json({}));
    app.use(metricsRoute(registry));
    await request(app).get('/messages/4f1c2d3e-0000-4000-8000-000000000001');
    await request(app).get('/messages/4f1c2d3e-0000-4000-8000-000000000002');
    await request(app).get('/nowhere?nhs=9990000018');
    metrics.processed('processed', 1500, [{ ruleId: 'CoP-P2-01', result: 'fail', count: 2 }]);
    metrics.delivery('hb-a', 'delivered', 800);
    metrics.deadLetter('pont-process', 'ENGINE_RULE_FAILED');
    const response = await request(app).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    expect(text).toContain('pont_http_requests_total{method="GET",route="/messages/:id",status="404"} 2');
    expect(text).toContain('pont_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain('pont_queue_jobs{queue="pont-process",state="waiting"} 3');
    expect(text).toContain('pont_queue_jobs{queue="pont-deliver-hb-a",state="delayed"} 1');
    expect(text).toContain('pont_findings_total{rule="CoP-P2-01",result="fail"} 2');
    expect(text).toContain('pont_deliveries_total{target="hb-a",outcome="delivered"} 1');
    expect(text).toContain('pont_delivery_seconds_count{target="hb-a"} 1');
    expect(text).toContain('pont_message_processing_seconds_bucket{le="2.5",stage="processed"} 1');
    expect(text).toContain('pont_dead_letters_total{queue="pont-process",reason="ENGINE_RULE_FAILED"} 1');
    expect(text).not.toContain('4f1c2d3e');
    expect(text).not.toContain('9990000018');
    expect(await globalRegistry.getSingleMetric('pont_http_requests_total')).toBeUndefined();
  });

  it('logs each request once answered: method, route template, status, duration, never the path or query as sent', async () => {
    const captured = capturedLog();
    const app = express();
    app.use(requestId(captured.log));
    app.use(observeRequests(captured.log, pipelineMetrics(new Registry())));
    app.get('/messages/:id', (_req, res) => void res.json({}));
    await request(app).get('/messages/abc?identifier=9990000018').set('X-Request-Id', 'r-42');
    const [line] = captured.lines();
    expect(line).toMatchObject({ requestId: 'r-42', method: 'GET', route: '/messages/:id', status: 200, msg: 'request answered' });
    expect(captured.text()).not.toContain('9990000018');
    expect(captured.text()).not.toContain('abc');
  });
});

describe('protection', () => {
  it('sets the security headers of a JSON API', async () => {
    const app = express().use(securityHeaders());
    app.get('/x', (_req, res) => void res.json({}));
    const response = await request(app).get('/x');
    expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses a body over the route limit with 413 and an OperationOutcome, and an unreadable one with 400', async () => {
    const app = express();
    app.post('/small', jsonBody(100), (_req, res) => void res.json({ ok: true }));
    app.post('/large', jsonBody(10_000), (_req, res) => void res.json({ ok: true }));
    app.use(bodyErrors());
    const body = JSON.stringify({ text: 'x'.repeat(500) });
    const small = await request(app).post('/small').type('application/json').send(body);
    expect(small.status).toBe(413);
    expectOutcome(small.body, 'too-costly');
    expect(small.body.issue[0].diagnostics).toContain('100-byte');
    expect((await request(app).post('/large').type('application/json').send(body)).status).toBe(200);
    const broken = await request(app).post('/large').type('application/fhir+json').send('{"resourceType": ');
    expect(broken.status).toBe(400);
    expectOutcome(broken.body, 'structure');
  });

  it('refuses a body whose declared length is over its route limit before reading it, whatever the route does with bodies', async () => {
    const app = express();
    app.use(declaredBodyLimits(100, [{ prefix: '/ingest/', bytes: 1000 }]));
    let read = 0;
    app.post('/{*any}', (_req, res) => {
      read++;
      res.json({ ok: true });
    });
    const body = 'x'.repeat(500);
    const other = await request(app).post('/auth/token').type('application/x-www-form-urlencoded').send(body);
    expect(other.status).toBe(413);
    expectOutcome(other.body, 'too-costly');
    expect(other.body.issue[0].diagnostics).toContain('100-byte');
    expect((await request(app).post('/ingest/epr-a').type('text/csv').send(body)).status).toBe(200);
    expect((await request(app).post('/ingest/epr-a').type('text/csv').send('x'.repeat(1001))).status).toBe(413);
    expect(read).toBe(1);
  });

  it('lets the timeout nearest the route win: a longer one for a slow route, the app-wide one elsewhere', async () => {
    const app = express();
    app.use(requestTimeout(50));
    app.use('/ingest', requestTimeout(400));
    const slow = (_req: Request, res: Response) => void setTimeout(() => !res.headersSent && res.json({ done: true }), 150);
    app.post('/ingest/x', slow);
    app.post('/other', slow);
    expect((await request(app).post('/ingest/x')).body).toEqual({ done: true });
    expect((await request(app).post('/other')).status).toBe(503);
  });

  it('answers a request that runs out of time with 503 and an OperationOutcome, aborts its signal, and drops the late answer', async () => {
    const app = express();
    app.use(requestTimeout(100));
    let aborted: boolean | undefined;
    let late: unknown;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    app.get('/slow', async (_req: Request, res: Response, next: NextFunction) => {
      await new Promise((r) => setTimeout(r, 250));
      aborted = timeoutSignalOf(res)?.aborted;
      try {
        res.json({ late: true });
      } catch (err) {
        late = err;
        next(err);
      } finally {
        finished();
      }
    });
    app.get('/fast', (_req, res) => void res.json({ fast: true }));
    const started = Date.now();
    const response = await request(app).get('/slow');
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(240);
    expect(response.headers['retry-after']).toBe('5');
    expectOutcome(response.body, 'timeout');
    await done;
    expect(aborted).toBe(true);
    expect((late as { code?: string }).code).toBe('ERR_HTTP_HEADERS_SENT');
    expect((await request(app).get('/fast')).body).toEqual({ fast: true });
  });

  it('limits each client on its own (by its id when authenticated, else by address) with 429, Retry-After and an OperationOutcome', async () => {
    const app = express();
    app.use((req, res, next) => {
      const client = req.get('x-test-client');
      if (client) res.locals.client = { id: client };
      next();
    });
    app.use(rateLimitPerClient({ windowMs: 60_000, limit: 2 }));
    app.get('/x', (_req, res) => void res.json({}));
    const as = (client?: string) => (client ? request(app).get('/x').set('x-test-client', client) : request(app).get('/x'));
    expect((await as('gp-1')).status).toBe(200);
    expect((await as('gp-1')).status).toBe(200);
    const refused = await as('gp-1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expectOutcome(refused.body, 'throttled');
    // Another client, and callers without one (by address), have limits of their own.
    expect((await as('regulator-1')).status).toBe(200);
    expect((await as()).status).toBe(200);
    expect((await as()).status).toBe(200);
    expect((await as()).status).toBe(429);
  });

  it("shares each client's limit between pont serve processes through Redis", async () => {
    const redis = await connectRedis(testRedisUrl());
    const prefix = `pont-test-${randomUUID()}`;
    try {
      const process = () => {
        const app = express();
        app.use((_req, res, next) => {
          res.locals.client = { id: 'gp-1' };
          next();
        });
        app.use(rateLimitPerClient({ windowMs: 60_000, limit: 3, shared: { redis, prefix } }));
        app.get('/x', (_req, res) => void res.json({}));
        return app;
      };
      const [a, b] = [process(), process()];
      expect((await request(a).get('/x')).status).toBe(200);
      expect((await request(b).get('/x')).status).toBe(200);
      expect((await request(a).get('/x')).status).toBe(200);
      const refused = await request(b).get('/x');
      expect(refused.status).toBe(429);
      expectOutcome(refused.body, 'throttled');
      expect(await redis.keys(`${prefix}:rate-limit:*`)).toEqual([`${prefix}:rate-limit:client:gp-1`]);
    } finally {
      await clearPrefix(redis, prefix);
      redis.disconnect();
    }
  });
});
