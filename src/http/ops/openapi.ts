/**
 * The OpenAPI 3.1 description of pont's endpoints that are not FHIR (the FHIR facade describes
 * itself in its CapabilityStatement at /fhir/metadata): ingest and message status, $check, the
 * token endpoint, dead letters, health, readiness and metrics. Served at `GET /openapi.json`.
 */
import { Router } from 'express';

export interface OpenApiSettings {
  /** The input formats ingest and $check take (`?format=`). */
  readonly formats: readonly string[];
  /** The largest message ingest takes, in bytes. */
  readonly maxBytes: number;
  readonly version: string;
}

type Json = Readonly<Record<string, unknown>>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const FHIR_JSON = 'application/fhir+json';
const outcome = (description: string): Json => ({ description, content: { [FHIR_JSON]: { schema: ref('OperationOutcome') } } });
const json = (description: string, schema: Json, type = 'application/json'): Json => ({ description, content: { [type]: { schema } } });
const requestIdHeader: Json = { description: 'The correlation id: the one sent when it was a sane token, else one pont made', schema: { type: 'string' } };

/** Answers every endpoint may give whatever it does. */
function commonErrors(): Json {
  return {
    '429': { ...outcome('Too many requests from this client; see Retry-After'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
    '500': outcome('An internal fault in pont'),
    '503': { ...outcome('A dependency is unavailable or the request ran out of time; see Retry-After'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
  };
}

export function openApiDocument(settings: OpenApiSettings): Json {
  const format = {
    name: 'format',
    in: 'query',
    required: false,
    description: 'The format of the message in the body; required unless the Content-Type is application/fhir+json (the fhir format)',
    schema: { type: 'string', enum: [...settings.formats] },
  };
  const anyBody = {
    required: true,
    description:
      'The message as the source system sends it: canonical JSON, an EPR format, CSV or a FHIR Bundle. Its Content-Type, when given, must fit the format (JSON or NDJSON for ctp, FHIR JSON for fhir, JSON for carepath-json, text/csv for wpas-csv; text/plain or application/octet-stream for any); application/fhir+json alone names the fhir format',
    content: { '*/*': { schema: { type: 'string', contentEncoding: 'binary', maxLength: settings.maxBytes } } },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'pont',
      version: settings.version,
      summary: 'FHIR R4 adapter for Care and Treatment Plans (Mental Health (Wales) Measure 2010): its endpoints outside the FHIR facade',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ smartBackendServices: [] }],
    paths: {
      '/ingest/{source}': {
        post: {
          operationId: 'ingest',
          summary: 'Hand in a message from a source system; it is checked, stored and queued, or refused with every problem named',
          parameters: [{ name: 'source', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } }, format, requestIdParameter()],
          requestBody: anyBody,
          responses: {
            '202': {
              ...json('Accepted: stored, and queued unless `queued` is false (the reconciler queues it later)', ref('IngestAccepted')),
              headers: { Location: { description: 'Where the message can be followed', schema: { type: 'string' } }, 'X-Request-Id': requestIdHeader },
            },
            '400': outcome('The message or the request is not acceptable: every problem named'),
            '415': outcome('The Content-Type contradicts the format'),
            '401': outcome('No valid token'),
            '403': outcome('The client may not ingest as this source'),
            '413': outcome(`The message is over the ${settings.maxBytes}-byte limit`),
            ...commonErrors(),
          },
        },
      },
      '/messages/{id}': {
        get: {
          operationId: 'messageStatus',
          summary: 'How far a message got: its stages, findings counted by result, deliveries per target and dead letters',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, requestIdParameter()],
          responses: {
            '200': json('The message history', ref('MessageHistory')),
            '400': outcome('The id is not a message id'),
            '401': outcome('No valid token'),
            '404': outcome('No message has this id'),
            ...commonErrors(),
          },
        },
      },
      '/$check': {
        post: {
          operationId: 'check',
          summary: 'A dry run of mapping, validation and compliance for one message; nothing is stored',
          parameters: [
            format,
            {
              name: 'asOf',
              in: 'query',
              required: false,
              description: 'The day the Measure is checked as of (YYYY-MM-DD), or "extracted" for each record\'s extraction day; default today',
              schema: { type: 'string', pattern: '^(extracted|\\d{4}-\\d{2}-\\d{2})$' },
            },
            {
              name: 'quality',
              in: 'query',
              required: false,
              description: 'true: also the quality signals from practice (prompts for human review, never failures) for each record; default false',
              schema: { type: 'string', enum: ['true', 'false'] },
            },
            requestIdParameter(),
          ],
          requestBody: anyBody,
          responses: {
            '200': json('What the message would come to: per record, its problems and compliance findings', ref('CheckReport')),
            '400': outcome('The message cannot be read'),
            '415': outcome('The Content-Type contradicts the format'),
            '401': outcome('No valid token'),
            '413': outcome('The message is too large'),
            ...commonErrors(),
          },
        },
      },
      '/admin/dead-letters': {
        get: {
          operationId: 'listDeadLetters',
          summary: 'Messages and deliveries set aside after failing for good: ids, codes and counts, never a payload (admin)',
          parameters: [requestIdParameter()],
          responses: {
            '200': json('The open dead letters', { type: 'array', items: ref('DeadLetter') }),
            '401': outcome('No valid token'),
            '403': outcome('Not an admin'),
            ...commonErrors(),
          },
        },
      },
      '/admin/dead-letters/$replay': {
        post: {
          operationId: 'replayAllDeadLetters',
          summary: 'Every open dead letter back to be processed or delivered again (admin)',
          parameters: [requestIdParameter()],
          responses: { '200': json('What was replayed', ref('ReplayResult')), '401': outcome('No valid token'), '403': outcome('Not an admin'), ...commonErrors() },
        },
      },
      '/admin/dead-letters/{id}/$replay': {
        post: {
          operationId: 'replayDeadLetter',
          summary: "One message's dead letters back to be processed or delivered again (admin)",
          parameters: [messageIdParameter(), requestIdParameter()],
          responses: {
            '200': json('What was replayed', ref('ReplayResult')),
            '400': outcome('Not a message id'),
            '401': outcome('No valid token'),
            '403': outcome('Not an admin'),
            '404': outcome('No open dead letter has this id'),
            ...commonErrors(),
          },
        },
      },
      '/admin/dead-letters/{id}/$discard': {
        post: {
          operationId: 'discardDeadLetter',
          summary: "A message's dead letter discarded; the reason is kept (admin)",
          parameters: [messageIdParameter(), requestIdParameter()],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1 } } } } },
          },
          responses: {
            '204': { description: 'Discarded' },
            '400': outcome('Not a message id, or no reason'),
            '401': outcome('No valid token'),
            '403': outcome('Not an admin'),
            '404': outcome('No open dead letter has this id'),
            ...commonErrors(),
          },
        },
      },
      '/auth/token': {
        post: {
          operationId: 'token',
          summary: 'SMART Backend Services: an access token for a client that proves itself with a signed JWT assertion (RS384 or ES384)',
          security: [],
          requestBody: {
            required: true,
            content: { 'application/x-www-form-urlencoded': { schema: ref('TokenRequest') } },
          },
          responses: {
            '200': json('An access token', ref('TokenResponse')),
            '400': json('The request or the assertion is refused (RFC 6749 error)', ref('OAuthError')),
            '401': json('The client could not be authenticated', ref('OAuthError')),
            ...commonErrors(),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'The process is up (no dependency is asked)',
          security: [],
          responses: { '200': json('Up', ref('Health')) },
        },
      },
      '/readyz': {
        get: {
          operationId: 'readiness',
          summary: 'Redis and the store answer now',
          responses: { '200': json('Ready', ref('Readiness')), '503': outcome('Not ready: each dependency that is down named') },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus metrics: queue depths, processing and delivery latencies, deliveries, dead letters, findings by rule, HTTP requests',
          responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } }, ...commonErrors() },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document (for any registered client)',
          responses: { '200': json('The OpenAPI 3.1 document', { type: 'object' }) },
        },
      },
    },
    components: {
      securitySchemes: {
        smartBackendServices: {
          type: 'oauth2',
          description: 'SMART Backend Services: client credentials with a private_key_jwt assertion; scopes in SMART v1 or v2 syntax',
          flows: { clientCredentials: { tokenUrl: '/auth/token', scopes: { 'system/*.rs': 'read and search', 'system/*.read': 'read and search (SMART v1)' } } },
        },
      },
      schemas: schemas(),
    },
  };
}

