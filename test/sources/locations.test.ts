/**
 * Locations in the input's own terms: a value an export's mapping refuses is placed by the
 * file's line and column (wpas-csv) or by its path in the file (carepath-json), never by the
 * mapping's internal expressions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WPAS_COLUMNS, type WpasColumn } from '../../src/sources/wpas-csv.parse.js';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';
import { csvRows, toCsv } from './helpers.js';

const core = testRuntime();
const expressionsOf = (source: string, text: string) =>
  core.pipeline.convert(source, text, 'x').flatMap((r) => r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => i.expression?.[0]));

const csvExamples = exampleFiles().filter((f) => f.source === 'wpas-csv');
const codeColumns = (Object.keys(WPAS_COLUMNS) as WpasColumn[]).filter((c) => (WPAS_COLUMNS[c] === 'code' || WPAS_COLUMNS[c] === 'codes') && c !== 'ROW_TYPE');
/** A code in the format of the column that no code map has. */
const UNKNOWN = 'QQ9';

describe('locations in a WPAS CSV extract', () => {
  it('an unknown code anywhere is placed at a line and column whose cell holds it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...csvExamples.map((e) => e.name)), fc.constantFrom(...codeColumns), (name, column) => {
        const rows = csvRows(csvExamples.find((e) => e.name === name)!.text);
        const at = rows[0]!.indexOf(column);
        for (const row of rows.slice(1)) if (row[at]) row[at] = UNKNOWN;
        const expressions = expressionsOf('wpas-csv', toCsv(rows));
        for (const expression of expressions) {
          const m = /^line (\d+), column ([A-Z0-9_]+)$/.exec(expression ?? '');
          expect(m, `${expression}`).not.toBeNull();
          if (m![2] === column) expect(rows[Number(m![1]) - 1]![at]).toBe(UNKNOWN); // no cell spans lines in the examples
        }
      }),
      { numRuns: 60 },
    );
  });

  it('names the very row when one row of several holds the unknown code', () => {
    const example = csvExamples.find((e) => e.name === 'adult-all-eight-areas')!;
    const rows = csvRows(example.text);
    const at = rows[0]!.indexOf('COPY_METHOD');
    const candidates = rows.map((r, i) => (i > 0 && r[at] ? i : -1)).filter((i) => i > 0);
    expect(candidates.length).toBeGreaterThan(1);
    for (const i of candidates) {
      const changed = rows.map((r, j) => (j === i ? r.map((c, k) => (k === at ? UNKNOWN : c)) : r));
      expect(expressionsOf('wpas-csv', toCsv(changed))).toEqual([`line ${i + 1}, column COPY_METHOD`]);
    }
  });
});

describe('locations in a CarePath JSON export', () => {
  /** Every string in a JSON value, with its path in the file (`referrals[0].status`). */
  function strings(value: unknown, path = ''): { path: string; set: (v: string) => void }[] {
    if (Array.isArray(value))
      return value.flatMap((v, i) => (typeof v === 'string' ? [{ path: `${path}[${i}]`, set: (s: string) => (value[i] = s) }] : strings(v, `${path}[${i}]`)));
    if (typeof value !== 'object' || value === null) return [];
    const object = value as Record<string, unknown>;
    return Object.entries(object).flatMap(([k, v]) => {
      const at = path ? `${path}.${k}` : k;
      return typeof v === 'string' ? [{ path: at, set: (s: string) => (object[k] = s) }] : strings(v, at);
    });
  }
  const examples = exampleFiles().filter((f) => f.source === 'carepath-json');

  it('names the very element holding an unknown code', () => {
    const doc = JSON.parse(examples.find((e) => e.name === 'adult-all-eight-areas')!.text) as { client: { gender: string } };
    doc.client.gender = UNKNOWN;
    expect(expressionsOf('carepath-json', JSON.stringify(doc))).toEqual(['client.gender']);
  });

  it('in a file of several clients, names the element under its client (clients[i]), the shared header at the top', () => {
    const single = (name: string) => JSON.parse(examples.find((e) => e.name === name)!.text) as { exportMeta: unknown; client: { gender: string } };
    const first = single('adult-all-eight-areas');
    const second = single('plan-not-agreed');
    second.client.gender = UNKNOWN;
    const { exportMeta, ...firstClient } = first;
    const { exportMeta: _same, ...secondClient } = second;
    const file = { exportMeta, clients: [firstClient, secondClient] };
    expect(expressionsOf('carepath-json', JSON.stringify(file))).toEqual(['clients[1].client.gender']);
  });

  it('a refused value is placed by a path in the file, never by a mapping expression', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples.map((e) => e.name)), fc.nat(), (name, pick) => {
        const doc = JSON.parse(examples.find((e) => e.name === name)!.text) as unknown;
        const all = strings(doc);
        const target = all[pick % all.length]!;
        target.set(UNKNOWN);
        for (const expression of expressionsOf('carepath-json', JSON.stringify(doc))) {
          expect(expression, `${target.path} gave ${expression}`).toMatch(/^[A-Za-z_]\w*(\[\d+\])?(\.[A-Za-z_]\w*(\[\d+\])?)*$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('locations of what the record made from an export cannot hold', () => {
  it('a reference to no one is placed at the export’s own element (carepath-json) and line and column (wpas-csv)', () => {
    // A key worker and an action given to a member of staff the export does not list.
    const carePath = exampleFiles().find((f) => f.source === 'carepath-json' && f.name === 'plan-not-agreed')!;
    const doc = JSON.parse(carePath.text) as { referrals: { keyWorker: { StaffID: string }[] }[] };
    doc.referrals[0]!.keyWorker[0]!.StaffID = 'STF09999';
    const refused = expressionsOf('carepath-json', JSON.stringify(doc));
    expect(refused.length).toBeGreaterThan(0);
    for (const at of refused) expect(at).toMatch(/^(referrals|careTeam)\[\d+\](\.[A-Za-z]+(\[\d+\])?)*$/);

    const csv = exampleFiles().find((f) => f.source === 'wpas-csv' && f.name === 'plan-not-agreed')!;
    const rows = csvRows(csv.text);
    const column = rows[0]!.indexOf('ACTION_BY_ID');
    const line = rows.findIndex((r, i) => i > 0 && r[column]);
    rows[line]![column] = 'ZZ999';
    expect(expressionsOf('wpas-csv', toCsv(rows))).toEqual([`line ${line + 1}, column ACTION_BY_ID`]);
  });
});
