import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { syncConfigSchema } from '../../../src/config/sync-config.schema.js';
import { type AuthenticatedClient, patientScopeOf } from '../../../src/http/security/access.js';
import { requirePermission } from '../../../src/http/security/require-permission.js';
import { ACTIONS, ROLE_TABLE, ROLES, type Role } from '../../../src/http/security/roles.js';
import { mountRoutes, type RouteRule, routeMatrix } from '../../../src/http/security/routes.js';
import { type ClientKey, clientKey, obtainToken, testSecurity } from '../../helpers/smart.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const now = NOW.getTime() / 1000;
const PUBLIC_URL = 'https://pont.test';

/** One route per action (and the open ones), shaped like the API's: fixed paths before `/fhir/:type`, which would take them. */
const RULES: readonly RouteRule[] = [
  { method: 'GET', path: '/healthz', permission: 'open' },
  { method: 'GET', path: '/fhir/metadata', permission: 'open' },
  { method: 'GET', path: '/openapi.json', permission: 'describe' },
  { method: 'POST', path: '/ingest/:source', permission: 'ingest' },
  { method: 'GET', path: '/messages/:id', permission: 'status', options: { source: 'handler' } },
  { method: 'POST', path: '/\\$check', permission: 'check' },
  { method: 'GET', path: '/fhir/\\$export', permission: 'export' },
  { method: 'GET', path: '/fhir/:type/:id', permission: 'read', options: { resourceType: (req) => String(req.params.type) } },
  { method: 'GET', path: '/fhir/:type', permission: 'search', options: { resourceType: (req) => String(req.params.type) } },
  { method: 'POST', path: '/fhir/Subscription', permission: 'subscribe', options: { source: 'handler' } },
  { method: 'GET', path: '/admin/dead-letters', permission: 'admin' },
];

/** Each role's client; every one may be granted every scope, so that only the role decides. */
const CLIENTS: Record<Role, { id: string; extra: Record<string, string> }> = {
  'source-epr': { id: 'epr-wpas', extra: { source: 'wpas' } },
  'gp-system': { id: 'gp-w99001', extra: { organisation: 'W99001' } },
  regulator: { id: 'regulator', extra: {} },
  admin: { id: 'admin', extra: {} },
};

function concrete(path: string, role: Role): string {
  return path
    .replace(':source', CLIENTS[role].extra.source ?? 'wpas')
    .replace(':type', 'CarePlan')
    .replace(':id', '0b5a2d5e-2d36-4a5e-9d4b-6f0a0c1d2e3f')
    .replaceAll('\\', '');
}

