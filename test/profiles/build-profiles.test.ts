import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataType, parseStructureDefinition } from '@medplum/core';
import type { StructureDefinition } from '@medplum/fhirtypes';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildProfiles, GENERATED_FILE, PACKAGE_FILES, REPO_ROOT, writeProfiles } from '../../profiles/tools/build-profiles.js';
import { ConfigError } from '../../src/errors/errors.js';
import { ensureMedplumIndexed } from '../../src/fhir/r4-base.js';

const PROFILES = join(REPO_ROOT, 'profiles');
const temp: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-profiles-'));
  temp.push(dir);
  return dir;
};
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

const generatedFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => GENERATED_FILE.test(f))
    .sort();
const generatedAndPackageFiles = (dir: string) => [...generatedFiles(dir), ...PACKAGE_FILES];
const sds = () =>
  generatedFiles(PROFILES)
    .filter((f) => f.startsWith('StructureDefinition-'))
    .map((f) => JSON.parse(readFileSync(join(PROFILES, f), 'utf8')) as StructureDefinition);

describe('profiles build', () => {
  it('is reproducible: a build into a temp dir is byte-identical to the committed profiles/, package files included', () => {
    const out = tempDir();
    writeProfiles(out, buildProfiles());
    const built = generatedAndPackageFiles(out);
    expect(built, 'the committed file set differs: run npm run profiles:build').toEqual(generatedAndPackageFiles(PROFILES));
    const stale = built.filter((f) => readFileSync(join(out, f), 'utf8') !== readFileSync(join(PROFILES, f), 'utf8'));
    expect(stale, 'stale generated files: run npm run profiles:build').toEqual([]);
  });

  it('writes 2-space JSON with a final newline and the one date of profiles/source/package.yaml', () => {
    const { date } = parseYaml(readFileSync(join(PROFILES, 'source/package.yaml'), 'utf8')) as { date: string };
    for (const f of generatedFiles(PROFILES)) {
      const text = readFileSync(join(PROFILES, f), 'utf8');
      expect(text.endsWith('}\n')).toBe(true);
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      expect(JSON.parse(text).date).toBe(date);
    }
  });

  it('removes generated files that are no longer produced', () => {
    const out = tempDir();
    writeFileSync(join(out, 'StructureDefinition-old.json'), '{}');
    writeFileSync(join(out, 'notes.txt'), 'kept');
    const { removed } = writeProfiles(out, buildProfiles());
    expect(removed).toEqual(['StructureDefinition-old.json']);
    expect(readdirSync(out)).toContain('notes.txt');
  });

  it('covers every profile and extension listed in profiles/README.md', () => {
    const readme = readFileSync(join(PROFILES, 'README.md'), 'utf8');
    const section = (title: string) => readme.split(`## ${title}`)[1]!.split('\n## ')[0]!;
    const ids = (text: string) => [...text.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]!);
    const profileIds = ids(section('Profiles'));
    const extensionIds = ids(section('Extensions'));
    expect(profileIds.length).toBe(30);
    expect(extensionIds.length).toBeGreaterThan(40);
    const built = new Map(sds().map((sd) => [sd.id, sd]));
    for (const id of profileIds) expect(built.get(id)?.kind, id).toBe('resource');
    for (const id of extensionIds) expect(built.get(id)?.type, id).toBe('Extension');
    const listed = new Set([...profileIds, ...extensionIds]);
    for (const sd of built.values()) expect(listed.has(sd.id!), `${sd.id} is not listed in profiles/README.md`).toBe(true);
    for (const sd of built.values()) expect(sd.description?.length, sd.id).toBeGreaterThan(10);
  });

  it('gives every StructureDefinition a snapshot that medplum can load', () => {
    ensureMedplumIndexed();
    for (const sd of sds()) {
      expect(sd.snapshot?.element.length, sd.id).toBeGreaterThan(3);
      expect(sd.differential?.element[0]?.id, sd.id).toBe(sd.snapshot!.element[0]!.id);
      expect(() => parseStructureDefinition(sd), sd.id).not.toThrow();
      expect(() => loadDataType(sd), sd.id).not.toThrow();
    }
  });

  it('slices extensions by url with the slice profile pointing at the extension', () => {
    const carePlan = sds().find((sd) => sd.id === 'pont-care-plan')!;
    const byId = new Map(carePlan.snapshot!.element.map((e) => [e.id, e]));
    expect(byId.get('CarePlan.extension')!.slicing?.discriminator).toEqual([{ type: 'value', path: 'url' }]);
    const slice = byId.get('CarePlan.extension:planVersion')!;
    expect([slice.min, slice.max]).toEqual([1, '1']);
    expect(slice.type).toEqual([{ code: 'Extension', profile: ['https://fhir.pont.wales/StructureDefinition/ctp-plan-version'] }]);
    expect(byId.get('CarePlan.intent')!.fixedCode).toBe('plan');
    expect(byId.get('CarePlan.status')!.binding?.strength).toBe('required');
  });

  it('gives complex extensions sub-extension slices and no value[x]', () => {
    const ext = sds().find((sd) => sd.id === 'ctp-crisis-plan')!;
    const byId = new Map(ext.snapshot!.element.map((e) => [e.id, e]));
    expect(byId.get('Extension.value[x]')!.max).toBe('0');
    expect(byId.get('Extension.url')!.fixedUri).toBe('https://fhir.pont.wales/StructureDefinition/ctp-crisis-plan');
    expect(byId.get('Extension.extension:contact.extension:service')!.min).toBe(1);
    expect(byId.get('Extension.extension:contact.extension:service.url')!.fixedUri).toBe('service');
    expect(byId.get('Extension.extension:contact.extension:service.value[x]')!.type).toEqual([{ code: 'string' }]);
    expect(ext.context).toEqual([{ type: 'element', expression: 'CarePlan' }]);
  });

  it('reports source problems as a ConfigError naming the file', () => {
    const source = tempDir();
    cpSync(join(PROFILES, 'source'), source, { recursive: true });
    const file = join(source, 'profiles', 'pont-goal.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('binding: pont-area-of-life', 'binding: pont-no-such-set\n    colour: blue'));
    expect(() => buildProfiles({ sourceDir: source })).toThrow(ConfigError);
    try {
      buildProfiles({ sourceDir: source });
    } catch (e) {
      expect((e as ConfigError).message).toContain('pont-goal.yaml');
      expect((e as ConfigError).message).toContain('colour');
    }
    writeFileSync(file, readFileSync(file, 'utf8').replace('\n    colour: blue', ''));
    expect(() => buildProfiles({ sourceDir: source })).toThrow(/profile pont-goal: value set "pont-no-such-set"/);
  });
});
