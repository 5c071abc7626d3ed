import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { RECORD_JSON_SCHEMA_PATH, renderRecordJsonSchema } from '../../mappings/tools/build-json-schema.js';
import { loadCtpExamples, projectRoot } from '../helpers/examples.js';
import { minimalRecord } from '../helpers/minimal-record.js';

const committed = readFileSync(join(projectRoot, RECORD_JSON_SCHEMA_PATH), 'utf8');

// Formats (date, date-time) are not checked by ajv here: the schema's patterns carry the same rule.
const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
const validate = ajv.compile(JSON.parse(committed) as object);

describe(RECORD_JSON_SCHEMA_PATH, () => {
  it('equals a fresh generation from the zod schema (run npm run schema:build)', () => {
    expect(committed).toBe(renderRecordJsonSchema());
  });

  it.each(loadCtpExamples())('accepts $path', ({ json }) => {
    expect(validate(json), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('accepts the minimal test record', () => {
    expect(validate(minimalRecord()), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('rejects an unknown field and a bad code', () => {
    const record = { ...minimalRecord(), extra: true, schemaVersion: '2' };
    expect(validate(record)).toBe(false);
    expect(validate.errors?.map((e) => e.keyword).sort()).toEqual(['additionalProperties', 'const']);
  });
});
