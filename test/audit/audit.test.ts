/**
 * Audit: which requests become AuditEvents and as what; the events are valid R4 AuditEvents;
 * the middleware writes one per audited request once answered, with the outcome from the status,
 * into the SQL store on PGlite and PostgreSQL, where admins find them by time, client and action.
 */
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPE, auditEvent, CLIENT_ID_SYSTEM, outcomeOf, PONT_AUDIT_SUBTYPE, RESTFUL_INTERACTION } from '../../src/audit/audit-event.js';
import { classifyRequest } from '../../src/audit/classify.js';
import { createValidator } from '../../src/fhir/validate.js';
import { auditTrail } from '../../src/http/ops/audit-trail.js';
import { requestId } from '../../src/http/ops/request-id.js';
import type { AuditLog } from '../../src/ports/audit-log.js';
import { type Clock, fixedClock } from '../../src/ports/clock.js';
import { loadProfiles } from '../../src/profiles/load-profiles.js';
import { auditLog } from '../../src/store/audit-events.js';
import { migrate } from '../../src/store/migrations.js';
import { capturedLog } from '../helpers/captured-log.js';
import { DATABASE_KINDS, type TestDatabase, testDatabase } from '../helpers/databases.js';
import { ROOT } from '../helpers/runtime.js';

const MESSAGE = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('which requests are audited, and as what', () => {
  const cases: [method: string, url: string, expected: ReturnType<typeof classifyRequest>][] = [
    ['POST', '/ingest/epr-a?format=ctp', { subtype: { system: PONT_AUDIT_SUBTYPE, code: 'ingest' }, action: 'C', reference: `messages/${MESSAGE}` }],
    ['GET', `/messages/${MESSAGE}`, { subtype: { system: RESTFUL_INTERACTION, code: 'read' }, action: 'R', reference: `messages/${MESSAGE}` }],
    ['POST', '/$check?format=ctp', { subtype: { system: RESTFUL_INTERACTION, code: 'operation' }, action: 'E', query: 'format=ctp' }],
    ['GET', '/fhir/CarePlan/cp-1', { subtype: { system: RESTFUL_INTERACTION, code: 'read' }, action: 'R', reference: 'CarePlan/cp-1' }],
    ['GET', '/fhir/CarePlan/cp-1/_history/3', { subtype: { system: RESTFUL_INTERACTION, code: 'vread' }, action: 'R', reference: 'CarePlan/cp-1/_history/3' }],
    ['GET', '/fhir/Patient?identifier=x|1', { subtype: { system: RESTFUL_INTERACTION, code: 'search-type' }, action: 'E', reference: 'Patient', query: 'identifier=x|1' }],
    ['POST', '/fhir/Patient/_search', { subtype: { system: RESTFUL_INTERACTION, code: 'search-type' }, action: 'E', reference: 'Patient' }],
    ['GET', '/fhir/$export?_type=CarePlan', { subtype: { system: RESTFUL_INTERACTION, code: 'operation' }, action: 'E', reference: '$export', query: '_type=CarePlan' }],
    ['GET', '/fhir/Group/g-1/$export', { subtype: { system: RESTFUL_INTERACTION, code: 'operation' }, action: 'E', reference: 'Group/g-1/$export' }],
    [
      'GET',
      '/fhir/Measure/m-1/$evaluate-measure?period-start=2026-01-01',
      { subtype: { system: RESTFUL_INTERACTION, code: 'operation' }, action: 'E', reference: 'Measure/m-1/$evaluate-measure', query: 'period-start=2026-01-01' },
    ],
    ['DELETE', '/fhir/Subscription/s-1', { subtype: { system: RESTFUL_INTERACTION, code: 'delete' }, action: 'D', reference: 'Subscription/s-1' }],
    ['POST', '/admin/dead-letters/replay', { subtype: { system: PONT_AUDIT_SUBTYPE, code: 'admin' }, action: 'E', reference: 'admin/dead-letters/replay' }],
  ];
  it.each(cases)('%s %s', (method, url, expected) => {
    const [path, query = ''] = url.split('?') as [string, string?];
    expect(classifyRequest({ method, path, query, ...(method === 'POST' && path.startsWith('/ingest') ? { location: `/messages/${MESSAGE}` } : {}) })).toEqual(expected);
  });

  it('leaves the open and operational endpoints out', () => {
    for (const [method, path] of [
      ['GET', '/healthz'],
      ['GET', '/readyz'],
      ['GET', '/metrics'],
      ['GET', '/openapi.json'],
      ['POST', '/auth/token'],
      ['GET', '/fhir/metadata'],
      ['GET', '/nowhere'],
    ] as const)
      expect(classifyRequest({ method, path, query: '' }), `${method} ${path}`).toBeUndefined();
  });

  it('maps the status to the outcome: success, minor failure (refused), serious failure (a fault of pont)', () => {
    expect([200, 202, 304, 400, 403, 404, 429, 500, 503].map(outcomeOf)).toEqual(['0', '0', '0', '4', '4', '4', '4', '8', '8']);
  });
});

