/**
 * A target of kind http through the real pipeline (PostgreSQL, Redis, the delivery workers): a
 * CarePath EPR standing in as a small endpoint on 127.0.0.1 receives each entitled person's record
 * as CarePath JSON, which reads back to the record pont stored; the consent gate holds it as for a
 * FHIR target; a target that fails for a while still gets the change once in effect; a record the
 * format cannot hold becomes a dead letter with its reason. A mapping that does not exist stops
 * the service at start.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/app/sync.js';
import { type SyncConfig, syncConfigSchema } from '../../src/config/sync-config.schema.js';
import { ConfigError } from '../../src/errors/errors.js';
import { systemClock } from '../../src/ports/clock.js';
import { connectRedis } from '../../src/queue/redis.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { type PipelineConfig, type RunningPipeline, startPipeline } from '../../src/service/sync-pipeline.js';
import { messageStore } from '../../src/store/messages.js';
import { startEndpoint, type TestEndpoint } from '../delivery/http-target/endpoint.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { clearPrefix, testRedisUrl } from '../helpers/redis.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';
import { pipelineSettled } from '../helpers/settled.js';
import { testPipelineConfig } from '../helpers/test-pipeline.js';

/** Lives in Cardiff (7A4). */
const carePathAdult = readFileSync(join(ROOT, 'examples/carepath-json/adult-all-eight-areas.json'), 'utf8');
const ctpAdult = JSON.parse(readFileSync(join(ROOT, 'examples/ctp/adult-all-eight-areas.json'), 'utf8')) as CtpRecord;

const carePathTarget = (endpoint: TestEndpoint, overrides: Record<string, unknown> = {}) => ({
  id: 'carepath-7a4',
  kind: 'http',
  url: endpoint.url,
  auth: { type: 'none' },
  mapping: 'ctp-to-carepath-json',
  records: { healthBoard: '7A4' },
  organisation: '7A4',
  limits: { attempts: 3 },
  ...overrides,
});

