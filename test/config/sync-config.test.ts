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

  const publicKey = '{ kty: EC, kid: k1, crv: P-384, x: AAAA, y: BBBB }';

  it('reads the API clients and who issues their tokens', () => {
    const config = parseSyncConfig(
      [
        'clients:',
        `  - { id: epr-wpas, role: source-epr, source: wpas, jwks: { keys: [${publicKey}] }, scopes: [system/*.write] }`,
        '  - { id: gp-w99001, role: gp-system, organisation: W99001, jwksUrl: "https://gp.example/jwks", scopes: [system/CarePlan.rs] }',
        `  - { id: regulator, role: regulator, jwks: { keys: [${publicKey}] }, scopes: [system/*.read] }`,
        'auth: { issuer: pont, publicUrl: "https://pont.example", signingKeyEnv: PONT_SIGNING_KEY }',
      ].join('\n'),
      'pont.yaml',
    );
    expect(config.clients?.map((c) => [c.id, c.role])).toEqual([
      ['epr-wpas', 'source-epr'],
      ['gp-w99001', 'gp-system'],
      ['regulator', 'regulator'],
    ]);
    expect(config.auth).toEqual({ issuer: 'pont', publicUrl: 'https://pont.example', signingKeyEnv: 'PONT_SIGNING_KEY', tokenLifetime: '5m' });
    const external = parseSyncConfig(
      'auth: { issuer: external, issuerUrl: "https://idp.example/realm", jwksUrl: "https://idp.example/realm/certs", audience: pont, tokenUrl: "https://idp.example/realm/token" }',
      'pont.yaml',
    );
    expect(external.auth).toMatchObject({ issuer: 'external', audience: 'pont' });
    expect(external.clients).toBeUndefined();
  });

  it('names every problem with a client by its line and path', () => {
    const text = [
      'clients:',
      `  - { id: epr-a, role: source-epr, jwks: { keys: [${publicKey}] }, scopes: [system/*.write] }`,
      '  - { id: gp-a, role: gp-system, organisation: W99001, scopes: [system/CarePlan.rs] }',
      `  - { id: reg-a, role: regulator, jwks: { keys: [{ kty: EC, kid: k2, crv: P-384, x: AAAA, y: BBBB, d: CCCC }] }, scopes: [patient/*.read] }`,
      `  - { id: reg-b, role: regulator, jwks: { keys: [${publicKey}] }, scopes: [system/Observation.rs?category=laboratory, system/*.sr] }`,
      `  - { id: reg-c, role: auditor, jwks: { keys: [${publicKey}] }, scopes: [system/*.read] }`,
      `  - { id: epr-a, role: admin, jwks: { keys: [${publicKey}] }, jwksUrl: "https://a.example/jwks", scopes: [system/*.read] }`,
      'auth: { issuer: pont, signingKeyFile: /run/key.jwk, signingKeyEnv: PONT_KEY }',
    ].join('\n');
    const found = problems(text);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pont\.yaml:2: clients\[0\]\.source: is required/),
        expect.stringMatching(/^pont\.yaml:3: clients\[1\]\.jwks: give the public keys either inline \(jwks\) or as a URL \(jwksUrl\)/),
        expect.stringMatching(/^pont\.yaml:4: clients\[2\]\.jwks\.keys\[0\]: holds a private key/),
        expect.stringMatching(/^pont\.yaml:4: clients\[2\]\.scopes\[0\]: must be a system\/ scope/),
        expect.stringMatching(/^pont\.yaml:5: clients\[3\]\.scopes\[0\]: .*granular/),
        expect.stringMatching(/^pont\.yaml:5: clients\[3\]\.scopes\[1\]: .*in that order/),
        expect.stringMatching(/^pont\.yaml:6: clients\[4\]\.role: must be one of: source-epr, gp-system, regulator, admin$/),
        expect.stringMatching(/^pont\.yaml:7: clients\[5\]\.jwks: give the public keys either/),
        expect.stringMatching(/^pont\.yaml:8: auth\.signingKeyEnv: name the signing key once/),
      ]),
    );
    // The private key's value is never repeated.
    expect(found.join('\n')).not.toContain('CCCC');
  });

  it('refuses two clients with one id, naming the second', () => {
    const text = ['clients:', ...['a', 'b'].map(() => `  - { id: reg, role: regulator, jwks: { keys: [${publicKey}] }, scopes: [system/*.read] }`)].join('\n');
    expect(problems(text)).toEqual([expect.stringMatching(/^pont\.yaml:3: clients\[1\]\.id: another client has this id$/)]);
  });
});
