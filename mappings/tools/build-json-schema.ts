/**
 * Writes the JSON Schema (draft 2020-12) of the canonical CTP record, generated from the zod
 * schema, to `mappings/schema/ctp-record.schema.json`. Run with `npm run schema:build`; a test
 * fails when the committed file differs from a fresh generation.
 *
 * The JSON Schema describes the shape only: checks written as zod refinements (NHS number
 * check digit, a name needs some part, `otherArea` when the area is "other", …) and the
 * integrity checks have no JSON Schema form, so `parseRecord` stays the authority.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { recordSchema } from '../../src/record/record.schema.js';

/** Where the generated schema is committed, relative to the project root. */
export const RECORD_JSON_SCHEMA_PATH = 'mappings/schema/ctp-record.schema.json';

/** The `$id` of the generated schema (under the project's canonical base). */
export const RECORD_JSON_SCHEMA_ID = 'https://fhir.pont.wales/schema/ctp-record.schema.json';

/**
 * Generates the JSON Schema of the record.
 *
 * @returns A draft 2020-12 schema object describing the record as it is written (zod input side).
 */
export function buildRecordJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(recordSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw' });
  return {
    $schema,
    $id: RECORD_JSON_SCHEMA_ID,
    title: 'pont canonical Care and Treatment Plan record',
    description:
      "One person's Care and Treatment Plan record under the Mental Health (Wales) Measure 2010. Generated from src/record/record.schema.ts by npm run schema:build; do not edit.",
    ...rest,
  };
}

/**
 * The exact text of the committed file: two-space indented JSON with a final newline.
 */
export function renderRecordJsonSchema(): string {
  return `${JSON.stringify(buildRecordJsonSchema(), null, 2)}\n`;
}

async function main(): Promise<void> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const target = resolve(root, RECORD_JSON_SCHEMA_PATH);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, renderRecordJsonSchema(), 'utf8');
  process.stdout.write(`wrote ${RECORD_JSON_SCHEMA_PATH}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
