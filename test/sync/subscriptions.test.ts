import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Subscription } from '@medplum/fhirtypes';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingest } from '../../src/app/sync.js';
import { syncConfigSchema } from '../../src/config/sync-config.schema.js';
import { subscriptionRouter } from '../../src/http/subscriptions.js';
import { systemClock } from '../../src/ports/clock.js';
import { subscriptionTargetId } from '../../src/ports/subscriptions.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import type { RunningPipeline } from '../../src/service/sync-pipeline.js';
import type { TestDatabase } from '../helpers/databases.js';
import { startFhirServer, type TestFhirServer } from '../helpers/fhir-server.js';
import { type HookEndpoint, startHookEndpoint } from '../helpers/hook-endpoint.js';
import { ROOT } from '../helpers/runtime.js';
import { startTestPipeline, type TestPipeline } from '../helpers/test-pipeline.js';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const read = (name: string) => JSON.parse(readFileSync(join(ROOT, 'examples/ctp', name), 'utf8')) as CtpRecord;
/** Registered with practice W99001, agreed to sharing with it. */
const adult = read('adult-all-eight-areas.json');
/** Registered with practice W99004, declined sharing with it. */
const carers = read('carers-declined-copies.json');
const version = (record: CtpRecord, extractedAt: string): CtpRecord => ({ ...record, source: { ...record.source, extractedAt } });
const carePlans = (record: CtpRecord) => (record.plans ?? []).length;

const CALLERS = {
  w99001: { id: 'gp-w99001', role: 'gp-system', organisation: 'W99001' },
  w99004: { id: 'gp-w99004', role: 'gp-system', organisation: 'W99004' },
} as const;

