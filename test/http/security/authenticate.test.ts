import { randomUUID } from 'node:crypto';
import express from 'express';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT, UnsecuredJWT } from 'jose';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SyncConfig, syncConfigSchema } from '../../../src/config/sync-config.schema.js';
import type { Security } from '../../../src/http/security/security.js';
import { type ClientKey, clientKey, obtainToken, testSecurity } from '../../helpers/smart.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const now = NOW.getTime() / 1000;
const PUBLIC_URL = 'https://pont.test';
const TOKEN_URL = `${PUBLIC_URL}/auth/token`;

function appWith(security: Security): express.Express {
  const app = express();
  if (security.tokenRouter) app.use(security.tokenRouter);
  app.use('/fhir', security.smartConfiguration);
  app.get('/whoami', security.authenticate, (_req, res) => void res.json(res.locals.client));
  return app;
}

function clients(regulator: ClientKey): SyncConfig['clients'] {
  return syncConfigSchema.parse({ clients: [{ id: 'regulator', role: 'regulator', jwks: { keys: [regulator.publicJwk] }, scopes: ['system/*.read'] }] }).clients;
}

const whoami = (app: express.Express, token: string) => request(app).get('/whoami').set('Authorization', `Bearer ${token}`);

describe('bearer tokens issued by pont', () => {
  let regulator: ClientKey;
  let signingJwk: JWK;
  const securityAt = (at: Date, publicUrl = PUBLIC_URL) =>
    testSecurity({ clients: clients(regulator), auth: { issuer: 'pont', publicUrl, signingKeyEnv: 'PONT_SIGNING_KEY', tokenLifetime: '5m' } }, at, {
      env: { PONT_SIGNING_KEY: JSON.stringify(signingJwk) },
    });
  /** A token signed with pont's own key, with claims chosen by the test. */
  const forged = async (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT({ client_id: 'regulator', scope: 'system/*.read', ...claims })
      .setProtectedHeader({ alg: 'ES384', typ: 'at+jwt', kid: signingJwk.kid!, ...header })
      .setIssuer((claims.iss as string) ?? PUBLIC_URL)
      .setAudience((claims.aud as string) ?? PUBLIC_URL)
      .setIssuedAt(now)
      .setExpirationTime((claims.exp as number) ?? now + 300)
      .setJti(randomUUID())
      .sign(await importJWK(signingJwk, 'ES384'));

  let app: express.Express;
  beforeAll(async () => {
    regulator = await clientKey('ES384');
    const { privateKey } = await generateKeyPair('ES384', { extractable: true });
    signingJwk = { ...(await exportJWK(privateKey)), kid: 'pont-1', alg: 'ES384' };
    const security = await securityAt(NOW);
    expect(security.notices).toEqual([]);
    app = appWith(security);
  });

  it('asks for a token when there is none, with WWW-Authenticate and an OperationOutcome', async () => {
    for (const header of [undefined, 'Basic cmVndWxhdG9yOng=', 'Bearer']) {
      const req = request(app).get('/whoami');
      const res = await (header === undefined ? req : req.set('Authorization', header));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="pont"');
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(res.body).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: expect.stringMatching(/bearer access token/) }] });
    }
  });

  it('takes a token it issued until it expires, and is the same key in another process', async () => {
    const token = await obtainToken(app, regulator, { clientId: 'regulator', tokenUrl: TOKEN_URL, now }, 'system/*.read');
    expect((await whoami(app, token)).body).toMatchObject({ id: 'regulator', role: 'regulator' });
    // Another pont process with the same configured key takes it too, until it expires.
    expect((await whoami(appWith(await securityAt(new Date(NOW.getTime() + 60_000))), token)).status).toBe(200);
    const later = await whoami(appWith(await securityAt(new Date(NOW.getTime() + 10 * 60_000))), token);
    expect(later.status).toBe(401);
    expect(later.headers['www-authenticate']).toMatch(/^Bearer realm="pont", error="invalid_token", error_description="[^"]*expired"$/);
    expect(later.body.issue[0]).toMatchObject({ code: 'expired' });
  });

  it('refuses a token for another audience or from another issuer', async () => {
    const elsewhere = await obtainToken(
      appWith(await securityAt(NOW, 'https://other-pont.test')),
      regulator,
      { clientId: 'regulator', tokenUrl: 'https://other-pont.test/auth/token', now },
      'system/*.read',
    );
    for (const [token, why] of [
      [elsewhere, /iss/],
      [await forged({ aud: 'https://other.test' }), /aud/],
      [await forged({ iss: 'https://other.test' }), /iss/],
    ] as const) {
      const res = await whoami(app, token);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
      expect(res.body.issue[0]).toMatchObject({ code: 'security', diagnostics: expect.stringMatching(why) });
    }
  });

  it('refuses unsigned, HS256, not-yet-valid and garbled tokens, and tokens of clients it does not know', async () => {
    const hs256 = await new SignJWT({ client_id: 'regulator', scope: 'system/*.read' })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuer(PUBLIC_URL)
      .setAudience(PUBLIC_URL)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode('guessable'));
    const none = new UnsecuredJWT({ client_id: 'regulator', scope: 'system/*.read' })
      .setIssuer(PUBLIC_URL)
      .setAudience(PUBLIC_URL)
      .setExpirationTime(now + 60)
      .encode();
    for (const [token, why] of [
      [hs256, /algorithm is not allowed/],
      [none, /not a well-formed signed JWT|algorithm/],
      [await forged({ nbf: now + 600 }), /not valid yet/],
      [await forged({}, { typ: 'JWT' }), /typ/],
      ['abc.def.ghi', /well-formed/],
      [await forged({ client_id: 'someone-else' }), /not registered/],
    ] as const) {
      const res = await whoami(app, token);
      expect(res.status, String(why)).toBe(401);
      expect(res.body.issue[0].diagnostics, String(why)).toMatch(why);
    }
  });

  it('grants a token no more than its client may be granted', async () => {
    const res = await whoami(app, await forged({ scope: 'system/*.read system/*.write system/CarePlan.rs openid' }));
    expect(res.status).toBe(200);
    expect(res.body.scopes.map((s: { resourceType: string; permissions: string[] }) => `${s.resourceType}.${s.permissions.join('')}`)).toEqual(['*.rs', 'CarePlan.rs']);
  });
});

