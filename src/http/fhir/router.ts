/**
 * The FHIR facade (issue 10), an express Router to mount under `/fhir`: the CapabilityStatement,
 * read, vread, instance history and search of the served resources, read-only (writes go through
 * ingest: every write method is 405). Only translates HTTP to the FhirResourceReader port and
 * back; who may see what is the PatientScope the deps' `scope` gives for the request, applied by
 * the store. Every error answer is an OperationOutcome.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { PontError, SearchError } from '../../errors/errors.js';
import { isServedType } from '../../fhir/search-parameters.js';
import { parseSearch } from '../../fhir/search-query.js';
import type { CurrentResource, FhirResourceReader, PatientScope, ReadResult } from '../../ports/fhir-resources.js';
import { problem } from '../outcome.js';
import { historyBundle, pageUrl, searchsetBundle } from './bundles.js';
import { capabilityStatement } from './capability-statement.js';
import { FHIR_JSON, responseType } from './negotiation.js';

export interface FhirRouterDeps {
  readonly resources: FhirResourceReader;
  /** Whose resources this request may see (authorisation decides; the facade applies it). */
  readonly scope: (req: Request) => PatientScope;
  readonly software?: { readonly name: string; readonly version: string };
  /** Search page sizes: when `_count` is not given, and the most it may ask for. @defaultValue 20 and 200 */
  readonly pageSize?: { readonly default: number; readonly max: number };
  /** Largest POST _search body, in bytes. @defaultValue 64 KiB */
  readonly maxSearchBytes?: number;
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const FORM = 'application/x-www-form-urlencoded';

export function createFhirRouter(deps: FhirRouterDeps): Router {
  const router = express.Router();
  const pageSize = deps.pageSize ?? { default: 20, max: 200 };
  const published = new Date().toISOString();
  const software = deps.software ?? { name: 'pont', version: '0.1.0' };

  // Content negotiation first: an answer the client cannot read is not worth working out.
  router.use((req: Request, res: Response, next: NextFunction) => {
    const type = responseType(req);
    if (type === undefined) return void send(res, 406, problem('not-supported', 'this server answers in JSON only: application/fhir+json or application/json'), FHIR_JSON);
    res.locals.fhirType = type;
    next();
  });

  router.get('/metadata', (req, res) => {
    send(res, 200, capabilityStatement({ baseUrl: baseOf(req), date: published, software }));
  });

  const search = async (req: Request, res: Response, query: readonly (readonly [string, string])[]) => {
    const type = servedType(req, res);
    if (type === undefined) return;
    const parsed = parseSearch(type, query, { lenient: isLenient(req) });
    const count = Math.min(parsed.count ?? pageSize.default, pageSize.max);
    const page = await deps.resources.search(deps.scope(req), {
      resourceType: type,
      criteria: parsed.criteria,
      count,
      ...(parsed.cursor === undefined ? {} : { cursor: parsed.cursor }),
      total: parsed.cursor === undefined,
    });
    const base = baseOf(req);
    const link = (cursor: string | undefined) =>
      pageUrl(base, type, [...parsed.kept, ['_count', String(count)], ...(cursor === undefined ? [] : [['_cursor', cursor] as const])]);
    send(res, 200, searchsetBundle(base, page, { self: link(parsed.cursor), ...(page.next === undefined ? {} : { next: link(page.next) }) }));
  };

  router.get('/:type', (req, res, next) => search(req, res, queryPairs(req)).catch(next));

  router.post('/:type/_search', express.text({ type: FORM, limit: deps.maxSearchBytes ?? 65_536 }), (req, res, next) => {
    if (req.get('content-type') !== undefined && !req.is(FORM)) return void send(res, 415, problem('not-supported', `POST _search takes its parameters as ${FORM}`));
    const body = typeof req.body === 'string' ? [...new URLSearchParams(req.body)] : [];
    search(req, res, [...queryPairs(req), ...body]).catch(next);
  });

  router.get('/:type/:id', (req, res, next) => {
    const type = servedType(req, res);
    const id = type === undefined ? undefined : validId(req, res);
    if (type === undefined || id === undefined) return;
    deps.resources
      .read(deps.scope(req), type, id)
      .then((result) => answerRead(req, res, result, `${type}/${id}`))
      .catch(next);
  });

  router.get('/:type/:id/_history', (req, res, next) => {
    const type = servedType(req, res);
    const id = type === undefined ? undefined : validId(req, res);
    if (type === undefined || id === undefined) return;
    const query = queryPairs(req);
    const unknown = query.find(([k]) => !['_count', '_cursor', '_format'].includes(k));
    if (unknown !== undefined && !isLenient(req)) throw new SearchError('SEARCH_UNKNOWN_PARAMETER', `history takes only _count and _cursor, not "${unknown[0]}"`, unknown[0]);
    const { count, cursor } = parseSearch(
      type,
      query.filter(([k]) => k === '_count' || k === '_cursor'),
      { lenient: false },
    );
    const size = Math.min(count ?? pageSize.default, pageSize.max);
    deps.resources
      .history(deps.scope(req), type, id, { count: size, ...(cursor === undefined ? {} : { cursor }) })
      .then((page) => {
        if (page === undefined) return void send(res, 404, problem('not-found', `no ${type} has this id`));
        const base = baseOf(req);
        const link = (c: string | undefined) => pageUrl(base, `${type}/${id}/_history`, [['_count', String(size)], ...(c === undefined ? [] : [['_cursor', c] as const])]);
        send(res, 200, historyBundle(base, page, { self: link(cursor), ...(page.next === undefined ? {} : { next: link(page.next) }) }));
      })
      .catch(next);
  });

  router.get('/:type/:id/_history/:vid', (req, res, next) => {
    const type = servedType(req, res);
    const id = type === undefined ? undefined : validId(req, res);
    if (type === undefined || id === undefined) return;
    const vid = String(req.params.vid);
    if (!/^[1-9]\d{0,8}$/.test(vid)) return void send(res, 404, problem('not-found', `no version of this ${type} has this version id`));
    deps.resources
      .vread(deps.scope(req), type, id, Number(vid))
      .then((result) => answerRead(req, res, result, `${type}/${id}/_history/${vid}`))
      .catch(next);
  });

  // Read-only: every other method on a FHIR path is refused, naming what is allowed.
  router.all('/{*path}', (req, res) => {
    const path = req.path;
    const known = path === '/metadata' || /^\/[A-Za-z]+(\/[^/]+(\/_history(\/[^/]+)?)?)?$/.test(path) || /^\/[A-Za-z]+\/_search$/.test(path) || path === '/';
    if (!known) return void send(res, 404, problem('not-found', 'no such FHIR endpoint'));
    res.set('Allow', /\/_search$/.test(path) ? 'POST' : 'GET');
    send(res, 405, problem('not-supported', `${req.method} is not allowed: the FHIR facade is read-only; records are written through POST /ingest/{source}`));
  });

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof SearchError) return void send(res, 400, { resourceType: 'OperationOutcome', issue: err.issues });
    if ((err as { type?: unknown })?.type === 'entity.too.large') return void send(res, 413, problem('too-costly', 'the search is too long'));
    if (err instanceof PontError && err.retryable) {
      res.set('Retry-After', '30');
      return void send(res, 503, problem('transient', err.message));
    }
    send(res, 500, problem('exception', err instanceof PontError ? `${err.code}: ${err.message}` : 'internal fault in pont', 'fatal'));
  });

  return router;
}

