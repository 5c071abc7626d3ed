import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSyncConfig } from '../../src/config/sync-config.js';
import { ConfigError } from '../../src/errors/errors.js';
import { ROOT } from '../helpers/runtime.js';

const sample = readFileSync(join(ROOT, 'examples/sync/pont-config.yaml'), 'utf8');

function problems(text: string): string[] {
  try {
    parseSyncConfig(text, 'pont.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => i.diagnostics ?? '');
  }
  throw new Error('the configuration was accepted');
}

describe('the sync configuration', () => {
  it('reads the sample shipped in examples/sync, with its defaults', () => {
    const config = parseSyncConfig(sample, 'pont-config.yaml');
    expect(config.targets.map((t) => t.id)).toEqual(['hb-a', 'hb-b', 'gp-w99001']);
    expect(config.targets[1]).toMatchObject({ kind: 'fhir', mode: 'transaction', records: { healthBoard: '7A6' }, limits: { maxEntries: 8, concurrency: 4, attempts: 8 } });
    expect(config.sources[0]).toMatchObject({ id: 'hb-b', every: '1m' });
  });

  it('names every problem by its line and path', () => {
    const text = [
      'targets:',
      '  - id: gp-w97001',
      '    kind: fhir',
      '    baseUrl: not a url',
      '    auth: { type: bearer, token: abc123 }',
      '    mode: push',
      '    records: { gpPractice: 12345 }',
      '  - id: gp-w97001',
      '    kind: fhir',
      '    baseUrl: https://x.example/fhir',
      '    auth: { type: none }',
      '    records: { all: true }',
    ].join('\n');
    const found = problems(text);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pont\.yaml:4: targets\[0\]\.baseUrl: /),
        expect.stringMatching(/^pont\.yaml:5: targets\[0\]\.auth/),
        expect.stringMatching(/^pont\.yaml:6: targets\[0\]\.mode: must be one of: transaction, batch, per-resource/),
        expect.stringMatching(/^pont\.yaml:7: targets\[0\]\.records/),
      ]),
    );
    // A secret written inline is refused (only the name of the variable holding it belongs here).
    expect(found.join('\n')).toMatch(/pont\.yaml:5: targets\[0\]\.auth/);
  });

  it('refuses two targets with one id, naming the second', () => {
    const text = [
      'targets:',
      '  - { id: gp-a, kind: fhir, baseUrl: "https://a.example/fhir", auth: { type: none }, records: { all: true } }',
      '  - { id: gp-a, kind: fhir, baseUrl: "https://b.example/fhir", auth: { type: none }, records: { all: true } }',
    ].join('\n');
    expect(problems(text)).toEqual([expect.stringMatching(/^pont\.yaml:3: targets\[1\]\.id: another target has this id$/)]);
  });

  it('says when the text is not YAML, or writes a key twice', () => {
    expect(problems('targets: [\n')).toEqual([expect.stringMatching(/^pont\.yaml:\d+: not valid YAML$/)]);
    expect(problems('targets: []\ntargets: []\n')).toEqual([expect.stringMatching(/^pont\.yaml:2: a key is written twice$/)]);
  });

  it('takes an empty file as no targets and no sources', () => {
    expect(parseSyncConfig('', 'pont.yaml')).toEqual({ targets: [], sources: [] });
  });
});
