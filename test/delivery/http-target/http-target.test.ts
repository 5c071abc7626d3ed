/**
 * The http target client (PONT_CONFIG kind http) against a small real endpoint on 127.0.0.1: it
 * POSTs the record written by the target's reverse mapping, with the configured credentials and
 * an idempotency key per record version, target and mapping; what it sends reads back to the
 * record; it classifies failures as a FHIR target does and shares the circuit breaker's rules;
 * a record the format cannot hold is refused before anything is sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TargetConfig } from '../../../src/config/sync-config.schema.js';
import { documentWriter, type HttpTargetConfig } from '../../../src/delivery/http-target/document-writer.js';
import { createHttpTarget, type HttpTargetDeps, idempotencyKey } from '../../../src/delivery/http-target/http-target.js';
import { ConfigError, DeliveryError } from '../../../src/errors/errors.js';
import { loadMappings, MappingRegistry } from '../../../src/mapping/loader.js';
import type { Change } from '../../../src/ports/delivery.js';
import type { CtpRecord } from '../../../src/record/record.schema.js';
import { withEnglishEvidence } from '../../helpers/generate-english-histories.js';
import { ROOT, testRuntime } from '../../helpers/runtime.js';
import { exampleText } from '../../sources/helpers.js';
import { manualClock } from '../fhir-target/deliver.js';
import { type Answer, startEndpoint, type TestEndpoint } from './endpoint.js';

const mappings = loadMappings(`${ROOT}/mappings`);
const core = testRuntime();

/** A CarePath example as the pipeline stores it. */
function carePathRecord(scenario: Parameters<typeof exampleText>[1]): CtpRecord {
  return core.convert([{ origin: `${scenario}.json`, source: 'carepath-json', text: exampleText('carepath-json', scenario) }])[0]!.record!;
}
const record = carePathRecord('adult-all-eight-areas');

function config(endpoint: Pick<TestEndpoint, 'url'>, overrides: Partial<HttpTargetConfig> = {}): HttpTargetConfig {
  return {
    id: 'carepath-epr',
    kind: 'http',
    url: endpoint.url,
    auth: { type: 'none' },
    mapping: 'ctp-to-carepath-json',
    records: { all: true },
    limits: { concurrency: 4, timeoutMs: 5_000, attempts: 8 },
    ...overrides,
  };
}

function client(endpoint: Pick<TestEndpoint, 'url'>, overrides: Partial<HttpTargetConfig> = {}, deps: Partial<HttpTargetDeps> = {}) {
  const c = config(endpoint, overrides);
  return createHttpTarget(c, { env: () => undefined, clock: manualClock(), writer: documentWriter(c, mappings), ...deps });
}

function change(of: CtpRecord = record, recordVersionId = '41', targetId = 'carepath-epr'): Change {
  return { targetId, personKey: 'person-1', sourceSystem: of.source.system, recordVersionId, bundle: { resourceType: 'Bundle', type: 'transaction' }, record: of };
}

const answerWith =
  (status: number, headers: Record<string, string> = {}, body?: unknown): Answer =>
  (_req, res) => {
    res.status(status).set(headers);
    if (body === undefined) res.end();
    else res.json(body);
  };

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DeliveryError);
    return err as DeliveryError;
  }
  throw new Error('expected the delivery to fail');
}

let endpoint: TestEndpoint;
beforeAll(async () => {
  endpoint = await startEndpoint();
});
afterAll(async () => {
  await endpoint.stop();
});
beforeEach(() => endpoint.clear());

