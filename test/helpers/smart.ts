/**
 * SMART Backend Services from the client's side, for tests: key pairs made with jose, signed
 * client assertions (RS384, ES384, or deliberately wrong ones) and the token request's form.
 */
import { randomUUID } from 'node:crypto';
import { type CryptoKey, createLocalJWKSet, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, type JWTPayload, SignJWT } from 'jose';
import request from 'supertest';
import type { SyncConfig } from '../../src/config/sync-config.schema.js';
import { memoryReplayGuard } from '../../src/http/security/memory-replay-guard.js';
import { createSecurity, type Security } from '../../src/http/security/security.js';
import { fixedClock } from '../../src/ports/clock.js';
import type { ReplayGuard } from '../../src/ports/replay-guard.js';

export type AssertionAlg = 'RS384' | 'ES384';

export interface ClientKey {
  readonly alg: AssertionAlg;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public JWK, with its kid, as a client registers it. */
  readonly publicJwk: JWK;
}

export async function clientKey(alg: AssertionAlg, kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

export interface AssertionClaims {
  readonly clientId: string;
  readonly aud: string;
  /** Seconds since the epoch. */
  readonly now: number;
  readonly exp?: number;
  readonly jti?: string;
  /** In place of the client id (a wrong assertion). */
  readonly iss?: string;
  readonly extra?: JWTPayload;
}

/** A client assertion as SMART asks for it: iss = sub = client_id, aud = the token endpoint, exp ≤ 5 minutes, a fresh jti. */
export async function signAssertion(key: ClientKey, claims: AssertionClaims, header: { kid?: string | undefined } = {}): Promise<string> {
  return new SignJWT({ ...claims.extra })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', ...('kid' in header ? (header.kid === undefined ? {} : { kid: header.kid }) : { kid: key.kid }) })
    .setIssuer(claims.iss ?? claims.clientId)
    .setSubject(claims.clientId)
    .setAudience(claims.aud)
    .setIssuedAt(claims.now)
    .setExpirationTime(claims.exp ?? claims.now + 240)
    .setJti(claims.jti ?? randomUUID())
    .sign(key.privateKey);
}

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export function tokenForm(assertion: string, scope: string): Record<string, string> {
  return { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion, scope };
}

/** Asks the token endpoint of `app` for an access token, as the client holding `key`. */
export async function obtainToken(
  app: Parameters<typeof request>[0],
  key: ClientKey,
  claims: Omit<AssertionClaims, 'aud'> & { readonly tokenUrl: string },
  scope: string,
): Promise<string> {
  const res = await request(app)
    .post(new URL(claims.tokenUrl).pathname)
    .type('form')
    .send(tokenForm(await signAssertion(key, { ...claims, aud: claims.tokenUrl }), scope));
  if (res.status !== 200) throw new Error(`no token: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { access_token: string }).access_token;
}

export interface TestSecurityOptions {
  /** Key sets "published" at URLs (clients' jwksUrl, an external issuer's): served locally. Absent: fetched for real. */
  readonly keySets?: Readonly<Record<string, JSONWebKeySet>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly replay?: ReplayGuard;
  readonly defaultPublicUrl?: string;
}

/** pont's security from a configuration, at a fixed instant, as a test wants it. */
export function testSecurity(config: Pick<SyncConfig, 'clients' | 'auth'>, at: Date, options: TestSecurityOptions = {}): Promise<Security> {
  const clock = fixedClock(at);
  const { keySets } = options;
  return createSecurity(config, {
    defaultPublicUrl: options.defaultPublicUrl ?? 'http://localhost:8080',
    replay: options.replay ?? memoryReplayGuard(clock),
    clock,
    io: { readText: () => Promise.reject(new Error('no files in this test')), env: options.env ?? {} },
    ...(keySets !== undefined
      ? {
          keySetAt: (url: URL) => {
            const set = keySets[url.href];
            if (set === undefined) throw new Error(`no key set at ${url.href} in this test`);
            return createLocalJWKSet(set);
          },
        }
      : {}),
  });
}
