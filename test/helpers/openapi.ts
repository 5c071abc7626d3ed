/**
 * Checking an OpenAPI 3.1 document without its official meta-schema (not bundled with ajv, and
 * not to be fetched): the structure OpenAPI 3.1 requires of what pont uses, written here as a
 * JSON Schema and checked with ajv; every `$ref` resolving; every path template parameter
 * declared; and every schema in it compiled as JSON Schema 2020-12 (OpenAPI 3.1's dialect), so
 * that real answers can be validated against what the document says.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** What OpenAPI 3.1.0 (§4.8) requires of the objects pont's document uses. */
const STRUCTURE = {
  type: 'object',
  required: ['openapi', 'info'],
  anyOf: [{ required: ['paths'] }, { required: ['components'] }, { required: ['webhooks'] }],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+(-.+)?$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: {
        title: { type: 'string' },
        version: { type: 'string' },
        summary: { type: 'string' },
        license: { type: 'object', required: ['name'], not: { required: ['identifier', 'url'] } },
      },
    },
    jsonSchemaDialect: { type: 'string', format: 'uri' },
    security: { $ref: '#/$defs/security' },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        properties: Object.fromEntries(METHODS.map((m) => [m, { $ref: '#/$defs/operation' }])),
      },
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: ['object', 'boolean'] } },
        securitySchemes: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['type'],
            properties: { type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] } },
            anyOf: [{ properties: { type: { not: { const: 'oauth2' } } } }, { required: ['flows'] }],
          },
        },
      },
    },
  },
  $defs: {
    security: { type: 'array', items: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } },
    operation: {
      type: 'object',
      required: ['responses'],
      properties: {
        operationId: { type: 'string' },
        parameters: { type: 'array', items: { $ref: '#/$defs/parameter' } },
        requestBody: { type: 'object', required: ['content'], properties: { content: { $ref: '#/$defs/content' } } },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5](\\d\\d|XX)|default)$' },
          additionalProperties: { $ref: '#/$defs/response' },
        },
        security: { $ref: '#/$defs/security' },
      },
    },
    parameter: {
      type: 'object',
      required: ['name', 'in'],
      properties: { name: { type: 'string' }, in: { enum: ['query', 'header', 'path', 'cookie'] }, required: { type: 'boolean' } },
      allOf: [
        { oneOf: [{ required: ['schema'] }, { required: ['content'] }] },
        { anyOf: [{ properties: { in: { not: { const: 'path' } } } }, { required: ['required'], properties: { required: { const: true } } }] },
      ],
    },
    response: {
      type: 'object',
      required: ['description'],
      properties: { description: { type: 'string' }, content: { $ref: '#/$defs/content' }, headers: { type: 'object' } },
    },
    content: { type: 'object', additionalProperties: { type: 'object', properties: { schema: { type: ['object', 'boolean'] } } } },
  },
};

/** Strict, except that `required` may name properties a sibling `properties` does not (the structure's anyOf and if/then). */
function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)));
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S+$/i);
  ajv.addFormat('binary', true);
  return ajv;
}

/** Every problem found in the document; none for a good one. */
export function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  const structure = newAjv().compile(STRUCTURE);
  if (!structure(doc)) problems.push(...(structure.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
  for (const { at, ref } of refsIn(doc)) if (resolve(doc, ref) === undefined) problems.push(`${at}: $ref ${ref} resolves to nothing`);
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const method of METHODS.filter((m) => item[m] !== undefined)) {
      const declared = (((item[method] as Json).parameters ?? []) as Json[]).filter((p) => p.in === 'path').map((p) => p.name);
      for (const name of templated) if (!declared.includes(name)) problems.push(`${method.toUpperCase()} ${path}: path parameter {${name}} not declared`);
      for (const name of declared) if (!templated.includes(name as string)) problems.push(`${method.toUpperCase()} ${path}: path parameter ${String(name)} not in the path`);
    }
  }
  try {
    openApiSchemas(doc);
  } catch (err) {
    problems.push(`a schema is not valid JSON Schema 2020-12: ${(err as Error).message}`);
  }
  return problems;
}

export interface OpenApiSchemas {
  /** Validates a value against the schema of an operation's response; the errors, none when it is valid. */
  response(path: string, method: string, status: number, contentType: string, value: unknown): string[];
}

/** Compiles every schema in the document (components and inline), as JSON Schema 2020-12. */
export function openApiSchemas(doc: Json): OpenApiSchemas {
  const ajv = newAjv();
  const base = 'https://pont.invalid/components/';
  const components = ((doc.components as Json | undefined)?.schemas ?? {}) as Record<string, unknown>;
  // Each component under a URI of its own, the document's $refs to it rewritten to that URI.
  const withComponents = (schema: unknown): unknown => rewriteRefs(schema, base);
  for (const [name, schema] of Object.entries(components)) ajv.addSchema({ ...(withComponents(schema) as Json), $id: `${base}${name}` });
  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: unknown) => {
    const fn = ajv.compile(withComponents(schema) as Json);
    compiled.set(key, fn);
  };
  for (const name of Object.keys(components)) compile(`component ${name}`, { $ref: `#/components/schemas/${name}` });
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS.filter((m) => item[m] !== undefined)) {
      const op = item[method] as Json;
      for (const p of (op.parameters ?? []) as Json[]) if (p.schema !== undefined) compile(`${method} ${path} parameter ${String(p.name)}`, p.schema);
      for (const [type, media] of Object.entries(((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>))
        if (media.schema !== undefined) compile(`${method} ${path} request ${type}`, media.schema);
      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>))
        for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, Json>))
          if (media.schema !== undefined) compile(`${method} ${path} ${status} ${type}`, media.schema);
    }
  }
  return {
    response(path, method, status, contentType, value) {
      const key = `${method.toLowerCase()} ${path} ${status} ${contentType}`;
      const fn = compiled.get(key);
      if (fn === undefined) return [`the document gives no schema for ${key}`];
      return fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
    },
  };
}

/** `#/components/schemas/X` → the URI the component is registered under. */
function rewriteRefs(schema: unknown, base: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => rewriteRefs(s, base));
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace(/^#\/components\/schemas\//, base) : rewriteRefs(v, base)]),
  );
}

function refsIn(value: unknown, at = '#'): { at: string; ref: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsIn(v, `${at}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [{ at, ref: v }] : refsIn(v, `${at}/${k}`)));
}

function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Json)[key] : undefined), doc);
}
