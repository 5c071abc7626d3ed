/**
 * Micro-benchmark of resource validation: `npx tsx test/bench/validate.bench.ts [count] [rounds]`.
 *
 * Over the resources pont produces from the examples (examples/<source>/* and HL7's R4 examples
 * through the fhir source), copied (as distinct objects) until there are `count` (default
 * 4000), compares:
 *   - pont's validator as the pipeline uses it (compiled checks only, the default);
 *   - pont's validator with `baseValidation: true` (medplum's base validation added);
 *   - medplum's validateResource() against the R4 base;
 *   - medplum's validateResource() with `{ profile }` (which re-parses the profile every call).
 * Each is run `rounds` times (default 5) after a warm-up; the best round is reported, as the
 * machine may be shared. The aim for pont's default is at least 70,000 resources/s on one core.
 */
import { join } from 'node:path';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource, StructureDefinition } from '@medplum/fhirtypes';
import { REPO_ROOT } from '../../profiles/tools/build-profiles.js';
import { ensureMedplumIndexed } from '../../src/fhir/r4-base.js';
import { createValidator } from '../../src/fhir/validate.js';
import { loadProfiles } from '../../src/profiles/load-profiles.js';
import { exampleFiles, hl7Examples, testRuntime } from '../helpers/runtime.js';

type Json = Record<string, unknown>;

const count = Number(process.argv[2] ?? 4000);
const rounds = Number(process.argv[3] ?? 5);
const RESOURCES_PER_RECORD = 35;

function timed<T>(label: string, f: () => T): T {
  const start = performance.now();
  const result = f();
  console.log(`${label.padEnd(48)} ${(performance.now() - start).toFixed(0).padStart(7)} ms`);
  return result;
}

const registry = timed('loadProfiles', () => loadProfiles(join(REPO_ROOT, 'profiles')));
const validator = timed('createValidator (compiled, the default)', () => createValidator(registry));
const layered = timed('createValidator ({ baseValidation: true })', () => createValidator(registry, { baseValidation: true }));
ensureMedplumIndexed();

const examples: Json[] = timed('the examples through the pipeline', () => {
  const { pipeline } = testRuntime();
  const out: Json[] = [];
  const inputs = [
    ...exampleFiles().map((e) => ({ source: e.source, text: e.text, path: e.path })),
    ...hl7Examples().map((e) => ({ source: 'fhir', text: e.text, path: e.name })),
  ];
  for (const input of inputs) {
    for (const c of pipeline.convert(input.source, input.text, input.path)) {
      for (const entry of c.bundle?.entry ?? []) out.push(entry.resource as unknown as Json);
    }
  }
  return out;
});
// Distinct copies, as JSON.parse would give them to a server.
const resources: Json[] = Array.from({ length: count }, (_, i) => JSON.parse(JSON.stringify(examples[i % examples.length]!)) as Json);

const profiles = new Map<string, StructureDefinition>(registry.profiles.map((sd) => [sd.url, sd]));
const profileOf = (r: Json) => profiles.get((r.meta as { profile: string[] }).profile[0]!)!;

function bench(label: string, validate: (r: Json) => unknown): number {
  for (const r of resources.slice(0, Math.min(1000, resources.length))) validate(r); // warm up
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (const r of resources) validate(r);
    best = Math.max(best, resources.length / ((performance.now() - start) / 1000));
  }
  const us = 1e6 / best;
  console.log(
    `${label.padEnd(48)} ${Math.round(best).toString().padStart(7)} resources/s  ${us.toFixed(1).padStart(6)} µs/resource  ${((us * RESOURCES_PER_RECORD) / 1000).toFixed(2).padStart(5)} ms/record`,
  );
  return best;
}

/** medplum throws on errors; only the time matters here. */
const quietly = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
  }
};

let issues = 0;
for (const r of resources) issues += validator.validate(r).length;
console.log(
  `\n${resources.length} resources (${examples.length} distinct, ${new Set(examples.map((r) => r.resourceType)).size} kinds), ${issues} issue(s) from pont's validator\n`,
);

const ours = bench('pont validator (default: compiled checks)', (r) => validator.validate(r));
bench('pont validator ({ baseValidation: true })', (r) => layered.validate(r));
const base = bench('medplum validateResource (R4 base)', (r) => quietly(() => validateResource(r as unknown as Resource)));
bench('medplum validateResource ({ profile })', (r) => quietly(() => validateResource(r as unknown as Resource, { profile: profileOf(r) })));

console.log(`\npont's default is ${(ours / base).toFixed(1)}x medplum's base validation; target ≥ 70,000 resources/s: ${ours >= 70_000 ? 'met' : 'NOT met'}`);
