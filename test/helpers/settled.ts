/** Waiting for the sync pipeline to settle in tests that run it against a real store. */
import type { SqlClient } from '../../src/store/sql-client.js';
import { waitFor } from './wait.js';

/** Resolves once every message is processed and every delivery finished (delivered, held, superseded or dead). */
export function pipelineSettled(db: SqlClient, ms = 20_000): Promise<void> {
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
  return waitFor(
    async () =>
      (await count("select count(*) as n from pont_message where stage = 'received'")) === 0 &&
      (await count("select count(*) as n from pont_delivery where status = 'pending'")) === 0,
    ms,
  );
}
