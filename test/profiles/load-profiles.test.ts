import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../profiles/tools/build-profiles.js';
import { ConfigError } from '../../src/errors/errors.js';
import { loadProfiles } from '../../src/profiles/load-profiles.js';

const PROFILES = join(REPO_ROOT, 'profiles');
const SD = 'https://fhir.pont.wales/StructureDefinition/';
const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pont-load-'));
  temp.push(dir);
  cpSync(PROFILES, dir, { recursive: true, filter: (src) => !src.includes('/source') && !src.endsWith('README.md') });
  return dir;
}

function loadError(dir: string): ConfigError {
  try {
    loadProfiles(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadProfiles', () => {
  it('loads the committed profiles and indexes them by canonical URL', () => {
    const registry = loadProfiles(PROFILES);
    expect(registry.profiles.map((p) => p.id)).toContain('pont-care-plan');
    expect(registry.profiles).toHaveLength(30);
    expect(registry.extensions.length).toBeGreaterThan(40);
    expect(registry.structureDefinitions.get(`${SD}ctp-plan-version`)?.type).toBe('Extension');
    expect(registry.codeSystems.get('https://fhir.pont.wales/CodeSystem/pont-area-of-life')?.concept?.length).toBe(9);
    expect(registry.valueSets.get('https://fhir.pont.wales/ValueSet/pont-area-of-life')).toBeDefined();
    expect(Object.isFrozen(registry.structureDefinitions.get(`${SD}pont-care-plan`))).toBe(true);
  });

  it('reports a duplicate url naming both files', () => {
    const dir = copy();
    const cs = JSON.parse(readFileSync(join(dir, 'CodeSystem-pont-attendance.json'), 'utf8'));
    writeFileSync(join(dir, 'CodeSystem-pont-attendance-copy.json'), JSON.stringify({ ...cs, id: 'pont-attendance-copy' }));
    const e = loadError(dir);
    // Files are read in name order, so the copy comes first and the original is the duplicate.
    expect(e.message).toContain(
      'CodeSystem-pont-attendance.json: duplicate url https://fhir.pont.wales/CodeSystem/pont-attendance (also in CodeSystem-pont-attendance-copy.json)',
    );
    expect(e.message).toContain('CodeSystem-pont-attendance-copy.json: url https://fhir.pont.wales/CodeSystem/pont-attendance does not follow');
  });

  it('reports a file name that does not match the id', () => {
    const dir = copy();
    renameSync(join(dir, 'StructureDefinition-attendance.json'), join(dir, 'StructureDefinition-attendance-old.json'));
    const e = loadError(dir);
    expect(e.message).toContain('StructureDefinition-attendance-old.json: file name does not match its content: expected StructureDefinition-attendance.json');
  });

  it('reports a dangling profile, target profile and binding, all at once', () => {
    const dir = copy();
    rmSync(join(dir, 'StructureDefinition-ctp-review.json'));
    rmSync(join(dir, 'StructureDefinition-pont-goal.json'));
    rmSync(join(dir, 'ValueSet-pont-contact-mode.json'));
    const e = loadError(dir);
    expect(e.message).toContain(`StructureDefinition-pont-care-plan.json: CarePlan.extension:review: profile ${SD}ctp-review does not exist`);
    expect(e.message).toContain(`StructureDefinition-pont-care-plan.json: CarePlan.goal: target profile ${SD}pont-goal does not exist`);
    expect(e.message).toContain(
      'StructureDefinition-contact-mode.json: Extension.value[x]: binding value set https://fhir.pont.wales/ValueSet/pont-contact-mode does not exist',
    );
    expect(e.message).toContain('CodeSystem-pont-contact-mode.json: valueSet https://fhir.pont.wales/ValueSet/pont-contact-mode does not exist');
    expect(e.issues.length).toBeGreaterThanOrEqual(4);
    expect(e.issues.every((i) => i.severity === 'error' && i.diagnostics?.includes('.json: '))).toBe(true);
  });

  it('reports unreadable JSON and a url that does not follow the pont pattern', () => {
    const dir = copy();
    writeFileSync(join(dir, 'ValueSet-broken.json'), '{ not json');
    const sd = JSON.parse(readFileSync(join(dir, 'StructureDefinition-attendance.json'), 'utf8'));
    writeFileSync(join(dir, 'StructureDefinition-attendance.json'), JSON.stringify({ ...sd, url: `${SD}attendance-x` }));
    const e = loadError(dir);
    expect(e.message).toContain('ValueSet-broken.json: not readable JSON');
    expect(e.message).toContain(`StructureDefinition-attendance.json: url ${SD}attendance-x does not follow`);
  });
});
