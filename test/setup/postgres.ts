/**
 * Vitest global setup: a PostgreSQL server for the store's tests. Uses the one that answers at
 * PONT_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); when none
 * answers, starts a throwaway server of its own (initdb into a temporary folder, on a free port)
 * and stops it afterwards. Each test file then creates and drops its own database.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port.js';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | undefined;
    postgresProblem: string | undefined;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs a PostgreSQL tool, as the postgres user when we are root (initdb refuses root). */
function run(tool: string, args: string[]): { ok: boolean; output: string } {
  const asRoot = process.getuid?.() === 0;
  const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', tool, ...args], { encoding: 'utf8' }) : spawnSync(tool, args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

export default async function setup(project: TestProject): Promise<() => void> {
  const url = process.env.PONT_TEST_POSTGRES_URL ?? DEFAULT_URL;
  if (await answers(url)) {
    project.provide('postgresUrl', url);
    project.provide('postgresProblem', undefined);
    return () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), 'pont-pg-'));
  if (process.getuid?.() === 0) spawnSync('chown', ['postgres', dir]);
  const port = await freePort();
  const init = run('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const start = init.ok ? run('pg_ctl', ['-D', dir, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']) : init;
  const ownUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  if (start.ok && (await answers(ownUrl))) {
    project.provide('postgresUrl', ownUrl);
    project.provide('postgresProblem', undefined);
    return () => {
      run('pg_ctl', ['-D', dir, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    };
  }
  rmSync(dir, { recursive: true, force: true });
  project.provide('postgresUrl', undefined);
  project.provide('postgresProblem', `no PostgreSQL answers at ${url} and starting one failed: ${start.output.split('\n')[0]}`);
  return () => {};
}
