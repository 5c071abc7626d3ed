/**
 * `npm run profiles:build`: generates profiles/*.json (StructureDefinitions with snapshots,
 * CodeSystems, ValueSets, the ImplementationGuide, each with a narrative) and the FHIR package
 * files (package.json, .index.json) from profiles/source/ and src/record/vocabulary.ts.
 *
 * The R4 base definitions are read from the hl7.fhir.r4.examples package (a devDependency), at
 * build time only. Output is deterministic: the one date comes from profiles/source/package.yaml,
 * keys are in a fixed order, 2-space JSON with a final newline, so a rebuild of unchanged sources
 * is byte-identical (a test checks this).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StructureDefinition } from '@medplum/fhirtypes';
import { ConfigError } from '../../src/errors/errors.js';
import { type Release, structureDefinitionUrl } from '../../src/profiles/canonical.js';
import { withConformanceNarrative } from './conformance-narrative.js';
import { buildImplementationGuide, buildIndex, buildManifest, fileNameOf, type PackagedResource } from './fhir-package.js';
import { loadSources } from './source-schema.js';
import type { BuildContext } from './structure-definitions.js';
import { buildExtension, buildProfile } from './structure-definitions.js';
import { buildCodeSystem, buildValueSet } from './terminology.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** File names the build owns in the output directory (besides the package files below). */
export const GENERATED_FILE = /^(StructureDefinition|CodeSystem|ValueSet|ImplementationGuide)-[A-Za-z0-9.-]+\.json$/;

/** The FHIR package's manifest and file index, also written by the build. */
export const PACKAGE_FILES = ['.index.json', 'package.json'] as const;

export interface BuildOptions {
  /** profiles/source */
  readonly sourceDir?: string;
  /** Version written into every resource; defaults to package.json's. */
  readonly version?: string;
}

/** Reads R4 core StructureDefinitions (with snapshots) from the hl7.fhir.r4.examples package. */
export function coreDefinitions(): (type: string) => StructureDefinition {
  const dir = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
  const cache = new Map<string, StructureDefinition>();
  return (type) => {
    let sd = cache.get(type);
    if (!sd) {
      const file = join(dir, `StructureDefinition-${type}.json`);
      if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(type) || !existsSync(file)) throw new Error(`no R4 StructureDefinition for type ${type}`);
      sd = JSON.parse(readFileSync(file, 'utf8')) as StructureDefinition;
      cache.set(type, sd);
    }
    return sd;
  };
}

export function serialise(resource: object): string {
  return `${JSON.stringify(resource, null, 2)}\n`;
}

/** Builds every generated file: file name -> content, in file-name order. */
export function buildProfiles(options: BuildOptions = {}): Map<string, string> {
  const sources = loadSources(options.sourceDir ?? join(REPO_ROOT, 'profiles/source'));
  const version = options.version ?? (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const release: Release = { version, date: sources.package.date };
  const extensions = new Map<string, StructureDefinition>();
  const ctx: BuildContext = {
    release,
    core: coreDefinitions(),
    extensions,
    profileIds: new Set(sources.profiles.map((p) => p.id)),
    extensionIds: new Set(sources.extensions.map((e) => e.id)),
    codeSystemIds: new Set(sources.codeSystems.map((c) => c.id)),
  };

  const resources: PackagedResource[] = [];
  const problems: string[] = [];
  const attempt = (what: () => PackagedResource) => {
    try {
      resources.push(what());
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  };
  for (const c of sources.codeSystems) {
    attempt(() => buildCodeSystem(c, release));
    attempt(() => buildValueSet(c, release));
  }
  // Extensions first: profile slices copy their children from the extension's snapshot.
  for (const e of sources.extensions) {
    attempt(() => {
      const sd = buildExtension(e, ctx);
      extensions.set(structureDefinitionUrl(e.id), sd);
      return sd;
    });
  }
  for (const p of sources.profiles) attempt(() => buildProfile(p, ctx));
  if (problems.length > 0) {
    throw new ConfigError(
      `profiles build failed:\n${problems.map((p) => `  ${p}`).join('\n')}`,
      problems.map((p) => ({ severity: 'error', code: 'invalid', diagnostics: p })),
    );
  }

  const byFileName = [...resources].sort((a, b) => (fileNameOf(a) < fileNameOf(b) ? -1 : fileNameOf(a) > fileNameOf(b) ? 1 : 0));
  const guide = buildImplementationGuide(sources.package, release, byFileName);
  const packaged = [...resources, guide].map(withConformanceNarrative);
  const files = new Map<string, string>();
  for (const r of packaged) files.set(fileNameOf(r), serialise(r));
  files.set('package.json', serialise(buildManifest(sources.package, release)));
  files.set('.index.json', serialise(buildIndex(packaged)));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Writes the files and deletes generated files that are no longer produced. */
export function writeProfiles(outDir: string, files: ReadonlyMap<string, string>): { written: number; removed: string[] } {
  mkdirSync(outDir, { recursive: true });
  const removed: string[] = [];
  for (const name of readdirSync(outDir)) {
    if (GENERATED_FILE.test(name) && !files.has(name)) {
      rmSync(join(outDir, name));
      removed.push(name);
    }
  }
  for (const [name, content] of files) writeFileSync(join(outDir, name), content);
  return { written: files.size, removed };
}

/** `tsx profiles/tools/build-profiles.ts [--out <dir>]` (default: profiles/). */
function main(argv: readonly string[]): void {
  const at = argv.indexOf('--out');
  const outDir = at >= 0 && argv[at + 1] ? resolve(argv[at + 1]!) : join(REPO_ROOT, 'profiles');
  const { written, removed } = writeProfiles(outDir, buildProfiles());
  console.log(`profiles: wrote ${written} file(s) to ${outDir}${removed.length ? `, removed ${removed.join(', ')}` : ''}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
