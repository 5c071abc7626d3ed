import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldsLeftOut } from '../../src/record/fields-left-out.js';

describe('fieldsLeftOut', () => {
  it('names nothing for a copy that holds every field, whatever the values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(fieldsLeftOut(value, structuredClone(value))).toEqual([]);
      }),
    );
  });

  it('names a field the copy lacks at the highest level it is missing, with list positions folded', () => {
    const original = {
      patient: { nhsNumber: '9000000009', identifiers: [{ system: 'a', value: 'b' }] },
      encounters: [
        { id: 'e1', start: '2025-01-01', auditTimes: { noteRecordedAt: '2025-01-01T10:00:00Z' } },
        { id: 'e2', start: '2025-01-02' },
      ],
      riskAssessments: [{ id: 'r1', date: '2025-01-01' }],
    };
    const copy = {
      patient: { nhsNumber: '9000000009' },
      encounters: [
        { id: 'e1', start: '2025-01-01' },
        { id: 'e2', start: '2025-01-02' },
      ],
    };
    expect(fieldsLeftOut(original, copy)).toEqual(['encounters[].auditTimes', 'patient.identifiers', 'riskAssessments']);
  });

  it('does not name a field some item of the copy still holds, nor an absent (undefined) one, nor a value that changed', () => {
    const original = {
      items: [
        { a: 1, b: 2 },
        { a: 3, b: 4 },
      ],
      gone: undefined,
      note: 'x',
    };
    const copy = { items: [{ a: 1 }, { a: 3, b: 5 }], note: 'y' };
    expect(fieldsLeftOut(original, copy)).toEqual([]);
  });

  it('names only field names, never a value', () => {
    const names = fc.string({ minLength: 1 }).filter((k) => !k.includes('VALUE'));
    fc.assert(
      fc.property(
        fc.dictionary(
          names,
          fc.string().map((v) => `VALUE${v}`),
          { minKeys: 1 },
        ),
        (fields) => {
          const leftOut = fieldsLeftOut({ record: fields }, { record: {} });
          expect(leftOut).toEqual(
            Object.keys(fields)
              .map((k) => `record.${k}`)
              .sort(),
          );
          for (const name of leftOut) expect(name).not.toContain('VALUE');
        },
      ),
    );
  });
});