function answerRead(req: Request, res: Response, result: ReadResult, what: string): void {
  if (result.status === 'not-found') return void send(res, 404, problem('not-found', `${what} is not known`));
  const { version } = result;
  res.set('ETag', `W/"${version.versionId}"`);
  res.set('Last-Modified', version.lastUpdated.toUTCString());
  if (result.status === 'deleted') return void send(res, 410, problem('deleted', `${what} was deleted: it is no longer in the person's current record`));
  if (matchesEtag(req.get('if-none-match'), result.version)) return void res.status(304).end();
  send(res, 200, result.version.resource);
}

function matchesEtag(header: string | undefined, version: CurrentResource): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === `"${version.versionId}"`;
  });
}

export function send(res: Response, status: number, body: unknown, type?: string): void {
  res
    .status(status)
    .type(type ?? (res.locals.fhirType as string | undefined) ?? FHIR_JSON)
    .send(JSON.stringify(body));
}

function servedType(req: Request, res: Response): string | undefined {
  const type = String(req.params.type);
  if (isServedType(type)) return type;
  send(res, 404, problem('not-supported', `resource type "${type.slice(0, 64)}" is not served here; see /metadata`));
  return undefined;
}

function validId(req: Request, res: Response): string | undefined {
  const id = String(req.params.id);
  if (ID.test(id)) return id;
  send(res, 404, problem('not-found', 'not a FHIR id'));
  return undefined;
}

export function isLenient(req: Request): boolean {
  return /(^|[,;\s])handling\s*=\s*lenient\b/i.test(req.get('prefer') ?? '');
}

/** The query string's parameters in order, repeats kept (as URLSearchParams reads them). */
export function queryPairs(req: Request): [string, string][] {
  const q = req.originalUrl.indexOf('?');
  return q < 0 ? [] : [...new URLSearchParams(req.originalUrl.slice(q + 1))];
}

/** The facade's base URL as this request reached it: scheme, host and the mount path. */
export function baseOf(req: Request): string {
  return `${req.protocol}://${req.get('host')}${req.baseUrl}`;
}
