import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors/errors.js';
import { memoryRecordStore } from '../../src/ports/memory-record-store.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { messageStore } from '../../src/store/messages.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { connectPostgres } from '../../src/store/pg-client.js';
import { sqlRecordStore } from '../../src/store/record-store.js';
import { DATABASE_KINDS, type TestDatabase, testDatabase } from '../helpers/databases.js';
import { testNhsNumber } from '../helpers/generate.js';

const record = (recordId: string, nhsNumber: string | undefined, extractedAt: string, system = 'epr-a') =>
  ({ source: { system, recordId, extractedAt }, ...(nhsNumber === undefined ? {} : { patient: { nhsNumber } }) }) as unknown as CtpRecord;

/** Records about a few people, some sharing an NHS number, some without one, some extracted at the same time. */
const histories = fc
  .array(fc.record({ person: fc.integer({ min: 0, max: 5 }), withNhs: fc.boolean(), system: fc.constantFrom('epr-a', 'epr-b'), day: fc.integer({ min: 1, max: 3 }) }), {
    maxLength: 20,
  })
  .map((specs) => specs.map((s, i) => record(s.withNhs ? `r${i}` : `p${s.person}`, s.withNhs ? testNhsNumber(s.person) : undefined, `2026-01-0${s.day}T00:00:00Z`, s.system)));

const payload = (text: string) => new TextEncoder().encode(text);

describe.each(DATABASE_KINDS)('the store on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase(kind);
    await migrate(t.db);
  }, 60_000);
  afterAll(async () => t?.dispose());

  it('applies each migration once, and says so when the schema is newer than this pont', async () => {
    expect(await migrate(t.db)).toEqual([]);
    const { rows } = await t.db.query<{ version: number }>('select version from pont_schema_migration order by version');
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    const future = [...MIGRATIONS, { version: 999, name: 'from a later pont', sql: 'select 1' }];
    expect(await migrate(t.db, future)).toEqual([999]);
    const error = await migrate(t.db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_MIGRATION_FAILED');
    expect((error as StoreError).message).toContain('999');
    await t.db.query('delete from pont_schema_migration where version = 999');
  });

  it('keeps records as the in-memory store does: the current version per person by compareVersions, people in key order', async () => {
    const store = sqlRecordStore(t.db);
    await fc.assert(
      fc.asyncProperty(histories, async (list) => {
        await t.db.query('truncate pont_record_version cascade');
        const memory = memoryRecordStore();
        for (const r of list) {
          await store.put(r);
          await memory.put(r);
        }
        const people = await store.people();
        expect(people).toEqual(await memory.people());
        for (const key of people) expect(await store.latest(key)).toEqual(await memory.latest(key));
        expect(await store.versions()).toBe(await memory.versions());
      }),
      { numRuns: kind === 'postgres' ? 20 : 30 },
    );
  });

  it('orders extraction times as instants, whatever their offsets or the database collation', async () => {
    await t.db.query('truncate pont_record_version cascade');
    const store = sqlRecordStore(t.db);
    const nhs = testNhsNumber(42);
    await store.put(record('a', nhs, '2026-01-01T10:00:00Z'));
    await store.put(record('b', nhs, '2026-01-01T09:00:00+00:00'));
    await store.put(record('c', nhs, '2026-01-01T10:00:00.5Z'));
    const memory = memoryRecordStore();
    for (const id of ['a', 'b', 'c'])
      await memory.put(record(id, nhs, ['2026-01-01T10:00:00Z', '2026-01-01T09:00:00+00:00', '2026-01-01T10:00:00.5Z'][id.charCodeAt(0) - 97]!));
    const [key] = await memory.people();
    expect((await store.latest(key!))?.source.recordId).toBe((await memory.latest(key!))?.source.recordId);
  });

  it('accepts a message once per payload and source, keeping its bytes exactly', async () => {
    const inbox = messageStore(t.db);
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x00, 0x7d]); // not UTF-8: kept as given
    const first = await inbox.accept({ source: 'epr-a', format: 'ctp', payload: bytes, receivedAt: new Date('2026-12-01T10:00:00Z') });
    const again = await inbox.accept({ source: 'epr-a', format: 'ctp', payload: bytes, receivedAt: new Date('2026-12-01T10:05:00Z') });
    const elsewhere = await inbox.accept({ source: 'epr-b', format: 'ctp', payload: bytes, receivedAt: new Date('2026-12-01T10:06:00Z') });
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ id: first.id, duplicate: true });
    expect(elsewhere.duplicate).toBe(false);
    expect(elsewhere.id).not.toBe(first.id);
    const stored = await inbox.get(first.id);
    expect(stored?.payload).toEqual(bytes);
    expect(stored?.receivedAt.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(stored?.stage).toBe('received');
  });

  it('lists the messages not yet processed, oldest first, until each advances', async () => {
    const inbox = messageStore(t.db);
    const a = await inbox.accept({ source: 'list', format: 'ctp', payload: payload('{"n":1}'), receivedAt: new Date('2026-12-02T10:00:00Z') });
    const b = await inbox.accept({ source: 'list', format: 'ctp', payload: payload('{"n":2}'), receivedAt: new Date('2026-12-02T09:00:00Z') });
    const pending = (await inbox.unfinished(1000)).map((m) => m.id).filter((id) => id === a.id || id === b.id);
    expect(pending).toEqual([b.id, a.id]);
    await inbox.finish(b.id, { stage: 'processed', records: [], at: new Date('2026-12-02T11:00:00Z'), detail: { records: 0 } });
    expect((await inbox.unfinished(1000)).map((m) => m.id)).not.toContain(b.id);
    expect((await inbox.get(b.id))?.stage).toBe('processed');
    const { rows } = await t.db.query<{ stage: string }>('select stage from pont_message_stage where message_id = $1 order by at', [b.id]);
    expect(rows.map((r) => r.stage)).toEqual(['received', 'processed']);
  });

  it('links a record version to the message it came from', async () => {
    const inbox = messageStore(t.db);
    const store = sqlRecordStore(t.db);
    const m = await inbox.accept({ source: 'link', format: 'ctp', payload: payload('{}'), receivedAt: new Date() });
    const id = await store.putVersion(record('linked', testNhsNumber(7), '2026-03-01T00:00:00Z'), m.id);
    const { rows } = await t.db.query<{ message_id: string }>('select message_id from pont_record_version where id = $1', [id]);
    expect(rows[0]?.message_id).toBe(m.id);
  });

  it('keeps accepted messages across a restart of the process that holds it', async () => {
    const accepted = await messageStore(t.db).accept({ source: 'restart', format: 'ctp', payload: payload('{"kept":true}'), receivedAt: new Date('2026-12-03T00:00:00Z') });
    const db = await t.reopen();
    expect(await migrate(db)).toEqual([]);
    expect(new TextDecoder().decode((await messageStore(db).get(accepted.id))?.payload)).toBe('{"kept":true}');
  }, 60_000);

  it('reports a refused statement by its SQLSTATE, without the values the driver quotes', async () => {
    const marker = 'QZX-patient-value';
    const error = await t.db
      .query('insert into pont_record_version (person_key, source_system, record_id, extracted_at, content_hash, record) values ($1, $1, $1, $1, $1, $2::jsonb)', [
        marker,
        `{"x": ${marker}}`,
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_FAILED');
    expect((error as StoreError).message).toMatch(/SQLSTATE 22P02/);
    expect((error as StoreError).message).not.toContain(marker);
    expect((error as StoreError).retryable).toBe(false);
  });
});