describe('a subscription receiving changes end to end', () => {
  let run: TestPipeline;
  let t: TestDatabase;
  let gpServer: TestFhirServer;
  let hook: HookEndpoint;
  let pipeline: RunningPipeline;
  let api: express.Express;

  const count = (sql: string) => run.count(sql);
  const settled = () => run.settled();
  const send = async (record: CtpRecord) => {
    const result = await ingest(pipeline.deps, { source: 'epr-x', format: 'ctp', payload: new TextEncoder().encode(JSON.stringify(record)) });
    expect(result.accepted).toBe(true);
  };
  const deliveriesTo = async (id: string) =>
    (await t.db.query<{ status: string; reason: string | null }>('select status, reason from pont_delivery where target_id = $1 order by id', [subscriptionTargetId(id)]))
      .rows;
  const subscribe = async (client: keyof typeof CALLERS, channel: Record<string, unknown>) => {
    const res = await request(api)
      .post('/fhir/Subscription')
      .set('x-client', client)
      .set('content-type', 'application/fhir+json')
      .send(JSON.stringify({ resourceType: 'Subscription', status: 'requested', reason: 'care plans', criteria: 'CarePlan', channel: { type: 'rest-hook', ...channel } }));
    expect(res.status).toBe(201);
    return res.body as Subscription;
  };
  const put = (client: keyof typeof CALLERS, s: Subscription) =>
    request(api).put(`/fhir/Subscription/${s.id}`).set('x-client', client).set('content-type', 'application/fhir+json').send(JSON.stringify(s));
  const carePlanPuts = (endpoint: HookEndpoint) => endpoint.requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/CarePlan/')).map((r) => r.path);

  beforeAll(async () => {
    gpServer = await startFhirServer({ transaction: false, batch: false });
    hook = await startHookEndpoint();
    run = await startTestPipeline(
      syncConfigSchema.parse({
        targets: [{ id: 'gp-w99001', kind: 'fhir', baseUrl: gpServer.baseUrl, auth: { type: 'none' }, mode: 'per-resource', records: { gpPractice: 'W99001' } }],
      }),
      // A change made behind the API's back is seen by the planner only after a minute: the worker's own look-up is what stops it.
      { subscriptions: { cacheMs: 60_000, attempts: 2 } },
    );
    ({ t, pipeline } = run);
    api = express();
    api.use(
      '/fhir',
      subscriptionRouter({
        caller: (req) => CALLERS[req.get('x-client') as keyof typeof CALLERS],
        subscriptions: pipeline.subscriptions.store,
        clock: systemClock(),
        changed: () => pipeline.subscriptions.directory.invalidate(),
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await run?.stop();
    await gpServer?.stop();
    await hook?.stop();
  });

  it("delivers a change of a practice's registered patient to its subscription once, and nothing of another practice's patient", async () => {
    const s = await subscribe('w99001', { endpoint: hook.url, payload: 'application/fhir+json', header: ['Authorization: Bearer gp-secret'] });
    await send(adult);
    await send(adult); // the same message again
    await send(carers); // registered elsewhere
    await settled();
    const puts = carePlanPuts(hook);
    expect(puts).toHaveLength(carePlans(adult));
    expect(new Set(puts).size).toBe(puts.length);
    expect(hook.requests.every((r) => r.headers.authorization === 'Bearer gp-secret')).toBe(true);
    const patients = hook.requests.filter((r) => r.path.startsWith('/Patient/')).map((r) => JSON.parse(r.body));
    expect(patients).toHaveLength(1);
    expect(patients[0].identifier).toContainEqual({ system: NHS, value: adult.patient!.nhsNumber });
    expect(hook.requests.some((r) => r.path.startsWith('/Encounter/'))).toBe(false); // minimum necessary
    expect(await deliveriesTo(s.id!)).toEqual([{ status: 'delivered', reason: null }]);
    expect(await gpServer.count('Patient', NHS, adult.patient!.nhsNumber as string)).toBe(1); // the configured target as before
  });

  it('holds a change the person declined to share with the practice, and sends nothing', async () => {
    const declined = await startHookEndpoint();
    try {
      const s = await subscribe('w99004', { endpoint: declined.url });
      await send(version(carers, '2026-02-01T09:00:00Z'));
      await settled();
      expect(await deliveriesTo(s.id!)).toEqual([{ status: 'held', reason: 'consent-declined' }]);
      expect(declined.requests).toEqual([]);
    } finally {
      await declined.stop();
    }
  });

  it('delivers nothing while a subscription is off, and again once it is resumed', async () => {
    const [s] = (await request(api).get('/fhir/Subscription').set('x-client', 'w99001')).body.entry.map((e: { resource: Subscription }) => e.resource);
    const paused = await put('w99001', { ...s, status: 'off' });
    expect(paused.body.status).toBe('off');
    hook.requests.length = 0;
    await send(version(adult, '2026-02-01T09:00:00Z'));
    await settled();
    expect(hook.requests).toEqual([]);

    // Paused behind the planner's back (another process): the worker finds it off and holds the delivery.
    const resumed = await put('w99001', { ...paused.body, status: 'requested' });
    expect(resumed.body.status).toBe('active');
    await pipeline.subscriptions.directory.active(); // the planner now holds it as active
    await pipeline.subscriptions.store.setStatus(s.id, 'off', new Date());
    await send(version(adult, '2026-02-02T09:00:00Z'));
    await settled();
    expect(hook.requests).toEqual([]);
    expect((await deliveriesTo(s.id)).at(-1)).toEqual({ status: 'held', reason: 'subscription-off' });

    await put('w99001', { ...resumed.body, status: 'requested', meta: undefined });
    await send(version(adult, '2026-02-03T09:00:00Z'));
    await settled();
    expect(carePlanPuts(hook)).toHaveLength(carePlans(adult));
  });

  it('turns a subscription whose deliveries keep failing to error, and the rest of the sync goes on', async () => {
    const failing = await startHookEndpoint();
    try {
      failing.answer(500, 100);
      const s = await subscribe('w99001', { endpoint: failing.url });
      await send(version(adult, '2026-03-01T09:00:00Z'));
      await settled();
      expect(failing.requests.length).toBe(2); // the attempts allowed
      // The worker dead-letters the delivery, then turns its subscription to error: a moment apart.
      await vi.waitFor(async () => {
        const read = await request(api).get(`/fhir/Subscription/${s.id}`).set('x-client', 'w99001');
        expect(read.body).toMatchObject({ status: 'error', error: 'DELIVERY_UNAVAILABLE' });
      });
      expect(await deliveriesTo(s.id!)).toEqual([{ status: 'dead', reason: 'DELIVERY_UNAVAILABLE' }]);
      // The other subscription and the configured target got the change.
      expect(carePlanPuts(hook).length).toBeGreaterThan(0);
      expect(await count("select count(*) as n from pont_delivery where target_id = 'gp-w99001' and status = 'dead'")).toBe(0);
      // No more deliveries are planned for it until the client resumes it.
      await send(version(adult, '2026-03-02T09:00:00Z'));
      await settled();
      expect(await deliveriesTo(s.id!)).toHaveLength(1);
    } finally {
      await failing.stop();
    }
  });

  it('deletes a subscription: nothing more is planned for it, and its deliveries stay in the ledger', async () => {
    const [s] = (await request(api).get('/fhir/Subscription?status=active').set('x-client', 'w99001')).body.entry.map((e: { resource: Subscription }) => e.resource);
    const before = await deliveriesTo(s.id);
    expect((await request(api).delete(`/fhir/Subscription/${s.id}`).set('x-client', 'w99001')).status).toBe(204);
    hook.requests.length = 0;
    await send(version(adult, '2026-04-01T09:00:00Z'));
    await settled();
    expect(hook.requests).toEqual([]);
    expect(await deliveriesTo(s.id)).toEqual(before);
  });

  it('supersedes rather than sends a delivery whose subscription was deleted behind the planner’s back', async () => {
    const s = await subscribe('w99001', { endpoint: hook.url });
    await pipeline.subscriptions.directory.active(); // the planner now holds it as active
    await pipeline.subscriptions.store.remove(s.id!, new Date());
    hook.requests.length = 0;
    await send(version(adult, '2026-04-02T09:00:00Z'));
    await settled();
    expect(hook.requests).toEqual([]);
    expect(await deliveriesTo(s.id!)).toEqual([{ status: 'superseded', reason: 'subscription-deleted' }]);
  });
});
