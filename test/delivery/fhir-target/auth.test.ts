/**
 * Credentials for a FHIR target: a bearer token from the environment variable the configuration
 * names; OAuth2 client credentials from a token endpoint (a small express server on 127.0.0.1),
 * the token kept until shortly before it expires and fetched anew once after a 401. A variable
 * that is not set is a ConfigError naming it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors/errors.js';
import { startFhirServer, type TestFhirServer } from '../../helpers/fhir-server.js';
import { change, exampleBundles, expectHeldAsSent, manualClock, target } from './deliver.js';

const example = exampleBundles()[0]!;
const SECRET = 'synthetic-secret-value';

/** Tokens the token endpoint has issued, the last one the only one the FHIR server accepts. */
const issued: string[] = [];
const tokenRequests: Record<string, string>[] = [];
let tokenServer: Server;
let tokenUrl: string;
let fhir: TestFhirServer;

beforeAll(async () => {
  const app = express();
  app.post('/token', express.urlencoded({ extended: false }), (req, res) => {
    tokenRequests.push({ ...req.body });
    if (req.body.client_secret !== SECRET) return void res.status(401).json({ error: 'invalid_client' });
    issued.push(`token-${issued.length + 1}`);
    res.json({ access_token: issued.at(-1), token_type: 'Bearer', expires_in: 300 });
  });
  tokenServer = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
  fhir = await startFhirServer({ bearer: (token) => token === issued.at(-1) || token === 'static-token' });
});
afterAll(async () => {
  await fhir.stop();
  await new Promise((resolve) => tokenServer.close(resolve));
});
beforeEach(() => {
  fhir.clear();
  issued.length = 0;
  tokenRequests.length = 0;
});

describe('bearer', () => {
  it('sends the token from the environment variable the configuration names', async () => {
    const client = target(fhir, { auth: { type: 'bearer', tokenEnv: 'EHR_TOKEN' } }, { env: (name) => (name === 'EHR_TOKEN' ? 'static-token' : undefined) });
    await expectHeldAsSent(fhir, example.bundle, await client.deliver(change(example), { resources: [] }));
  });

  it('a wrong token is refused (401), not retried', async () => {
    const client = target(fhir, { auth: { type: 'bearer', tokenEnv: 'EHR_TOKEN' } }, { env: () => 'wrong-token' });
    await expect(client.deliver(change(example), { resources: [] })).rejects.toMatchObject({
      code: 'DELIVERY_REFUSED',
      retryable: false,
      message: 'target ehr: GET metadata answered 401',
    });
    expect(fhir.log).toHaveLength(1);
  });

  it('an environment variable that is not set is a ConfigError naming it', () => {
    expect(() => target(fhir, { auth: { type: 'bearer', tokenEnv: 'EHR_TOKEN' } })).toThrow(ConfigError);
    expect(() => target(fhir, { auth: { type: 'bearer', tokenEnv: 'EHR_TOKEN' } })).toThrow(/EHR_TOKEN/);
  });
});

describe('OAuth2 client credentials', () => {
  const oauth = (scope?: string) => ({
    auth: { type: 'oauth2-client-credentials' as const, tokenUrl, clientId: 'pont', clientSecretEnv: 'EHR_SECRET', ...(scope ? { scope } : {}) },
  });
  const env = (name: string) => (name === 'EHR_SECRET' ? SECRET : undefined);

  it('fetches a token with the client id, secret and scope, and keeps it until shortly before it expires', async () => {
    const clock = manualClock();
    const client = target(fhir, oauth('system/*.write'), { env, clock });
    const first = await client.deliver(change(example), { resources: [] });
    await client.deliver(change(example), first);
    expect(tokenRequests).toEqual([{ grant_type: 'client_credentials', client_id: 'pont', client_secret: SECRET, scope: 'system/*.write' }]);
    clock.advance(300_000 - 30_000);
    await client.deliver(change(example), first);
    expect(tokenRequests).toHaveLength(2);
  });

  it('after a 401 fetches a new token once and sends again', async () => {
    const client = target(fhir, oauth(), { env });
    const first = await client.deliver(change(example), { resources: [] });
    issued.push('token-revoked-elsewhere');
    const again = await client.deliver(change(example), first);
    await expectHeldAsSent(fhir, example.bundle, again);
    expect(tokenRequests).toHaveLength(2);
    expect(fhir.log.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('a token endpoint that refuses the client is DELIVERY_REFUSED, its secret in no message', async () => {
    const client = target(fhir, oauth(), { env: () => 'not-the-secret' });
    const err = await client.deliver(change(example), { resources: [] }).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'DELIVERY_REFUSED', retryable: false, message: 'target ehr: the token endpoint answered 401' });
    expect(fhir.log).toEqual([]);
  });

  it('a secret that is not set is a ConfigError naming the variable', () => {
    expect(() => target(fhir, oauth(), { env: () => undefined })).toThrow(/EHR_SECRET/);
  });
});
