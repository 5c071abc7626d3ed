/**
 * Which HTTP requests are audited, and as what: reads, searches, exports, ingest and admin actions.
 * Decided from the method and the path, so that it holds however the routers are arranged. The
 * open and operational endpoints (health, readiness, metrics, OpenAPI, the token endpoint, the
 * CapabilityStatement) are not audited.
 */
import { type Interaction, PONT_AUDIT_SUBTYPE, RESTFUL_INTERACTION } from './audit-event.js';

export interface RequestFacts {
  readonly method: string;
  /** The path as sent, without the query. */
  readonly path: string;
  /** The query as sent, without `?`; empty when none. */
  readonly query: string;
  /** The Location the answer gave (ingest names the message it accepted). */
  readonly location?: string;
}

const rest = (code: string) => ({ system: RESTFUL_INTERACTION, code });
const pont = (code: string) => ({ system: PONT_AUDIT_SUBTYPE, code });
const TYPE = '[A-Z][A-Za-z]+';
const ID = '[A-Za-z0-9\\-.]{1,64}';

export function classifyRequest(r: RequestFacts): Interaction | undefined {
  const withQuery = (i: Interaction): Interaction => (r.query === '' ? i : { ...i, query: r.query });
  const p = r.path.replace(/\/+$/, '') || '/';
  let m: RegExpExecArray | null;
  if (r.method === 'POST' && /^\/ingest\/[^/]+$/.test(p)) {
    const reference = r.location?.replace(/^\//, '');
    return { subtype: pont('ingest'), action: 'C', ...(reference === undefined ? {} : { reference }) };
  }
  if (r.method === 'GET' && (m = new RegExp(`^/messages/(${ID})$`).exec(p))) return { subtype: rest('read'), action: 'R', reference: `messages/${m[1]}` };
  if (r.method === 'POST' && p === '/$check') return withQuery({ subtype: rest('operation'), action: 'E' });
  if (/^\/(admin|dead-letters|dlq)(\/|$)/.test(p)) return withQuery({ subtype: pont('admin'), action: adminAction(r.method), reference: p.slice(1) });
  if (!p.startsWith('/fhir')) return undefined;
  const f = p.slice('/fhir'.length) || '/';
  if (f === '/metadata' || f === '/') return undefined;
  if (/\/\$export$/.test(f) || /\/\$export-poll-status/.test(f)) return withQuery({ subtype: rest('operation'), action: 'E', reference: f.slice(1) });
  if (/\/\$[a-z][a-z-]*$/.test(f)) return withQuery({ subtype: rest('operation'), action: 'E', reference: f.slice(1) });
  if (r.method === 'GET' && (m = new RegExp(`^/(${TYPE})/(${ID})/_history/(${ID})$`).exec(f))) return { subtype: rest('vread'), action: 'R', reference: f.slice(1) };
  if (r.method === 'GET' && (m = new RegExp(`^/(${TYPE})/(${ID})/_history$`).exec(f))) return { subtype: rest('history-instance'), action: 'R', reference: `${m[1]}/${m[2]}` };
  if (r.method === 'GET' && new RegExp(`^/(${TYPE})/(${ID})$`).test(f)) return { subtype: rest('read'), action: 'R', reference: f.slice(1) };
  if ((r.method === 'GET' && new RegExp(`^/${TYPE}$`).test(f)) || (r.method === 'POST' && new RegExp(`^/${TYPE}/_search$`).test(f)))
    return withQuery({ subtype: rest('search-type'), action: 'E', reference: f.slice(1).replace(/\/_search$/, '') });
  if (r.method === 'GET' && f === '/_search') return withQuery({ subtype: rest('search-system'), action: 'E' });
  if (r.method === 'POST' && new RegExp(`^/${TYPE}$`).test(f)) return { subtype: rest('create'), action: 'C', reference: f.slice(1) };
  if (r.method === 'PUT' && new RegExp(`^/${TYPE}/${ID}$`).test(f)) return { subtype: rest('update'), action: 'U', reference: f.slice(1) };
  if (r.method === 'DELETE' && new RegExp(`^/${TYPE}/${ID}$`).test(f)) return { subtype: rest('delete'), action: 'D', reference: f.slice(1) };
  // An export's files and its cancellation, under pont's own paths.
  if (r.method === 'DELETE') return { subtype: rest('delete'), action: 'D', reference: f.slice(1) };
  return r.method === 'GET' ? { subtype: rest('read'), action: 'R', reference: f.slice(1) } : undefined;
}

function adminAction(method: string): Interaction['action'] {
  if (method === 'GET') return 'R';
  if (method === 'DELETE') return 'D';
  return 'E';
}
