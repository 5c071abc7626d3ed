import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulePacks } from '../../src/compliance/load-packs.js';
import { builtInTemplates } from '../../src/compliance/templates/index.js';
import { ConfigError } from '../../src/errors/errors.js';
import { loadMappings } from '../../src/mapping/loader.js';
import { createMeasureDeps } from '../../src/measures/deps.js';
import { fixedClock, systemClock } from '../../src/ports/clock.js';
import { CONFIG_LAYOUT, type ConfigSource } from '../../src/ports/config-source.js';
import { directoryConfig } from '../../src/ports/directory-config.js';
import { memoryConfig } from '../../src/ports/memory-config.js';
import { ROOT } from '../helpers/runtime.js';

/** The shipped mappings, code maps, rule packs and reference data, copied into memory. */
function shippedInMemory(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const folder of ['mappings', 'mappings/code-maps', 'mappings/rule-packs', 'mappings/reference']) {
    for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
      if (entry.isFile()) files[`${folder}/${entry.name}`] = readFileSync(join(ROOT, folder, entry.name), 'utf8');
    }
  }
  return files;
}

function behavesAsAConfigSource(name: string, make: (files: Record<string, string>) => ConfigSource) {
  describe(name, () => {
    const config = make({ 'a/two.yaml': '2', 'a/one.yaml': '1', 'a/sub/deeper.yaml': '3', 'top.txt': 't' });

    it('lists the files directly in a folder, sorted, without sub-folders', () => {
      expect(config.list('a')).toEqual(['one.yaml', 'two.yaml']);
      expect(config.list('')).toEqual(['top.txt']);
    });

    it('says undefined for a folder or file that is not there', () => {
      expect(config.list('nowhere')).toBeUndefined();
      expect(config.read('a/three.yaml')).toBeUndefined();
    });

    it('reads a file by its path', () => {
      expect(config.read('a/sub/deeper.yaml')).toBe('3');
      expect(config.describe('a/one.yaml')).toContain('a/one.yaml');
    });
  });
}

behavesAsAConfigSource('a directory configuration', (files) => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-config-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return directoryConfig(dir);
});

behavesAsAConfigSource('an in-memory configuration', (files) => memoryConfig(files));

describe('configuration sources', () => {
  it('a directory configuration lists files reached through symbolic links, but not linked folders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pont-config-links-'));
    symlinkSync(join(ROOT, 'mappings/ctp-to-fhir.yaml'), join(dir, 'linked.yaml'));
    symlinkSync(join(ROOT, 'mappings/code-maps'), join(dir, 'code-maps'));
    symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'dangling.yaml'));
    const config = directoryConfig(dir);
    expect(config.list('')).toEqual(['linked.yaml']);
    expect(config.list('code-maps')?.length).toBeGreaterThan(0);
  });

  it('a directory configuration refuses paths outside its folder', () => {
    const config = directoryConfig(join(ROOT, 'mappings'));
    expect(() => config.read('../package.json')).toThrow(ConfigError);
    expect(() => config.read('/etc/passwd')).toThrow(ConfigError);
  });

  it('the loaders read the same configuration from memory as from the folder', () => {
    const memory = memoryConfig(shippedInMemory());
    const disk = directoryConfig(ROOT);
    const ids = (config: ConfigSource) =>
      loadMappings(config, CONFIG_LAYOUT.mappings)
        .all()
        .map((m) => `${m.id} ${m.version}`);
    expect(ids(memory)).toEqual(ids(disk));
    const packs = (config: ConfigSource) => loadRulePacks(config, builtInTemplates(), {}, CONFIG_LAYOUT.rulePacks).map((p) => [p.id, p.version, p.rules.length]);
    expect(packs(memory)).toEqual(packs(disk));
    expect(createMeasureDeps(memory).healthBoards.healthBoardsOn('2025-01-01')).toEqual(createMeasureDeps(disk).healthBoards.healthBoardsOn('2025-01-01'));
  });

  it('local standards are given as text, and a missing one is named', () => {
    const local = { name: 'standards.yaml', text: 'pack: wales-measure\ntitle: Stricter\nrules:\n  CoP-P2-11/appointed-within-14-days: { within: 10 days }\n' };
    const packs = loadRulePacks(directoryConfig(ROOT), builtInTemplates(), { localStandards: local }, CONFIG_LAYOUT.rulePacks);
    expect(packs.find((p) => p.id === 'wales-measure')?.localStandards).toBe('Stricter');
    expect(() => loadRulePacks(directoryConfig(ROOT), builtInTemplates(), { localStandards: { name: 'gone.yaml', text: undefined } }, CONFIG_LAYOUT.rulePacks)).toThrow(
      /gone\.yaml: file not found/,
    );
  });

  it('a missing rule pack folder is a configuration error naming it', () => {
    expect(() => loadRulePacks(memoryConfig({ 'x.txt': '' }, 'test'), builtInTemplates(), {}, CONFIG_LAYOUT.rulePacks)).toThrow(
      /test:mappings\/rule-packs: cannot read the rule pack folder/,
    );
  });
});

describe('clocks', () => {
  it('a fixed clock always says the same instant and day', () => {
    const clock = fixedClock('2026-01-05T23:30:00Z');
    expect(clock.now().toISOString()).toBe('2026-01-05T23:30:00.000Z');
    expect(clock.today()).toBe('2026-01-05');
    clock.now().setFullYear(1999); // a caller changing the Date it was given changes nothing
    expect(clock.today()).toBe('2026-01-05');
  });

  it('the system clock gives today as YYYY-MM-DD', () => {
    const before = new Date().toISOString().slice(0, 10);
    const today = systemClock().today();
    expect(today >= before && /^\d{4}-\d{2}-\d{2}$/.test(today)).toBe(true);
  });
});
