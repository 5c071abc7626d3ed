/**
 * The store as a deployment configures it: PostgreSQL when DATABASE_URL is set, else PGlite
 * persisted in the data directory (PONT_DATA_DIR, default `.pont/` in the working directory),
 * migrated to this pont's schema before use.
 */
import { mkdirSync } from 'node:fs';
import { migrate } from './migrations.js';
import { connectPostgres } from './pg-client.js';
import { openPglite } from './pglite-client.js';
import type { StoreSettings } from './settings.js';
import type { SqlClient } from './sql-client.js';

export type { StoreSettings } from './settings.js';

export async function openStore(settings: StoreSettings): Promise<SqlClient> {
  if (!settings.databaseUrl) mkdirSync(settings.dataDir, { recursive: true });
  const db = settings.databaseUrl ? await connectPostgres({ connectionString: settings.databaseUrl }) : await openPglite(settings.dataDir);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