describe('delivering to an http target', () => {
  it('POSTs the record as CarePath JSON, which reads back through carepath-json-to-ctp to the same record', async () => {
    const receipt = await client(endpoint).deliver(change(), { resources: [] });
    expect(receipt).toEqual({ mode: 'http', requests: 1, resources: [] });
    expect(endpoint.received).toHaveLength(1);
    const [request] = endpoint.received;
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(request!.headers.authorization).toBeUndefined();
    const [back] = core.convert([{ origin: 'received.json', source: 'carepath-json', text: request!.body }]);
    expect(back!.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(back!.record).toEqual(record);
  });

  it('names in its receipt what of the record the format does not hold, field names only, and sends the rest', async () => {
    // The evidence the English policies need, which a CarePath MH export does not hold, added to a CarePath record.
    const [evidence] = withEnglishEvidence([record]);
    const english: CtpRecord = { ...record, riskAssessments: evidence!.riskAssessments, incidents: evidence!.incidents, letters: evidence!.letters };
    const receipt = await client(endpoint).deliver(change(english), { resources: [] });
    const held = (['riskAssessments', 'incidents', 'letters'] as const).filter((field) => english[field] !== undefined);
    expect(held.length).toBeGreaterThan(0);
    expect(receipt.leftOut).toEqual(held.sort());
    // What was sent is the record without them.
    const [back] = core.convert([{ origin: 'received.json', source: 'carepath-json', text: endpoint.received[0]!.body }]);
    expect(back!.record).toEqual(record);
  });

  it('every CarePath example arrives whole', async () => {
    for (const scenario of ['child-with-parents', 'plan-not-agreed', 'carers-declined-copies', 'revised-plan-after-review', 'part3-self-referral'] as const) {
      const of = carePathRecord(scenario);
      await client(endpoint).deliver(change(of), { resources: [] });
      expect(core.convert([{ origin: 'received.json', source: 'carepath-json', text: endpoint.received.at(-1)!.body }])[0]!.record).toEqual(of);
    }
  });

  it('carries one idempotency key for every attempt of a delivery, and another for another version or target', async () => {
    const target = client(endpoint);
    await target.deliver(change(record, '41'), { resources: [] });
    await target.deliver(change(record, '41'), { resources: [] });
    await target.deliver(change(record, '42'), { resources: [] });
    await client(endpoint, { id: 'other-epr' }).deliver(change(record, '41', 'other-epr'), { resources: [] });
    const keys = endpoint.received.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(new Set(keys).size).toBe(3);
    // The same version id written differently (a new database, a new mapping version) is not a retry.
    expect(idempotencyKey('carepath-epr', '41', '{"a":1}')).not.toBe(idempotencyKey('carepath-epr', '41', '{"a":2}'));
  });

  it('sends the bearer token named by the configuration', async () => {
    const env = (name: string) => (name === 'EPR_TOKEN' ? 'secret-token' : undefined);
    await client(endpoint, { auth: { type: 'bearer', tokenEnv: 'EPR_TOKEN' } }, { env }).deliver(change(), { resources: [] });
    expect(endpoint.received[0]!.headers.authorization).toBe('Bearer secret-token');
  });

  it('after a 401 fetches a fresh OAuth2 token and sends once more', async () => {
    const env = (name: string) => (name === 'EPR_SECRET' ? 'client-secret' : undefined);
    const auth = { type: 'oauth2-client-credentials' as const, tokenUrl: endpoint.tokenUrl, clientId: 'pont', clientSecretEnv: 'EPR_SECRET' };
    endpoint.answer(answerWith(401));
    const receipt = await client(endpoint, { auth }, { env }).deliver(change(), { resources: [] });
    expect(receipt.requests).toBe(2);
    expect(endpoint.received.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(endpoint.received[1]!.headers['idempotency-key']).toBe(endpoint.received[0]!.headers['idempotency-key']);
  });
});

describe('failures, classified as for a FHIR target', () => {
  it('5xx: unavailable, retryable', async () => {
    endpoint.answer(answerWith(503));
    const err = await failure(client(endpoint).deliver(change(), { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true });
    expect(err.message).toBe('target carepath-epr: POST carepath-json answered 503');
  });

  it('429 with Retry-After: unavailable, retryable when the target says', async () => {
    endpoint.answer(answerWith(429, { 'retry-after': '7' }));
    const err = await failure(client(endpoint).deliver(change(), { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true, retryAfterMs: 7000 });
  });

  it('another 4xx: refused, not retryable, keeping only the codes of an OperationOutcome it sends', async () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Lowri Treharne is not known here', expression: ['client.ClientID'] }],
    };
    endpoint.answer(answerWith(422, {}, outcome));
    const err = await failure(client(endpoint).deliver(change(), { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_REFUSED', retryable: false });
    expect(err.issues).toEqual([{ severity: 'error', code: 'invalid', expression: ['client.ClientID'] }]);
    expect(JSON.stringify({ message: err.message, issues: err.issues })).not.toContain('Treharne');
  });

  it('a redirect is the answer, not followed: refused', async () => {
    endpoint.answer((_req, res) => void res.redirect(302, '/elsewhere'));
    const err = await failure(client(endpoint).deliver(change(), { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_REFUSED', retryable: false });
    expect(endpoint.received).toHaveLength(1);
  });

  it('no answer (nothing listening, or too slow): unavailable, retryable', async () => {
    const closed = await startEndpoint();
    await closed.stop();
    const refused = await failure(client(closed).deliver(change(), { resources: [] }));
    expect(refused).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true });
    expect(refused.message).toMatch(/^target carepath-epr: POST carepath-json got no answer \(ECONNREFUSED\)$/);
    endpoint.answer((_req, res) => void setTimeout(() => res.status(202).end(), 1_000));
    const slow = await failure(client(endpoint, { limits: { concurrency: 1, timeoutMs: 150, attempts: 8 } }).deliver(change(), { resources: [] }));
    expect(slow).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true });
    expect(slow.message).toContain('timed out');
  });

  it('the circuit opens after failures in a row and sends nothing until the cool-off ends; a refusal does not open it', async () => {
    const clock = manualClock();
    const target = client(endpoint, {}, { clock, breaker: { failures: 2, coolOffMs: 1_000 } });
    endpoint.answer(answerWith(400), answerWith(500), answerWith(500));
    await failure(target.deliver(change(), { resources: [] }));
    await failure(target.deliver(change(), { resources: [] }));
    await failure(target.deliver(change(), { resources: [] }));
    const open = await failure(target.deliver(change(), { resources: [] }));
    expect(open).toMatchObject({ code: 'DELIVERY_CIRCUIT_OPEN', retryable: true, retryAfterMs: 1_000 });
    expect(endpoint.received).toHaveLength(3);
    clock.advance(1_000);
    await target.deliver(change(), { resources: [] });
    expect(endpoint.received).toHaveLength(4);
  });
});

describe('what cannot be sent', () => {
  it('a record the format cannot hold is refused before anything is sent, naming the field and not the data', async () => {
    const organisations = record.organisations!.map(({ name: _name, ...rest }) => rest);
    const err = await failure(client(endpoint).deliver(change({ ...record, organisations }), { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_UNSUPPORTED', retryable: false });
    expect(err.message).toMatch(/^target carepath-epr: the record cannot be written as carepath-json: /);
    expect(JSON.stringify(err.issues)).toContain('organisations[0].orgName');
    expect(JSON.stringify({ message: err.message, issues: err.issues })).not.toMatch(/Treharne|Lowri|9993847127/);
    expect(endpoint.received).toHaveLength(0);
  });

  it('a code the format has no entry for is refused the same way', async () => {
    const diagnoses = [{ id: 'dx-read', code: [{ system: 'http://read.info/ctv3', code: 'Eu32.' }], status: 'active' as const }];
    const err = await failure(client(endpoint).deliver(change({ ...record, diagnoses }), { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_UNSUPPORTED', retryable: false });
    expect(err.message).toContain('code map "carepath-diagnosis-scheme" (reverse)');
    expect(err.message).not.toContain('read.info');
    expect(endpoint.received).toHaveLength(0);
  });

  it('a change without its record is a fault of pont, not the target', async () => {
    const { record: _record, ...bare } = change();
    await expect(client(endpoint).deliver(bare, { resources: [] })).rejects.toThrow('a change for target carepath-epr came without its record');
  });
});

describe('the mapping a target names, checked at start', () => {
  const named = (mapping: string) => (): unknown => documentWriter(config(endpoint, { mapping }), mappings);
  it('one that does not exist is a configuration error naming the target and the mapping', () => {
    expect(named('ctp-to-nowhere')).toThrow(ConfigError);
    expect(named('ctp-to-nowhere')).toThrow(
      /^target carepath-epr: mapping "ctp-to-nowhere" does not exist in mappings\/ \(mappings that write an EPR's format: ctp-to-carepath-json\)$/,
    );
  });

  it('one that does not read the canonical record, or writes what pont cannot read back, is refused too', () => {
    expect(named('carepath-json-to-ctp')).toThrow(/mapping "carepath-json-to-ctp" reads carepath-json, not the canonical record/);
    expect(named('ctp-to-fhir')).toThrow(/mapping "ctp-to-fhir" writes fhir, which pont cannot read back/);
  });

  it('one whose format no mapping reads back to the canonical record is refused: what it leaves out could not be told', () => {
    const withoutReader = new MappingRegistry(mappings.all().filter((m) => m.id !== 'carepath-json-to-ctp'));
    const start = () => documentWriter(config(endpoint), withoutReader);
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/^target carepath-epr: mapping "ctp-to-carepath-json" writes carepath-json, and no mapping in mappings\/ reads carepath-json back/);
  });

  it('the target configuration schema accepts it as an http target', () => {
    const target: TargetConfig = config(endpoint);
    expect(target.kind).toBe('http');
  });
});
