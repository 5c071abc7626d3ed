/**
 * The OpenAPI 3.1 document for pont's non-FHIR endpoints. The official 3.1 meta-schema is not
 * bundled with ajv (and is not fetched), so the document is checked against the structure OpenAPI
 * 3.1 requires of what it uses (test/helpers/openapi.ts), every schema in it is compiled as JSON
 * Schema 2020-12, and real answers are validated against it in test/service/observability.test.ts.
 */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src/http/api-routes.js';
import { openApiDocument, openApiRoute } from '../../src/http/ops/openapi.js';
import { openApiProblems, openApiSchemas } from '../helpers/openapi.js';

const settings = { formats: ['ctp', 'fhir', 'carepath-json', 'wpas-csv'], maxBytes: 8 << 20, version: '0.1.0' };
const doc = () => structuredClone(openApiDocument(settings)) as Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>> };

describe('the OpenAPI document', () => {
  it('is well formed OpenAPI 3.1 with every schema valid JSON Schema 2020-12', () => {
    expect(openApiProblems(doc())).toEqual([]);
  });

  it('describes every non-FHIR endpoint of the route table, and the token endpoint', () => {
    const operations = Object.entries(doc().paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    const routes = API_ROUTES.filter((r) => !r.path.startsWith('/fhir/')).map((r) => `${r.method} ${r.path.replace(/:([a-z]+)/g, '{$1}')}`);
    expect(operations.sort()).toEqual([...routes, 'POST /auth/token'].sort());
  });

  it('leaves open only what the route table leaves open, and the token endpoint; everything else needs a token', () => {
    const open = Object.entries(doc().paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => Array.isArray(op.security) && op.security.length === 0)
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    );
    const openRoutes = API_ROUTES.filter((r) => r.permission === 'open' && !r.path.startsWith('/fhir/')).map((r) => `${r.method} ${r.path}`);
    expect(open.sort()).toEqual([...openRoutes, 'POST /auth/token'].sort());
    expect(doc().security).toEqual([{ smartBackendServices: [] }]);
  });

  it('is caught out when broken: a missing responses object, an undeclared path parameter, a dangling $ref, a schema that is not JSON Schema', () => {
    const broken = doc();
    delete broken.paths['/healthz']!.get!.responses;
    (broken.paths['/messages/{id}']!.get!.parameters as unknown[]).shift();
    (broken.paths['/readyz']!.get!.responses as Record<string, unknown>)['200'] = {
      description: 'x',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Nothing' } } },
    };
    const problems = openApiProblems(broken);
    expect(problems.some((p) => p.includes('/paths/~1healthz/get') && p.includes('responses'))).toBe(true);
    expect(problems).toContain('GET /messages/{id}: path parameter {id} not declared');
    expect(problems.some((p) => p.includes('#/components/schemas/Nothing resolves to nothing'))).toBe(true);
    const badSchema = doc();
    (badSchema.components as { schemas: Record<string, unknown> }).schemas.Health = { type: 'objekt' };
    expect(openApiProblems(badSchema).some((p) => p.includes('not valid JSON Schema 2020-12'))).toBe(true);
  });

  it('validates answers against what it says: an OperationOutcome passes, a bare error does not', () => {
    const schemas = openApiSchemas(doc());
    expect(schemas.response('/readyz', 'GET', 503, 'application/fhir+json', { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] })).toEqual(
      [],
    );
    expect(schemas.response('/readyz', 'GET', 503, 'application/fhir+json', { error: 'down' })).not.toEqual([]);
    expect(schemas.response('/ingest/{source}', 'POST', 202, 'application/json', { id: 'not-a-uuid', duplicate: false, queued: true })).not.toEqual([]);
  });

  it('is served at GET /openapi.json', async () => {
    const response = await request(express().use(openApiRoute(settings))).get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.paths['/ingest/{source}'].post.parameters[1].schema.enum).toEqual(settings.formats);
  });
});
