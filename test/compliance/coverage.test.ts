import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engine, PACK_DIR } from './helpers.js';

/** The coverage table of mappings/rule-packs/README.md: id → [status, detail]. */
function coverageTable(): Map<string, [string, string]> {
  const rows = readFileSync(join(PACK_DIR, 'README.md'), 'utf8')
    .split('\n')
    .filter((l) => /^\| CoP-/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()));
  return new Map(rows.map((c) => [c[1]!, [c[2]!, c[3]!]] as const));
}

describe('coverage of the Code of Practice catalogue', () => {
  const table = coverageTable();
  const pack = engine().pack('wales-measure');

  it('lists all 117 catalogue entries once, each with a status and a reason', () => {
    expect(table.size).toBe(117);
    for (const [id, [status, detail]] of table) {
      expect(['checked', 'covered', 'needs data', 'not checkable'], id).toContain(status);
      expect(detail.length, id).toBeGreaterThan(5);
    }
  });

  it('says "checked" exactly for the ids the Welsh pack implements, with their checks', () => {
    const inPack = new Map<string, string[]>();
    for (const rule of pack.rules) inPack.set(rule.id, [...(inPack.get(rule.id) ?? []), rule.check]);
    const checked = [...table].filter(([, [status]]) => status === 'checked').map(([id]) => id);
    expect(checked.sort()).toEqual([...inPack.keys()].sort());
    for (const [id, checks] of inPack) expect(table.get(id)![1], id).toBe(checks.map((c) => `\`${c}\``).join(', '));
  });
});
