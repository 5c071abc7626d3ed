/** SqlClient on a PostgreSQL server through node-postgres (`DATABASE_URL`). */
import pg from 'pg';
import { StoreError } from '../errors/errors.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';

export interface PgClientOptions {
  readonly connectionString: string;
  /** Connections in the pool; the service sizes it to its workers' concurrency. */
  readonly max?: number;
}

/** Connects to PostgreSQL and checks that it answers; a server that does not is a StoreError naming host and database. */
export async function connectPostgres(options: PgClientOptions): Promise<SqlClient> {
  const description = describeUrl(options.connectionString);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  // An idle client that loses its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  let session = '';
  try {
    // Settings of every session, where the server has them: set on this first connection by the
    // probe itself, and on every connection before its first statement (acquire, below; a SET,
    // not a startup parameter, which a connection pooler in between may refuse).
    // - Statements are prepared once per connection (below) but still planned for their
    //   parameters on every call: a generic plan made while a table was empty would keep
    //   scanning it as it grows.
    // - Large values (a version's Bundle, a resource with its narrative) are compressed by lz4
    //   rather than pglz: several times less CPU to write and read.
    const { rows } = await pool.query<{ plans: string | null; lz4: string | null }>(
      `select (select set_config(name, 'force_custom_plan', false) from pg_settings where name = 'plan_cache_mode') as plans,
              (select set_config(name, 'lz4', false) from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals)) as lz4`,
    );
    session = [...(rows[0]?.plans ? ['set plan_cache_mode = force_custom_plan'] : []), ...(rows[0]?.lz4 ? ['set default_toast_compression = lz4'] : [])].join('; ');
  } catch (err) {
    await pool.end().catch(() => {});
    throw StoreError.unavailable(description, err);
  }
  // Each connection gets the session's settings before its first statement, awaited: a SET sent
  // alongside the caller's own statement would be two queries on one client at once.
  const configured = new WeakSet<pg.PoolClient>();
  const acquire = async (): Promise<pg.PoolClient> => {
    const client = await pool.connect();
    if (session !== '' && !configured.has(client)) {
      try {
        await client.query(session);
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
      configured.add(client);
    }
    return client;
  };
  const prepared = preparedStatements();
  const query: SqlExecutor['query'] = async (text, params) => {
    let client: pg.PoolClient;
    try {
      client = await acquire();
    } catch (err) {
      throw StoreError.unavailable(description, err);
    }
    let broken: Error | undefined;
    try {
      return (await client.query(prepared(text, params))) as never;
    } catch (err) {
      // The server refusing a statement leaves the connection usable; anything else may not have.
      if (!(err instanceof pg.DatabaseError)) broken = err instanceof Error ? err : new Error('query failed');
      throw StoreError.fromDriver(description, err);
    } finally {
      client.release(broken);
    }
  };
  return {
    description,
    query,
    exec: async (script) => {
      await query(script);
    },
    async transaction(body) {
      let client: pg.PoolClient;
      try {
        client = await acquire();
      } catch (err) {
        throw StoreError.unavailable(description, err);
      }
      try {
        await client.query('begin');
        const txQuery: SqlExecutor['query'] = async (text, params) => {
          try {
            return (await client.query(prepared(text, params))) as never;
          } catch (err) {
            throw StoreError.fromDriver(description, err);
          }
        };
        const tx: SqlExecutor = {
          query: txQuery,
          exec: async (script) => {
            await txQuery(script);
          },
        };
        const result = await body(tx);
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Distinct statements prepared by name at most: beyond them (text made per call), statements go unnamed. */
const MAX_PREPARED = 500;

/**
 * A statement with parameters as a named prepared statement, the same name for the same text, so
 * that each connection parses it once rather than on every call. One without parameters may be a
 * script of several statements, which cannot be prepared.
 */
function preparedStatements(): (text: string, params: readonly unknown[] | undefined) => pg.QueryConfig {
  const names = new Map<string, string>();
  return (text, params) => {
    if (params === undefined) return { text };
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `pont_${names.size}`;
      names.set(text, name);
    }
    return { text, values: params as unknown[], ...(name === undefined ? {} : { name }) };
  };
}

/** `postgres://host:port/database`, without user or password. */
export function describeUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL is not a URL)';
  }
}
