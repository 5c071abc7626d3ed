/**
 * `pont serve` under realistic traffic, with its log captured in memory: every example record in
 * every format ingested, processed and delivered to a real FHIR server; a second target that
 * refuses everything with an OperationOutcome quoting the person (dead letters); the first server
 * pulled back as a source; refusals of invalid input, unknown formats and routes, oversized
 * bodies, and patient data put where it does not belong (query strings, paths). Then:
 * - no example person's name parts, NHS number or date of birth (read from examples/) appears
 *   anywhere in the log: a hit fails naming the log key and line, never the value;
 * - a request's X-Request-Id is stored with its message and reaches its jobs' log lines and the
 *   target's requests; a pull run's own id reaches the source;
 * - /metrics, /readyz and the answers agree with the OpenAPI document.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncConfigSchema } from '../../src/config/sync-config.schema.js';
import { openApiDocument } from '../../src/http/ops/openapi.js';
import { systemClock } from '../../src/ports/clock.js';
import { connectRedis } from '../../src/queue/redis.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { type RunningService, startService } from '../../src/service/start-service.js';
import { type CapturedLog, capturedLog } from '../helpers/captured-log.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { startFhirServer, type TestFhirServer } from '../helpers/fhir-server.js';
import { openApiSchemas } from '../helpers/openapi.js';
import { clearPrefix, testRedisUrl } from '../helpers/redis.js';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';
import { testServiceConfig } from '../helpers/test-pipeline.js';
import { waitFor } from '../helpers/wait.js';

/** What identifies each example person (and the people around them), read from the canonical examples. */
function examplePeople(): { file: string; kind: string; value: string }[] {
  return exampleFiles()
    .filter((f) => f.source === 'ctp')
    .flatMap((f) => {
      const record = JSON.parse(f.text) as CtpRecord & {
        relatedPeople?: { name?: { given?: string[]; family?: string } }[];
      };
      const patient = record.patient as { nhsNumber?: string; dateOfBirth?: string; names?: { given?: string[]; family?: string }[] };
      const names = [...(patient.names ?? []), ...(record.relatedPeople ?? []).flatMap((p) => (p.name ? [p.name] : []))];
      return [
        ...names.flatMap((n) => [...(n.given ?? []), ...(n.family ? [n.family] : [])]).map((value) => ({ file: f.path, kind: 'a name part', value })),
        ...(patient.nhsNumber ? [{ file: f.path, kind: 'the NHS number', value: patient.nhsNumber }] : []),
        ...(patient.dateOfBirth ? [{ file: f.path, kind: 'the date of birth', value: patient.dateOfBirth }] : []),
      ];
    });
}

/** Where in a log line a value occurs: the key paths (`err.cause.message`), never the value. */
function keysHolding(line: unknown, value: string, at = ''): string[] {
  if (typeof line === 'string') return line.includes(value) ? [at || '(the line)'] : [];
  if (Array.isArray(line)) return line.flatMap((v, i) => keysHolding(v, value, `${at}[${i}]`));
  if (line !== null && typeof line === 'object')
    return Object.entries(line).flatMap(([k, v]) => [...(k.includes(value) ? [`${at}.${k} (a key)`] : []), ...keysHolding(v, value, at ? `${at}.${k}` : k)]);
  return typeof line === 'number' && String(line).includes(value) ? [at] : [];
}

