/**
 * What makes profiles/ a FHIR NPM package (FHIR package specification): the ImplementationGuide
 * resource listing every conformance resource, the `package.json` manifest and the `.index.json`
 * file index that package tools read instead of opening every file.
 */
import type { CodeSystem, ImplementationGuide, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { conformanceHeader, FHIR_VERSION, PONT_BASE, type Release } from '../../src/profiles/canonical.js';
import type { PackageSource } from './source-schema.js';

export type PackagedResource = StructureDefinition | CodeSystem | ValueSet | ImplementationGuide;

export const R4_CORE_PACKAGE = 'hl7.fhir.r4.core';

export const fileNameOf = (r: PackagedResource): string => `${r.resourceType}-${r.id}.json`;

/** The guide, without its narrative; `resources` in the order they are listed. */
export function buildImplementationGuide(source: PackageSource, release: Release, resources: readonly PackagedResource[]): ImplementationGuide {
  return {
    ...conformanceHeader('ImplementationGuide', source.igId, release, source.title, source.description),
    jurisdiction: [{ coding: [{ system: 'urn:iso:std:iso:3166', code: source.jurisdiction }] }],
    packageId: source.name,
    license: source.license as ImplementationGuide['license'],
    fhirVersion: [FHIR_VERSION],
    dependsOn: [{ id: 'hl7_fhir_r4_core', uri: 'http://hl7.org/fhir', packageId: R4_CORE_PACKAGE, version: FHIR_VERSION }],
    definition: {
      resource: resources.map((r) => ({
        reference: { reference: `${r.resourceType}/${r.id}` },
        name: r.title ?? r.id!,
        ...(r.description ? { description: r.description } : {}),
        exampleBoolean: false,
      })),
    },
  } as ImplementationGuide;
}

/** package.json of the FHIR package. `files` keeps the sources and tools out of `npm pack`. */
export function buildManifest(source: PackageSource, release: Release) {
  return {
    name: source.name,
    version: release.version,
    title: source.title,
    description: source.description,
    // FHIR package manifests date to the second: yyyyMMddHHmmss.
    date: `${release.date.replaceAll('-', '')}000000`,
    canonical: PONT_BASE,
    url: PONT_BASE,
    type: 'fhir.ig',
    fhirVersions: [FHIR_VERSION],
    dependencies: { [R4_CORE_PACKAGE]: FHIR_VERSION },
    jurisdiction: `urn:iso:std:iso:3166#${source.jurisdiction}`,
    author: source.author,
    license: source.license,
    files: ['/*.json', '/.index.json'],
  };
}

/** `.index.json` (index-version 1): one entry per resource file, in file-name order. */
export function buildIndex(resources: readonly PackagedResource[]) {
  const files = resources
    .map((r) => ({
      filename: fileNameOf(r),
      resourceType: r.resourceType,
      id: r.id!,
      url: r.url!,
      version: r.version!,
      ...(r.resourceType === 'StructureDefinition' ? { kind: r.kind, type: r.type } : {}),
    }))
    .sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
  return { 'index-version': 1, files };
}
