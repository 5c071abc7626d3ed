/** The format of a message sent to ingest or $check, and its Content-Type, which must agree. */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../src/app/sync.js';
import { testApp, testAppDeps } from '../helpers/app.js';

const FORMATS = ['ctp', 'fhir', 'carepath-json', 'wpas-csv'];

/** The app, whose ingest says which format it was handed (and accepts every message). */
function app() {
  const handed: string[] = [];
  const deps = testAppDeps({});
  const api = testApp({
    ingest: {
      ...deps.ingest,
      formats: FORMATS,
      ingest: async (message: IncomingMessage) => {
        handed.push(message.format);
        return { accepted: true, id: '00000000-0000-4000-8000-000000000001', duplicate: false, queued: true };
      },
    },
    operations: {
      ...deps.operations,
      formats: FORMATS,
      checkJson: async (input) => {
        handed.push(input.source);
        return [];
      },
    },
  });
  return { api, handed };
}

describe('a message and its Content-Type', () => {
  it.each([
    ['ctp', 'application/json'],
    ['ctp', 'application/x-ndjson'],
    ['fhir', 'application/fhir+json; charset=utf-8'],
    ['carepath-json', 'application/json'],
    ['wpas-csv', 'text/csv'],
    ['wpas-csv', 'application/octet-stream'],
    ['ctp', 'text/plain;charset=UTF-8'],
  ])('takes %s sent as %s', async (format, type) => {
    const { api, handed } = app();
    const ingest = await request(api).post(`/ingest/epr-a?format=${format}`).set('content-type', type).send('x');
    expect(ingest.status).toBe(202);
    const check = await request(api).post(`/$check?format=${format}`).set('content-type', type).send('x');
    expect(check.status).toBe(200);
    expect(handed).toEqual([format, format]);
  });

  it('reads a FHIR media type alone as the fhir format', async () => {
    const { api, handed } = app();
    expect((await request(api).post('/ingest/epr-a').set('content-type', 'application/fhir+json').send('{}')).status).toBe(202);
    expect(handed).toEqual(['fhir']);
  });

  it.each([
    ['wpas-csv', 'application/json', /^a wpas-csv message is sent as text\/csv, text\/plain or application\/octet-stream, not application\/json$/],
    ['fhir', 'text/csv', /^a fhir message is sent as application\/fhir\+json, .* not text\/csv$/],
    ['ctp', 'text/html', /not text\/html$/],
    ['ctp', 'application/x-www-form-urlencoded', /not application\/x-www-form-urlencoded$/],
    ['ctp', 'not a media type <script>', /not this Content-Type$/],
  ])('refuses %s sent as %s with 415, naming what it may be sent as', async (format, type, says) => {
    const { api, handed } = app();
    for (const path of [`/ingest/epr-a?format=${format}`, `/$check?format=${format}`]) {
      const res = await request(api).post(path).set('content-type', type).send('x');
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-supported', diagnostics: expect.stringMatching(says) }] });
    }
    expect(handed).toEqual([]);
  });

  it('asks for the format when neither ?format nor a FHIR media type names it', async () => {
    const { api, handed } = app();
    for (const path of ['/ingest/epr-a', '/$check', '/ingest/epr-a?format=hl7v2']) {
      const res = await request(api).post(path).set('content-type', 'application/json').send('{}');
      expect(res.status).toBe(400);
      expect(res.body.issue[0].diagnostics).toBe("give the message's format as ?format=…, one of: ctp, fhir, carepath-json, wpas-csv");
    }
    expect(handed).toEqual([]);
  });
});