describe('authorisation', () => {
  const keys = {} as Record<Role, ClientKey>;
  const tokens = {} as Record<Role, string>;
  let app: express.Express;

  beforeAll(async () => {
    for (const role of ROLES) keys[role] = await clientKey(role === 'regulator' ? 'RS384' : 'ES384');
    const config = syncConfigSchema.parse({
      clients: ROLES.map((role) => ({ id: CLIENTS[role].id, role, ...CLIENTS[role].extra, jwks: { keys: [keys[role].publicJwk] }, scopes: ['system/*.cruds'] })),
      auth: { issuer: 'pont', publicUrl: PUBLIC_URL },
    });
    const security = await testSecurity(config, NOW);
    app = express();
    app.use(security.tokenRouter!);
    const router = express.Router();
    mountRoutes(router, RULES, security.authenticate, (rule) => [(_req: Request, res: Response) => void res.json({ route: `${rule.method} ${rule.path}` })]);
    app.use(router);
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => void res.status(500).json({ fault: (err as Error).message }));
    for (const role of ROLES) tokens[role] = await obtainToken(app, keys[role], { clientId: CLIENTS[role].id, tokenUrl: `${PUBLIC_URL}/auth/token`, now }, 'system/*.cruds');
  });

  it('covers every action and role in its table', () => {
    expect(Object.keys(ROLE_TABLE).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) expect(Object.keys(ROLE_TABLE[role]).sort()).toEqual([...ACTIONS].sort());
    // The route table of this test takes every action, so that the matrix below reaches every cell of the role table.
    expect(new Set(RULES.map((r) => r.permission))).toEqual(new Set([...ACTIONS, 'open']));
  });

  const cells = routeMatrix(RULES);
  it('has one cell per route and role', () => expect(cells).toHaveLength(RULES.length * ROLES.length));
  it.each(cells.map((c) => [`${c.rule.method} ${c.rule.path}`, c.role, c.allowed ? 'allowed' : 'denied', c] as const))(
    '%s as %s: %s',
    async (_route, role, _verdict, cell) => {
      const path = concrete(cell.rule.path, role);
      const call = request(app)[cell.rule.method.toLowerCase() as 'get' | 'post'](path).set('Authorization', `Bearer ${tokens[role]}`);
      const res = await call;
      if (cell.allowed) {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ route: `${cell.rule.method} ${cell.rule.path}` });
      } else {
        expect(res.status).toBe(403);
        expect(res.body).toEqual({
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'forbidden', diagnostics: expect.stringContaining(`a ${role} client may not`) }],
        });
      }
    },
  );

  it('leaves open routes open, and closes the rest to callers without a token', async () => {
    for (const rule of RULES) {
      const res = await request(app)[rule.method.toLowerCase() as 'get' | 'post'](concrete(rule.path, 'admin'));
      expect(res.status, rule.path).toBe(rule.permission === 'open' ? 200 : 401);
    }
  });

  it('lets a source EPR ingest only as its own source', async () => {
    const res = await request(app).post('/ingest/carepath').set('Authorization', `Bearer ${tokens['source-epr']}`);
    expect(res.status).toBe(403);
    expect(res.body.issue[0].diagnostics).toMatch(/only as its own source/);
  });

  it('needs the scopes for the resource type, besides the role', async () => {
    const narrow = await obtainToken(app, keys.regulator, { clientId: 'regulator', tokenUrl: `${PUBLIC_URL}/auth/token`, now }, 'system/Patient.rs');
    expect((await request(app).get('/fhir/Patient/1').set('Authorization', `Bearer ${narrow}`)).status).toBe(200);
    const res = await request(app).get('/fhir/CarePlan/1').set('Authorization', `Bearer ${narrow}`);
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="pont", error="insufficient_scope"');
    expect(res.body.issue[0].diagnostics).toMatch(/do not grant r on CarePlan/);
    // A search needs s, an export r and s on every type.
    expect((await request(app).get('/fhir/$export').set('Authorization', `Bearer ${narrow}`)).status).toBe(403);
    const readOnly = await obtainToken(app, keys.regulator, { clientId: 'regulator', tokenUrl: `${PUBLIC_URL}/auth/token`, now }, 'system/*.r');
    expect((await request(app).get('/fhir/Patient').set('Authorization', `Bearer ${readOnly}`)).status).toBe(403);
    expect((await request(app).get('/fhir/Patient/1').set('Authorization', `Bearer ${readOnly}`)).status).toBe(200);
  });

  it('is a fault in pont, not a refusal, when a protected route runs without authentication', async () => {
    const bare = express();
    bare.get('/x', requirePermission('read'), (_req, res) => void res.json({}));
    bare.use((err: Error, _req: Request, res: Response, _next: NextFunction) => void res.status(500).json({ code: (err as { code?: string }).code }));
    expect((await request(bare).get('/x')).body).toEqual({ code: 'ENGINE_FAULT' });
  });

  it('refuses to mount a route that has no handler', () => {
    expect(() =>
      mountRoutes(
        express.Router(),
        [{ method: 'GET', path: '/y', permission: 'read' }],
        (_q, _s, next) => next(),
        () => undefined,
      ),
    ).toThrow(/no handler for GET \/y/);
  });

  it('tells the facade whose records each caller may see', () => {
    const client = (role: Role, extra: Partial<AuthenticatedClient> = {}): AuthenticatedClient => ({ id: 'c', role, scopes: [], ...extra });
    expect(patientScopeOf(client('regulator'))).toEqual({ kind: 'all' });
    expect(patientScopeOf(client('admin'))).toEqual({ kind: 'all' });
    expect(patientScopeOf(client('gp-system', { organisation: 'W99001' }))).toEqual({ kind: 'registered-at', practiceOds: 'W99001' });
    expect(patientScopeOf(client('gp-system'))).toEqual({ kind: 'none' });
    expect(patientScopeOf(client('source-epr', { source: 'wpas' }))).toEqual({ kind: 'none' });
  });
});
