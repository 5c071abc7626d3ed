/**
 * npm run bench:pipeline [-- N]
 *
 * Measures, on one core and in one run over the same N generated records:
 *   1. pont's pipeline: JSON text → record (schema + integrity check) → FHIR Bundle, mapped and
 *      validated (records/s);
 *   2. the floor: bare JSON.parse + JSON.stringify of the same records;
 *   3. the usual alternative: @medplum/core validateResource over the same output resources;
 *   and, to apportion cost, the record check alone, mapping alone, pont's validator alone, and
 *   the pipeline with medplum's base validation added as a second layer (`baseValidation`).
 */

import { resolve } from 'node:path';
import { validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { ensureMedplumIndexed } from '../../src/fhir/r4-base.js';
import { createValidator } from '../../src/fhir/validate.js';
import { loadMappings } from '../../src/mapping/loader.js';
import { createPipeline } from '../../src/pipeline/pipeline.js';
import { loadProfiles } from '../../src/profiles/load-profiles.js';
import { parseRecord } from '../../src/record/parse-record.js';
import { generateRecords } from '../helpers/generate.js';
import { ROOT } from '../helpers/runtime.js';

const count = Number(process.argv[2] ?? 2000);
const records = generateRecords(count);
const texts = records.map((r) => JSON.stringify(r));

const mappings = loadMappings(resolve(ROOT, 'mappings'));
const registry = loadProfiles(resolve(ROOT, 'profiles'));
const validator = createValidator(registry);
const pipeline = createPipeline({ mappings, validator });
const strictPipeline = createPipeline({ mappings, validator: createValidator(registry, { baseValidation: true }) });
const ctpToFhir = mappings.find('ctp', 'fhir')!;
ensureMedplumIndexed();

function rate(label: string, units: number, body: () => void): number {
  body(); // warm-up pass, not timed
  const start = process.hrtime.bigint();
  body();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = units / seconds;
  console.log(`${label.padEnd(58)} ${perSecond.toFixed(0).padStart(9)} /s  (${(seconds * 1000).toFixed(0)} ms)`);
  return perSecond;
}

let resources: Resource[] = [];
for (const r of records) {
  const { bundle } = pipeline.toBundle(r);
  if (!bundle) throw new Error('a generated record failed to map; fix the generator or the mapping first');
  resources.push(...(bundle.entry ?? []).map((e) => e.resource!));
}
const perRecord = resources.length / records.length;
console.log(`pont pipeline benchmark: ${count} records, ${resources.length} resources (${perRecord.toFixed(1)} per record), Node ${process.version}\n`);

const full = rate('pipeline: parse + check + map + validate (records)', count, () => {
  for (const t of texts) pipeline.toBundle(parseRecord(JSON.parse(t), 'bench'));
});
const floor = rate('floor: JSON.parse + JSON.stringify (records)', count, () => {
  for (const t of texts) JSON.stringify(JSON.parse(t));
});
const checkOnly = rate('JSON.parse + record schema + integrity (records)', count, () => {
  for (const t of texts) parseRecord(JSON.parse(t), 'bench');
});
const mapOnly = rate('mapping only (records)', count, () => {
  for (const r of records) ctpToFhir.toResources(r);
});
const ours = rate('pont validator, compiled R4 + profile checks (resources)', resources.length, () => {
  for (const r of resources) validator.validate(r);
});
const medplum = rate('medplum validateResource, base R4 (resources)', resources.length, () => {
  for (const r of resources) {
    try {
      validateResource(r);
    } catch {
      /* counted all the same */
    }
  }
});
const strict = rate('pipeline with medplum base layer added (records)', count, () => {
  for (const t of texts) strictPipeline.toBundle(parseRecord(JSON.parse(t), 'bench'));
});
console.log('');
console.log(`full pipeline:               ${full.toFixed(0)} records/s`);
console.log(`  ... with medplum layer:    ${strict.toFixed(0)} records/s`);
console.log(`floor (JSON round trip):     ${floor.toFixed(0)} records/s`);
console.log(`medplum alone, same output:  ${(medplum / perRecord).toFixed(0)} records/s`);
console.log(`record check (+ JSON.parse): ${checkOnly.toFixed(0)} records/s (${((1 / checkOnly) * 1000).toFixed(2)} ms/record)`);
console.log(`mapping alone:               ${mapOnly.toFixed(0)} records/s (${((1 / mapOnly) * 1000).toFixed(2)} ms/record)`);
console.log(`validation alone:            ${(ours / perRecord).toFixed(0)} records/s (${((perRecord / ours) * 1000).toFixed(2)} ms/record)`);
resources = [];
