import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OperationOutcomeError, parseStructureDefinition, validateResource } from '@medplum/core';
import type { CodeSystem, ImplementationGuide, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { BasePackageLoader, createSQLJSPackageDB, DiskBasedPackageCache, LoadStatus } from 'fhir-package-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { GENERATED_FILE, REPO_ROOT } from '../../profiles/tools/build-profiles.js';
import { ensureMedplumIndexed } from '../../src/fhir/r4-base.js';
import { narrativeProblems } from '../helpers/narrative.js';

const PROFILES = join(REPO_ROOT, 'profiles');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(PROFILES, file), 'utf8')) as T;
const resourceFiles = readdirSync(PROFILES)
  .filter((f) => GENERATED_FILE.test(f))
  .sort();
type Conformance = (StructureDefinition | CodeSystem | ValueSet | ImplementationGuide) & { url: string; version: string };
const resources = resourceFiles.map((f) => readJson<Conformance>(f));
const manifest = readJson<Record<string, unknown>>('package.json');
const source = parseYaml(readFileSync(join(PROFILES, 'source/package.yaml'), 'utf8')) as { name: string; date: string };
const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const guide = readJson<ImplementationGuide>('ImplementationGuide-pont.json');

const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('profiles/ as a FHIR package', () => {
  it('gives every conformance resource the release version, date and a status', () => {
    expect(resources.length).toBeGreaterThan(150);
    for (const r of resources) {
      expect(r.version, r.url).toBe(version);
      expect(r.date, r.url).toBe(source.date);
      expect(r.status, r.url).toBe('draft');
    }
  });

  it('gives every conformance resource a generated narrative that is valid XHTML (txt-1, txt-2) and names it', () => {
    for (const r of resources) {
      expect(r.text?.status, r.url).toBe('generated');
      expect(narrativeProblems(r.text!.div), r.url).toEqual([]);
      expect(r.text!.div, r.url).toContain(r.title!.replaceAll('&', '&amp;').replaceAll("'", '&#39;').replaceAll('"', '&quot;'));
    }
  });

  it('is valid against the R4 base, ImplementationGuide included (medplum validateResource)', () => {
    ensureMedplumIndexed();
    const failures: string[] = [];
    for (const r of resources) {
      try {
        validateResource(r);
      } catch (e) {
        if (!(e instanceof OperationOutcomeError)) throw e;
        failures.push(`${r.url}: ${e.outcome.issue?.map((i) => `${i.expression?.[0]} ${i.details?.text}`).join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
    // The same check refuses a broken guide: it does know the ImplementationGuide type.
    expect(() => validateResource({ ...guide, packageId: 42, definition: { resource: [{}] } } as unknown as ImplementationGuide)).toThrow(OperationOutcomeError);
  });

  it('has a manifest per the FHIR package specification', () => {
    expect(manifest).toMatchObject({
      name: source.name,
      version,
      type: 'fhir.ig',
      canonical: 'https://fhir.pont.wales',
      fhirVersions: ['4.0.1'],
      dependencies: { 'hl7.fhir.r4.core': '4.0.1' },
    });
    expect(manifest.date).toBe(`${source.date.replaceAll('-', '')}000000`);
  });

  it('indexes every resource file in .index.json with its id, url, version and (for StructureDefinitions) kind and type', () => {
    const index = readJson<{ 'index-version': number; files: Record<string, string>[] }>('.index.json');
    expect(index['index-version']).toBe(1);
    expect(index.files.map((f) => f.filename)).toEqual(resourceFiles);
    for (const [i, entry] of index.files.entries()) {
      const r = resources[i]!;
      expect(entry, entry.filename).toEqual({
        filename: resourceFiles[i],
        resourceType: r.resourceType,
        id: r.id,
        url: r.url,
        version: r.version,
        ...(r.resourceType === 'StructureDefinition' ? { kind: r.kind, type: r.type } : {}),
      });
    }
  });

  it('has an ImplementationGuide listing every other resource of the package once', () => {
    expect(guide.packageId).toBe(source.name);
    expect(guide.fhirVersion).toEqual(['4.0.1']);
    expect(guide.dependsOn?.map((d) => d.packageId)).toEqual(['hl7.fhir.r4.core']);
    const listed = guide.definition!.resource.map((r) => r.reference?.reference);
    const others = resources.filter((r) => r.resourceType !== 'ImplementationGuide').map((r) => `${r.resourceType}/${r.id}`);
    expect([...listed].sort()).toEqual([...others].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  describe('packed with npm pack and installed by fhir-package-loader', () => {
    let tarball = '';
    beforeAll(() => {
      const out = mkdtempSync(join(tmpdir(), 'pont-pack-'));
      temp.push(out);
      const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: PROFILES, encoding: 'utf8' })) as { filename: string }[];
      tarball = join(out, packed[0]!.filename);
    }, 60_000);

    it('holds package/package.json, package/.index.json and the resources, not the sources or tools', () => {
      const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
      expect(entries).toContain('package/package.json');
      expect(entries).toContain('package/.index.json');
      expect(entries).toContain('package/ImplementationGuide-pont.json');
      for (const f of resourceFiles) expect(entries).toContain(`package/${f}`);
      expect(entries.filter((e) => /\/(source|tools|r4-base|measures)\//.test(e))).toEqual([]);
    });

    it('installs into a FHIR package cache and loads every resource by canonical URL', async () => {
      const cacheDir = mkdtempSync(join(tmpdir(), 'pont-fhir-cache-'));
      temp.push(cacheDir);
      const log = () => {};
      const cache = new DiskBasedPackageCache(cacheDir, { log });
      await cache.cachePackageTarball(source.name, version, createReadStream(tarball));
      // A concrete version resolves to itself, as the default registry client does; a download would fail.
      const unreachable = {
        resolveVersion: (_name: string, v: string) => Promise.resolve(v),
        download: () => Promise.reject(new Error('no registry in this test')),
      };
      const noBuilds = {
        downloadCurrentBuild: () => Promise.reject(new Error('no build server in this test')),
        getCurrentBuildDate: () => Promise.reject(new Error('no build server in this test')),
      };
      const loader = new BasePackageLoader(await createSQLJSPackageDB(), cache, unreachable, noBuilds, { log });
      expect(await loader.loadPackage(source.name, version)).toBe(LoadStatus.LOADED);
      expect(loader.findPackageJSON(source.name, version)?.fhirVersions).toEqual(['4.0.1']);
      for (const r of resources) {
        const loaded = loader.findResourceJSON(r.url, { scope: source.name }) as Resource | undefined;
        expect(loaded, r.url).toEqual(r);
      }
      const profiles = loader.findResourceJSONs('*', { type: ['Profile', 'Extension'], scope: source.name }) as StructureDefinition[];
      expect(profiles.length).toBe(resources.filter((r) => r.resourceType === 'StructureDefinition').length);
      ensureMedplumIndexed();
      for (const sd of profiles) expect(() => parseStructureDefinition(sd), sd.url).not.toThrow();
    }, 60_000);
  });
});
