/**
 * The requests pont makes of a FHIR target, through fhir-kit-client: each with the target's
 * credentials and its own time limit, a 401 answered by renewing the token once, and every
 * failure turned into a DeliveryError (src/delivery/fhir-target/failures.ts).
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Client, type FhirResource, type RequestOptions } from 'fhir-kit-client';
import { DeliveryError } from '../../errors/errors.js';
import { literalReference } from '../../fhir/reference.js';
import type { Clock } from '../../ports/clock.js';
import type { Authenticator } from '../auth/auth.js';
import { deliveryFailure, statusOf } from './failures.js';

/** A resource as the target stored it. */
export interface Written {
  readonly id: string;
  readonly versionId?: string;
}

export interface FhirHttp {
  metadata(): Promise<unknown>;
  /** The resource, or undefined when the target has none by that id (404, 410). */
  read(resourceType: string, id: string): Promise<Resource | undefined>;
  /** The matches of a search written as `Type?criteria` (its first page). */
  search(url: string): Promise<Resource[]>;
  /** The matches of a search, and whether the target said there are more than its first page holds. */
  searchPage(url: string): Promise<{ readonly matches: Resource[]; readonly more: boolean }>;
  /** Update by `Type/id`, or conditionally by `Type?criteria`. */
  put(url: string, resource: Resource, ifMatch?: string): Promise<Written>;
  /** Create, only if nothing matches `ifNoneExist` (criteria without the type) when given. */
  create(resource: Resource, ifNoneExist?: string): Promise<Written>;
  /**
   * Conditional create (If-None-Exist) that tells what happened: created, or the one resource
   * that matched (undefined when the target's 200 did not carry it).
   */
  findOrCreate(resource: Resource, ifNoneExist: string): Promise<{ readonly created: Written } | { readonly existing: Resource | undefined }>;
  /** POST of a transaction or batch Bundle to the base. */
  bundle(bundle: Bundle): Promise<Bundle>;
  /** DELETE by `Type/id`; a resource already gone (404, 410) is no failure. */
  delete(resourceType: string, id: string): Promise<void>;
}

export interface FhirHttpOptions {
  readonly targetId: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly auth: Authenticator;
  readonly clock: Clock;
  /** Sent with every request (a change's X-Request-Id). */
  readonly headers?: Readonly<Record<string, string>>;
}

