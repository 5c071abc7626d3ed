import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Provenance } from '@medplum/fhirtypes';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDeadLetters } from '../../src/app/dead-letters.js';
import { pull } from '../../src/app/pull.js';
import { ingest } from '../../src/app/sync.js';
import type { SyncConfig } from '../../src/config/sync-config.schema.js';
import { syncConfigSchema } from '../../src/config/sync-config.schema.js';
import { fhirReader } from '../../src/delivery/fhir-reader.js';
import { systemClock } from '../../src/ports/clock.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import type { RunningPipeline } from '../../src/service/sync-pipeline.js';
import { cursorStore } from '../../src/store/cursors.js';
import { replayDeliveries, writtenByPont } from '../../src/store/deliveries.js';
import type { TestDatabase } from '../helpers/databases.js';
import { startFhirServer, type TestFhirServer } from '../helpers/fhir-server.js';
import { clearPrefix } from '../helpers/redis.js';
import { ROOT } from '../helpers/runtime.js';
import { startTestPipeline, type TestPipeline } from '../helpers/test-pipeline.js';
import { waitFor } from '../helpers/wait.js';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const read = (name: string) => JSON.parse(readFileSync(join(ROOT, 'examples/ctp', name), 'utf8')) as CtpRecord;
/** Lives in Cardiff (7A4), registered with practice W99001. */
const adult = read('adult-all-eight-areas.json');
/** Lives in Newport (7A6), registered with practice W99004. */
const carers = read('carers-declined-copies.json');

const withSource = (record: CtpRecord, changes: Partial<CtpRecord['source']>): CtpRecord => ({ ...record, source: { ...record.source, ...changes } });
const encode = (record: CtpRecord) => new TextEncoder().encode(JSON.stringify(record));
const nhsOf = (record: CtpRecord) => record.patient!.nhsNumber as string;

