/** One core per test file, composed as in production: mappings, profiles and validator are loaded once. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Core, createCore } from '../../src/app/compose.js';
import { fixedClock } from '../../src/ports/clock.js';
import { directoryConfig } from '../../src/ports/directory-config.js';

export const ROOT = resolve(import.meta.dirname, '../..');
/** A fixed clock, so outputs that fall back to "now" are reproducible. */
export const FIXED_NOW = new Date('2026-01-05T09:00:00Z');

let shared: Core | undefined;
export function testRuntime(): Core {
  shared ??= createCore({ config: directoryConfig(ROOT), clock: fixedClock(FIXED_NOW) });
  return shared;
}
export interface ExampleFile {
  readonly source: string;
  readonly name: string;
  /** Path relative to the project root, as a user would type it. */
  readonly path: string;
  readonly text: string;
}

/** Every example input, for every source folder under examples/. */
export function exampleFiles(): ExampleFile[] {
  const dir = join(ROOT, 'examples');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(dir, d.name))
        .filter((f) => /\.(json|csv)$/.test(f))
        .sort()
        .map((f) => ({ source: d.name, name: f.replace(/\.(json|csv)$/, ''), path: `examples/${d.name}/${f}`, text: readFileSync(join(dir, d.name, f), 'utf8') })),
    );
}

/** HL7's own R4 example resources of the kinds pont maps. */
export function hl7Examples(): { name: string; text: string }[] {
  const dir = join(ROOT, 'node_modules/hl7.fhir.r4.examples');
  return readdirSync(dir)
    .filter((f) => /^(CarePlan|CareTeam|Condition|Encounter|EpisodeOfCare|Goal)-.*\.json$/.test(f))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}
