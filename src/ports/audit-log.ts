/**
 * Where pont keeps its AuditEvents (FHIR R4): one per read, search, export, ingest and admin
 * action, stored and searchable by admins (src/store/audit-events.ts keeps them in SQL).
 */
import type { AuditEvent } from '@medplum/fhirtypes';

export interface AuditSearch {
  /** Recorded at or after. */
  readonly from?: Date;
  /** Recorded before. */
  readonly to?: Date;
  readonly clientId?: string;
  /** C, R, U, D or E (AuditEvent.action). */
  readonly action?: string;
  /** The subtype code (`read`, `search-type`, `create`, `operation`…). */
  readonly subtype?: string;
  /** Newest first; at most this many. @defaultValue 100 */
  readonly limit?: number;
  /** The page after this one: the last event of the page before. */
  readonly after?: { readonly recorded: Date; readonly id: string };
}

export interface AuditLog {
  /** Keeps the event; it has an id and a recorded time. */
  record(event: AuditEvent & { readonly id: string; readonly recorded: string }): Promise<void>;
  /** Events matching every criterion given, newest first. */
  search(criteria: AuditSearch): Promise<AuditEvent[]>;
}
