/** Bulk Data export jobs (src/ports/bulk-export.ts) in pont_export_job. */
import { randomUUID } from 'node:crypto';
import type { ExportFile, ExportJob, ExportJobStore, ExportLevel, ExportStatus } from '../ports/bulk-export.js';
import type { PatientScope } from '../ports/fhir-resources.js';
import type { SqlClient } from './sql-client.js';

interface JobRow {
  id: string;
  client_id: string;
  level: 'system' | 'patient' | 'group';
  group_id: string | null;
  patients: string[] | null;
  types: string[];
  since: Date | string | null;
  transaction_time: Date | string;
  request: string;
  scope: PatientScope;
  status: ExportStatus;
  files: ExportFile[] | null;
  supporting: Record<string, string[]> | null;
  counted: number;
  error: string | null;
  finished_at: Date | string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function sqlExportJobStore(db: SqlClient): ExportJobStore {
  return {
    async create(request) {
      const { rows } = await db.query<JobRow>(
        `insert into pont_export_job (id, client_id, level, group_id, patients, types, since, transaction_time, request, scope, status, created_at)
         values ($1, $2, $3, $4, $5::text[], $6::text[], $7::timestamptz, date_trunc('milliseconds', clock_timestamp()), $8, $9::jsonb, 'in-progress', clock_timestamp())
         returning *`,
        [
          randomUUID(),
          request.clientId,
          request.level.kind,
          request.level.kind === 'group' ? request.level.groupId : null,
          request.patients ?? null,
          request.types,
          request.since?.toISOString() ?? null,
          request.request,
          JSON.stringify(request.scope),
        ],
      );
      return jobOf(rows[0]!);
    },

    async get(id) {
      if (!UUID.test(id)) return undefined;
      const { rows } = await db.query<JobRow>('select * from pont_export_job where id = $1', [id]);
      return rows[0] === undefined ? undefined : jobOf(rows[0]);
    },

    async claim(id, seconds) {
      const { rows } = await db.query(
        `update pont_export_job set counting_until = clock_timestamp() + make_interval(secs => $2)
          where id = $1 and status = 'in-progress' and (counting_until is null or counting_until < clock_timestamp()) returning id`,
        [id, seconds],
      );
      return rows.length > 0;
    },

    async setSupporting(id, supporting) {
      await db.query('update pont_export_job set supporting = $2::jsonb where id = $1', [id, JSON.stringify(supporting)]);
    },

    async progress(id, counted, seconds) {
      await db.query('update pont_export_job set counted = $2, counting_until = clock_timestamp() + make_interval(secs => $3) where id = $1', [id, counted, seconds]);
    },

    async complete(id, files) {
      await db.query(
        `update pont_export_job set status = 'complete', files = $2::jsonb, counted = cardinality(types), counting_until = null, finished_at = clock_timestamp()
          where id = $1 and status = 'in-progress'`,
        [id, JSON.stringify(files)],
      );
    },

    async fail(id, code) {
      await db.query(
        `update pont_export_job set status = 'failed', error = $2, counting_until = null, finished_at = clock_timestamp() where id = $1 and status = 'in-progress'`,
        [id, code],
      );
    },

    async cancel(id, clientId) {
      if (!UUID.test(id)) return false;
      const { rows } = await db.query(
        `update pont_export_job set status = 'cancelled', files = null, supporting = null, counting_until = null, finished_at = clock_timestamp()
          where id = $1 and client_id = $2 and status <> 'cancelled' returning id`,
        [id, clientId],
      );
      return rows.length > 0;
    },

    async removeOlderThan(seconds) {
      const { rows } = await db.query('delete from pont_export_job where coalesce(finished_at, created_at) < clock_timestamp() - make_interval(secs => $1) returning id', [
        seconds,
      ]);
      return rows.length;
    },
  };
}

function jobOf(row: JobRow): ExportJob {
  const level: ExportLevel = row.level === 'group' ? { kind: 'group', groupId: row.group_id ?? '' } : { kind: row.level };
  return {
    id: row.id,
    clientId: row.client_id,
    level,
    types: row.types,
    ...(row.since === null ? {} : { since: new Date(row.since) }),
    ...(row.patients === null ? {} : { patients: row.patients }),
    request: row.request,
    scope: row.scope,
    transactionTime: new Date(row.transaction_time),
    status: row.status,
    ...(row.files === null ? {} : { files: row.files }),
    counted: Number(row.counted),
    ...(row.supporting === null ? {} : { supporting: row.supporting }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.finished_at === null || row.finished_at === undefined ? {} : { finishedAt: new Date(row.finished_at) }),
  };
}
