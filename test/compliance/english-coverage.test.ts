import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engine, PACK_DIR } from './helpers.js';

/** The rows of the English policy catalogue: each prefix and how many rows it numbers. */
const CATALOGUE: Readonly<Record<string, number>> = {
  R: 18,
  T: 12,
  A: 15,
  W: 8,
  C: 7,
  P: 17,
  V: 18,
  F: 12,
  K: 19,
  D: 15,
  N: 15,
  'N-': 10,
  X: 10,
  Z: 13,
  CR: 7,
  PH: 8,
  S: 7,
  I: 7,
  M: 5,
  WL: 8,
};
const STATUSES = ['checked', 'covered', 'needs data', 'not yet checked', 'not checkable', '—'];
const PACKS = [
  { id: 'leicestershire-lpt', prefix: 'LPT-', column: 0 },
  { id: 'luton-bedfordshire-elft', prefix: 'ELFT-', column: 1 },
] as const;

interface Row {
  readonly id: string;
  readonly statuses: readonly [string, string];
  readonly detail: string;
}

function table(): Row[] {
  return readFileSync(join(PACK_DIR, 'english-coverage.md'), 'utf8')
    .split('\n')
    .filter((l) => /^\| [A-Z]+-?\d+ \|/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()))
    .map((c) => ({ id: c[1]!, statuses: [c[2]!, c[3]!] as const, detail: c[4]! }));
}

/** Each rule id of a pack (the caseload rule included) with its check names. */
function packRules(pack: string): Map<string, string[]> {
  const p = engine().pack(pack);
  const rules = new Map<string, string[]>();
  for (const rule of [...p.rules, ...(p.caseload ? [p.caseload] : [])]) rules.set(rule.id, [...(rules.get(rule.id) ?? []), rule.check]);
  return rules;
}

describe('coverage of the English policies', () => {
  const rows = table();

  it('lists every row of the catalogue exactly once, and nothing else', () => {
    const expected = Object.entries(CATALOGUE).flatMap(([prefix, n]) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`));
    expect(rows.map((r) => r.id).sort()).toEqual(expected.sort());
  });

  it('gives every row a status under each pack, at least one of them its own, and a reason', () => {
    for (const row of rows) {
      for (const status of row.statuses) expect(STATUSES, row.id).toContain(status);
      expect(
        row.statuses.some((s) => s !== '—'),
        row.id,
      ).toBe(true);
      expect(row.detail.length, row.id).toBeGreaterThan(5);
    }
  });

  for (const { id, prefix, column } of PACKS) {
    it(`says "checked" under ${id} exactly for the rows the pack implements, naming their checks`, () => {
      const rules = packRules(id);
      for (const ruleId of rules.keys()) expect(ruleId, 'rule ids carry the pack prefix').toMatch(new RegExp(`^${prefix}`));
      const checked = rows.filter((r) => r.statuses[column] === 'checked').map((r) => `${prefix}${r.id}`);
      expect(checked.sort()).toEqual([...rules.keys()].sort());
      const byId = new Map(rows.map((r) => [`${prefix}${r.id}`, r]));
      for (const [ruleId, checks] of rules) for (const check of checks) expect(byId.get(ruleId)!.detail, ruleId).toContain(`\`${check}\``);
    });
  }
});