describe('an AuditEvent', () => {
  it('is a valid R4 AuditEvent naming who, what, when, the outcome and pont as source', () => {
    const event = auditEvent({
      id: 'a7c1c2f0-0000-4000-8000-000000000001',
      recorded: new Date('2026-03-01T10:00:00Z'),
      interaction: { subtype: { system: RESTFUL_INTERACTION, code: 'search-type' }, action: 'E', reference: 'Patient', query: 'identifier=x|1' },
      status: 200,
      clientId: 'regulator-hiw',
      address: '127.0.0.1',
      requestId: 'r-1',
      route: '/fhir/:type',
      method: 'GET',
      site: 'pont.example',
    });
    expect(createValidator(loadProfiles(join(ROOT, 'profiles'))).validateBase(event)).toEqual([]);
    expect(event).toMatchObject({
      type: { system: AUDIT_EVENT_TYPE, code: 'rest' },
      action: 'E',
      outcome: '0',
      recorded: '2026-03-01T10:00:00.000Z',
      agent: [{ requestor: true, who: { identifier: { system: CLIENT_ID_SYSTEM, value: 'regulator-hiw' } }, network: { address: '127.0.0.1', type: '2' } }],
      source: { site: 'pont.example', observer: { display: 'pont' } },
      entity: [{ what: { reference: 'Patient' }, query: Buffer.from('identifier=x|1').toString('base64') }],
    });
  });
});

