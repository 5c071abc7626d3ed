/**
 * The one thing the store needs of a database: parameterised queries and transactions. PostgreSQL
 * (pg-client.ts) and PGlite, PostgreSQL embedded in the process (pglite-client.ts), both give it,
 * so the store and its migrations run unchanged on either.
 */

export interface SqlResult<Row> {
  readonly rows: Row[];
}

export interface SqlExecutor {
  /** One statement with `$1`-style parameters. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
  /** A script of several statements, without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `body` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Which database this is, for messages (never a password). */
  readonly description: string;
  close(): Promise<void>;
}
