/**
 * An HTTP interaction as a FHIR R4 AuditEvent: what kind of interaction (type `rest`, subtype the
 * RESTful interaction or operation), the action (C R U D E), when, the outcome from the status,
 * who (the client, as requestor, and its network address), what (a resource reference, or the
 * query as sent, base64 as AuditEvent.entity.query is), and pont as the source.
 */
import type { AuditEvent, AuditEventEntity } from '@medplum/fhirtypes';

export const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
export const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
/** pont's own subtypes for what FHIR's interactions do not name (ingest, admin actions). */
export const PONT_AUDIT_SUBTYPE = 'https://fhir.pont.wales/CodeSystem/audit-subtype';
export const CLIENT_ID_SYSTEM = 'https://fhir.pont.wales/Id/client';

export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';

/** What was done, as the audit middleware classifies a request. */
export interface Interaction {
  readonly subtype: { readonly system: string; readonly code: string };
  readonly action: AuditAction;
  /** A resource reference (`Patient/123`, `messages/<id>`), when the request named one. */
  readonly reference?: string;
  /** The query as sent (search, export), kept only in the audit store. */
  readonly query?: string;
}

export interface AuditFacts {
  readonly id: string;
  readonly recorded: Date;
  readonly interaction: Interaction;
  readonly status: number;
  readonly clientId?: string;
  readonly address?: string;
  readonly requestId?: string;
  /** The route template, never the path as sent. */
  readonly route: string;
  readonly method: string;
  /** The site pont runs as (its base URL or host name). */
  readonly site: string;
}

/** 0 success, 4 minor failure (the client's request refused), 8 serious failure (pont's own fault). */
export function outcomeOf(status: number): '0' | '4' | '8' {
  if (status < 400) return '0';
  return status < 500 ? '4' : '8';
}

export function auditEvent(facts: AuditFacts): AuditEvent & { id: string; recorded: string } {
  const { interaction } = facts;
  const entity: AuditEventEntity = {
    ...(interaction.reference === undefined ? {} : { what: { reference: interaction.reference } }),
    ...(interaction.query === undefined ? {} : { query: Buffer.from(interaction.query, 'utf8').toString('base64') }),
    detail: [
      { type: 'route', valueString: `${facts.method} ${facts.route}` },
      ...(facts.requestId === undefined ? [] : [{ type: 'requestId', valueString: facts.requestId }]),
    ],
  };
  return {
    resourceType: 'AuditEvent',
    id: facts.id,
    type: { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'RESTful Operation' },
    subtype: [interaction.subtype],
    action: interaction.action,
    recorded: facts.recorded.toISOString(),
    outcome: outcomeOf(facts.status),
    outcomeDesc: `HTTP ${facts.status}`,
    agent: [
      {
        requestor: true,
        ...(facts.clientId === undefined ? { who: { display: 'unauthenticated caller' } } : { who: { identifier: { system: CLIENT_ID_SYSTEM, value: facts.clientId } } }),
        ...(facts.address === undefined ? {} : { network: { address: facts.address, type: '2' as const } }),
      },
    ],
    source: {
      site: facts.site,
      observer: { display: 'pont' },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity: [entity],
  };
}
