/**
 * pont's own key for signing the access tokens it issues: a private JWK (ES384 or RS384) read from
 * the file or environment variable the configuration names, or made at start when it names
 * neither. A key made at start lives as long as the process: its tokens are refused after a
 * restart and by other pont processes, so a deployment with several processes names one.
 */
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { ConfigError } from '../../errors/errors.js';

export const TOKEN_SIGNING_ALGS = ['ES384', 'RS384'] as const;
export type TokenSigningAlg = (typeof TOKEN_SIGNING_ALGS)[number];

export interface SigningKey {
  readonly alg: TokenSigningAlg;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** The public half, as published at pont's JWKS endpoint. */
  readonly publicJwk: JWK;
  /** Made at start, not read from configuration. */
  readonly generated: boolean;
}

export interface SigningKeySource {
  readonly signingKeyFile?: string | undefined;
  readonly signingKeyEnv?: string | undefined;
}

export interface SigningKeyIo {
  readonly readText: (path: string) => Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];

export async function loadSigningKey(source: SigningKeySource, io: SigningKeyIo): Promise<SigningKey> {
  if (source.signingKeyFile !== undefined) {
    const where = `the signing key file ${source.signingKeyFile}`;
    let text: string;
    try {
      text = await io.readText(source.signingKeyFile);
    } catch (err) {
      throw new ConfigError(`${where} cannot be read`, [], { cause: err });
    }
    return fromJwkText(text, where);
  }
  if (source.signingKeyEnv !== undefined) {
    const text = io.env[source.signingKeyEnv];
    if (text === undefined || text === '') throw new ConfigError(`the environment variable ${source.signingKeyEnv} (the signing key) is not set`);
    return fromJwkText(text, `the signing key in ${source.signingKeyEnv}`);
  }
  return generateSigningKey();
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES384');
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { alg: 'ES384', kid, privateKey, publicKey, publicJwk: { ...publicJwk, kid, alg: 'ES384', use: 'sig' }, generated: true };
}

async function fromJwkText(text: string, where: string): Promise<SigningKey> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new ConfigError(`${where} is not a JSON Web Key (JSON)`);
  }
  const alg = jwk.alg ?? (jwk.kty === 'EC' && jwk.crv === 'P-384' ? 'ES384' : jwk.kty === 'RSA' ? 'RS384' : undefined);
  if (alg === undefined || !(TOKEN_SIGNING_ALGS as readonly string[]).includes(alg)) throw new ConfigError(`${where} must be an ES384 (EC P-384) or RS384 (RSA) key`);
  if (jwk.d === undefined) throw new ConfigError(`${where} holds no private key ("d")`);
  const publicJwk = Object.fromEntries(Object.entries(jwk).filter(([k]) => !PRIVATE_MEMBERS.includes(k) && k !== 'key_ops')) as JWK;
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  try {
    privateKey = (await importJWK({ ...jwk, ext: false }, alg)) as CryptoKey;
    publicKey = (await importJWK(publicJwk, alg)) as CryptoKey;
  } catch (err) {
    throw new ConfigError(`${where} cannot be used as an ${alg} key`, [], { cause: err });
  }
  const kid = jwk.kid ?? (await calculateJwkThumbprint(publicJwk));
  return { alg: alg as TokenSigningAlg, kid, privateKey, publicKey, publicJwk: { ...publicJwk, kid, alg, use: 'sig' }, generated: false };
}
