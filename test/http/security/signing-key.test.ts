import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors/errors.js';
import { loadSigningKey } from '../../../src/http/security/signing-key.js';

describe("pont's signing key for access tokens", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pont-signing-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const io = (env: Record<string, string> = {}) => ({ readText: (path: string) => readFile(path, 'utf8'), env });
  const privateJwk = async (alg: 'ES384' | 'RS384') => exportJWK((await generateKeyPair(alg, { extractable: true })).privateKey);

  /** The key signs, and its published public half verifies. */
  async function works(key: Awaited<ReturnType<typeof loadSigningKey>>): Promise<void> {
    const token = await new SignJWT({}).setProtectedHeader({ alg: key.alg }).sign(key.privateKey);
    await expect(jwtVerify(token, key.publicKey)).resolves.toBeDefined();
    for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key.publicJwk).not.toHaveProperty(part);
  }

  it('reads an RS384 key from a file, naming it by its thumbprint when it has no kid', async () => {
    const file = join(dir, 'rs.jwk');
    await writeFile(file, JSON.stringify(await privateJwk('RS384')));
    const key = await loadSigningKey({ signingKeyFile: file }, io());
    expect(key).toMatchObject({ alg: 'RS384', generated: false, kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    await works(key);
  });

  it('reads an ES384 key from an environment variable, keeping its kid', async () => {
    const key = await loadSigningKey({ signingKeyEnv: 'PONT_KEY' }, io({ PONT_KEY: JSON.stringify({ ...(await privateJwk('ES384')), kid: 'k1' }) }));
    expect(key).toMatchObject({ alg: 'ES384', kid: 'k1', generated: false, publicJwk: { kid: 'k1', alg: 'ES384', use: 'sig' } });
    await works(key);
  });

  it('makes one at start when none is named', async () => {
    const key = await loadSigningKey({}, io());
    expect(key).toMatchObject({ alg: 'ES384', generated: true });
    await works(key);
  });

  it('refuses a missing, unreadable, public-only or unsuitable key with a configuration error that does not quote it', async () => {
    const { publicKey } = await generateKeyPair('ES384', { extractable: true });
    const p256 = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    const cases: [Parameters<typeof loadSigningKey>[0], Record<string, string>, RegExp][] = [
      [{ signingKeyFile: join(dir, 'absent.jwk') }, {}, /cannot be read/],
      [{ signingKeyEnv: 'PONT_KEY' }, {}, /PONT_KEY .* is not set/],
      [{ signingKeyEnv: 'PONT_KEY' }, { PONT_KEY: 'secret-ish text' }, /is not a JSON Web Key/],
      [{ signingKeyEnv: 'PONT_KEY' }, { PONT_KEY: JSON.stringify(await exportJWK(publicKey)) }, /no private key/],
      [{ signingKeyEnv: 'PONT_KEY' }, { PONT_KEY: JSON.stringify(p256) }, /ES384 .* or RS384/],
      [{ signingKeyEnv: 'PONT_KEY' }, { PONT_KEY: JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' }) }, /ES384 .* or RS384/],
    ];
    for (const [source, env, why] of cases) {
      const err = await loadSigningKey(source, io(env)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(why);
      expect((err as Error).message).not.toContain('secret');
    }
  });
});
