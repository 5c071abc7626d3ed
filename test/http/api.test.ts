/**
 * The HTTP API as its clients meet it, `pont serve` running on real PostgreSQL and Redis: every
 * route × every role allowed or refused as the role table says (generated from the route table,
 * so a new route cannot be left out), with real SMART tokens; the FHIR facade read and paged by a
 * real FHIR client (fhir-kit-client); $check, $evaluate-measure, the audit trail, and a GP
 * system's Subscription receiving its patient's care plan end to end.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Bundle, CarePlan, Resource } from '@medplum/fhirtypes';
import express from 'express';
import { Client } from 'fhir-kit-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncConfig, syncConfigSchema } from '../../src/config/sync-config.schema.js';
import { API_ROUTES, type ApiRoute } from '../../src/http/api-routes.js';
import { ROLES, type Role, reachOf } from '../../src/http/security/roles.js';
import { systemClock } from '../../src/ports/clock.js';
import { type RunningService, startService } from '../../src/service/start-service.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { clearPrefix, testRedisUrl } from '../helpers/redis.js';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';
import { type ClientKey, clientKey, obtainToken } from '../helpers/smart.js';
import { sampleSubscription } from '../helpers/subscriptions.js';
import { testServiceConfig } from '../helpers/test-pipeline.js';
import { waitFor } from '../helpers/wait.js';

/** One client of each role; the GP practice is the one the child-with-parents example is registered at. */
const CLIENTS: Readonly<Record<Role, { id: string; scope: string; extra: Record<string, string> }>> = {
  'source-epr': { id: 'epr-a-client', scope: 'system/*.cruds', extra: { source: 'epr-a', organisation: '7A1' } },
  'gp-system': { id: 'gp-client', scope: 'system/*.cruds', extra: { organisation: 'W99002' } },
  regulator: { id: 'regulator-client', scope: 'system/*.rs', extra: {} },
  admin: { id: 'admin-client', scope: 'system/*.*', extra: {} },
};

