/**
 * The Subscription endpoints with supertest, on the store in PGlite. Authentication is not this
 * Router's: the test's caller function names the client by a header.
 */
import type { Bundle, OperationOutcome, Subscription } from '@medplum/fhirtypes';
import express from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiCaller } from '../../src/app/subscriptions.js';
import { StoreError } from '../../src/errors/errors.js';
import { subscriptionRouter } from '../../src/http/subscriptions.js';
import { fixedClock } from '../../src/ports/clock.js';
import { subscriptionStore } from '../../src/store/subscriptions.js';
import { type TestDatabase, useMigratedDatabase } from '../helpers/databases.js';
import { sampleSubscription } from '../helpers/subscriptions.js';

const CALLERS: Record<string, ApiCaller> = {
  gp: { id: 'gp-client', role: 'gp-system', organisation: 'W99001' },
  other: { id: 'other-gp', role: 'gp-system', organisation: 'W99002' },
  epr: { id: 'epr-client', role: 'source-epr', organisation: '7A4', source: 'epr-a' },
  regulator: { id: 'reg', role: 'regulator' },
};

const subscription = sampleSubscription({ criteria: 'CarePlan?category=http://snomed.info/sct|718347000' });

describe('the Subscription endpoints', () => {
  const database = useMigratedDatabase('pglite');
  let t: TestDatabase;
  let app: express.Express;
  let changes = 0;
  beforeAll(() => {
    t = database();
    app = express();
    app.use(
      '/fhir',
      subscriptionRouter({
        caller: (req) => CALLERS[req.get('x-test-client') ?? ''],
        subscriptions: subscriptionStore(t.db),
        clock: fixedClock('2026-03-01T10:00:00Z'),
        changed: () => void changes++,
      }),
    );
  });

  const as = (client: string) => ({
    post: (body: unknown) => request(app).post('/fhir/Subscription').set('x-test-client', client).set('content-type', 'application/fhir+json').send(JSON.stringify(body)),
    put: (id: string, body: unknown) =>
      request(app).put(`/fhir/Subscription/${id}`).set('x-test-client', client).set('content-type', 'application/fhir+json').send(JSON.stringify(body)),
    get: (path: string) => request(app).get(`/fhir/Subscription${path}`).set('x-test-client', client),
    delete: (id: string) => request(app).delete(`/fhir/Subscription/${id}`).set('x-test-client', client),
  });
  const outcome = (res: request.Response) => {
    expect(res.type).toBe('application/fhir+json');
    expect(res.body.resourceType).toBe('OperationOutcome');
    return res.body as OperationOutcome;
  };

  it('creates a subscription, active at once, with 201 and its Location', async () => {
    const before = changes;
    const res = await as('gp').post(subscription);
    expect(res.status).toBe(201);
    const created = res.body as Subscription;
    expect(created).toMatchObject({ resourceType: 'Subscription', status: 'active', criteria: subscription.criteria, channel: subscription.channel });
    expect(res.headers.location).toBe(`/fhir/Subscription/${created.id}/_history/1`);
    expect(res.headers.etag).toBe('W/"1"');
    expect(changes).toBe(before + 1);
    const read = await as('gp').get(`/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created);
  });

  it("lists the caller's own subscriptions only, and reads another's as absent", async () => {
    const mine = (await as('epr').post(subscription)).body as Subscription;
    const theirs = (await as('other').post(subscription)).body as Subscription;
    const list = await as('epr').get('');
    expect(list.status).toBe(200);
    const bundle = list.body as Bundle<Subscription>;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(bundle.entry?.map((e) => e.resource?.id)).toEqual([mine.id]);
    expect(bundle.entry?.[0]?.fullUrl).toBe(`/fhir/Subscription/${mine.id}`);
    expect(outcome(await as('epr').get(`/${theirs.id}`)).issue[0]?.code).toBe('not-found');
    expect((await as('epr').delete(theirs.id!)).status).toBe(404);
    expect((await as('epr').put(theirs.id!, { ...subscription, id: theirs.id, status: 'off' })).status).toBe(404);
    expect((await as('other').get(`/${theirs.id}`)).status).toBe(200);
  });

  it('pauses (status off) and resumes (requested → active) with PUT, counting versions', async () => {
    const created = (await as('gp').post(subscription)).body as Subscription;
    const paused = await as('gp').put(created.id!, { ...created, status: 'off' });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'off', meta: { versionId: '2' } });
    expect((await as('gp').get('?status=off')).body.entry.map((e: { resource: Subscription }) => e.resource.id)).toEqual([created.id]);
    const resumed = await as('gp').put(created.id!, { ...paused.body, status: 'requested' });
    expect(resumed.body).toMatchObject({ status: 'active', meta: { versionId: '3' } });
    expect(resumed.headers.etag).toBe('W/"3"');
    const unchanged = await as('gp').put(created.id!, resumed.body);
    expect(unchanged.status).toBe(200);
    const wrongId = await as('gp').put(created.id!, { ...resumed.body, id: '00000000-0000-4000-8000-000000000000' });
    expect(wrongId.status).toBe(400);
    expect(outcome(wrongId).issue[0]?.expression).toEqual(['Subscription.id']);
  });

  it('deletes a subscription: 204, then absent', async () => {
    const created = (await as('gp').post(subscription)).body as Subscription;
    expect((await as('gp').delete(created.id!)).status).toBe(204);
    expect((await as('gp').get(`/${created.id}`)).status).toBe(404);
    expect((await as('gp').delete(created.id!)).status).toBe(404);
  });

  it('refuses a Subscription pont cannot honour with an OperationOutcome naming each element', async () => {
    const res = await as('gp').post({ ...subscription, criteria: 'Observation?code=1', channel: { ...subscription.channel, type: 'email' } });
    expect(res.status).toBe(400);
    expect(outcome(res).issue.map((i) => i.expression?.[0])).toEqual(['Subscription.criteria', 'Subscription.channel.type']);
    const update = await as('gp').post(subscription);
    const refused = await as('gp').put(update.body.id, { ...update.body, channel: { ...subscription.channel, endpoint: 'http://gp.example/hook' } });
    expect(refused.status).toBe(400);
    expect(outcome(refused).issue.map((i) => i.expression?.[0])).toEqual(['Subscription.channel.endpoint']);
  });

  it('refuses a client that cannot say whose patients are its own (403), and answers 401 without a caller', async () => {
    const forbidden = await as('regulator').post(subscription);
    expect(forbidden.status).toBe(403);
    expect(outcome(forbidden).issue[0]?.code).toBe('forbidden');
    const anonymous = await as('nobody').get('');
    expect(anonymous.status).toBe(401);
    expect(outcome(anonymous).issue[0]?.code).toBe('login');
  });

  it('answers what is not JSON, not a known id, a bad parameter or a method not offered with an OperationOutcome', async () => {
    const xml = await request(app).post('/fhir/Subscription').set('x-test-client', 'gp').set('content-type', 'application/fhir+xml').send('<Subscription/>');
    expect(xml.status).toBe(415);
    outcome(xml);
    const broken = await request(app).post('/fhir/Subscription').set('x-test-client', 'gp').set('content-type', 'application/fhir+json').send('{"resourceType":');
    expect(broken.status).toBe(400);
    outcome(broken);
    expect(outcome(await as('gp').post({ resourceType: 'Patient' })).issue[0]?.code).toBe('structure');
    expect((await as('gp').get('/not-a-uuid')).status).toBe(404);
    const param = await as('gp').get('?criteria=CarePlan');
    expect(param.status).toBe(400);
    expect(outcome(param).issue[0]?.diagnostics).toContain('"criteria"');
    expect((await as('gp').get('?status=paused')).status).toBe(400);
    const patch = await request(app).patch('/fhir/Subscription/00000000-0000-4000-8000-000000000000').set('x-test-client', 'gp');
    expect(patch.status).toBe(405);
    expect(patch.headers.allow).toBe('GET, PUT, DELETE');
    outcome(patch);
    const big = await as('gp').post({ ...subscription, reason: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    outcome(big);
  });

  it('answers a store that does not answer with 503, nothing changed', async () => {
    const down = express();
    const store = subscriptionStore(t.db);
    down.use(
      '/fhir',
      subscriptionRouter({
        caller: () => CALLERS.gp,
        subscriptions: {
          ...store,
          listByClient: async () => {
            throw StoreError.unavailable('test database', new Error('down'));
          },
        },
        clock: fixedClock('2026-03-01T10:00:00Z'),
      }),
    );
    const res = await request(down).get('/fhir/Subscription');
    expect(res.status).toBe(503);
    expect(outcome(res).issue[0]?.code).toBe('transient');
  });
});
