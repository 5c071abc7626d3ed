/**
 * CPU time, not wall time, for benchmarks on a machine shared with other work: this process (every
 * thread of it), another process by pid, and the PostgreSQL backends serving one database. Linux
 * only (/proc); elsewhere the other processes read as 0.
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type pg from 'pg';

/** Clock ticks a second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** This process's CPU time so far, user + system, every thread: ms. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A process's CPU time so far (user + system), ms; 0 when it cannot be read. */
export function processCpuMs(pid: number): number {
  try {
    // The scheduler's own count, in ns, where the kernel keeps it (finer than the 10 ms ticks of stat).
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    // below
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU time so far of each backend now connected to the database, by pid. */
export async function backendsCpuMs(db: pg.Client, database: string): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database]);
  return new Map(rows.map((r) => [r.pid, processCpuMs(r.pid)]));
}

/**
 * The backends' CPU between two readings: backends that ended in between are not counted (the
 * service's pool keeps its connections while it works), those that started are counted whole.
 */
export function backendsDelta(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}

/** A CPU profile of this thread from now until stop() (write it as a .cpuprofile file to read it in Chrome's DevTools). */
export async function startProfile(): Promise<{ stop(): Promise<unknown> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      session.disconnect();
      return profile;
    },
  };
}