describe('an http target in the sync service', () => {
  const core = testRuntime();
  let t: TestDatabase;
  let redis: Redis;
  let prefix: string;
  let endpoint: TestEndpoint;
  let pipeline: RunningPipeline;

  const settings = (sync: SyncConfig): PipelineConfig => testPipelineConfig(t, prefix, sync, { deliveryBackoffMs: 50 });
  const settled = () => pipelineSettled(t.db);
  /** The delivery of a message's record version to the target. */
  const deliveryOf = async (messageId: string) =>
    (
      await t.db.query<{ status: string; reason: string | null; receipt: unknown; record: CtpRecord }>(
        `select d.status, d.reason, d.receipt, v.record from pont_delivery d join pont_record_version v on v.id = d.record_version_id
          where v.message_id = $1 and d.target_id = 'carepath-7a4'`,
        [messageId],
      )
    ).rows;
  const send = async (format: string, text: string) => {
    const result = await ingest(pipeline.deps, { source: 'epr-x', format, payload: new TextEncoder().encode(text) });
    expect(result.accepted).toBe(true);
    return (result as { id: string }).id;
  };

  beforeAll(async () => {
    endpoint = await startEndpoint();
    t = await testDatabase('postgres');
    redis = await connectRedis(testRedisUrl());
    prefix = `pont-test-${randomUUID()}`;
    pipeline = await startPipeline(() => core, systemClock(), settings(syncConfigSchema.parse({ targets: [carePathTarget(endpoint)] })));
  }, 60_000);

  afterAll(async () => {
    await pipeline?.stop();
    await clearPrefix(redis, prefix);
    redis?.disconnect();
    await t?.dispose();
    await endpoint?.stop();
  });

  it('a CarePath EPR receives the person’s record as CarePath JSON, which reads back to the record pont stored', async () => {
    endpoint.clear();
    const id = await send('carepath-json', carePathAdult);
    await settled();
    const [delivery] = await deliveryOf(id);
    expect(delivery).toMatchObject({ status: 'delivered', receipt: { mode: 'http', requests: 1, resources: 0 } });
    expect(endpoint.received).toHaveLength(1);
    const [back] = core.convert([{ origin: 'received.json', source: 'carepath-json', text: endpoint.received[0]!.body }]);
    expect(back!.record).toEqual(delivery!.record);
  });

  it("what the format does not hold is named, by field and never by value, in the delivery's receipt and the message's status", async () => {
    endpoint.clear();
    // Risk assessments: evidence the English policies need, which a CarePath MH export does not hold.
    const record: CtpRecord = {
      ...ctpAdult,
      source: { ...ctpAdult.source, recordId: 'evidence-1' },
      riskAssessments: [{ id: 'ra-7f3e', date: '2025-05-14', method: 'structured risk form' }],
    };
    const id = await send('ctp', JSON.stringify(record));
    await settled();
    const [delivery] = await deliveryOf(id);
    const receipt = delivery!.receipt as { leftOut?: string[] };
    expect(delivery!.status).toBe('delivered');
    expect(receipt.leftOut).toContain('riskAssessments');
    const status = await messageStore(t.db).history(id);
    expect(status?.deliveries).toEqual([{ targetId: 'carepath-7a4', status: 'delivered', count: 1, leftOut: receipt.leftOut }]);
    for (const value of [record.riskAssessments![0]!.id, record.riskAssessments![0]!.date]) expect(JSON.stringify(status)).not.toContain(value);
  });

  it('the consent gate holds it when the person declined sharing with the board, as for a FHIR target', async () => {
    endpoint.clear();
    const declined: CtpRecord = {
      ...ctpAdult,
      source: { ...ctpAdult.source, recordId: 'declined-1' },
      patient: { ...ctpAdult.patient!, sharingDecisions: [{ recipient: { kind: 'health-board', odsCode: '7A4' }, decision: 'declined', recordedOn: '2025-06-01' }] },
    };
    const id = await send('ctp', JSON.stringify(declined));
    await settled();
    expect(await deliveryOf(id)).toMatchObject([{ status: 'held', reason: 'consent-declined' }]);
    expect(endpoint.received).toHaveLength(0);
  });

  it('a target that fails for a while gets the change once in effect, every attempt under one idempotency key', async () => {
    endpoint.clear();
    endpoint.answer(
      (_req, res) => void res.status(503).end(),
      (_req, res) => void res.status(429).set('retry-after', '0').end(),
    );
    const record: CtpRecord = { ...ctpAdult, source: { ...ctpAdult.source, recordId: 'flaky-1' } };
    const id = await send('ctp', JSON.stringify(record));
    await settled();
    expect(await deliveryOf(id)).toMatchObject([{ status: 'delivered' }]);
    expect(endpoint.received).toHaveLength(3);
    expect(new Set(endpoint.received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
  });

  it('a record the format cannot hold becomes a dead letter with its reason, and nothing is sent', async () => {
    endpoint.clear();
    const record: CtpRecord = {
      ...ctpAdult,
      source: { ...ctpAdult.source, recordId: 'unwritable-1' },
      organisations: ctpAdult.organisations!.map(({ kind: _kind, ...rest }) => rest),
    };
    const id = await send('ctp', JSON.stringify(record));
    await settled();
    const [delivery] = await deliveryOf(id);
    expect(delivery!.status).toBe('dead');
    // Not retried: another attempt would write the same record the same way.
    const letters = (await t.db.query<{ reason: string; attempts: number }>('select reason, attempts from pont_dead_letter where message_id = $1', [id])).rows;
    expect(letters).toEqual([{ reason: 'DELIVERY_UNSUPPORTED', attempts: 1 }]);
    expect(endpoint.received).toHaveLength(0);
  });

  it('a target naming a mapping that does not exist stops the service at start, naming both', async () => {
    const sync = syncConfigSchema.parse({ targets: [carePathTarget(endpoint, { id: 'misnamed', mapping: 'ctp-to-carepath-xml' })] });
    const started = startPipeline(() => core, systemClock(), { ...settings(sync), queuePrefix: `${prefix}-misnamed` });
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(/^target misnamed: mapping "ctp-to-carepath-xml" does not exist in mappings\//);
  });

  it('an http target for a GP practice is refused at start: it would receive more than the minimum necessary', async () => {
    const sync = syncConfigSchema.parse({ targets: [carePathTarget(endpoint, { id: 'gp-epr', records: { gpPractice: 'W99001' }, organisation: undefined })] });
    await expect(startPipeline(() => core, systemClock(), { ...settings(sync), queuePrefix: `${prefix}-gp` })).rejects.toThrow(
      /^target gp-epr: a target of kind "http" is sent the whole record, more than a GP practice may receive/,
    );
  });
});
