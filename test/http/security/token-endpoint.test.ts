import { randomUUID } from 'node:crypto';
import express from 'express';
import { createLocalJWKSet, decodeJwt, generateKeyPair, jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { syncConfigSchema } from '../../../src/config/sync-config.schema.js';
import { QueueError } from '../../../src/errors/errors.js';
import { type ClientKey, clientKey, JWT_BEARER, signAssertion, testSecurity, tokenForm } from '../../helpers/smart.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const now = NOW.getTime() / 1000;
const PUBLIC_URL = 'https://pont.test';
const TOKEN_URL = `${PUBLIC_URL}/auth/token`;
const GP_JWKS = 'https://gp.test/.well-known/jwks.json';

describe('the token endpoint (SMART Backend Services)', () => {
  let epr: ClientKey; // RS384
  let regulator: ClientKey; // ES384
  let gp: ClientKey; // published at a URL
  let app: express.Express;

  beforeAll(async () => {
    [epr, regulator, gp] = await Promise.all([clientKey('RS384'), clientKey('ES384'), clientKey('ES384')]);
    const config = syncConfigSchema.parse({
      clients: [
        { id: 'epr-wpas', role: 'source-epr', source: 'wpas', jwks: { keys: [epr.publicJwk] }, scopes: ['system/*.write', 'system/CarePlan.rs'] },
        { id: 'regulator', role: 'regulator', jwks: { keys: [regulator.publicJwk] }, scopes: ['system/*.read'] },
        { id: 'gp-w99001', role: 'gp-system', organisation: 'W99001', jwksUrl: GP_JWKS, scopes: ['system/CarePlan.rs', 'system/Patient.rs'] },
      ],
      auth: { issuer: 'pont', publicUrl: PUBLIC_URL },
    });
    const security = await testSecurity(config, NOW, { keySets: { [GP_JWKS]: { keys: [gp.publicJwk] } } });
    expect(security.notices).toEqual([expect.stringMatching(/signing key at start/)]);
    app = express();
    app.use(security.tokenRouter!);
    app.use('/fhir', security.smartConfiguration);
    app.get('/whoami', security.authenticate, (_req, res) => void res.json(res.locals.client));
  });

  const ask = (form: Record<string, string>) => request(app).post('/auth/token').type('form').send(form);
  const assertion = (key: ClientKey, clientId: string, claims: { exp?: number; jti?: string; aud?: string; extra?: Record<string, unknown> } = {}) =>
    signAssertion(key, { clientId, aud: claims.aud ?? TOKEN_URL, now, ...claims });

  it('grants a token to a client with an RS384 assertion, which then opens the API as that client', async () => {
    const res = await ask(tokenForm(await assertion(epr, 'epr-wpas'), 'system/CarePlan.rs'));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 300, scope: 'system/CarePlan.rs' });
    expect(decodeJwt(res.body.access_token)).toMatchObject({ iss: PUBLIC_URL, aud: PUBLIC_URL, sub: 'epr-wpas', exp: now + 300 });

    const me = await request(app).get('/whoami').set('Authorization', `Bearer ${res.body.access_token}`);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: 'epr-wpas',
      role: 'source-epr',
      source: 'wpas',
      scopes: [{ context: 'system', resourceType: 'CarePlan', permissions: ['r', 's'], syntax: 'v2' }],
    });
  });

  it('grants tokens for ES384 assertions, and for keys the client publishes at a URL', async () => {
    const reg = await ask(tokenForm(await assertion(regulator, 'regulator'), 'system/*.read'));
    expect(reg.status).toBe(200);
    expect(reg.body.scope).toBe('system/*.read');
    const fromUrl = await ask({ ...tokenForm(await assertion(gp, 'gp-w99001'), 'system/CarePlan.rs system/Patient.r'), client_id: 'gp-w99001' });
    expect(fromUrl.status).toBe(200);
    expect(fromUrl.body.scope).toBe('system/CarePlan.rs system/Patient.r');
    const me = await request(app).get('/whoami').set('Authorization', `Bearer ${fromUrl.body.access_token}`);
    expect(me.body).toMatchObject({ id: 'gp-w99001', role: 'gp-system', organisation: 'W99001' });
  });

  it('refuses a replayed assertion (the same jti twice)', async () => {
    const once = await assertion(epr, 'epr-wpas');
    expect((await ask(tokenForm(once, 'system/CarePlan.rs'))).status).toBe(200);
    const again = await ask(tokenForm(once, 'system/CarePlan.rs'));
    expect(again.status).toBe(401);
    expect(again.body).toEqual({ error: 'invalid_client', error_description: expect.stringMatching(/used before/) });
    // Another assertion with the same jti is a replay too.
    const jti = randomUUID();
    expect((await ask(tokenForm(await assertion(epr, 'epr-wpas', { jti }), 'system/CarePlan.rs'))).status).toBe(200);
    expect((await ask(tokenForm(await assertion(epr, 'epr-wpas', { jti, exp: now + 100 }), 'system/CarePlan.rs'))).status).toBe(401);
  });

  const hs256 = () =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: epr.kid })
      .setIssuer('epr-wpas')
      .setSubject('epr-wpas')
      .setAudience(TOKEN_URL)
      .setExpirationTime(now + 60)
      .setJti(randomUUID())
      .sign(new TextEncoder().encode('a shared secret that pont never agreed to'));
  const unsigned = () =>
    new UnsecuredJWT({ jti: randomUUID() })
      .setIssuer('epr-wpas')
      .setSubject('epr-wpas')
      .setAudience(TOKEN_URL)
      .setExpirationTime(now + 60)
      .encode();
  const rs256 = async () => {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: epr.kid })
      .setIssuer('epr-wpas')
      .setSubject('epr-wpas')
      .setAudience(TOKEN_URL)
      .setExpirationTime(now + 60)
      .setJti(randomUUID())
      .sign(privateKey);
  };

  const refusals: [string, () => Promise<string>, RegExp][] = [
    ['expired', () => assertion(epr, 'epr-wpas', { exp: now - 60 }), /expired/],
    ['not yet valid (nbf)', () => assertion(epr, 'epr-wpas', { extra: { nbf: now + 120 } }), /not valid yet/],
    ['meant for another audience', () => assertion(epr, 'epr-wpas', { aud: 'https://elsewhere.test/auth/token' }), /aud/],
    ['expiring more than five minutes ahead', () => assertion(epr, 'epr-wpas', { exp: now + 600 }), /five minutes/],
    ['with an issuer that is not its subject', () => signAssertion(epr, { clientId: 'epr-wpas', aud: TOKEN_URL, now, iss: 'regulator' }), /iss and sub/],
    ['from an unknown client', () => assertion(epr, 'no-such-client'), /no client is registered/],
    ['signed with another client’s key', () => assertion(regulator, 'epr-wpas'), /no registered key matches/],
    ['signed with a key that is not the client’s, under its kid', async () => assertion(await clientKey('RS384', epr.kid), 'epr-wpas'), /signature does not verify/],
    ['without a kid', () => signAssertion(epr, { clientId: 'epr-wpas', aud: TOKEN_URL, now }, { kid: undefined }), /kid/],
    ['unsigned (alg none)', async () => unsigned(), /RS384 or ES384/],
    ['signed HS256 with a shared secret', hs256, /RS384 or ES384/],
    ['signed RS256', rs256, /RS384 or ES384/],
    ['that is no JWT', async () => 'not.a-jwt', /not a JWT/],
  ];
  it.each(refusals)('refuses an assertion %s: 401 invalid_client', async (_name, make, why) => {
    const res = await ask(tokenForm(await make(), 'system/CarePlan.rs'));
    expect(res.status).toBe(401);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.stringMatching(why) });
  });

  it('refuses scopes the client may not be granted, granular scopes and non-scopes: 400 invalid_scope', async () => {
    for (const [clientId, key, scope, why] of [
      ['regulator', regulator, 'system/*.write', /may not be granted system\/\*\.write/],
      ['regulator', regulator, 'system/*.read system/CarePlan.c', /may not be granted system\/CarePlan\.c$/],
      ['epr-wpas', epr, 'system/Goal.rs', /may not be granted/],
      ['epr-wpas', epr, 'system/CarePlan.rs?category=x', /granular/],
      ['epr-wpas', epr, 'launch/patient', /not a SMART resource scope/],
    ] as const) {
      const res = await ask(tokenForm(await assertion(key, clientId), scope));
      expect(res.status, scope).toBe(400);
      expect(res.body, scope).toEqual({ error: 'invalid_scope', error_description: expect.stringMatching(why) });
    }
  });

  it('refuses malformed requests as OAuth errors', async () => {
    const good = () => assertion(epr, 'epr-wpas');
    const cases: [Record<string, string> | string, number, string][] = [
      [{ ...tokenForm('x', 'system/CarePlan.rs'), grant_type: 'password' }, 400, 'unsupported_grant_type'],
      [{ client_assertion_type: JWT_BEARER, client_assertion: 'x', scope: 'system/*.read' }, 400, 'invalid_request'],
      [{ ...tokenForm('x', 'system/CarePlan.rs'), client_assertion_type: 'urn:other' }, 401, 'invalid_client'],
      [{ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, scope: 'system/*.read' }, 401, 'invalid_client'],
      [{ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: await good() }, 400, 'invalid_request'],
      [{ ...tokenForm(await good(), 'system/CarePlan.rs'), client_id: 'regulator' }, 401, 'invalid_client'],
      ['grant_type=client_credentials&grant_type=client_credentials', 400, 'invalid_request'],
    ];
    for (const [form, status, error] of cases) {
      const res = await request(app).post('/auth/token').type('form').send(form);
      expect(res.status, JSON.stringify(form)).toBe(status);
      expect(res.body, JSON.stringify(form)).toEqual({ error, error_description: expect.any(String) });
    }
    const json = await request(app)
      .post('/auth/token')
      .send(tokenForm(await good(), 'system/CarePlan.rs'));
    expect(json.status).toBe(400);
    expect(json.body).toEqual({ error: 'invalid_request', error_description: expect.stringMatching(/x-www-form-urlencoded/) });
  });

  it('publishes its SMART configuration under /fhir, open', async () => {
    const res = await request(app).get('/fhir/.well-known/smart-configuration');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issuer: PUBLIC_URL,
      jwks_uri: `${PUBLIC_URL}/auth/jwks`,
      token_endpoint: TOKEN_URL,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      scopes_supported: expect.arrayContaining(['system/*.read', 'system/*.rs']),
      capabilities: expect.arrayContaining(['client-confidential-asymmetric']),
    });
  });

  it('publishes its public signing key (no private part), with which its tokens verify', async () => {
    const jwks = await request(app).get('/auth/jwks');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
    const token = (await ask(tokenForm(await assertion(regulator, 'regulator'), 'system/*.read'))).body.access_token as string;
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks.body), { issuer: PUBLIC_URL, audience: PUBLIC_URL, currentDate: NOW });
    expect(payload).toMatchObject({ client_id: 'regulator', scope: 'system/*.read' });
  });

  it('answers 503 temporarily_unavailable, not a refusal, when the replay store cannot be reached', async () => {
    const config = syncConfigSchema.parse({ clients: [{ id: 'regulator', role: 'regulator', jwks: { keys: [regulator.publicJwk] }, scopes: ['system/*.read'] }] });
    const security = await testSecurity(config, NOW, {
      defaultPublicUrl: `${PUBLIC_URL}/`,
      replay: { firstUse: () => Promise.reject(new QueueError('QUEUE_UNAVAILABLE', 'Redis did not answer', true)) },
    });
    const broken = express().use(security.tokenRouter!);
    const res = await request(broken)
      .post('/auth/token')
      .type('form')
      .send(tokenForm(await assertion(regulator, 'regulator'), 'system/*.read'));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'temporarily_unavailable', error_description: 'Redis did not answer' });
  });
});
