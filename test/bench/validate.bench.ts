/**
 * Micro-benchmark of resource validation: `npx tsx test/bench/validate.bench.ts [count]`.
 *
 * Compares pont's validator (R4 base via medplum plus the compiled profile checks, and the
 * profile checks alone) with medplum's validateResource() against the R4 base and against the
 * profile (`{ profile }`, which re-parses the StructureDefinition on every call).
 */
import { join } from 'node:path';
import { validateResource } from '@medplum/core';
import type { Resource, StructureDefinition } from '@medplum/fhirtypes';
import { ensureMedplumIndexed } from '../../src/fhir/r4-base.js';
import { createValidator } from '../../src/fhir/validate.js';
import { REPO_ROOT } from '../../src/profiles/build-profiles.js';
import { loadProfiles } from '../../src/profiles/load-profiles.js';
import type { Json } from '../fhir/samples.js';
import { minimal, rich } from '../fhir/samples.js';

const count = Number(process.argv[2] ?? 3000);

function timed<T>(label: string, f: () => T): T {
  const start = performance.now();
  const result = f();
  console.log(`${label.padEnd(44)} ${(performance.now() - start).toFixed(0).padStart(7)} ms`);
  return result;
}

const registry = timed('loadProfiles', () => loadProfiles(join(REPO_ROOT, 'profiles')));
const validator = timed('createValidator (incl. R4 base definitions)', () => createValidator(registry));
const profileOnly = timed('createValidator (profile checks only)', () => createValidator(registry, { baseValidation: false }));
ensureMedplumIndexed();

// A few thousand distinct resources: every sample, with its own id and text.
const templates = [...Object.values(minimal), ...Object.values(rich)];
const resources: Json[] = Array.from({ length: count }, (_, i) => {
  const r = structuredClone(templates[i % templates.length]!);
  r.id = `${String(r.id)}-${i}`;
  if (i % 10 === 0) r.language = 'cy';
  return r;
});
const profiles = new Map<string, StructureDefinition>(registry.profiles.map((sd) => [sd.url, sd]));
const profileOf = (r: Json) => profiles.get((r.meta as { profile: string[] }).profile[0]!)!;

function bench(label: string, validate: (r: Json) => unknown): void {
  for (const r of resources.slice(0, Math.min(300, resources.length))) validate(r); // warm up
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    for (const r of resources) validate(r);
    best = Math.max(best, resources.length / ((performance.now() - start) / 1000));
  }
  console.log(`${label.padEnd(44)} ${Math.round(best).toString().padStart(7)} resources/s`);
}

const quietly = (f: () => unknown) => {
  try {
    f();
  } catch {
    // medplum throws on errors; only the time matters here
  }
};

let issues = 0;
for (const r of resources) issues += validator.validate(r).length;
console.log(`\n${resources.length} sample resources, ${issues} issue(s) from pont's validator\n`);

bench("pont validator (R4 base + profile)", (r) => validator.validate(r));
bench('pont validator (profile checks only)', (r) => profileOnly.validate(r));
bench('medplum validateResource (R4 base)', (r) => quietly(() => validateResource(r as unknown as Resource)));
bench('medplum validateResource ({ profile })', (r) => quietly(() => validateResource(r as unknown as Resource, { profile: profileOf(r) })));
