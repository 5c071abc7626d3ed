/**
 * SqlClient on PGlite: real PostgreSQL compiled to WebAssembly, running in this process and
 * persisted in a folder (the data directory). One connection per process, so queries and
 * transactions are serialised by PGlite itself.
 */
import { PGlite } from '@electric-sql/pglite';
import { StoreError } from '../errors/errors.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';

export interface PgliteOptions {
  /**
   * A dump of a data directory (PGlite's `dumpDataDir`) that a new database starts from instead of
   * running initdb, which costs over a second of CPU; ignored when `dataDir` already holds one.
   */
  readonly loadDataDir?: Blob;
}

/** Opens (creating when needed) the embedded database in `dataDir`; `undefined` keeps it in memory. */
export async function openPglite(dataDir: string | undefined, options: PgliteOptions = {}): Promise<SqlClient> {
  const description = dataDir === undefined ? 'embedded PostgreSQL (in memory)' : `embedded PostgreSQL in ${dataDir}`;
  let db: PGlite;
  try {
    db = await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }) });
  } catch (err) {
    throw StoreError.unavailable(description, err);
  }
  const wrap = (executor: Pick<PGlite, 'query' | 'exec'>): SqlExecutor => ({
    async query(text, params) {
      try {
        const result = await executor.query(text, params as unknown[] | undefined);
        return { rows: result.rows as never[] };
      } catch (err) {
        throw StoreError.fromDriver(description, err);
      }
    },
    async exec(script) {
      try {
        await executor.exec(script);
      } catch (err) {
        throw StoreError.fromDriver(description, err);
      }
    },
  });
  const outside = wrap(db);
  return {
    description,
    query: outside.query,
    exec: outside.exec,
    transaction: (body) => db.transaction((tx) => body(wrap(tx))),
    close: () => db.close(),
  };
}
