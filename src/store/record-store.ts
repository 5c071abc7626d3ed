/**
 * The RecordStore (src/ports/record-store.ts) in PostgreSQL or PGlite: every version put is a
 * row of pont_record_version, keyed by person key; the current record is the greatest by
 * compareVersions (src/record/person-key.ts), in SQL: extraction instant, then source system,
 * record id and content hash, text compared byte by byte (collation "C"), which is the order
 * JavaScript compares them in for every character below U+E000.
 */
import { createHash } from 'node:crypto';
import type { Bundle } from '@medplum/fhirtypes';
import type { RecordStore } from '../ports/record-store.js';
import { type PersonKey, personKey } from '../record/person-key.js';
import type { CtpRecord } from '../record/record.schema.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';

export interface SqlRecordStore extends RecordStore {
  /** Stores one version, linked to the inbound message it came from; returns the version's id. */
  putVersion(record: CtpRecord, messageId?: string): Promise<string>;
}

export function sqlRecordStore(db: SqlClient): SqlRecordStore {
  const putVersion = async (record: CtpRecord, messageId?: string): Promise<string> => (await insertVersion(db, record, messageId)).id;

  return {
    putVersion,
    async put(record) {
      await putVersion(record);
    },
    async latest(person) {
      const { rows } = await db.query<{ record: CtpRecord }>(`select record from pont_record_version where person_key = $1 order by ${CURRENT_FIRST} limit 1`, [person]);
      return rows[0]?.record;
    },
    async people() {
      const { rows } = await db.query<{ person_key: PersonKey }>('select distinct person_key from pont_record_version order by person_key');
      return rows.map((r) => r.person_key);
    },
    async versions() {
      const { rows } = await db.query<{ n: string | number }>('select count(*) as n from pont_record_version');
      return Number(rows[0]!.n);
    },
  };
}

/** A stored record version: its id, and the facts of it that the served resources' writer orders by. */
export interface StoredVersion {
  readonly id: string;
  readonly personKey: PersonKey;
  readonly sourceSystem: string;
  /** The extraction instant, null when it cannot be read. */
  readonly extractedMs: number | null;
}

/** Advisory lock namespace (the first of the two int4 keys) of people, beside the migrations' lock: writers of one person's served resources. */
const PERSON_LOCK = 7_114_302;

/**
 * Stores one version of a record (in the caller's transaction, when given one). With its Bundle,
 * the same statement takes the person's lock for the rest of the transaction, which the served
 * resources' writer (resource-writer.ts) needs before it reads which version is current.
 */
export async function insertVersion(db: SqlExecutor, record: CtpRecord, messageId?: string, bundle?: Bundle): Promise<StoredVersion> {
  const text = JSON.stringify(record);
  const version = { personKey: personKey(record), sourceSystem: record.source.system, extractedMs: instant(record.source.extractedAt) };
  const insert = `insert into pont_record_version (person_key, source_system, record_id, extracted_at, extracted_ms, content_hash, message_id, record, bundle)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::json) returning id`;
  const values = [
    version.personKey,
    version.sourceSystem,
    record.source.recordId,
    record.source.extractedAt,
    version.extractedMs,
    sha256(text),
    messageId ?? null,
    text,
    bundle === undefined ? null : JSON.stringify(bundle),
  ];
  const { rows } =
    bundle === undefined
      ? await db.query<{ id: string }>(insert, values)
      : await db.query<{ id: string }>(`with v as (${insert}) select v.id, pg_advisory_xact_lock($10, hashtext($1)) from v`, [...values, PERSON_LOCK]);
  return { id: String(rows[0]!.id), ...version };
}

/** The versions of one person, the current one first (compareVersions). */
export const CURRENT_FIRST = 'extracted_ms desc nulls last, source_system desc, record_id desc, content_hash desc';

/** The extraction time as compareVersions reads it: Date.parse, or null when it cannot be read. */
function instant(extractedAt: string): number | null {
  const ms = Date.parse(extractedAt);
  return Number.isNaN(ms) ? null : ms;
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}
