/**
 * The delivery ledger and the deliver use case on PGlite and PostgreSQL: deliveries are recorded
 * with the record versions, sent once, never let an older version overwrite a newer one at a
 * target, one per person and target at a time, and what the target said back is handed to the
 * next delivery. The target here is a recording client: the real FHIR targets are tested in
 * test/delivery and the whole flow in test/sync/scenarios.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDeadLetters } from '../../src/app/dead-letters.js';
import { type DeliverDeps, type DeliverJob, deliver } from '../../src/app/deliver.js';
import { inThreadCheck } from '../../src/app/message-check.js';
import { reconcile } from '../../src/app/reconcile.js';
import { ingest, processMessage, type SyncDeps } from '../../src/app/sync.js';
import { type Clock, systemClock } from '../../src/ports/clock.js';
import type { Change, DeliveryReceipt, TargetClient, TargetMemory } from '../../src/ports/delivery.js';
import type { JobQueue } from '../../src/ports/job-queue.js';
import { recent } from '../../src/ports/recent-checks.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { deliveryLedger, replayDeliveries } from '../../src/store/deliveries.js';
import { messageStore } from '../../src/store/messages.js';
import { migrate } from '../../src/store/migrations.js';
import { DATABASE_KINDS, type TestDatabase, testDatabase } from '../helpers/databases.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

const base = JSON.parse(readFileSync(join(ROOT, 'examples/ctp/adult-all-eight-areas.json'), 'utf8')) as CtpRecord;
const version = (extractedAt: string, recordId = base.source.recordId): Uint8Array =>
  new TextEncoder().encode(JSON.stringify({ ...base, source: { ...base.source, recordId, extractedAt } }));

/** A target client that records what it was sent and answers with a receipt naming a Patient. */
function recordingTarget(targetId: string) {
  const sent: { change: Change; memory: TargetMemory }[] = [];
  let gate: Promise<void> | undefined;
  const client: TargetClient & { sent: typeof sent; hold(): () => void } = {
    targetId,
    sent,
    async deliver(change, memory): Promise<DeliveryReceipt> {
      sent.push({ change, memory });
      await gate;
      const resources = (change.bundle.entry ?? []).map((e, i) => ({
        key: e.request!.url,
        resourceType: e.resource!.resourceType,
        id: `t-${i}`,
        versionId: String(sent.length),
      }));
      return { mode: 'transaction', requests: 1, patientId: 'target-patient-1', resources };
    },
    hold() {
      let release!: () => void;
      gate = new Promise((r) => {
        release = r;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
    close: async () => {},
  };
  return client;
}

const noQueue: JobQueue<{ messageId: string }> = { add: async () => {}, close: async () => {} };

describe.each(DATABASE_KINDS)('the delivery ledger on %s', (kind) => {
  const core = testRuntime();
  let t: TestDatabase;
  let now = new Date('2026-03-01T10:00:00Z');
  const clock: Clock = { now: () => new Date(now), today: () => now.toISOString().slice(0, 10) as ReturnType<Clock['today']> };
  let sync: SyncDeps;
  let target: ReturnType<typeof recordingTarget>;
  let deps: DeliverDeps;
  const queued: DeliverJob[] = [];

  beforeAll(async () => {
    t = await testDatabase(kind);
    await migrate(t.db);
    target = recordingTarget('hb-b');
    sync = {
      check: inThreadCheck(core.check),
      sources: core.sources,
      clock,
      messages: messageStore(t.db),
      processQueue: noQueue,
      plan: (_record, from) => [{ targetId: 'hb-b' }, { targetId: 'gp-declined', held: 'consent-declined' }].filter((p) => p.targetId !== from),
      enqueueDelivery: async (job) => {
        queued.push(job);
      },
    };
    deps = { ledger: deliveryLedger(t.db), clients: new Map([['hb-b', target]]), prepare: (_id, bundle) => bundle, clock, leaseMs: 60_000 };
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  async function stored(payload: Uint8Array, source = 'hb-a', requestId?: string) {
    const accepted = await ingest(sync, { source, format: 'ctp', payload, ...(requestId === undefined ? {} : { requestId }) });
    if (!accepted.accepted) throw new Error('refused');
    const before = queued.length;
    await processMessage(sync, accepted.id);
    return { messageId: accepted.id, jobs: queued.slice(before) };
  }

  it('records each planned delivery with the version, queues the pending ones, and keeps the held ones', async () => {
    const { messageId, jobs } = await stored(version('2026-01-10T09:00:00Z'));
    expect(jobs.map((j) => j.targetId)).toEqual(['hb-b']);
    const history = await sync.messages.history(messageId);
    expect(history?.deliveries).toEqual([
      { targetId: 'gp-declined', status: 'held', count: 1 },
      { targetId: 'hb-b', status: 'pending', count: 1 },
    ]);
    const first = await deliver(deps, jobs[0]!, 'w1');
    expect(first.kind).toBe('delivered');
    expect(target.sent.at(-1)?.memory).toEqual({ resources: [] });
    // The target's own Patient is found by the person's NHS number, which the change carries.
    expect(target.sent.at(-1)?.change.nhsNumber).toBe(base.patient!.nhsNumber);
    // Run again (a retried job): nothing is sent twice.
    expect(await deliver(deps, jobs[0]!, 'w2')).toEqual({ kind: 'done', status: 'delivered' });
    expect(target.sent).toHaveLength(1);
    expect((await sync.messages.history(messageId))?.deliveries).toContainEqual({ targetId: 'hb-b', status: 'delivered', count: 1 });
  });

  it('sends the Bundle processing just stored without reading it back, and reads it from the store when this process does not hold it', async () => {
    const bundles = recent<Bundle>({ capacity: 8, maxAgeMs: 60_000, now: () => 0 });
    const holding = { ...sync, recentBundles: bundles };
    const accepted = await ingest(holding, { source: 'hb-a', format: 'ctp', payload: version('2026-01-10T10:00:00Z', 'held-bundle') });
    if (!accepted.accepted) throw new Error('refused');
    const before = queued.length;
    await processMessage(holding, accepted.id);
    const [job] = queued.slice(before);
    const held = bundles.take(job!.deliveryId)!;
    expect(held.entry?.length).toBeGreaterThan(0);
    // The ledger leaves out what the caller holds…
    const claim = await deps.ledger.claim(job!.deliveryId, 'peek', clock.now(), 1, { withBundle: false });
    expect(claim.kind === 'claimed' && claim.task.bundle).toBeUndefined();
    now = new Date(now.getTime() + 10);
    // …and the delivery sends the very Bundle held, once.
    bundles.remember(job!.deliveryId, held);
    expect((await deliver({ ...deps, bundles }, job!, 'w1')).kind).toBe('delivered');
    expect(target.sent.at(-1)!.change.bundle).toBe(held);
    expect(bundles.take(job!.deliveryId)).toBeUndefined();
    // Not held (another process, a restart): read from the store, the same content.
    const other = await stored(version('2026-01-10T11:00:00Z', 'held-bundle'));
    expect((await deliver({ ...deps, bundles }, other.jobs[0]!, 'w1')).kind).toBe('delivered');
    expect(target.sent.at(-1)!.change.bundle.entry?.map((e) => e.request?.url)).toEqual(held.entry?.map((e) => e.request?.url));
  });

  it('never sends a change back to the source it came from', async () => {
    const { jobs } = await stored(version('2026-01-11T09:00:00Z', 'from-b'), 'hb-b');
    expect(jobs).toEqual([]);
  });

  it('hands the next delivery what the target said, and lets no older version overwrite a newer one', async () => {
    const newer = await stored(version('2026-02-01T09:00:00Z'));
    const older = await stored(version('2026-01-20T09:00:00Z'));
    const sentBefore = target.sent.length;
    expect((await deliver(deps, newer.jobs[0]!, 'w1')).kind).toBe('delivered');
    const memory = target.sent.at(-1)!.memory;
    expect(memory.patientId).toBe('target-patient-1');
    expect(memory.resources.length).toBeGreaterThan(0);
    expect(await deliver(deps, older.jobs[0]!, 'w1')).toEqual({ kind: 'done', status: 'superseded' });
    expect(target.sent.length).toBe(sentBefore + 1);
  });

  it('lets one delivery per person and target be in flight; the next waits for it or for its lease to end', async () => {
    const a = await stored(version('2026-02-10T09:00:00Z'));
    const b = await stored(version('2026-02-11T09:00:00Z'));
    const release = target.hold();
    const inFlight = deliver(deps, a.jobs[0]!, 'w1');
    await new Promise((r) => setTimeout(r, 50));
    const busy = await deliver(deps, b.jobs[0]!, 'w2');
    expect(busy.kind).toBe('busy');
    release();
    expect((await inFlight).kind).toBe('delivered');
    expect((await deliver(deps, b.jobs[0]!, 'w2')).kind).toBe('delivered');

    // A worker that died holding a lease only delays the next delivery until the lease ends.
    const c = await stored(version('2026-02-12T09:00:00Z'));
    const claim = await deps.ledger.claim(c.jobs[0]!.deliveryId, 'dead-worker', clock.now(), 60_000);
    expect(claim.kind).toBe('claimed');
    const d = await stored(version('2026-02-13T09:00:00Z'));
    expect((await deliver(deps, d.jobs[0]!, 'w3')).kind).toBe('busy');
    now = new Date(now.getTime() + 61_000);
    expect((await deliver(deps, d.jobs[0]!, 'w3')).kind).toBe('delivered');
    expect(await deliver(deps, c.jobs[0]!, 'w4')).toEqual({ kind: 'done', status: 'superseded' });
  });

  it('keeps a delivery in flight its own past the lease while it is alive (the lease is renewed)', async () => {
    const live: DeliverDeps = { ...deps, clock: systemClock(), leaseMs: 90 };
    const a = await stored(version('2026-02-14T09:00:00Z'));
    const b = await stored(version('2026-02-15T09:00:00Z'));
    const release = target.hold();
    const inFlight = deliver(live, a.jobs[0]!, 'slow-worker');
    await new Promise((r) => setTimeout(r, 300)); // three leases long
    expect((await deliver(live, b.jobs[0]!, 'other-worker')).kind).toBe('busy');
    release();
    expect((await inFlight).kind).toBe('delivered');
    expect((await deliver(live, b.jobs[0]!, 'other-worker')).kind).toBe('delivered');
  });

  it('sets a failed delivery aside as a dead letter, lists it by target, and replays it', async () => {
    const e = await stored(version('2026-02-20T09:00:00Z'));
    const job = e.jobs[0]!;
    await deps.ledger.deadLetter(job.deliveryId, { queue: 'pont-deliver-hb-b', reason: 'DELIVERY_REFUSED', attempts: 1, at: clock.now() });
    const letters = await sync.messages.deadLetters();
    expect(letters).toContainEqual(expect.objectContaining({ messageId: e.messageId, targetId: 'hb-b', reason: 'DELIVERY_REFUSED' }));
    expect((await deps.ledger.pending(1000)).map((p) => p.id)).not.toContain(job.deliveryId);
    const requeued: string[] = [];
    const result = await replayDeadLetters(
      { messages: sync.messages, clock, replayDeliveries: (id, at) => replayDeliveries(t.db, id, at), enqueueDelivery: async (j) => void requeued.push(j.deliveryId) },
      [e.messageId],
    );
    expect(result).toMatchObject({ replayed: [e.messageId], notDead: [], queued: true });
    expect(requeued).toEqual([job.deliveryId]);
    expect((await deliver(deps, job, 'w5')).kind).toBe('delivered');
  });

  it("carries the message's correlation id to its delivery jobs and its changes, also when a job lost it (re-enqueued by the reconciler)", async () => {
    const { messageId, jobs } = await stored(version('2026-02-22T09:00:00Z'), 'hb-a', 'corr-42');
    expect((await sync.messages.get(messageId))?.requestId).toBe('corr-42');
    expect(jobs).toEqual([{ deliveryId: expect.any(String), targetId: 'hb-b', requestId: 'corr-42' }]);
    const { requestId: _, ...reconciled } = jobs[0]!;
    expect(await deliver(deps, reconciled, 'w7')).toMatchObject({ kind: 'delivered', requestId: 'corr-42' });
    expect(target.sent.at(-1)?.change.requestId).toBe('corr-42');
    const plain = await stored(version('2026-02-23T09:00:00Z'));
    expect(plain.jobs[0]).not.toHaveProperty('requestId');
    await deliver(deps, plain.jobs[0]!, 'w8');
    expect(target.sent.at(-1)?.change).not.toHaveProperty('requestId');
  });

  it('re-enqueues every pending delivery on reconciliation', async () => {
    const f = await stored(version('2026-02-25T09:00:00Z'));
    const handed: string[] = [];
    await reconcile({ inbox: sync.messages, processQueue: noQueue, deliveries: deps.ledger, enqueueDelivery: async (j) => void handed.push(j.deliveryId) });
    expect(handed).toContain(f.jobs[0]!.deliveryId);
    expect(await deliver(deps, f.jobs[0]!, 'w6')).toMatchObject({ kind: 'delivered' });
    const after: string[] = [];
    await reconcile({ inbox: sync.messages, processQueue: noQueue, deliveries: deps.ledger, enqueueDelivery: async (j) => void after.push(j.deliveryId) });
    expect(after).not.toContain(f.jobs[0]!.deliveryId);
  });

  it('forgets the resources a receipt says pont no longer holds at the target (withdrawn), and keeps the rest', async () => {
    const claimed = async (extractedAt: string, owner: string) => {
      const { jobs } = await stored(version(extractedAt));
      const claim = await deps.ledger.claim(jobs[0]!.deliveryId, owner, clock.now(), 60_000);
      if (claim.kind !== 'claimed') throw new Error(`not claimed: ${claim.kind}`);
      return claim;
    };
    const first = await claimed('2026-02-26T09:00:00Z', 'w7');
    const [gone, ...kept] = first.memory.resources;
    expect(gone).toBeDefined();
    await deps.ledger.complete(first.task.id, 'w7', { mode: 'transaction', requests: 1, resources: kept, released: [gone!.key] }, clock.now());
    const next = await claimed('2026-02-27T09:00:00Z', 'w8');
    expect(next.memory.resources.map((r) => r.key).sort()).toEqual(kept.map((r) => r.key).sort());
    await deps.ledger.complete(next.task.id, 'w8', { mode: 'transaction', requests: 1, resources: next.memory.resources }, clock.now());
  });
});