describe('pont serve: what it logs, counts and says about itself', () => {
  let t: TestDatabase;
  let redis: Redis;
  let ehr: TestFhirServer;
  let refusing: TestFhirServer;
  let service: RunningService;
  let captured: CapturedLog;
  const registry = new Registry();
  const prefix = `pont-test-${randomUUID()}`;
  const people = examplePeople();
  const adult = people.find((p) => p.file.endsWith('adult-all-eight-areas.json') && p.kind === 'the NHS number')!.value;
  const adultName = people.filter((p) => p.file.endsWith('adult-all-eight-areas.json') && p.kind === 'a name part').map((p) => p.value);
  const answers: { path: string; method: string; status: number; type: string; body: unknown }[] = [];

  const call = async (method: string, path: string, init: { body?: string | Uint8Array; type?: string; requestId?: string } = {}) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      ...(init.body === undefined ? {} : { body: init.body }),
      headers: { ...(init.type ? { 'content-type': init.type } : {}), ...(init.requestId ? { 'x-request-id': init.requestId } : {}) },
    });
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!;
    const body = type.includes('json') ? await response.json() : await response.text();
    return { status: response.status, type, body, requestId: response.headers.get('x-request-id') };
  };
  const count = async (sql: string) => Number((await t.db.query<{ n: string }>(sql)).rows[0]!.n);

  beforeAll(async () => {
    [ehr, refusing] = await Promise.all([startFhirServer({ maxEntries: 8 }), startFhirServer()]);
    // Answers pont's first request (its read of /metadata), then refuses every write, quoting the person back (as some servers do in diagnostics).
    refusing.misbehave({ delayMs: 0 });
    refusing.misbehave(
      {
        status: 422,
        body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: `Patient ${adultName.join(' ')} (${adult}) refused` }] },
      },
      10_000,
    );
    t = await testDatabase('postgres');
    redis = await connectRedis(testRedisUrl());
    captured = capturedLog('debug');
    const sync = syncConfigSchema.parse({
      targets: [
        { id: 'hb', kind: 'fhir', baseUrl: ehr.baseUrl, auth: { type: 'none' }, records: { all: true }, limits: { maxEntries: 8, attempts: 3 } },
        { id: 'refuser', kind: 'fhir', baseUrl: refusing.baseUrl, auth: { type: 'none' }, records: { all: true }, limits: { attempts: 1 } },
      ],
      sources: [{ id: 'hb', kind: 'fhir-pull', baseUrl: ehr.baseUrl, auth: { type: 'none' }, every: '1s' }],
    });
    service = await startService(
      testRuntime,
      systemClock(),
      testServiceConfig(t, prefix, sync, { maxBytes: 1 << 20, reconcileEveryMs: 500, concurrency: 4, log: captured.log, registry, version: '0.1.0' }),
    );

    const record = (path: string, method: string, r: Awaited<ReturnType<typeof call>>) => {
      answers.push({ path, method, status: r.status, type: r.type, body: r.body });
      return r;
    };
    // Every example in every format, the first ones with a correlation id of the sender's.
    for (const [i, f] of exampleFiles().entries()) {
      const r = await call('POST', `/ingest/epr-a?format=${f.source}`, {
        body: f.text,
        type: f.source === 'wpas-csv' ? 'text/csv' : 'application/json',
        requestId: `sender-${i}`,
      });
      record('/ingest/{source}', 'POST', r);
      expect(r.status, f.path).toBe(202);
      expect(r.requestId).toBe(`sender-${i}`);
    }
    // Invalid input: a record with a broken NHS number and date of birth, text that is not JSON, an unknown format.
    const broken = JSON.parse(exampleFiles().find((f) => f.source === 'ctp')!.text) as { patient: Record<string, unknown> };
    broken.patient.nhsNumber = `${adult.slice(0, 9)}0`;
    broken.patient.dateOfBirth = '1991-02-30';
    broken.patient.gender = 'unknown-value';
    record('/ingest/{source}', 'POST', await call('POST', '/ingest/epr-a?format=ctp', { body: JSON.stringify(broken), type: 'application/json' }));
    record('/ingest/{source}', 'POST', await call('POST', '/ingest/epr-a?format=ctp', { body: `${adultName.join(' ')} ${adult}`, type: 'text/plain' }));
    record('/ingest/{source}', 'POST', await call('POST', `/ingest/epr-a?format=hl7v2&nhs=${adult}`, { body: '{}', type: 'application/json' }));
    record('/ingest/{source}', 'POST', await call('POST', '/ingest/epr-a?format=ctp', { body: 'x'.repeat((1 << 20) + 1), type: 'application/json' }));
    // Patient data where it does not belong: a path and a query.
    await call('GET', `/patients/${adultName.at(-1)}?nhs=${adult}`);
    record('/messages/{id}', 'GET', await call('GET', `/messages/${adult}`));
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    if (redis) {
      await clearPrefix(redis, prefix);
      redis.disconnect();
    }
    await t?.dispose();
    await Promise.all([ehr, refusing].map((s) => s?.stop()));
  });

  it('processes and delivers every message, sets the refused deliveries aside, and pulls the source', async () => {
    await waitFor(
      async () =>
        (await count("select count(*) as n from pont_message where stage = 'received'")) === 0 &&
        (await count("select count(*) as n from pont_delivery where status = 'pending'")) === 0 &&
        captured.lines().some((l) => l.msg === 'pull run finished'),
      60_000,
    );
    expect(await count("select count(*) as n from pont_delivery where target_id = 'hb' and status = 'delivered'")).toBeGreaterThan(0);
    expect(await count("select count(*) as n from pont_delivery where target_id = 'refuser' and status = 'dead'")).toBeGreaterThan(0);
    const said = new Set(captured.lines().map((l) => l.msg));
    for (const msg of [
      'pipeline started',
      'HTTP edge listening',
      'message accepted',
      'message refused',
      'message processed',
      'delivered',
      'delivery failed',
      'delivery dead-lettered',
      'pull run finished',
      'request answered',
    ])
      expect(said, msg).toContain(msg);
  }, 90_000);

  it("logs no example person's name, NHS number or date of birth anywhere: a hit names the key and the line, not the value", () => {
    const lines = captured.lines();
    expect(lines.length).toBeGreaterThan(100);
    const hits = people.flatMap((p) =>
      lines.flatMap((line, i) => keysHolding(line, p.value).map((key) => `line ${i} ("${String(line.msg)}"), key ${key}: ${p.kind} of a person in ${p.file}`)),
    );
    expect(hits).toEqual([]);
    // And the raw text, in case a line is not what it parses to.
    const raw = captured.text();
    expect(people.filter((p) => raw.includes(p.value)).map((p) => `${p.kind} of a person in ${p.file}`)).toEqual([]);
  });

  it("carries a request's X-Request-Id to its message, its jobs' log lines and the target's requests; a pull run's own to the source", async () => {
    const { rows } = await t.db.query<{ id: string; request_id: string | null }>("select id, request_id from pont_message where source = 'epr-a' and request_id = 'sender-0'");
    expect(rows).toHaveLength(1);
    const messageId = rows[0]!.id;
    const mine = captured.lines().filter((l) => l.requestId === 'sender-0');
    const said = new Set(mine.map((l) => l.msg));
    for (const msg of ['request answered', 'message accepted', 'message processed', 'delivered']) expect(said, msg).toContain(msg);
    expect(mine.filter((l) => l.msg === 'message processed').every((l) => l.messageId === messageId && typeof l.jobId === 'string')).toBe(true);
    const deliveries = mine.filter((l) => l.msg === 'delivered' || l.msg === 'delivery dead-lettered');
    expect(deliveries.every((l) => typeof l.deliveryId === 'string' && (l.targetId === 'hb' || l.targetId === 'refuser'))).toBe(true);
    expect(ehr.log.filter((r) => r.requestId === 'sender-0' && r.method !== 'GET').length).toBeGreaterThan(0);
    // Requests of a pull run carry the run's id, also on its log line.
    const runs = new Set(
      captured
        .lines()
        .filter((l) => l.msg === 'pull run finished')
        .map((l) => l.requestId as string),
    );
    expect(runs.size).toBeGreaterThan(0);
    expect(ehr.log.some((r) => r.method === 'GET' && r.url.startsWith('/Patient?') && r.requestId !== undefined && runs.has(r.requestId))).toBe(true);
  });

  it('counts on /metrics what happened, by target, outcome, rule and route template, and says it is ready', async () => {
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(200);
    answers.push({ path: '/readyz', method: 'GET', status: ready.status, type: ready.type, body: ready.body });
    const health = await call('GET', '/healthz');
    answers.push({ path: '/healthz', method: 'GET', status: health.status, type: health.type, body: health.body });
    const metrics = await call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    const text = metrics.body as string;
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    expect(value(/^pont_deliveries_total\{target="hb",outcome="delivered"\} (\d+)$/m)).toBeGreaterThan(0);
    expect(value(/^pont_deliveries_total\{target="refuser",outcome="failed"\} (\d+)$/m)).toBeGreaterThan(0);
    expect(value(/^pont_dead_letters_total\{queue="pont-deliver-refuser",reason="DELIVERY_REFUSED"\} (\d+)$/m)).toBeGreaterThan(0);
    expect(value(/^pont_ingest_total\{outcome="refused"\} (\d+)$/m)).toBeGreaterThan(0);
    expect(value(/^pont_message_processing_seconds_count\{stage="processed"\} (\d+)$/m)).toBeGreaterThan(0);
    expect(value(/^pont_delivery_seconds_count\{target="hb"\} (\d+)$/m)).toBeGreaterThan(0);
    expect(text).toMatch(/^pont_findings_total\{rule="[^"]+",result="fail"\} \d+$/m);
    // The source is pulled every second, so a run may have queued a message since the wait: the depth is not fixed here (ops.test.ts checks its values).
    expect(text).toMatch(/^pont_queue_jobs\{queue="pont-process",state="waiting"\} \d+$/m);
    expect(text).toMatch(/^pont_queue_jobs\{queue="pont-deliver-hb",state="active"\} \d+$/m);
    expect(value(/^pont_http_requests_total\{method="POST",route="\/ingest\/:source",status="202"\} (\d+)$/m)).toBe(exampleFiles().length);
    expect(text).toMatch(/^pont_http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
    for (const p of people) expect(text.includes(p.value), `${p.kind} of a person in ${p.file}`).toBe(false);
  });

  it('keeps an AuditEvent for every ingest and message read, with the outcome from the status', async () => {
    const { rows } = await t.db.query<{ subtype_code: string; outcome: string; n: string }>(
      'select subtype_code, outcome, count(*) as n from pont_audit_event group by 1, 2 order by 1, 2',
    );
    const counts = Object.fromEntries(rows.map((r) => [`${r.subtype_code} ${r.outcome}`, Number(r.n)]));
    expect(counts['ingest 0']).toBe(exampleFiles().length);
    expect(counts['ingest 4']).toBe(4); // invalid record, not JSON, unknown format, too large
    expect(counts['read 4']).toBeGreaterThanOrEqual(1); // a message id that is not one
    const { rows: events } = await t.db.query<{ event: unknown }>("select event from pont_audit_event where subtype_code = 'ingest' and outcome = '0' limit 1");
    expect(events[0]!.event).toMatchObject({ resourceType: 'AuditEvent', action: 'C', entity: [{ what: { reference: expect.stringMatching(/^messages\//) } }] });
  });

  it('answers as its OpenAPI document says', async () => {
    const doc = (await call('GET', '/openapi.json')).body as Record<string, unknown>;
    const formats = (doc as { paths: Record<string, { post: { parameters: { schema: { enum: string[] } }[] } }> }).paths['/ingest/{source}']!.post.parameters[1]!.schema.enum;
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument({ formats, maxBytes: 1 << 20, version: '0.1.0' }))));
    expect(formats).toEqual(expect.arrayContaining(['ctp', 'carepath-json', 'wpas-csv']));
    const schemas = openApiSchemas(doc);
    const statuses = new Set(answers.map((a) => `${a.method} ${a.path} ${a.status}`));
    for (const expected of [
      'POST /ingest/{source} 202',
      'POST /ingest/{source} 400',
      'POST /ingest/{source} 413',
      'GET /messages/{id} 400',
      'GET /readyz 200',
      'GET /healthz 200',
    ])
      expect(statuses, expected).toContain(expected);
    const id = (answers.find((a) => a.status === 202)!.body as { id: string }).id;
    const history = await call('GET', `/messages/${id}`);
    answers.push({ path: '/messages/{id}', method: 'GET', status: history.status, type: history.type, body: history.body });
    for (const a of answers) expect(schemas.response(a.path, a.method, a.status, a.type, a.body), `${a.method} ${a.path} ${a.status}`).toEqual([]);
  });
});
