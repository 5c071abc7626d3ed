/**
 * The databases the store's tests run on: PGlite in memory, PGlite in a folder, and the real
 * PostgreSQL server from test/setup/postgres.ts, each a fresh database per call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, inject } from 'vitest';
import { migrate } from '../../src/store/migrations.js';
import { connectPostgres } from '../../src/store/pg-client.js';
import { openPglite } from '../../src/store/pglite-client.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { adminQuery } from './admin-query.js';

export interface TestDatabase {
  readonly db: SqlClient;
  /** For PostgreSQL: the database's URL, as DATABASE_URL would give it. */
  readonly url?: string;
  /** Closes the connection and opens the same database again, as a restarted process would. */
  reopen(): Promise<SqlClient>;
  /** Closes the connection and removes the database. */
  dispose(): Promise<void>;
}

/** PGlite persisted in a folder (as `pont serve` runs it embedded) and a real PostgreSQL server. */
export type DatabaseKind = 'pglite' | 'postgres';
export const DATABASE_KINDS: readonly DatabaseKind[] = ['pglite', 'postgres'];

let counter = 0;

/**
 * A new PGlite cluster, dumped once per test process: each fresh database is unpacked from it,
 * which costs a third of initdb's CPU. It is what initdb makes, so a database from it is as fresh.
 */
let emptyCluster: Promise<Blob> | undefined;
function emptyPgliteCluster(): Promise<Blob> {
  emptyCluster ??= (async () => {
    const db = await PGlite.create();
    try {
      return await db.dumpDataDir('none');
    } finally {
      await db.close();
    }
  })();
  return emptyCluster;
}

export async function testDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'pont-pglite-'));
    let db = await openPglite(dir, { loadDataDir: await emptyPgliteCluster() });
    return {
      get db() {
        return db;
      },
      async reopen() {
        await db.close();
        db = await openPglite(dir);
        return db;
      },
      async dispose() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = inject('postgresUrl');
  if (admin === undefined) throw new Error(inject('postgresProblem') ?? 'no PostgreSQL for the tests');
  const name = `pont_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  await adminQuery(admin, `create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let db = await connectPostgres({ connectionString: url.toString(), max: 4 });
  return {
    url: url.toString(),
    get db() {
      return db;
    },
    async reopen() {
      await db.close();
      db = await connectPostgres({ connectionString: url.toString(), max: 4 });
      return db;
    },
    async dispose() {
      await db.close();
      await adminQuery(admin, `drop database if exists ${name} with (force)`);
    },
  };
}

/** A fresh database of `kind` migrated to this pont's schema for the tests of a describe block: opened before them, removed after. */
export function useMigratedDatabase(kind: DatabaseKind): () => TestDatabase {
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await testDatabase(kind);
    await migrate(t.db);
  }, 60_000);
  afterAll(async () => t?.dispose());
  return () => {
    if (t === undefined) throw new Error('the database is opened before the tests');
    return t;
  };
}
