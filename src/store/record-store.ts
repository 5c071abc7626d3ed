/**
 * The RecordStore (src/ports/record-store.ts) in PostgreSQL or PGlite: every version put is a
 * row of pont_record_version, keyed by person key; the current record is chosen by the same rule
 * as the in-memory store (extracted last; on a tie, put first), in SQL.
 */
import { createHash } from 'node:crypto';
import type { RecordStore } from '../ports/record-store.js';
import { type PersonKey, personKey } from '../record/person-key.js';
import type { CtpRecord } from '../record/record.schema.js';
import type { SqlClient } from './sql-client.js';

export interface SqlRecordStore extends RecordStore {
  /** Stores one version, linked to the inbound message it came from; returns the version's id. */
  putVersion(record: CtpRecord, messageId?: string): Promise<string>;
}

export function sqlRecordStore(db: SqlClient): SqlRecordStore {
  const putVersion = async (record: CtpRecord, messageId?: string): Promise<string> => {
    const text = JSON.stringify(record);
    const { rows } = await db.query<{ id: string }>(
      `insert into pont_record_version (person_key, source_system, record_id, extracted_at, content_hash, message_id, record)
       values ($1, $2, $3, $4, $5, $6, $7::jsonb) returning id`,
      [personKey(record), record.source.system, record.source.recordId, record.source.extractedAt, sha256(text), messageId ?? null, text],
    );
    return String(rows[0]!.id);
  };
  return {
    putVersion,
    async put(record) {
      await putVersion(record);
    },
    async latest(person) {
      const { rows } = await db.query<{ record: CtpRecord }>('select record from pont_record_version where person_key = $1 order by extracted_at desc, id asc limit 1', [
        person,
      ]);
      return rows[0]?.record;
    },
    async people() {
      const { rows } = await db.query<{ person_key: PersonKey }>(
        `select person_key from (
           select distinct on (person_key) person_key, id from pont_record_version order by person_key, extracted_at desc, id asc
         ) current order by id`,
      );
      return rows.map((r) => r.person_key);
    },
    async versions() {
      const { rows } = await db.query<{ n: string | number }>('select count(*) as n from pont_record_version');
      return Number(rows[0]!.n);
    },
  };
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}