export function fhirHttp(options: FhirHttpOptions): FhirHttp {
  const client = new Client({ baseUrl: options.baseUrl });

  type Send = (request: RequestOptions & { headers: Record<string, string> }) => Promise<FhirResource>;

  /**
   * The answer to one request, sent again once with a fresh token after a 401. `what` names the
   * request in messages: a method and a resource type, never a value. A status in `absent` gives
   * undefined; with `conditional`, a 404 or 410 is a conflict: what If-Match named is gone.
   */
  async function request(
    what: string,
    send: Send,
    how: { headers?: Record<string, string>; absent?: readonly number[]; conditional?: boolean } = {},
  ): Promise<FhirResource | undefined> {
    for (let renewed = false; ; renewed = true) {
      const authorization = await options.auth.authorization();
      const init = { headers: { ...options.headers, ...how.headers, ...(authorization ? { authorization } : {}) }, signal: AbortSignal.timeout(options.timeoutMs) };
      try {
        return await send(init);
      } catch (err) {
        const status = statusOf(err);
        if (status === 401 && !renewed && options.auth.renew()) continue;
        if (status !== undefined && how.absent?.includes(status)) return undefined;
        if (how.conditional && (status === 404 || status === 410)) throw goneConflict(options.targetId, what, status);
        throw deliveryFailure(err, options.targetId, what, options.clock.now());
      }
    }
  }

  async function call(what: string, send: Send, how: { headers?: Record<string, string>; conditional?: boolean } = {}): Promise<FhirResource> {
    return (await request(what, send, how))!;
  }

  async function searchPage(url: string): Promise<{ matches: Resource[]; more: boolean }> {
    const { resourceType, searchParams } = conditional(url);
    const found = (await call(`search ${resourceType}`, (init) => client.search({ resourceType, searchParams, options: init }))) as unknown as Bundle;
    const matches = (found.entry ?? []).filter((e) => e.search?.mode !== 'include' && e.resource?.resourceType === resourceType).map((e) => e.resource as Resource);
    const more = (found.link ?? []).some((l) => l.relation === 'next') || (typeof found.total === 'number' && found.total > matches.length);
    return { matches, more };
  }

  function post(resource: Resource, ifNoneExist: string | undefined): Promise<FhirResource> {
    const body = resource as unknown as FhirResource;
    const how = ifNoneExist ? { headers: { 'if-none-exist': ifNoneExist } } : {};
    return call(`POST ${resource.resourceType}`, (init) => client.create({ resourceType: resource.resourceType, body, options: init }), how);
  }

  return {
    metadata: () => call('GET metadata', (init) => client.capabilityStatement(init)),
    async read(resourceType, id) {
      return (await request(`GET ${resourceType}`, (init) => client.read({ resourceType, id, options: init }), { absent: [404, 410] })) as Resource | undefined;
    },
    async search(url) {
      return (await searchPage(url)).matches;
    },
    searchPage,
    async put(url, resource, ifMatch) {
      const body = resource as unknown as FhirResource;
      const how = ifMatch ? { headers: { 'if-match': ifMatch }, conditional: true } : {};
      const send: Send = url.includes('?')
        ? (init) => client.update({ ...conditional(url), body, options: init })
        : (init) => client.update({ resourceType: resource.resourceType, id: url.slice(url.indexOf('/') + 1), body, options: init });
      return written(await call(`PUT ${resource.resourceType}`, send, how));
    },
    async create(resource, ifNoneExist) {
      return written(await post(resource, ifNoneExist));
    },
    async findOrCreate(resource, ifNoneExist) {
      const result = await post(resource, ifNoneExist);
      if (Client.httpFor(result).response?.status === 201) return { created: written(result) };
      const existing = result as unknown as Resource;
      return { existing: existing.resourceType === resource.resourceType && typeof existing.id === 'string' ? existing : undefined };
    },
    async bundle(bundle) {
      const conditional = bundle.entry?.some((e) => e.request?.ifMatch) === true;
      return (await call(bundle.type ?? 'Bundle', (init) => client.transaction({ body: bundle as unknown as FhirResource, options: init }), {
        conditional,
      })) as unknown as Bundle;
    },
    async delete(resourceType, id) {
      await request(`DELETE ${resourceType}`, (init) => client.delete({ resourceType, id, options: init }), { absent: [404, 410] });
    },
  };
}

/** A 404 or 410 to a request with If-Match: the version pont last saw is no longer there, which a re-read settles. */
export function goneConflict(targetId: string, what: string, status: number): DeliveryError {
  return new DeliveryError('DELIVERY_CONFLICT', `target ${targetId}: ${what} answered ${status} to If-Match`, true);
}

function conditional(url: string): { resourceType: string; searchParams: Record<string, string> } {
  const at = url.indexOf('?');
  return { resourceType: url.slice(0, at), searchParams: Object.fromEntries(new URLSearchParams(url.slice(at + 1))) };
}

/** The target's id and version of a resource from a write's answer: the body, else the ETag and Location. */
function written(result: FhirResource): Written {
  const response = Client.httpFor(result).response;
  const fromLocation = parseLocation(response?.headers.get('location') ?? undefined);
  const meta = result.meta as { versionId?: string } | undefined;
  const id = (result.id as string | undefined) ?? fromLocation?.id;
  if (id === undefined) throw new Error('the target answered a write without the id of what it wrote');
  const versionId = meta?.versionId ?? parseEtag(response?.headers.get('etag') ?? undefined) ?? fromLocation?.versionId;
  return versionId === undefined ? { id } : { id, versionId };
}

/** `[base/]Type/id[/_history/vid]` → id and version. */
export function parseLocation(location: string | undefined): { resourceType: string; id: string; versionId?: string } | undefined {
  const r = location ? literalReference(location) : undefined;
  if (r === undefined) return undefined;
  return r.version === undefined ? { resourceType: r.type, id: r.id } : { resourceType: r.type, id: r.id, versionId: r.version };
}

/** `W/"3"` or `"3"` → `3`. */
export function parseEtag(etag: string | undefined): string | undefined {
  const m = etag ? /^(?:W\/)?"([^"]*)"$/.exec(etag.trim()) : null;
  return m?.[1] || undefined;
}