describe('a PostgreSQL server that does not answer', () => {
  it('is a retryable StoreError naming host and database, never the password', async () => {
    const error = await connectPostgres({ connectionString: 'postgres://pont:sekret-pw@127.0.0.1:1/pont_nowhere' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    const e = error as StoreError;
    expect(e.code).toBe('STORE_UNAVAILABLE');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('127.0.0.1:1/pont_nowhere');
    expect(e.message).not.toContain('sekret-pw');
  });
});

describe('sessions on a PostgreSQL server', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase('postgres');
  }, 60_000);
  afterAll(async () => t?.dispose());

  it('plan every prepared statement for its parameters and compress large values with lz4 where the server has it, on every connection of the pool', async () => {
    const { rows: lz4 } = await t.db.query("select 1 from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals)");
    // Transactions held open together: each on a connection of its own, the first one included.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const settings = Array.from({ length: 3 }, () =>
      t.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number; plans: string; compression: string }>(
          "select pg_backend_pid() as pid, current_setting('plan_cache_mode') as plans, current_setting('default_toast_compression') as compression",
          [],
        );
        await held;
        return rows[0]!;
      }),
    );
    setTimeout(release, 200);
    const seen = await Promise.all(settings);
    expect(new Set(seen.map((s) => s.pid)).size).toBe(3);
    expect(seen.map((s) => [s.plans, s.compression])).toEqual(Array(3).fill(['force_custom_plan', lz4.length > 0 ? 'lz4' : 'pglz']));
    // The same statement again, prepared once per connection: still answers for its parameters.
    for (const n of [1, 2, 3]) expect((await t.db.query<{ n: number }>('select $1::int + 1 as n', [n])).rows[0]!.n).toBe(n + 1);
  });
});