describe('the sync service across three real FHIR servers', () => {
  let run: TestPipeline;
  let t: TestDatabase;
  let redis: Redis;
  let prefix: string;
  let hbA: TestFhirServer;
  let hbB: TestFhirServer;
  let gp: TestFhirServer;
  let pipeline: RunningPipeline;

  const count = (sql: string, params: unknown[] = []) => run.count(sql, params);
  const settled = () => run.settled();
  const send = async (source: string, record: CtpRecord) => {
    const result = await ingest(pipeline.deps, { source, format: 'ctp', payload: encode(record) });
    expect(result.accepted).toBe(true);
    return result as { id: string; duplicate: boolean };
  };
  const patients = (server: TestFhirServer, record: CtpRecord) => server.count('Patient', NHS, nhsOf(record));
  /** The resources a server holds about one person (their Patient's, by reference). */
  const aboutPerson = async (server: TestFhirServer, record: CtpRecord, type: string) => {
    const [patient] = (await server.all('Patient')).filter((p) =>
      (p as unknown as { identifier?: { system?: string; value?: string }[] }).identifier?.some((i) => i.system === NHS && i.value === nhsOf(record)),
    );
    if (patient === undefined) return [];
    return (await server.all(type)).filter((r) => JSON.stringify(r).includes(`"Patient/${patient.id}"`));
  };

  beforeAll(async () => {
    [hbA, hbB, gp] = await Promise.all([startFhirServer({ maxEntries: 8 }), startFhirServer({ maxEntries: 8 }), startFhirServer({ transaction: false, batch: false })]);
    const sync: SyncConfig = syncConfigSchema.parse({
      targets: [
        { id: 'hb-a', kind: 'fhir', baseUrl: hbA.baseUrl, auth: { type: 'none' }, records: { healthBoard: '7A4' }, limits: { maxEntries: 8, attempts: 4 } },
        { id: 'hb-b', kind: 'fhir', baseUrl: hbB.baseUrl, auth: { type: 'none' }, records: { healthBoard: '7A6' }, limits: { maxEntries: 8, attempts: 4 } },
        { id: 'gp-w99001', kind: 'fhir', baseUrl: gp.baseUrl, auth: { type: 'none' }, mode: 'per-resource', records: { gpPractice: 'W99001' }, limits: { attempts: 2 } },
      ],
    });
    run = await startTestPipeline(sync, { concurrency: 4 });
    ({ t, redis, prefix, pipeline } = run);
  }, 60_000);

  afterAll(async () => {
    await run?.stop();
    await Promise.all([hbA, hbB, gp].map((s) => s?.stop()));
  });

  it('delivers a message once however often it is sent, and only to the targets entitled to it', async () => {
    await send('epr-x', adult);
    await send('epr-x', adult);
    await send('epr-x', carers);
    await settled();
    expect(await patients(hbA, adult)).toBe(1);
    expect(await patients(gp, adult)).toBe(1);
    expect(await patients(hbB, adult)).toBe(0); // lives and is cared for in Cardiff
    expect(await patients(hbB, carers)).toBe(1);
    expect(await patients(hbA, carers)).toBe(0);
    expect(await patients(gp, carers)).toBe(0); // another practice's patient
    const plans = (await aboutPerson(hbA, adult, 'CarePlan')).length;
    expect(plans).toBe((adult.plans ?? []).length);
    // The GP receives the minimum necessary: no encounters, whatever the record holds.
    expect(await aboutPerson(gp, adult, 'Encounter')).toEqual([]);
    expect((await aboutPerson(gp, adult, 'CarePlan')).length).toBe(plans);
  });

  it('keeps the newest version everywhere when versions arrive out of order', async () => {
    const newer = withSource(adult, { extractedAt: '2026-02-01T09:00:00Z' });
    const older = withSource(adult, { extractedAt: '2026-01-15T09:00:00Z' });
    await send('epr-x', newer);
    await settled();
    await send('epr-x', older);
    await settled();
    for (const server of [hbA, gp]) {
      const recorded = (await server.all<Provenance>('Provenance')).map((p) => p.recorded);
      expect(recorded).toContain('2026-02-01T09:00:00Z');
      expect(recorded).not.toContain('2026-01-15T09:00:00Z');
      expect(await patients(server, adult)).toBe(1);
    }
    expect(await count("select count(*) as n from pont_delivery where status = 'superseded'")).toBeGreaterThanOrEqual(2);
  });

  it('delivers everything exactly once in effect to a target that was down and came back', async () => {
    await hbB.stop();
    const v = withSource(carers, { extractedAt: '2026-03-01T09:00:00Z' });
    await send('epr-x', v);
    await waitFor(async () => (await count("select count(*) as n from pont_delivery where target_id = 'hb-b' and status = 'pending' and attempts > 0")) > 0, 20_000);
    await hbB.restart();
    await settled();
    expect(await patients(hbB, carers)).toBe(1);
    expect((await aboutPerson(hbB, carers, 'CarePlan')).length).toBe((carers.plans ?? []).length);
    expect(await count("select count(*) as n from pont_delivery where target_id = 'hb-b' and status = 'dead'")).toBe(0);
  });

  it('sets aside a delivery the target refuses while the rest flow, and delivers it when replayed', async () => {
    gp.misbehave({ status: 422, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] } }, 1000);
    const v = withSource(adult, { extractedAt: '2026-04-01T09:00:00Z' });
    const message = await send('epr-x', v);
    await settled();
    const letters = await pipeline.messages.deadLetters();
    expect(letters).toContainEqual(expect.objectContaining({ messageId: message.id, targetId: 'gp-w99001', reason: 'DELIVERY_REFUSED' }));
    expect((await hbA.all<Provenance>('Provenance')).map((p) => p.recorded)).toContain('2026-04-01T09:00:00Z');
    gp.clear(); // the practice's system fixed (and emptied): the replay delivers again in full
    const result = await replayDeadLetters(
      { messages: pipeline.messages, clock: systemClock(), replayDeliveries: (id, at) => replayDeliveries(t.db, id, at), enqueueDelivery: pipeline.deps.enqueueDelivery! },
      [message.id],
    );
    expect(result.replayed).toEqual([message.id]);
    await settled();
    expect(await patients(gp, adult)).toBe(1);
  });

  it('recovers everything through the reconciler when Redis loses the queues mid-run', async () => {
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await send('epr-y', withSource(carers, { recordId: `flush-${i}`, extractedAt: `2026-05-0${i + 1}T09:00:00Z` })));
    await clearPrefix(redis, prefix); // as a Redis restarted without its data
    await settled();
    expect(await count('select count(*) as n from pont_record_version v join pont_message m on m.id = v.message_id where m.source = $1', ['epr-y'])).toBe(5);
    expect(await patients(hbB, carers)).toBe(1);
    expect((await hbB.all<Provenance>('Provenance')).map((p) => p.recorded)).toContain('2026-05-05T09:00:00Z');
  });

  it('holds and records a delivery the person declined, and sends it nowhere it should not go', async () => {
    const declined = withSource(
      { ...adult, patient: { ...adult.patient, informationSharing: { status: 'declined', recordedOn: '2026-05-30' } } },
      { extractedAt: '2026-06-01T09:00:00Z' },
    );
    const message = await send('epr-x', declined);
    await settled();
    const history = await pipeline.messages.history(message.id);
    expect(history?.deliveries).toContainEqual({ targetId: 'gp-w99001', status: 'held', count: 1 });
    expect((await gp.all<Provenance>('Provenance')).map((p) => p.recorded)).not.toContain('2026-06-01T09:00:00Z');
  });

  it('does not send a change round again when the EPR it was written into is pulled', async () => {
    const deliveredBefore = await count("select count(*) as n from pont_delivery where status = 'delivered'");
    const messagesBefore = await count('select count(*) as n from pont_message');
    const pullDeps = {
      reader: fhirReader({ sourceId: 'hb-b', baseUrl: hbB.baseUrl }),
      cursors: cursorStore(t.db),
      clock: systemClock(),
      ingest: (m: { source: string; format: string; payload: Uint8Array }) => ingest(pipeline.deps, m),
      writtenByPont: (system: string, type: string, id: string) => writtenByPont(t.db, system, type, id),
    };
    const result = await pull(pullDeps, 'hb-b');
    expect(result.people).toBeGreaterThan(0);
    expect(result.echoes).toBe(result.people);
    expect(result.accepted).toBe(0);
    // Pulled again from the cursor (`_lastUpdated=ge…` on the real server): nothing newer, nothing taken.
    expect(result.cursor).toBeDefined();
    const again = await pull(pullDeps, 'hb-b');
    expect(again.cursor).toBe(result.cursor);
    expect(again.people).toBeLessThanOrEqual(result.people);
    expect(again.accepted).toBe(0);
    await settled();
    expect(await count('select count(*) as n from pont_message')).toBe(messagesBefore);
    expect(await count("select count(*) as n from pont_delivery where status = 'delivered'")).toBe(deliveredBefore);
  });
});
