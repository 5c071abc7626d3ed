/**
 * The R4 Subscription resource as pont takes and gives it. pont honours `channel.type` rest-hook
 * only, criteria as src/subscription/criteria.ts reads them, `end`, a JSON payload or none, and
 * headers. R4 has no handshake: a subscription asked for as `requested` is active at once (R4
 * lets a server do so), `off` pauses it, and `error` is pont's to set. Every problem is named by
 * its element; values are never quoted (a criteria value or a header may be patient data or a secret).
 */
import type { OperationOutcomeIssue, Subscription } from '@medplum/fhirtypes';
import type { StoredSubscription, SubscriptionDefinition, SubscriptionStatus } from '../ports/subscriptions.js';
import { parseCriteria } from './criteria.js';

export type SubscriptionInput =
  | { readonly ok: true; readonly definition: SubscriptionDefinition; readonly status: SubscriptionStatus }
  | { readonly ok: false; readonly issues: readonly OperationOutcomeIssue[] };

/** JSON payloads pont can send; R4 names the payload by mime type. */
const PAYLOADS = new Set(['application/fhir+json', 'application/json']);
/** A field name (RFC 9110 token). */
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}):[ \t]*([^\r\n\0]{0,4096})$/;
/** Headers that describe the request itself, which pont sets. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect']);
const MAX_HEADERS = 20;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const issue = (element: string, diagnostics: string, code: OperationOutcomeIssue['code'] = 'invalid'): OperationOutcomeIssue => ({
  severity: 'error',
  code,
  diagnostics,
  expression: [`Subscription.${element}`],
});

/**
 * Checks a Subscription a client sent. `current` is the stored status when it is an update:
 * `requested` resumes (active), `off` pauses, and the status it already has may be sent back as it is.
 */
export function readSubscription(input: unknown, now: Date, current?: SubscriptionStatus): SubscriptionInput {
  if (input === null || typeof input !== 'object' || Array.isArray(input) || (input as { resourceType?: unknown }).resourceType !== 'Subscription') {
    return { ok: false, issues: [{ severity: 'error', code: 'structure', diagnostics: 'the body must be a Subscription resource (JSON)', expression: ['Subscription'] }] };
  }
  const s = input as Record<string, unknown>;
  const issues: OperationOutcomeIssue[] = [];

  const status = statusOf(s.status, current, issues);

  if (typeof s.reason !== 'string' || s.reason.trim() === '') issues.push(issue('reason', 'reason is required (why the subscription is made)', 'required'));

  let criteria: string | undefined;
  if (typeof s.criteria !== 'string' || s.criteria === '') issues.push(issue('criteria', 'criteria is required, e.g. "CarePlan"', 'required'));
  else {
    const parsed = parseCriteria(s.criteria);
    if ('issue' in parsed) issues.push(parsed.issue);
    else criteria = s.criteria;
  }

  let end: Date | undefined;
  if (s.end !== undefined) {
    if (typeof s.end !== 'string' || !INSTANT.test(s.end) || Number.isNaN(Date.parse(s.end))) issues.push(issue('end', 'end must be an instant with a time zone'));
    else if (Date.parse(s.end) <= now.getTime()) issues.push(issue('end', 'end is in the past', 'business-rule'));
    else end = new Date(s.end);
  }

  const channel = channelOf(s.channel, issues);
  if (issues.length > 0 || status === undefined || criteria === undefined || channel === undefined) return { ok: false, issues };
  return {
    ok: true,
    status,
    definition: { criteria, ...channel, reason: s.reason as string, ...(end === undefined ? {} : { end }) },
  };
}

function statusOf(value: unknown, current: SubscriptionStatus | undefined, issues: OperationOutcomeIssue[]): SubscriptionStatus | undefined {
  if (value === 'requested') return 'active';
  if (value === 'off') return 'off';
  if ((value === 'active' || value === 'error') && value === current) return value;
  if (typeof value !== 'string') issues.push(issue('status', 'status is required: requested (pont makes it active at once) or off', 'required'));
  else issues.push(issue('status', 'a client may ask for status requested (made active) or off; active and error are set by pont', 'business-rule'));
  return undefined;
}

function channelOf(value: unknown, issues: OperationOutcomeIssue[]): Pick<SubscriptionDefinition, 'endpoint' | 'payload' | 'headers'> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.push(issue('channel', 'channel is required', 'required'));
    return undefined;
  }
  const c = value as Record<string, unknown>;
  const before = issues.length;
  if (c.type !== 'rest-hook') issues.push(issue('channel.type', 'pont offers channel type rest-hook only', 'not-supported'));
  const endpoint = typeof c.endpoint === 'string' ? endpointOf(c.endpoint) : undefined;
  if (typeof c.endpoint !== 'string') issues.push(issue('channel.endpoint', 'a rest-hook channel needs an endpoint', 'required'));
  else if (endpoint === undefined)
    issues.push(issue('channel.endpoint', 'the endpoint must be an https URL (or http to 127.0.0.1 or localhost), without credentials or fragment'));
  let payload: string | undefined;
  if (c.payload !== undefined) {
    const mime = typeof c.payload === 'string' ? c.payload.split(';')[0]!.trim().toLowerCase() : '';
    if (!PAYLOADS.has(mime)) issues.push(issue('channel.payload', 'pont sends payloads as application/fhir+json or application/json only', 'not-supported'));
    else payload = c.payload as string;
  }
  const headers = c.header === undefined ? [] : c.header;
  if (!Array.isArray(headers) || headers.length > MAX_HEADERS) issues.push(issue('channel.header', `header is a list of at most ${MAX_HEADERS} "Name: value" lines`));
  else
    headers.forEach((h: unknown, i) => {
      const name = typeof h === 'string' ? HEADER.exec(h)?.[1] : undefined;
      if (name === undefined) issues.push(issue(`channel.header[${i}]`, 'a header is one "Name: value" line'));
      else if (RESERVED_HEADERS.has(name.toLowerCase())) issues.push(issue(`channel.header[${i}]`, `pont sets the ${name.toLowerCase()} header itself`, 'business-rule'));
    });
  if (issues.length > before || endpoint === undefined) return undefined;
  return { endpoint, ...(payload === undefined ? {} : { payload }), headers: headers as string[] };
}

function endpointOf(text: string): string | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (url.username !== '' || url.password !== '' || url.hash !== '') return undefined;
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return text;
  return undefined;
}

/** The stored subscription as an R4 Subscription resource. */
export function toResource(s: StoredSubscription): Subscription {
  return {
    resourceType: 'Subscription',
    id: s.id,
    meta: { versionId: String(s.versionId), lastUpdated: s.updatedAt.toISOString() },
    status: s.status,
    ...(s.end === undefined ? {} : { end: s.end.toISOString() }),
    reason: s.reason,
    criteria: s.criteria,
    ...(s.error === undefined ? {} : { error: s.error }),
    channel: {
      type: 'rest-hook',
      endpoint: s.endpoint,
      ...(s.payload === undefined ? {} : { payload: s.payload }),
      ...(s.headers.length === 0 ? {} : { header: [...s.headers] }),
    },
  };
}
