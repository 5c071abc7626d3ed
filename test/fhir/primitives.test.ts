import { describe, expect, it } from 'vitest';
import { checkPrimitive, R4_REGEX } from '../../src/fhir/primitives.js';
import { r4Base } from '../../src/fhir/r4-base.js';

const REGEX_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/regex';

describe('R4 primitive formats', () => {
  it('are the regexes of the R4 primitive StructureDefinitions', () => {
    const fromDefinitions: Record<string, string> = {};
    for (const [name, sd] of r4Base().types) {
      if (sd.kind !== 'primitive-type') continue;
      const value = sd.snapshot?.element?.find((e) => e.path === `${name}.value`);
      const regex = value?.type?.[0]?.extension?.find((x) => x.url === REGEX_EXTENSION)?.valueString;
      // Numbers and booleans are checked as JSON numbers and booleans, not by their lexical form.
      if (regex && !['boolean', 'decimal', 'integer', 'positiveInt', 'unsignedInt'].includes(name)) fromDefinitions[name] = regex;
    }
    expect(R4_REGEX).toEqual(fromDefinitions);
  });

  const valid: [string, unknown][] = [
    ['string', 'Siân'],
    ['string', 'line one\nline two\ttabbed'],
    ['string', 'no\u00a0break'],
    ['markdown', '# Title\n\n*text*'],
    ['code', 'entered-in-error'],
    ['code', 'two words'],
    ['id', 'a-B.9'],
    ['uri', 'urn:uuid:53fe036c-a35d-56b9-b053-611fdbbd75b5'],
    ['canonical', 'https://fhir.pont.wales/StructureDefinition/pont-patient|1.0.0'],
    ['date', '2024'],
    ['date', '2024-02'],
    ['date', '2024-02-29'],
    ['dateTime', '2025-02-03T10:00:00Z'],
    ['dateTime', '2025-02-03T10:00:00.123456789+01:00'],
    ['dateTime', '2025-02-03'],
    ['instant', '2025-02-03T10:00:00.5-05:00'],
    ['time', '23:59:60'],
    ['oid', 'urn:oid:2.16.840.1.113883'],
    ['uuid', 'urn:uuid:53fe036c-a35d-56b9-b053-611fdbbd75b5'],
    ['base64Binary', 'YWJj'],
    ['base64Binary', 'YQ=='],
    ['integer', -2_147_483_648],
    ['positiveInt', 1],
    ['unsignedInt', 0],
    ['decimal', 1.5],
    ['boolean', false],
    ['xhtml', '<div xmlns="http://www.w3.org/1999/xhtml">x</div>'],
  ];
  it.each(valid)('accepts a %s: %j', (type, value) => {
    expect(checkPrimitive(type, value)).toBeUndefined();
  });

  const invalid: [string, unknown, 'structure' | 'value'][] = [
    ['string', 1, 'structure'],
    ['string', '', 'value'],
    ['string', ' \n ', 'value'],
    ['string', 'bell\u0007', 'value'],
    ['code', ' leading', 'value'],
    ['code', 'two  spaces', 'value'],
    ['code', 'tab\tinside', 'value'],
    ['id', 'under_score', 'value'],
    ['id', 'x'.repeat(65), 'value'],
    ['uri', 'has space', 'value'],
    ['uri', 'no\u00a0break', 'value'],
    ['date', '2023-02-29', 'value'],
    ['date', '2024-04-31', 'value'],
    ['date', '2024-13', 'value'],
    ['date', '0000', 'value'],
    ['date', '2024-02-03T10:00:00Z', 'value'],
    ['dateTime', '2025-02-03T10:00:00', 'value'],
    ['dateTime', '2025-02-03T10:00Z', 'value'],
    ['dateTime', '2025-02-03T10:00:00.1234567890Z', 'value'],
    ['dateTime', '2025-02-03Z', 'value'],
    ['instant', '2025-02-03', 'value'],
    ['time', '24:00:00', 'value'],
    ['time', '10:00', 'value'],
    ['oid', '1.2.3', 'value'],
    ['uuid', 'urn:uuid:53FE036C-A35D-56B9-B053-611FDBBD75B5', 'value'],
    ['base64Binary', 'YWJ', 'value'],
    ['base64Binary', 'YW Jj', 'value'],
    ['base64Binary', 'Y=Jj', 'value'],
    ['integer', 1.5, 'value'],
    ['integer', 2 ** 31, 'value'],
    ['integer', '1', 'structure'],
    ['positiveInt', 0, 'value'],
    ['unsignedInt', -1, 'value'],
    ['decimal', '1.5', 'structure'],
    ['boolean', 'true', 'structure'],
    ['boolean', 0, 'structure'],
    ['string', { value: 'x' }, 'structure'],
    ['string', ['x'], 'structure'],
  ];
  it.each(invalid)('rejects a %s: %j (%s)', (type, value, code) => {
    const problem = checkPrimitive(type, value);
    expect(problem?.code).toBe(code);
    // Messages name the rule, never the value.
    if (typeof value === 'string' && value.trim().length > 2) expect(problem?.message).not.toContain(value.trim());
  });
});
