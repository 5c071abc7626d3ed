/**
 * The AuditLog (src/ports/audit-log.ts) in PostgreSQL or PGlite: each AuditEvent kept whole, with
 * the columns admins search by (when, who, what action and subtype) beside it.
 */
import type { AuditEvent } from '@medplum/fhirtypes';
import type { AuditLog, AuditSearch } from '../ports/audit-log.js';
import type { SqlClient } from './sql-client.js';

export function auditLog(db: SqlClient): AuditLog {
  return {
    async record(event) {
      const entity = event.entity?.[0];
      const requestId = entity?.detail?.find((d) => d.type === 'requestId')?.valueString ?? null;
      await db.query(
        `insert into pont_audit_event (id, recorded, type_code, subtype_code, action, outcome, client_id, request_id, entity, source, event)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)`,
        [
          event.id,
          event.recorded,
          event.type.code ?? 'unknown',
          event.subtype?.[0]?.code ?? 'unknown',
          event.action ?? 'E',
          event.outcome ?? '0',
          event.agent.find((a) => a.requestor)?.who?.identifier?.value ?? null,
          requestId,
          entity?.what?.reference ?? (entity?.query === undefined ? null : 'query'),
          event.source.site ?? 'pont',
          JSON.stringify(event),
        ],
      );
    },

    async search(criteria: AuditSearch) {
      const where: string[] = [];
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (criteria.from !== undefined) where.push(`recorded >= ${param(criteria.from.toISOString())}`);
      if (criteria.to !== undefined) where.push(`recorded < ${param(criteria.to.toISOString())}`);
      if (criteria.clientId !== undefined) where.push(`client_id = ${param(criteria.clientId)}`);
      if (criteria.action !== undefined) where.push(`action = ${param(criteria.action)}`);
      if (criteria.subtype !== undefined) where.push(`subtype_code = ${param(criteria.subtype)}`);
      if (criteria.after !== undefined) where.push(`(recorded, id) < (${param(criteria.after.recorded.toISOString())}, ${param(criteria.after.id)}::uuid)`);
      const limit = param(Math.max(1, Math.min(1000, criteria.limit ?? 100)));
      const { rows } = await db.query<{ event: AuditEvent | string }>(
        `select event from pont_audit_event ${where.length === 0 ? '' : `where ${where.join(' and ')}`} order by recorded desc, id desc limit ${limit}`,
        params,
      );
      return rows.map((r) => (typeof r.event === 'string' ? (JSON.parse(r.event) as AuditEvent) : r.event));
    },
  };
}