function messageIdParameter(): Json {
  return { name: 'id', in: 'path', required: true, description: 'The message id, as POST /ingest answered', schema: { type: 'string', format: 'uuid' } };
}

function requestIdParameter(): Json {
  return {
    name: 'X-Request-Id',
    in: 'header',
    required: false,
    description: 'A correlation id carried to the queue jobs, outbound calls and log lines; letters, digits and ._:- up to 128',
    schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' },
  };
}

function schemas(): Json {
  const counts = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } };
  const date = { type: 'string', format: 'date-time' };
  const text = { type: 'string' };
  return {
    OperationOutcome: {
      type: 'object',
      required: ['resourceType', 'issue'],
      properties: {
        resourceType: { const: 'OperationOutcome' },
        issue: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['severity', 'code'],
            properties: {
              severity: { enum: ['fatal', 'error', 'warning', 'information'] },
              code: { type: 'string' },
              diagnostics: { type: 'string' },
              expression: { type: 'array', items: { type: 'string' } },
              details: { type: 'object' },
            },
          },
        },
      },
    },
    IngestAccepted: {
      type: 'object',
      required: ['id', 'duplicate', 'queued'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', format: 'uuid' },
        duplicate: { type: 'boolean', description: 'The same payload was accepted from this source before: `id` is that message' },
        queued: { type: 'boolean' },
      },
    },
    MessageHistory: {
      type: 'object',
      required: ['id', 'source', 'format', 'stage', 'stages', 'records', 'findings', 'deliveries', 'deadLetters'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        source: { type: 'string' },
        format: { type: 'string' },
        stage: { enum: ['received', 'processed', 'failed', 'dead'] },
        stages: {
          type: 'array',
          items: { type: 'object', required: ['stage', 'at'], properties: { stage: { type: 'string' }, at: date, detail: { type: 'object' } } },
        },
        records: { type: 'integer', minimum: 0 },
        findings: { ...counts, description: 'Findings counted by result' },
        deliveries: {
          type: 'array',
          items: {
            type: 'object',
            required: ['targetId', 'status', 'count'],
            properties: {
              targetId: { type: 'string' },
              status: { type: 'string' },
              count: { type: 'integer', minimum: 0 },
              leftOut: {
                type: 'array',
                items: { type: 'string' },
                description: "With those delivered: the record's fields the target's format does not hold, so not sent (paths with list positions folded, never values)",
              },
            },
          },
        },
        deadLetters: {
          type: 'array',
          items: {
            ...objectOf({ queue: text, reason: text, attempts: { type: 'integer' }, at: date }),
            properties: { queue: text, reason: text, attempts: { type: 'integer' }, at: date, replayedAt: date, discardedAt: date, discardReason: text },
          },
        },
      },
    },
    CheckReport: {
      type: 'array',
      description: 'The dry run, per record: errors in reading, mapping and validation (outcome), the Bundle when one was made, and the compliance findings',
      items: {
        type: 'object',
        required: ['file', 'record', 'bundle', 'outcome', 'compliance'],
        properties: {
          file: text,
          record: { type: 'integer', minimum: 1 },
          bundle: { type: ['object', 'null'] },
          outcome: ref('OperationOutcome'),
          compliance: { type: ['object', 'null'] },
          quality: { type: 'object', description: 'Only with ?quality=true: the quality signals for the record (prompts for human review)' },
        },
      },
    },
    DeadLetter: {
      type: 'object',
      required: ['messageId', 'queue', 'reason', 'source', 'format'],
      properties: { messageId: text, targetId: text, queue: text, reason: text, source: text, format: text, receivedAt: date, attempts: { type: 'integer' } },
    },
    ReplayResult: {
      type: 'object',
      required: ['replayed', 'notDead', 'queued'],
      properties: { replayed: { type: 'array', items: text }, notDead: { type: 'array', items: text }, queued: { type: 'boolean' } },
    },
    TokenRequest: objectOf({
      grant_type: { const: 'client_credentials' },
      client_assertion_type: { const: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' },
      client_assertion: text,
      scope: text,
    }),
    TokenResponse: {
      type: 'object',
      required: ['access_token', 'token_type', 'expires_in'],
      properties: { access_token: { type: 'string' }, token_type: { enum: ['bearer', 'Bearer'] }, expires_in: { type: 'integer' }, scope: { type: 'string' } },
    },
    OAuthError: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, error_description: { type: 'string' } } },
    Health: { type: 'object', required: ['status'], properties: { status: { const: 'up' } } },
    Readiness: {
      type: 'object',
      required: ['status', 'checks'],
      properties: { status: { const: 'ready' }, checks: { type: 'object', additionalProperties: { enum: ['up', 'down'] } } },
    },
  };
}

/** An object schema whose properties are all required. */
function objectOf(properties: Json): Json {
  return { type: 'object', required: Object.keys(properties), properties };
}

export function openApiRoute(settings: OpenApiSettings): Router {
  const document = openApiDocument(settings);
  const router = Router();
  router.get('/openapi.json', (_req, res) => void res.json(document));
  return router;
}
