import { describe, expect, it } from 'vitest';
import { checkIntegrity } from '../../src/record/integrity.js';
import { parseRecord } from '../../src/record/parse-record.js';
import { isValidNhsNumber } from '../../src/record/record.schema.js';
import { loadCtpExamples } from '../helpers/examples.js';

const examples = loadCtpExamples();

/** Ofcom's ranges reserved for drama (never allocated to real lines). */
const dramaNumbers = [/^029 2018 0\d{3}$/, /^01632 960\d{3}$/, /^07700 900\d{3}$/, /^020 7946 0\d{3}$/, /^0808 157 0\d{3}$/];
const phoneLike = /\b0\d{2,4} \d{3,4} ?\d{3,4}\b/g;

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

describe('examples/ctp', () => {
  it('has the six documented scenarios', () => {
    expect(examples.map((e) => e.name)).toEqual([
      'adult-all-eight-areas.json',
      'carers-declined-copies.json',
      'child-with-parents.json',
      'part3-self-referral.json',
      'plan-not-agreed.json',
      'revised-plan-after-review.json',
    ]);
  });

  describe.each(examples)('$path', ({ path, json }) => {
    it('parses as a canonical record', () => {
      expect(() => parseRecord(json, path)).not.toThrow();
    });

    it('has no integrity issues', () => {
      expect(checkIntegrity(parseRecord(json, path))).toEqual([]);
    });

    it('is synthetic: example source, test-range NHS number, drama phone numbers', () => {
      const record = parseRecord(json, path);
      expect(record.source.system).toBe('pont-example');
      const nhs = record.patient?.nhsNumber;
      expect(typeof nhs).toBe('string');
      expect(nhs as string).toMatch(/^999/);
      expect(isValidNhsNumber(nhs as string)).toBe(true);
      const phones = strings(json).flatMap((s) => s.match(phoneLike) ?? []);
      expect(phones.length).toBeGreaterThan(0);
      for (const phone of phones)
        expect(
          dramaNumbers.some((range) => range.test(phone)),
          phone,
        ).toBe(true);
    });

    it('uses postcodes that cannot exist (inward-code letters never issued)', () => {
      const postcodes = JSON.stringify(json).match(/"postcode":"[^"]*"/g) ?? [];
      for (const entry of postcodes) expect(entry).toMatch(/ \d[CIKMOV]{2}"$/);
    });
  });

  it('uses { "notRecorded": … } in at least two examples', () => {
    const using = examples.filter((e) => JSON.stringify(e.json).includes('"notRecorded"'));
    expect(using.length).toBeGreaterThanOrEqual(2);
  });
});