describe('bearer tokens from an external issuer', () => {
  const ISSUER = 'https://idp.test/realms/nhs-wales';
  const ISSUER_JWKS = 'https://idp.test/realms/nhs-wales/certs';
  let issuerKey: ClientKey;
  let app: express.Express;
  const externalToken = async (key: ClientKey, claims: Record<string, unknown>) =>
    new SignJWT({ scope: 'system/*.read', ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setIssuer((claims.iss as string) ?? ISSUER)
      .setAudience('pont-api')
      .setExpirationTime(now + 300)
      .sign(key.privateKey);

  beforeAll(async () => {
    issuerKey = await clientKey('RS384');
    const regulator = await clientKey('ES384');
    const security = await testSecurity(
      { clients: clients(regulator), auth: { issuer: 'external', issuerUrl: ISSUER, jwksUrl: ISSUER_JWKS, audience: 'pont-api', tokenUrl: `${ISSUER}/token` } },
      NOW,
      { keySets: { [ISSUER_JWKS]: { keys: [issuerKey.publicJwk] } } },
    );
    expect(security.tokenRouter).toBeUndefined();
    app = appWith(security);
  });

  it("takes the issuer's tokens for registered clients, checked with its key set", async () => {
    const res = await whoami(app, await externalToken(issuerKey, { client_id: 'regulator', sub: 'service-account-1' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'regulator', role: 'regulator', scopes: [{ resourceType: '*', permissions: ['r', 's'] }] });
    // `azp` names the client when `client_id` does not; `scp` may hold the scopes as a list.
    expect((await whoami(app, await externalToken(issuerKey, { azp: 'regulator', scope: undefined, scp: ['system/Patient.rs'] }))).body.scopes).toEqual([
      { context: 'system', resourceType: 'Patient', permissions: ['r', 's'], syntax: 'v2' },
    ]);
  });

  it('refuses tokens signed by another key, from another issuer, or for a client it does not know', async () => {
    const stranger = await clientKey('RS384', issuerKey.kid);
    for (const token of [
      await externalToken(stranger, { client_id: 'regulator' }),
      await externalToken(issuerKey, { client_id: 'regulator', iss: 'https://idp.test/realms/other' }),
      await externalToken(issuerKey, { client_id: 'unknown' }),
    ]) {
      const res = await whoami(app, token);
      expect(res.status).toBe(401);
      expect(res.body.resourceType).toBe('OperationOutcome');
    }
  });

  it("names the issuer's token endpoint in the SMART configuration", async () => {
    expect((await request(app).get('/fhir/.well-known/smart-configuration')).body).toMatchObject({ token_endpoint: `${ISSUER}/token` });
    expect((await request(app).post('/auth/token')).status).toBe(404);
  });

  it('answers 503, not 401, when the key set cannot be fetched', async () => {
    const security = await testSecurity(
      { clients: [], auth: { issuer: 'external', issuerUrl: ISSUER, jwksUrl: 'http://127.0.0.1:9/certs', audience: 'pont-api', tokenUrl: `${ISSUER}/token` } },
      NOW,
    );
    const res = await whoami(appWith(security), await externalToken(issuerKey, { client_id: 'regulator' }));
    expect(res.status).toBe(503);
    expect(res.body.issue[0]).toMatchObject({ code: 'transient', diagnostics: expect.stringMatching(/key set at http:\/\/127\.0\.0\.1:9\/certs/) });
  });
});
