/** Pulled sources' cursors (src/ports/fhir-reader.ts) in pont_source_cursor. */
import type { CursorStore } from '../ports/fhir-reader.js';
import type { SqlClient } from './sql-client.js';

export function cursorStore(db: SqlClient): CursorStore {
  return {
    async get(sourceId) {
      const { rows } = await db.query<{ cursor: string }>('select cursor from pont_source_cursor where source_id = $1', [sourceId]);
      return rows[0]?.cursor;
    },
    async set(sourceId, cursor, at) {
      await db.query(
        `insert into pont_source_cursor (source_id, cursor, updated_at) values ($1, $2, $3)
         on conflict (source_id) do update set cursor = excluded.cursor, updated_at = excluded.updated_at`,
        [sourceId, cursor, at.toISOString()],
      );
    },
  };
}
