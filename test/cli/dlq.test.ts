/** `pont dlq` and `pont status` on a real PostgreSQL, through the command line's own entry (in-process). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type StoreCommandsConfig } from '../../src/cli/run.js';
import { fixedClock } from '../../src/ports/clock.js';
import { messageStore } from '../../src/store/messages.js';
import { migrate } from '../../src/store/migrations.js';
import { type TestDatabase, testDatabase } from '../helpers/databases.js';
import { testRuntime } from '../helpers/runtime.js';

describe('pont dlq and pont status', () => {
  let t: TestDatabase;
  let store: StoreCommandsConfig;
  const ids: string[] = [];
  const SECRET = 'QZX-secret-payload';

  beforeAll(async () => {
    t = await testDatabase('postgres');
    await migrate(t.db);
    const messages = messageStore(t.db);
    for (const n of [1, 2]) {
      const m = await messages.accept({
        source: 'epr-a',
        format: 'ctp',
        payload: new TextEncoder().encode(`{"n":${n},"note":"${SECRET}"}`),
        receivedAt: new Date(`2026-12-0${n}T10:00:00Z`),
      });
      await messages.deadLetter(m.id, { queue: 'pont-process', reason: 'RULE_FAILED', attempts: 1, at: new Date(`2026-12-0${n}T10:05:00Z`) });
      ids.push(m.id);
    }
    store = { clock: fixedClock(new Date('2026-12-07T09:00:00Z')), openStore: async () => ({ messages, close: async () => {} }) };
  }, 60_000);
  afterAll(async () => t?.dispose());

  async function pont(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await run(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) }, () => testRuntime(), store);
    return { code, stdout, stderr };
  }

  it('lists the open dead letters by id, source, code and count, never the message', async () => {
    const r = await pont('dlq', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${ids[0]}  epr-a (ctp)  pont-process: RULE_FAILED after 1 attempt`);
    expect(r.stdout).toMatch(/2 dead letters\n$/);
    const json = JSON.parse((await pont('dlq', 'list', '--format', 'json')).stdout) as { messageId: string }[];
    expect(json.map((d) => d.messageId)).toEqual(ids);
    expect(r.stdout + JSON.stringify(json)).not.toContain(SECRET);
  });

  it('replays one, says it is to be queued, and refuses to replay it twice', async () => {
    const first = await pont('dlq', 'replay', ids[0]!);
    expect(first).toMatchObject({ code: 0, stdout: `replayed ${ids[0]}\nto be queued at the service's next reconciliation\n` });
    const again = await pont('dlq', 'replay', ids[0]!);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('has no open dead letter');
    expect((await pont('status', ids[0]!)).stdout).toMatch(/: received, 0 record versions stored\n[\s\S]*dead letter .* \(replayed 2026-12-07T09:00:00.000Z\)/);
  });

  it('discards one with its reason, which status shows', async () => {
    expect((await pont('dlq', 'discard', ids[1]!, '--reason', 'sent again under a new id')).stdout).toBe(`discarded ${ids[1]}\n`);
    expect((await pont('status', ids[1]!)).stdout).toContain('(discarded 2026-12-07T09:00:00.000Z: sent again under a new id)');
    expect((await pont('dlq', 'list')).stdout).toBe('0 dead letters\n');
  });

  it('says what is wrong with the command line, without touching the store', async () => {
    expect((await pont('dlq', 'replay')).code).toBe(2);
    expect((await pont('dlq', 'replay', 'not-an-id')).code).toBe(2);
    expect((await pont('dlq', 'replay', ids[0]!, '--all')).code).toBe(2);
    expect((await pont('dlq', 'discard', ids[0]!, '--reason', '  ')).code).toBe(2);
    const unknown = await pont('status', '00000000-0000-4000-8000-000000000000');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no message');
  });
});