describe('the HTTP API', () => {
  let t: TestDatabase;
  let service: RunningService;
  const prefix = `pont-test-${randomUUID()}`;
  const keys = new Map<Role, ClientKey>();
  const tokens = new Map<Role, string>();
  const bearer = (role: Role) => `Bearer ${tokens.get(role)}`;

  beforeAll(async () => {
    t = await testDatabase('postgres');
    for (const role of ROLES) keys.set(role, await clientKey(role === 'gp-system' ? 'ES384' : 'RS384'));
    const sync: SyncConfig = syncConfigSchema.parse({
      clients: ROLES.map((role) => ({ id: CLIENTS[role].id, role, scopes: [CLIENTS[role].scope], jwks: { keys: [keys.get(role)!.publicJwk] }, ...CLIENTS[role].extra })),
    });
    // Deliveries back off as pont serve's own default does (1 s).
    service = await startService(testRuntime, systemClock(), testServiceConfig(t, prefix, sync, { reconcileEveryMs: 60_000, concurrency: 4, deliveryBackoffMs: 1000 }));
    const tokenUrl = `${service.url}/auth/token`;
    for (const role of ROLES) {
      tokens.set(role, await obtainToken(service.url, keys.get(role)!, { clientId: CLIENTS[role].id, now: Math.floor(Date.now() / 1000), tokenUrl }, CLIENTS[role].scope));
    }
    // Every example record, ingested by the source EPR and processed.
    for (const e of exampleFiles().filter((f) => f.source === 'ctp')) {
      const res = await request(service.url).post('/ingest/epr-a?format=ctp').set('Authorization', bearer('source-epr')).send(Buffer.from(e.text));
      expect(res.status, e.path).toBe(202);
    }
    await waitFor(async () => Number((await t.db.query<{ n: string }>("select count(*) as n from pont_message where stage = 'received'")).rows[0]!.n) === 0, 60_000);
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    const { connectRedis } = await import('../../src/queue/redis.js');
    const redis = await connectRedis(testRedisUrl());
    await clearPrefix(redis, prefix);
    redis.disconnect();
    await t?.dispose();
  });

  /** A request for a route, its parameters filled with values that name something (or nothing) of the right shape. */
  const call = (rule: ApiRoute, role?: Role) => {
    const path = rule.path
      .replace(':source', role === 'source-epr' ? 'epr-a' : 'epr-b')
      .replace(':type', 'CarePlan')
      .replace(':vid', '1')
      .replace(':job', randomUUID())
      .replace(':file', 'CarePlan.1.ndjson')
      .replace(':id', rule.path.startsWith('/fhir/Measure') ? 'ctp-valid' : randomUUID());
    const query = rule.name.startsWith('evaluate-measure')
      ? '?periodStart=2025-01-01&periodEnd=2025-12-31'
      : rule.name === 'ingest' || rule.name === 'check'
        ? '?format=ctp'
        : '';
    const r = request(service.url)[rule.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path + query);
    if (role !== undefined) r.set('Authorization', bearer(role));
    return rule.method === 'GET' || rule.method === 'DELETE' ? r : r.type('application/fhir+json').send('{}');
  };

  it('lets every role use exactly the routes the role table gives it, and no route but the open ones without a token', async () => {
    const cells: string[] = [];
    for (const rule of API_ROUTES) {
      const anonymous = await call(rule);
      if (rule.permission === 'open') expect(anonymous.status, `${rule.method} ${rule.path} without a token`).not.toBe(401);
      else {
        expect(anonymous.status, `${rule.method} ${rule.path} without a token`).toBe(401);
        expect(anonymous.body.resourceType).toBe('OperationOutcome');
      }
      for (const role of ROLES) {
        const allowed = rule.permission === 'open' || reachOf(role, rule.permission) !== 'none';
        const res = await call(rule, role);
        const label = `${rule.method} ${rule.path} as ${role}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        if (allowed) expect([401, 403], label).not.toContain(res.status);
        else {
          expect(res.status, label).toBe(403);
          expect(res.body.resourceType, label).toBe('OperationOutcome');
        }
        if (res.status >= 400) expect(res.body.resourceType, label).toBe('OperationOutcome');
        cells.push(`${rule.name}:${role}:${allowed}`);
      }
    }
    expect(cells).toHaveLength(API_ROUTES.length * ROLES.length);
    expect(cells.some((c) => c.endsWith(':false'))).toBe(true);
  }, 120_000);

  it('is read, searched and paged by a real FHIR client, the GP system seeing its registered patients only', async () => {
    const as = (role: Role) => new Client({ baseUrl: `${service.url}/fhir`, customHeaders: { Authorization: bearer(role) } });
    const all = async (client: Client, type: string, count: number) => {
      const found: Resource[] = [];
      let page = (await client.search({ resourceType: type, searchParams: { _count: count } })) as unknown as Bundle;
      for (;;) {
        found.push(...(page.entry ?? []).map((e) => e.resource!));
        if (!page.link?.some((l) => l.relation === 'next')) return found;
        page = (await client.nextPage({ bundle: page as never })) as unknown as Bundle;
      }
    };
    const metadata = (await new Client({ baseUrl: `${service.url}/fhir` }).capabilityStatement()) as { resourceType: string };
    expect(metadata.resourceType).toBe('CapabilityStatement');
    const plans = (await all(as('regulator'), 'CarePlan', 2)) as CarePlan[];
    expect(plans.length).toBeGreaterThan(2);
    expect(new Set(plans.map((p) => p.id)).size).toBe(plans.length);
    const one = (await as('regulator').read({ resourceType: 'CarePlan', id: plans[0]!.id! })) as unknown as CarePlan;
    expect(one.id).toBe(plans[0]!.id);
    const gpPlans = (await all(as('gp-system'), 'CarePlan', 50)) as CarePlan[];
    expect(gpPlans.length).toBeGreaterThan(0);
    expect(gpPlans.length).toBeLessThan(plans.length);
    const hidden = plans.find((p) => !gpPlans.some((g) => g.id === p.id))!;
    await expect(as('gp-system').read({ resourceType: 'CarePlan', id: hidden.id! })).rejects.toMatchObject({ response: { status: 404 } });
  });

  it('answers $check with the record checked and nothing stored, and $evaluate-measure with MeasureReports', async () => {
    const versions = Number((await t.db.query<{ n: string }>('select count(*) as n from pont_record_version')).rows[0]!.n);
    const text = exampleFiles().find((f) => f.path.endsWith('ctp/plan-not-agreed.json'))!.text;
    const checked = await request(service.url).post('/$check?format=ctp&asOf=extracted').set('Authorization', bearer('source-epr')).send(Buffer.from(text));
    expect(checked.status).toBe(200);
    expect(checked.body[0]).toMatchObject({ bundle: { resourceType: 'Bundle' }, compliance: { pack: expect.any(String) } });
    expect(checked.body[0].quality).toBeUndefined();
    const withQuality = await request(service.url).post('/$check?format=ctp&asOf=extracted&quality=true').set('Authorization', bearer('source-epr')).send(Buffer.from(text));
    expect(withQuality.body[0]).toMatchObject({ compliance: checked.body[0].compliance, quality: { pack: 'practice-quality' } });
    expect(Number((await t.db.query<{ n: string }>('select count(*) as n from pont_record_version')).rows[0]!.n)).toBe(versions);
    const evaluated = await request(service.url)
      .get('/fhir/Measure/ctp-valid/$evaluate-measure?periodStart=2025-01-01&periodEnd=2025-12-31&lastReceivedOn=2026-01-05')
      .set('Authorization', bearer('regulator'));
    expect(evaluated.status).toBe(200);
    const reports = evaluated.body.resourceType === 'Bundle' ? evaluated.body.entry.map((e: { resource: Resource }) => e.resource) : [evaluated.body];
    expect(reports.length).toBeGreaterThan(0);
    for (const r of reports) expect(r).toMatchObject({ resourceType: 'MeasureReport', type: 'summary' });
    // A subject by NHS number, or by the facade's Patient id: the same person's own reports.
    const nhs = (JSON.parse(exampleFiles().find((f) => f.path.endsWith('ctp/child-with-parents.json'))!.text) as { patient: { nhsNumber: string } }).patient.nhsNumber;
    const individual = async (subject: string) => {
      const res = await request(service.url)
        .get(`/fhir/Measure/ctp-valid/$evaluate-measure?periodStart=2025-01-01&periodEnd=2025-12-31&lastReceivedOn=2026-01-05&subject=${encodeURIComponent(subject)}`)
        .set('Authorization', bearer('regulator'));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const own: Resource[] = res.body.resourceType === 'Bundle' ? res.body.entry.map((e: { resource: Resource }) => e.resource) : [res.body];
      for (const r of own) expect(r).toMatchObject({ resourceType: 'MeasureReport', type: 'individual' });
      return own;
    };
    const byNhs = await individual(`Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${nhs}`);
    const patients = await request(service.url)
      .get(`/fhir/Patient?identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhs}`)}`)
      .set('Authorization', bearer('regulator'));
    expect(await individual(`Patient/${patients.body.entry[0].resource.id}`)).toEqual(byNhs);
    const bad = await request(service.url)
      .get('/fhir/Measure/ctp-valid/$evaluate-measure?periodStart=2025-13-01&periodEnd=2025-12-31')
      .set('Authorization', bearer('regulator'));
    expect(bad.status).toBe(400);
    expect(bad.body.issue[0].diagnostics).toContain('periodStart');
  });

  it('exports in bulk for a regulator, kick-off to NDJSON, and refuses a GP system', async () => {
    const kickOff = await request(service.url)
      .get('/fhir/$export?_type=Patient,CarePlan')
      .set('Authorization', bearer('regulator'))
      .set('Prefer', 'respond-async')
      .set('Accept', 'application/fhir+json');
    expect(kickOff.status, JSON.stringify(kickOff.body)).toBe(202);
    const status = new URL(kickOff.headers['content-location']!).pathname;
    let manifest: { output: { type: string; url: string; count: number }[] } | undefined;
    await waitFor(async () => {
      const res = await request(service.url).get(status).set('Authorization', bearer('regulator'));
      if (res.status === 200) manifest = res.body;
      return res.status === 200;
    }, 30_000);
    const types = new Set<string>();
    for (const file of manifest!.output) {
      const res = await request(service.url)
        .get(new URL(file.url).pathname)
        .set('Authorization', bearer('regulator'))
        .buffer(true)
        .parse((r, done) => {
          let text = '';
          r.on('data', (c: Buffer) => {
            text += c.toString('utf8');
          });
          r.on('end', () => done(null, text));
        });
      expect(res.status).toBe(200);
      const lines = (res.body as string).split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(file.count);
      for (const line of lines) types.add((JSON.parse(line) as Resource).resourceType);
    }
    expect([...types].sort()).toEqual(['CarePlan', 'Patient']);
    const other = await request(service.url).get(status).set('Authorization', bearer('admin'));
    expect(other.status).toBe(404);
    const gp = await request(service.url).get('/fhir/$export').set('Authorization', bearer('gp-system')).set('Prefer', 'respond-async');
    expect(gp.status).toBe(403);
  });

  it('keeps an AuditEvent of each read and search, which an admin can search by client', async () => {
    await request(service.url).get('/fhir/Patient').set('Authorization', bearer('regulator'));
    await waitFor(async () => {
      const res = await request(service.url).get(`/fhir/AuditEvent?agent=${CLIENTS.regulator.id}&_count=50`).set('Authorization', bearer('admin'));
      return (
        res.status === 200 && (res.body.entry ?? []).some((e: { resource: { subtype?: { code?: string }[] } }) => e.resource.subtype?.some((s) => s.code === 'search-type'))
      );
    });
    const denied = await request(service.url).get('/fhir/AuditEvent').set('Authorization', bearer('regulator'));
    expect(denied.status).toBe(403);
  });

  it("delivers a GP system's patient's care plan to its Subscription's endpoint, once, and nothing of another practice's patients", async () => {
    const received: { path: string; body: Resource }[] = [];
    const hook = express();
    hook.use(express.json({ type: () => true, limit: '5mb' }));
    hook.put('/fhir/:type/:id', (req, res) => {
      received.push({ path: req.path, body: req.body as Resource });
      res.status(200).json(req.body);
    });
    const server = hook.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
      const created = await request(service.url)
        .post('/fhir/Subscription')
        .set('Authorization', bearer('gp-system'))
        .type('application/fhir+json')
        .send(JSON.stringify(sampleSubscription({ channel: { type: 'rest-hook', endpoint, payload: 'application/fhir+json' } })));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      // A new version of the practice's patient's record, and one of another practice's.
      for (const name of ['child-with-parents', 'adult-all-eight-areas']) {
        const text = exampleFiles()
          .find((f) => f.path.endsWith(`ctp/${name}.json`))!
          .text.replace(/"extractedAt": "([^"]+)"/, '"extractedAt": "2026-01-01T09:00:00Z"');
        const res = await request(service.url).post('/ingest/epr-a?format=ctp').set('Authorization', bearer('source-epr')).send(Buffer.from(text));
        expect(res.status).toBe(202);
      }
      await waitFor(() => received.some((r) => r.body.resourceType === 'CarePlan'), 30_000);
      await waitFor(async () => Number((await t.db.query<{ n: string }>("select count(*) as n from pont_delivery where status = 'pending'")).rows[0]!.n) === 0, 30_000);
      const carePlans = received.filter((r) => r.body.resourceType === 'CarePlan');
      const patients = new Set(carePlans.map((r) => (r.body as CarePlan).subject?.reference));
      expect(patients.size).toBe(1);
      expect(new Set(carePlans.map((r) => r.path)).size).toBe(carePlans.length);
    } finally {
      server.close();
    }
  }, 60_000);
});
