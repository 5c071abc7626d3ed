import { beforeEach, describe, expect, it } from 'vitest';
import { cachedSubscriptionDirectory, type NewSubscription, type StoredSubscription, subscriptionTargetId } from '../../src/ports/subscriptions.js';
import { subscriptionStore } from '../../src/store/subscriptions.js';
import { DATABASE_KINDS, type TestDatabase, useMigratedDatabase } from '../helpers/databases.js';

const AT = new Date('2026-03-01T10:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);
let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

const newSubscription = (changes: Partial<NewSubscription> = {}): NewSubscription => ({
  id: uuid(),
  clientId: 'gp-client',
  status: 'active',
  recipient: { kind: 'gp-practice', code: 'W99001' },
  definition: { criteria: 'CarePlan', endpoint: 'https://gp.example/hook', payload: 'application/fhir+json', headers: ['Authorization: Bearer s3cret'], reason: 'care plans' },
  ...changes,
});

describe.each(DATABASE_KINDS)('subscriptions in the store on %s', (kind) => {
  const database = useMigratedDatabase(kind);
  let t: TestDatabase;
  beforeEach(async () => {
    t = database();
    await t.db.query('delete from pont_subscription');
  });

  /** One delivery to `targetId` per status given, each of a record version of its own; returns their ids. */
  const deliveries = async (targetId: string, statuses: readonly string[]): Promise<string[]> => {
    const ids: string[] = [];
    for (const status of statuses) {
      const version = await t.db.query<{ id: string }>(
        "insert into pont_record_version (person_key, source_system, record_id, extracted_at, content_hash, record) values ('p', 's', $1, '2026-01-01', 'h', '{}') returning id",
        [`r-${++n}`],
      );
      const { rows } = await t.db.query<{ id: string }>('insert into pont_delivery (target_id, record_version_id, status, created_at) values ($1, $2, $3, $4) returning id', [
        targetId,
        version.rows[0]!.id,
        status,
        AT.toISOString(),
      ]);
      ids.push(String(rows[0]!.id));
    }
    return ids;
  };
  const statusOf = async (id: string) => (await t.db.query<{ status: string; reason: string | null }>('select status, reason from pont_delivery where id = $1', [id])).rows[0];

  it('keeps what the client said and reads it back, its own only, oldest first', async () => {
    const store = subscriptionStore(t.db);
    const first = await store.create(newSubscription({ definition: { ...newSubscription().definition, end: new Date('2027-01-01T00:00:00Z') } }), AT);
    const second = await store.create(
      newSubscription({ definition: { criteria: 'CarePlan?category=ctp', endpoint: 'http://127.0.0.1:9/x', headers: [], reason: 'r' } }),
      later(1),
    );
    await store.create(newSubscription({ clientId: 'another' }), later(2));
    expect(first).toMatchObject({
      status: 'active',
      versionId: 1,
      clientId: 'gp-client',
      recipient: { kind: 'gp-practice', code: 'W99001' },
      headers: ['Authorization: Bearer s3cret'],
    });
    expect(first.end).toEqual(new Date('2027-01-01T00:00:00Z'));
    expect(second.payload).toBeUndefined();
    expect(await store.get(first.id)).toEqual(first);
    expect((await store.listByClient('gp-client')).map((s) => s.id)).toEqual([first.id, second.id]);
    expect(await store.get(uuid())).toBeUndefined();
  });

  it('keeps a source EPR recipient with its source', async () => {
    const store = subscriptionStore(t.db);
    const s = await store.create(newSubscription({ recipient: { kind: 'health-board', code: '7A4', source: 'epr-a' } }), AT);
    expect((await store.get(s.id))?.recipient).toEqual({ kind: 'health-board', code: '7A4', source: 'epr-a' });
  });

  it('lists as active only subscriptions active and not past their end', async () => {
    const store = subscriptionStore(t.db);
    const active = await store.create(newSubscription(), AT);
    const ending = await store.create(newSubscription({ definition: { ...newSubscription().definition, end: later(60_000) } }), AT);
    await store.create(newSubscription({ status: 'off' }), AT);
    const failed = await store.create(newSubscription(), AT);
    await store.setStatus(failed.id, 'error', AT, 'DELIVERY_REFUSED');
    expect((await store.active(AT)).map((s) => s.id)).toEqual([active.id, ending.id]);
    expect((await store.active(later(60_000))).map((s) => s.id)).toEqual([active.id]);
    expect(await store.get(failed.id)).toMatchObject({ status: 'error', error: 'DELIVERY_REFUSED', versionId: 2 });
  });

  it('holds the pending deliveries of a subscription paused or failed, and leaves others alone', async () => {
    const store = subscriptionStore(t.db);
    const paused = await store.create(newSubscription(), AT);
    const failed = await store.create(newSubscription(), AT);
    const [pending, delivered] = await deliveries(subscriptionTargetId(paused.id), ['pending', 'delivered']);
    const [failedPending] = await deliveries(subscriptionTargetId(failed.id), ['pending']);
    const [configured] = await deliveries('gp-w99001', ['pending']);
    const update = await store.update(paused.id, { definition: paused, status: 'off' }, later(1));
    expect(update).toMatchObject({ status: 'off', versionId: 2 });
    await store.setStatus(failed.id, 'error', later(1), 'DELIVERY_UNAVAILABLE');
    expect(await statusOf(pending!)).toEqual({ status: 'held', reason: 'subscription-off' });
    expect(await statusOf(delivered!)).toEqual({ status: 'delivered', reason: null });
    expect(await statusOf(failedPending!)).toEqual({ status: 'held', reason: 'subscription-error' });
    expect(await statusOf(configured!)).toEqual({ status: 'pending', reason: null });
  });

  it('resumes: an update to active clears the error and counts a version', async () => {
    const store = subscriptionStore(t.db);
    const s = await store.create(newSubscription(), AT);
    await store.setStatus(s.id, 'error', AT, 'DELIVERY_REFUSED');
    const resumed = await store.update(s.id, { definition: { ...s, criteria: 'CarePlan?status=active' }, status: 'active' }, later(5));
    expect(resumed).toMatchObject({ status: 'active', versionId: 3, criteria: 'CarePlan?status=active' });
    expect(resumed?.error).toBeUndefined();
    expect(resumed?.updatedAt).toEqual(later(5));
    expect(await store.update(uuid(), { definition: s, status: 'active' }, AT)).toBeUndefined();
  });

  it('deletes a subscription: its pending deliveries are superseded, those made stay in the ledger', async () => {
    const store = subscriptionStore(t.db);
    const s = await store.create(newSubscription(), AT);
    const [pending, delivered] = await deliveries(subscriptionTargetId(s.id), ['pending', 'delivered']);
    expect(await store.remove(s.id, later(1))).toBe(true);
    expect(await store.get(s.id)).toBeUndefined();
    expect(await statusOf(pending!)).toEqual({ status: 'superseded', reason: 'subscription-deleted' });
    expect(await statusOf(delivered!)).toEqual({ status: 'delivered', reason: null });
    expect(await store.remove(s.id, later(2))).toBe(false);
  });

  it('sets one pending delivery aside, and never one already settled', async () => {
    const store = subscriptionStore(t.db);
    const [pending, delivered] = await deliveries('subscription/x', ['pending', 'delivered']);
    await store.setAside(pending!, 'held', 'subscription-off', AT);
    await store.setAside(delivered!, 'superseded', 'subscription-deleted', AT);
    expect(await statusOf(pending!)).toEqual({ status: 'held', reason: 'subscription-off' });
    expect(await statusOf(delivered!)).toEqual({ status: 'delivered', reason: null });
  });
});

describe('the planner cache of active subscriptions', () => {
  const sub = (id: string, end?: Date) => ({ id, status: 'active', ...(end ? { end } : {}) }) as unknown as StoredSubscription;

  it('reads the store at most once per ttl, shares a read in flight, and reads again after invalidate', async () => {
    let now = AT;
    let reads = 0;
    let held = [sub('a')];
    const directory = cachedSubscriptionDirectory(
      {
        active: async () => {
          reads++;
          await new Promise((r) => setTimeout(r, 5));
          return held;
        },
      },
      { ttlMs: 1000, now: () => now },
    );
    const [one, two] = await Promise.all([directory.active(), directory.active()]);
    expect(reads).toBe(1);
    expect(one).toEqual(two);
    held = [sub('a'), sub('b')];
    now = later(999);
    expect((await directory.active()).map((s) => s.id)).toEqual(['a']);
    directory.invalidate();
    expect((await directory.active()).map((s) => s.id)).toEqual(['a', 'b']);
    expect(reads).toBe(2);
    now = later(2500);
    await directory.active();
    expect(reads).toBe(3);
  });

  it('drops from what it holds a subscription whose end has come', async () => {
    let now = AT;
    const directory = cachedSubscriptionDirectory({ active: async () => [sub('a', later(100)), sub('b')] }, { ttlMs: 10_000, now: () => now });
    expect((await directory.active()).map((s) => s.id)).toEqual(['a', 'b']);
    now = later(100);
    expect((await directory.active()).map((s) => s.id)).toEqual(['b']);
  });

  it('does not keep a read that started before an invalidation', async () => {
    let release: (() => void) | undefined;
    let value = [sub('old')];
    const directory = cachedSubscriptionDirectory(
      {
        active: () => {
          const snapshot = value;
          return new Promise((resolve) => {
            release = () => resolve(snapshot);
          });
        },
      },
      { ttlMs: 10_000, now: () => AT },
    );
    const stale = directory.active();
    const releaseStale = release!;
    directory.invalidate();
    value = [sub('new')];
    const fresh = directory.active();
    releaseStale();
    release!();
    expect((await stale).map((s) => s.id)).toEqual(['old']);
    expect((await fresh).map((s) => s.id)).toEqual(['new']);
    expect((await directory.active()).map((s) => s.id)).toEqual(['new']);
  });
});
