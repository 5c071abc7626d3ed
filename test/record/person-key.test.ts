import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions, personKey } from '../../src/record/person-key.js';
import { type CtpRecord, isValidNhsNumber } from '../../src/record/record.schema.js';
import { testNhsNumber } from '../helpers/generate.js';
import { onePerPerson } from '../helpers/one-per-person.js';

const record = (recordId: string, nhsNumber: unknown, extractedAt = '2026-01-01T00:00:00Z', system = 'epr-a') =>
  ({ source: { system, recordId, extractedAt }, ...(nhsNumber === undefined ? {} : { patient: { nhsNumber } }) }) as unknown as CtpRecord;

describe('the person key', () => {
  it('is the NHS number when the record holds a valid one', () => {
    expect(personKey(record('r1', '9990000018'))).toBe('nhs:9990000018');
  });

  it('falls back to the source system and record id without a valid NHS number', () => {
    expect(personKey(record('r1', undefined))).toBe('source:epr-a/r1');
    expect(personKey(record('r1', { notRecorded: 'unknown' }))).toBe('source:epr-a/r1');
    expect(personKey(record('r1', '9990000019'))).toBe('source:epr-a/r1');
  });
});

describe('the generator of test NHS numbers', () => {
  it('gives a different valid number to every sequence number', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const n = testNhsNumber(i);
      expect(isValidNhsNumber(n)).toBe(true);
      seen.add(n);
    }
    expect(seen.size).toBe(20_000);
  });
});

describe('one record per person', () => {
  it('keeps, for each person, the record extracted last, in input order', () => {
    const old = record('a1', testNhsNumber(1), '2026-01-01T00:00:00Z');
    const other = record('b1', testNhsNumber(2));
    const newer = record('a2', testNhsNumber(1), '2026-02-01T00:00:00Z', 'epr-b');
    const unmatched = record('c1', undefined);
    const result = onePerPerson([old, other, newer, unmatched]);
    expect(result.records).toEqual([other, newer, unmatched]);
    expect(result.merged).toBe(1);
  });

  it('keeps exactly one record for each distinct person key (property)', () => {
    const arb = fc.array(fc.record({ who: fc.nat(20), day: fc.integer({ min: 1, max: 28 }), withNhs: fc.boolean() }), { maxLength: 60 });
    fc.assert(
      fc.property(arb, (rows) => {
        const records = rows.map((r, i) =>
          record(r.withNhs ? `x${i}` : `p${r.who}`, r.withNhs ? testNhsNumber(r.who) : undefined, `2026-01-${String(r.day).padStart(2, '0')}T00:00:00Z`),
        );
        const { records: kept, merged } = onePerPerson(records);
        const keys = new Set(records.map(personKey));
        expect(kept.map(personKey).sort()).toEqual([...keys].sort());
        expect(merged).toBe(records.length - keys.size);
        for (const k of kept) {
          const latest = records
            .filter((r) => personKey(r) === personKey(k))
            .map((r) => r.source.extractedAt)
            .sort()
            .at(-1);
          expect(k.source.extractedAt).toBe(latest);
        }
      }),
    );
  });
});

describe('the order of versions of a record', () => {
  const version = fc
    .record({
      recordId: fc.constantFrom('r1', 'r2'),
      system: fc.constantFrom('epr-a', 'epr-b'),
      hour: fc.integer({ min: 9, max: 10 }),
      zone: fc.constantFrom('Z', '+01:00'),
      note: fc.constantFrom('a', 'b'),
    })
    .map(({ recordId, system, hour, zone, note }) => ({
      ...record(recordId, testNhsNumber(1), `2026-01-01T${String(hour).padStart(2, '0')}:00:00${zone}`, system),
      note,
    })) as fc.Arbitrary<CtpRecord>;

  it('is a total order: antisymmetric, transitive, and 0 only for the same content', () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(Math.sign(compareVersions(a, b)) + Math.sign(compareVersions(b, a))).toBe(0);
        if (compareVersions(a, b) > 0 && compareVersions(b, c) > 0) expect(compareVersions(a, c)).toBeGreaterThan(0);
        expect(compareVersions(a, b) === 0).toBe(JSON.stringify(a) === JSON.stringify(b));
      }),
    );
  });

  it('compares extraction times as instants', () => {
    const utc = record('r1', testNhsNumber(1), '2026-01-01T09:30:00Z', 'epr-a');
    const bst = record('r1', testNhsNumber(1), '2026-01-01T10:00:00+01:00', 'epr-b');
    expect(compareVersions(utc, bst)).toBeGreaterThan(0); // 09:30Z is after 09:00Z
  });
});
