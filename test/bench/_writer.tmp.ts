import pg from 'pg';
import { messageStore } from '../../src/store/messages.js';
import { migrate } from '../../src/store/migrations.js';
import { connectPostgres } from '../../src/store/pg-client.js';
import { generateRecords } from '../../test/helpers/generate.js';
import { testRuntime } from '../../test/helpers/runtime.js';

const n = Number(process.argv[2] ?? 300);
const mode = process.argv[3] ?? 'full';
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
await admin.query('drop database if exists pont_wbench');
await admin.query('create database pont_wbench');
const t = { db: await connectPostgres({ connectionString: 'postgres://postgres@127.0.0.1:5432/pont_wbench', max: 4 }) };
await migrate(t.db);
const records = generateRecords(n);
const rt = testRuntime();
const converted = records.map((r) => {
  const res = rt.check([{ origin: 'b', source: 'ctp', text: JSON.stringify(r) }], { compliance: false }).results[0]!;
  return { json: r, record: res.record!, bundle: res.bundle! };
});
const times = new Map<string, number>();
const timed = (ex: any) => ({
  ...ex,
  query: async (text: string, params?: any) => {
    const k = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    const a = performance.now();
    try {
      return await ex.query(text, params);
    } finally {
      times.set(k, (times.get(k) ?? 0) + performance.now() - a);
    }
  },
});
const wrapped = { ...t.db, query: timed(t.db).query, transaction: (body: any) => t.db.transaction((tx: any) => body(timed(tx))) };
const inbox = messageStore(wrapped as any);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (const c of converted) {
  const { id } = await inbox.accept({ source: 'epr', format: 'ctp', payload: new TextEncoder().encode(JSON.stringify(c.json)), receivedAt: new Date() });
  await inbox.finish(id, { stage: 'processed', records: [{ record: c.record, bundle: mode === 'nobundle' ? undefined : c.bundle }], at: new Date(), detail: { records: 1 } });
}
const ms = performance.now() - t0;
for (const [k, v] of [...times].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log((v / n).toFixed(2).padStart(6), k);
const cpu = process.cpuUsage(cpu0);
console.log(`${mode}: ${n} records in ${ms.toFixed(0)} ms = ${(ms / n).toFixed(1)} ms/record; node cpu ${((cpu.user + cpu.system) / 1000 / n).toFixed(1)} ms/record`);
await t.db.close();
await admin.query('drop database pont_wbench with (force)');
process.exit(0);