describe.each(DATABASE_KINDS)('the audit trail on %s', (kind) => {
  let t: TestDatabase;
  let audit: AuditLog;
  let now = new Date('2026-03-01T10:00:00Z');
  const clock: Clock = { now: () => new Date(now), today: () => fixedClock(now).today() };
  const captured = capturedLog();

  beforeAll(async () => {
    t = await testDatabase(kind);
    await migrate(t.db);
    audit = auditLog(t.db);
  }, 60_000);
  afterAll(async () => t?.dispose());

  const app = (log = captured.log, store: AuditLog = audit) => {
    const a = express();
    a.use(requestId(log));
    a.use((req, res, next) => {
      const client = req.get('x-test-client');
      if (client) res.locals.client = { id: client };
      next();
    });
    a.use(auditTrail({ audit: store, clock, log, site: 'pont.test' }));
    a.get('/fhir/:type/:id', (req, res) => {
      if (req.params.id === 'gone') return void res.status(404).json({ resourceType: 'OperationOutcome' });
      if (req.params.id === 'broken') return void res.status(500).json({ resourceType: 'OperationOutcome' });
      res.json({ resourceType: req.params.type, id: req.params.id });
    });
    a.get('/fhir/:type', (_req, res) => void res.json({ resourceType: 'Bundle' }));
    a.post('/ingest/:source', (_req, res) => void res.status(202).location(`/messages/${MESSAGE}`).json({}));
    a.get('/healthz', (_req, res) => void res.json({ status: 'up' }));
    return a;
  };
  const until = async (n: number) => {
    for (let i = 0; i < 100 && (await audit.search({ limit: 1000 })).length < n; i++) await new Promise((r) => setTimeout(r, 20));
  };

  it('writes one event per audited request once answered, with the outcome from the status, searchable by client, action and time', async () => {
    const a = app();
    await request(a).get('/fhir/CarePlan/cp-1').set('x-test-client', 'gp-w99001').set('X-Request-Id', 'r-read');
    now = new Date('2026-03-01T10:05:00Z');
    await request(a).get('/fhir/Patient?identifier=x|1').set('x-test-client', 'regulator-hiw');
    await request(a).get('/fhir/CarePlan/gone').set('x-test-client', 'gp-w99001');
    now = new Date('2026-03-01T10:10:00Z');
    await request(a).get('/fhir/CarePlan/broken').set('x-test-client', 'gp-w99001');
    await request(a).post('/ingest/epr-a?format=ctp').set('x-test-client', 'epr-a');
    await request(a).get('/fhir/CarePlan/cp-2');
    await request(a).get('/healthz');
    await until(6);
    const all = await audit.search({});
    expect(all).toHaveLength(6);
    expect(all.map((e) => `${e.subtype?.[0]?.code} ${e.outcome} ${e.agent[0]?.who?.identifier?.value ?? e.agent[0]?.who?.display}`)).toEqual(
      expect.arrayContaining(['read 0 gp-w99001', 'search-type 0 regulator-hiw', 'read 4 gp-w99001', 'read 8 gp-w99001', 'ingest 0 epr-a', 'read 0 unauthenticated caller']),
    );
    const gp = await audit.search({ clientId: 'gp-w99001' });
    expect(gp.map((e) => e.outcome)).toEqual(['8', '4', '0']); // newest first
    expect(gp[2]!.entity?.[0]?.detail).toEqual([
      { type: 'route', valueString: 'GET /fhir/:type/:id' },
      { type: 'requestId', valueString: 'r-read' },
    ]);
    expect((await audit.search({ action: 'C' })).map((e) => e.entity?.[0]?.what?.reference)).toEqual([`messages/${MESSAGE}`]);
    expect(await audit.search({ subtype: 'search-type' })).toHaveLength(1);
    const early = await audit.search({ from: new Date('2026-03-01T10:00:00Z'), to: new Date('2026-03-01T10:06:00Z') });
    expect(early.map((e) => e.subtype?.[0]?.code).sort()).toEqual(['read', 'read', 'search-type']);
    // Page by page, newest first, nothing twice.
    const first = await audit.search({ limit: 4 });
    const last = first.at(-1)!;
    const second = await audit.search({ limit: 4, after: { recorded: new Date(last.recorded), id: last.id! } });
    expect([...first, ...second].map((e) => e.id).sort()).toEqual(all.map((e) => e.id).sort());
  });

  it('keeps the searched columns indexed', async () => {
    const { rows } = await t.db.query<{ indexname: string }>("select indexname from pg_indexes where tablename = 'pont_audit_event' order by indexname");
    expect(rows.map((r) => r.indexname)).toEqual(expect.arrayContaining(['pont_audit_event_action', 'pont_audit_event_client', 'pont_audit_event_recorded']));
  });

  it('logs a store that cannot take the event, by code, and the answer is not held back', async () => {
    const failing = capturedLog();
    const broken: AuditLog = {
      record: () => Promise.reject(Object.assign(new Error('relation "pont_audit_event" does not exist'), { code: '42P01' })),
      search: async () => [],
    };
    const response = await request(app(failing.log, broken)).get('/fhir/CarePlan/cp-1').set('X-Request-Id', 'r-lost');
    expect(response.status).toBe(200);
    for (let i = 0; i < 50 && failing.lines().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(failing.lines()).toMatchObject([{ requestId: 'r-lost', err: { type: 'Error', code: '42P01' }, subtype: 'read', msg: 'audit event not stored' }]);
  });
});
