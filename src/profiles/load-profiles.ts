/**
 * Loads the generated conformance resources in profiles/*.json once at start-up and checks that
 * they hang together: file names match ids, canonical URLs are unique and follow the pont
 * pattern, and every profile, target profile, binding and code system that points at the pont
 * base exists. All problems are reported together in one ConfigError.
 */
import type { CodeSystem, OperationOutcomeIssue, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { ConfigError } from '../errors/errors.js';
import { type ConfigSource, configPath } from '../ports/config-source.js';
import { directoryConfig } from '../ports/directory-config.js';
import { isPontUrl, PONT_BASE, stripVersion } from './canonical.js';

export type ConformanceResource = StructureDefinition | CodeSystem | ValueSet;

export interface ProfileRegistry {
  /** Where the resources were read from (for a directory, its path). */
  readonly dir: string;
  /** Every StructureDefinition (profiles and extensions), by canonical URL. */
  readonly structureDefinitions: ReadonlyMap<string, StructureDefinition>;
  readonly codeSystems: ReadonlyMap<string, CodeSystem>;
  readonly valueSets: ReadonlyMap<string, ValueSet>;
  /** Resource profiles (kind `resource`), sorted by URL. */
  readonly profiles: readonly StructureDefinition[];
  /** Extension definitions (type `Extension`), sorted by URL. */
  readonly extensions: readonly StructureDefinition[];
  /** The file each resource came from, by canonical URL (for error messages). */
  readonly files: ReadonlyMap<string, string>;
}

const KINDS = new Set(['StructureDefinition', 'CodeSystem', 'ValueSet']);

/**
 * Files of the FHIR package that validation does not use: its manifest, its file index and the
 * ImplementationGuide (which only lists the resources).
 */
const isPackageFile = (file: string): boolean => file === 'package.json' || file.startsWith('.') || file.startsWith('ImplementationGuide-');

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const byKey = <T>(m: Map<string, T>): Map<string, T> => new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Reads the `*.json` files in `folder` of the configuration (a folder path stands for that folder
 * on disk). Throws ConfigError listing every problem, each naming its file.
 */
export function loadProfiles(from: ConfigSource | string, folder = ''): ProfileRegistry {
  const config = typeof from === 'string' ? directoryConfig(from) : from;
  const dir = config.describe(folder);
  const issues: OperationOutcomeIssue[] = [];
  const problem = (file: string, message: string) => issues.push({ severity: 'error', code: 'invalid', diagnostics: `${file}: ${message}`, expression: [file] });

  let names: string[] | undefined;
  try {
    names = config.list(folder)?.filter((f) => f.endsWith('.json') && !isPackageFile(f));
  } catch (e) {
    throw new ConfigError(`profiles directory ${dir} is not readable`, [], { cause: e });
  }
  if (names === undefined) throw new ConfigError(`profiles directory ${dir} is not readable`);

  const resources: { file: string; resource: ConformanceResource }[] = [];
  for (const file of names) {
    let resource: unknown;
    try {
      resource = JSON.parse(config.read(configPath(folder, file)) ?? '');
    } catch (e) {
      problem(file, `not readable JSON (${e instanceof Error ? e.message : 'unknown error'})`);
      continue;
    }
    const r = resource as Partial<ConformanceResource> | null;
    if (!r || typeof r !== 'object' || typeof r.resourceType !== 'string' || !KINDS.has(r.resourceType)) {
      problem(file, 'is not a StructureDefinition, CodeSystem or ValueSet');
      continue;
    }
    if (typeof r.id !== 'string' || file !== `${r.resourceType}-${r.id}.json`) {
      problem(file, `file name does not match its content: expected ${r.resourceType}-${String(r.id)}.json`);
    }
    if (typeof r.url !== 'string') {
      problem(file, 'has no url');
      continue;
    }
    if (isPontUrl(r.url) && r.url !== `${PONT_BASE}/${r.resourceType}/${r.id}`) {
      problem(file, `url ${r.url} does not follow ${PONT_BASE}/${r.resourceType}/<id>`);
    }
    resources.push({ file, resource: deepFreeze(r as ConformanceResource) });
  }

  const files = new Map<string, string>();
  const structureDefinitions = new Map<string, StructureDefinition>();
  const codeSystems = new Map<string, CodeSystem>();
  const valueSets = new Map<string, ValueSet>();
  for (const { file, resource } of resources) {
    const url = resource.url!;
    const other = files.get(url);
    if (other !== undefined) {
      problem(file, `duplicate url ${url} (also in ${other})`);
      continue;
    }
    files.set(url, file);
    if (resource.resourceType === 'StructureDefinition') structureDefinitions.set(url, resource);
    else if (resource.resourceType === 'CodeSystem') codeSystems.set(url, resource);
    else valueSets.set(url, resource);
  }

  const mustExist = (file: string, what: string, canonical: string | undefined, table: ReadonlyMap<string, unknown>) => {
    if (canonical && isPontUrl(canonical) && !table.has(stripVersion(canonical))) problem(file, `${what} ${canonical} does not exist`);
  };
  for (const { file, resource } of resources) {
    if (resource.resourceType === 'StructureDefinition') {
      const elements = resource.snapshot?.element;
      if (!elements || elements.length === 0) problem(file, 'has no snapshot');
      mustExist(file, 'baseDefinition', resource.baseDefinition, structureDefinitions);
      for (const element of [...(elements ?? []), ...(resource.differential?.element ?? [])]) {
        for (const type of element.type ?? []) {
          for (const p of type.profile ?? []) mustExist(file, `${element.id}: profile`, p, structureDefinitions);
          for (const p of type.targetProfile ?? []) mustExist(file, `${element.id}: target profile`, p, structureDefinitions);
        }
        mustExist(file, `${element.id}: binding value set`, element.binding?.valueSet, valueSets);
      }
    } else if (resource.resourceType === 'CodeSystem') {
      mustExist(file, 'valueSet', resource.valueSet, valueSets);
    } else {
      for (const include of [...(resource.compose?.include ?? []), ...(resource.compose?.exclude ?? [])]) {
        mustExist(file, 'code system', include.system, codeSystems);
        for (const vs of include.valueSet ?? []) mustExist(file, 'value set', vs, valueSets);
      }
    }
  }

  if (issues.length > 0) {
    throw new ConfigError(`${dir}: ${issues.length} problem(s) in the profiles:\n${issues.map((i) => `  ${i.diagnostics}`).join('\n')}`, issues);
  }

  const sds = [...byKey(structureDefinitions).values()];
  return Object.freeze({
    dir,
    structureDefinitions: byKey(structureDefinitions),
    codeSystems: byKey(codeSystems),
    valueSets: byKey(valueSets),
    profiles: sds.filter((sd) => sd.kind === 'resource'),
    extensions: sds.filter((sd) => sd.type === 'Extension'),
    files,
  });
}
