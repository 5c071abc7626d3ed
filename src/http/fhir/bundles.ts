/** The Bundles the facade answers with: a searchset page and an instance history page, with absolute links. */
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import type { HistoryPage, SearchPage } from '../../ports/fhir-resources.js';

/** A URL under the base with these query parameters, in order. */
export function pageUrl(base: string, path: string, params: readonly (readonly [string, string])[]): string {
  const query = new URLSearchParams(params.map(([k, v]): [string, string] => [k, v])).toString();
  return `${base}/${path}${query === '' ? '' : `?${query}`}`;
}

export function searchsetBundle(base: string, page: SearchPage, links: { readonly self: string; readonly next?: string }): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(page.total === undefined ? {} : { total: page.total }),
    link: [{ relation: 'self', url: links.self }, ...(links.next === undefined ? [] : [{ relation: 'next', url: links.next }])],
    entry: page.resources.map((r): BundleEntry => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r.resource, search: { mode: 'match' } })),
  };
}

export function historyBundle(base: string, page: HistoryPage, links: { readonly self: string; readonly next?: string }): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'history',
    link: [{ relation: 'self', url: links.self }, ...(links.next === undefined ? [] : [{ relation: 'next', url: links.next }])],
    entry: page.versions.map((v): BundleEntry => {
      const url = `${v.resourceType}/${v.id}`;
      const response = {
        status: v.deleted ? '410 Gone' : v.versionId === 1 ? '201 Created' : '200 OK',
        etag: `W/"${v.versionId}"`,
        lastModified: v.lastUpdated.toISOString(),
      };
      return v.deleted
        ? { fullUrl: `${base}/${url}`, request: { method: 'DELETE', url }, response }
        : {
            fullUrl: `${base}/${url}`,
            resource: v.resource!,
            request: { method: v.versionId === 1 ? 'POST' : 'PUT', url: v.versionId === 1 ? v.resourceType : url },
            response,
          };
    }),
  };
}
