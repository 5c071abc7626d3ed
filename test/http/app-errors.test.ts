/** The API's last word on errors: a request's mistake by its code, a transient fault 503, anything else 500, each an OperationOutcome. */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { EngineError, RequestError, StoreError } from '../../src/errors/errors.js';
import { testApp, testAppDeps } from '../helpers/app.js';

const failing = (err: Error) =>
  testApp({
    operations: {
      ...testAppDeps({}).operations,
      evaluate: async () => {
        throw err;
      },
    },
  });

describe('the API answering a fault', () => {
  it.each([
    ['REQUEST_INVALID', 400],
    ['REQUEST_FORBIDDEN', 403],
    ['REQUEST_NOT_FOUND', 404],
    ['REQUEST_NOT_SUPPORTED', 501],
  ] as const)('%s as %i', async (code, status) => {
    const res = await request(failing(new RequestError(code, 'what was wrong'))).get('/fhir/Measure/ctp-valid/$evaluate-measure?periodStart=2025-01&periodEnd=2025-02');
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'what was wrong' }] });
  });

  it('a store that does not answer as 503 with Retry-After, and an internal fault as 500, never as the caller’s mistake', async () => {
    const down = await request(failing(StoreError.unavailable('PostgreSQL at 127.0.0.1:5432/pont', new Error('ECONNREFUSED')))).get(
      '/fhir/Measure/ctp-valid/$evaluate-measure?periodStart=2025-01&periodEnd=2025-02',
    );
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBeDefined();
    const fault = await request(failing(new EngineError('ENGINE_FAULT', 'compliance', 'a rule threw'))).get(
      '/fhir/Measure/ctp-valid/$evaluate-measure?periodStart=2025-01&periodEnd=2025-02',
    );
    expect(fault.status).toBe(500);
    expect(fault.body.issue[0]).toMatchObject({ severity: 'fatal', code: 'exception' });
  });

  it('a path it has, asked with another method, as 405 naming the methods it takes; an unknown path as 404', async () => {
    const app = testApp({});
    const wrong = await request(app).delete('/fhir/Measure');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
    const unknown = await request(app).get('/nowhere');
    expect(unknown.status).toBe(404);
    expect(unknown.body.resourceType).toBe('OperationOutcome');
  });
});
