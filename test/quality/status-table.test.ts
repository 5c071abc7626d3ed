/**
 * The status table of mappings/quality-packs/README.md accounts for every row of §2 of the
 * practice evidence and agrees with the quality pack: every implemented check is a signal of its
 * row, every signal is listed, every rule it says covers a row is a rule of a legal pack, and no
 * row the evidence calls detectable is left without a reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { legacyTemplateRule, nearDuplicateRule } from '../../src/quality/shared-text.js';
import { engine as legalEngine } from '../compliance/helpers.js';
import { ROOT } from '../helpers/runtime.js';
import { quality } from './helpers.js';

/** §2 of the practice evidence has 85 rows. */
const ROWS = 85;
const STATUSES = ['implemented', 'covered', 'needs data', 'needs feedback', 'outside the record', 'not yet'] as const;

interface Row {
  readonly row: number;
  readonly detect: string;
  readonly status: string;
  readonly text: string;
  readonly named: string[];
}

function table(): Row[] {
  const text = readFileSync(join(ROOT, 'mappings/quality-packs/README.md'), 'utf8');
  return text
    .split('\n')
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((l) => {
      const [row, detect, status, reason] = l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      return { row: Number(row), detect: detect!, status: status!, text: reason!, named: [...reason!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!) };
    });
}

describe('the status table of §2', () => {
  const rows = table();
  const signals = [...quality().engine.pack('practice-quality').rules, nearDuplicateRule, legacyTemplateRule];

  it('has every row of §2 once, in order', () => {
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
  });

  it('gives each row a known detectability and status, and a reason unless it is implemented', () => {
    for (const r of rows) {
      expect(['Yes', 'Partly', 'No']).toContain(r.detect);
      expect(STATUSES).toContain(r.status);
      expect(r.text.length).toBeGreaterThan(0);
    }
  });

  it('leaves only rows the evidence calls undetectable to patient feedback, and none of those implemented', () => {
    for (const r of rows) {
      if (r.detect === 'No') expect(r.status).toBe('needs feedback');
      else expect(r.status).not.toBe('needs feedback');
    }
  });

  it('names, for an implemented row, checks that are signals (its own, or another row’s that serve it too); and lists every signal under its row', () => {
    for (const r of rows.filter((x) => x.status === 'implemented')) {
      const checks = r.named.filter((n) => !n.includes('/'));
      expect(checks.length).toBeGreaterThan(0);
      for (const check of checks) expect(signals.some((s) => s.check === check)).toBe(true);
    }
    for (const s of signals) {
      const row = rows.find((r) => `PE-${r.row}` === s.id);
      expect(row?.status).toBe('implemented');
      expect(row?.named).toContain(s.check);
    }
  });

  it('names, for a covered row, rules of the legal packs that exist', () => {
    const legal = legalEngine().packs.flatMap((p) => [...p.rules.map((r) => `${r.id}/${r.check}`), ...(p.caseload ? [`${p.caseload.id}/${p.caseload.check}`] : [])]);
    for (const r of rows.filter((x) => x.named.some((n) => n.includes('/')))) {
      for (const rule of r.named.filter((n) => n.includes('/'))) expect(legal).toContain(rule);
    }
    for (const r of rows.filter((x) => x.status === 'covered')) expect(r.named.some((n) => n.includes('/'))).toBe(true);
  });
});
