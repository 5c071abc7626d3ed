import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, nhsNumberSchema } from '../../src/record/record.schema.js';

describe('NHS number check digit (modulus 11)', () => {
  it.each(['9993847127', '9995610388', '9997029542', '9998453267', '9994306170', '9996281531', '9990000018'])('accepts %s', (value) => {
    expect(isValidNhsNumber(value)).toBe(true);
    expect(nhsNumberSchema.safeParse(value).success).toBe(true);
  });

  it.each([
    ['a wrong check digit', '9993847128'],
    ['another wrong check digit', '9995610380'],
    ['a remainder that gives check digit 10 (never issued)', '9992174650'],
    ['nine digits', '999384712'],
    ['eleven digits', '99938471270'],
    ['spaces', '999 384 7127'],
    ['letters', '99938471A7'],
    ['an empty string', ''],
  ])('rejects %s', (_label, value) => {
    expect(isValidNhsNumber(value)).toBe(false);
    expect(nhsNumberSchema.safeParse(value).success).toBe(false);
  });

  it('rejects every final digit when the check digit would be 10', () => {
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`999217465${d}`)).toBe(false);
  });
});
