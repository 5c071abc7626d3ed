/**
 * The resources of a Bulk Data export (src/ports/bulk-export.ts) as they were at the job's
 * transaction time: for each served resource, the current row when it was last written by then,
 * else its latest version written by then (none: it did not exist yet); a deletion is left out.
 * Which resources are the job's (its level, group, patients and the caller's scope) is read from
 * the current rows, so someone who left a GP practice or a health board after the kick-off is not
 * in a later download: content is as of the transaction time, membership as of the download
 * (the router narrows the scope to what the caller may see at both times).
 *
 * The lines are made by the database (the stored JSON with meta.versionId and meta.lastUpdated
 * set, as the facade gives them), so the export does no JSON work of its own, and are read in
 * keyset batches in id order, one read ahead: memory is bounded by two batches, whatever the
 * number of resources.
 */
import { PERSON_TYPES, SUPPORTING_TYPES } from '../fhir/export-types.js';
import type { ExportFile, ExportJob, ExportReader } from '../ports/bulk-export.js';
import { Params, scopeSql } from './resources.js';
import type { SqlClient } from './sql-client.js';

/** Non-person resources refer to others (a PractitionerRole to its Practitioner, an Organization to its parent): followed this many hops. */
const SUPPORTING_HOPS = 3;

export function sqlExportReader(db: SqlClient): ExportReader {
  return {
    async groupKnown(scope, groupId) {
      const p = new Params();
      const { rows } = await db.query(`select 1 from pont_fhir_resource s where ${scopeSql(scope, p)} and ${groupSql(p.add(groupId))} limit 1`, p.values);
      return rows.length > 0;
    },

    async supporting(job) {
      const found: Record<string, Set<string>> = Object.fromEntries(SUPPORTING_TYPES.map((t) => [t, new Set<string>()]));
      let from: { readonly types: readonly string[]; readonly ids?: readonly string[] } = { types: PERSON_TYPES };
      for (let hop = 0; hop < SUPPORTING_HOPS; hop++) {
        const p = new Params();
        const set = asOfSet(job, from.types, p, from.ids === undefined ? {} : { ids: from.ids });
        const { rows } = await db.query<{ ref: string }>(
          `select distinct jsonb_path_query(x.r, 'strict $.**.reference') #>> '{}' as ref from (select ${set.resource} as r ${set.from} where ${set.where}) x`,
          p.values,
        );
        const fresh: string[] = [];
        for (const { ref } of rows) {
          const match = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(ref ?? '');
          const ids = match === null ? undefined : found[match[1]!];
          if (ids === undefined || ids.has(match![2]!)) continue;
          ids.add(match![2]!);
          fresh.push(ref);
        }
        if (fresh.length === 0) break;
        from = { types: SUPPORTING_TYPES, ids: fresh };
      }
      return Object.fromEntries(Object.entries(found).map(([type, ids]) => [type, [...ids].sort()]));
    },

    async count(job, type, partSize, deleted = false) {
      const p = new Params();
      const set = asOfSet(job, [type], p, { deleted });
      const { rows } = await db.query<{ n: string | number; ends: string[] }>(
        `with a as (select s.id ${set.from} where ${set.where})
         select (select count(*) from a) as n,
                array(select id from (select id, row_number() over (order by id) as rn from a) x where rn % ${p.add(partSize)} = 0 order by id) as ends`,
        p.values,
      );
      return { count: Number(rows[0]!.n), partEnds: rows[0]!.ends };
    },

    async *lines(job, file: ExportFile, batchSize) {
      const batchAfter = (after: string | undefined) => {
        const p = new Params();
        const set = asOfSet(job, [file.type], p, { deleted: file.deleted === true });
        const where = [set.where];
        if (after !== undefined) where.push(`s.id > ${p.add(after)}`);
        if (file.upTo !== undefined) where.push(`s.id <= ${p.add(file.upTo)}`);
        // A deletion is a transaction Bundle with one DELETE entry, as the IG's `deleted` files have them.
        const line =
          file.deleted === true
            ? `jsonb_build_object('resourceType', 'Bundle', 'type', 'transaction', 'entry', jsonb_build_array(jsonb_build_object('request', jsonb_build_object('method', 'DELETE', 'url', ${p.add(file.type)}::text || '/' || id))))::text`
            : `(jsonb_set(r, '{meta}', coalesce(r -> 'meta', '{}'::jsonb)
                 || jsonb_build_object('versionId', vid::text, 'lastUpdated', to_char(lu at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))))::text`;
        return db.query<{ id: string; line: string }>(
          `select id, ${line} as line
             from (select s.id, ${set.resource} as r, ${set.versionId} as vid, ${set.lastUpdated} as lu ${set.from}
                    where ${where.join(' and ')} order by s.id limit ${p.add(batchSize)}) x
            order by id`,
          p.values,
        );
      };
      let next = batchAfter(file.after);
      for (;;) {
        const { rows } = await next;
        const more = rows.length === batchSize;
        // The next batch is read while this one is written: the database and this process work at once.
        if (more) {
          next = batchAfter(rows.at(-1)!.id);
          next.catch(() => {}); // a client gone meanwhile leaves it unread
        }
        if (rows.length > 0) yield `${rows.map((r) => r.line).join('\n')}\n`;
        if (!more) return;
      }
    },
  };
}

/**
 * The job's resources of these types as of its transaction time: FROM and WHERE (table alias `s`
 * the current row, `v` the version in force then when the current row is newer), and the
 * expressions for the content, version id and lastUpdated in force.
 */
function asOfSet(job: ExportJob, types: readonly string[], p: Params, options: { readonly ids?: readonly string[]; readonly deleted?: boolean } = {}) {
  const at = `${p.add(job.transactionTime.toISOString())}::timestamptz`;
  const current = `s.last_updated <= ${at}`;
  const pick = (now: string, then: string) => `(case when ${current} then ${now} else ${then} end)`;
  // One type is an equality, so that the primary key's index gives the rows in id order.
  const typeSql = types.length === 1 ? `s.resource_type = ${p.add(types[0])}` : `s.resource_type = any(${p.add(types)}::text[])`;
  const where = [typeSql, options.deleted === true ? pick('s.deleted', 'coalesce(v.deleted, false)') : pick('not s.deleted', 'coalesce(not v.deleted, false)')];
  if (options.ids !== undefined) where.push(`(s.resource_type || '/' || s.id) = any(${p.add(options.ids)}::text[])`);
  where.push(membership(job, types, p));
  if (job.since !== undefined) where.push(`${pick('s.last_updated', 'v.last_updated')} > ${p.add(job.since.toISOString())}::timestamptz`);
  return {
    from: `from pont_fhir_resource s
      left join lateral (
        select v.version_id, v.last_updated, v.deleted, v.resource from pont_fhir_resource_version v
         where not (${current}) and v.resource_type = s.resource_type and v.id = s.id and v.last_updated <= ${at}
         order by v.version_id desc limit 1
      ) v on true`,
    where: where.join(' and '),
    resource: pick('s.resource', 'v.resource'),
    versionId: pick('s.version_id', 'v.version_id'),
    lastUpdated: pick('s.last_updated', 'v.last_updated'),
  };
}

/** Which of the served resources are the job's: a person's by level, group, patients and scope; a non-person one when it is supporting (or every one). */
function membership(job: ExportJob, types: readonly string[], p: Params): string {
  const supportingTypes = types.filter((t) => SUPPORTING_TYPES.includes(t));
  const person = () => {
    const where = [scopeSql(job.scope, p)];
    if (job.level.kind === 'group') where.push(groupSql(p.add(job.level.groupId)));
    if (job.patients !== undefined) where.push(`s.patient_id = any(${p.add(job.patients)}::text[])`);
    return `(${where.join(' and ')})`;
  };
  const supporting = () =>
    job.supporting === undefined
      ? 'true'
      : `(s.resource_type || '/' || s.id) = any(${p.add(supportingTypes.flatMap((t) => (job.supporting?.[t] ?? []).map((id) => `${t}/${id}`)))}::text[])`;
  if (supportingTypes.length === 0) return person();
  if (supportingTypes.length === types.length) return supporting();
  return `(case when s.resource_type = any(${p.add(supportingTypes)}::text[]) then ${supporting()} else ${person()} end)`;
}

/** A Group id is an ODS code: a GP practice's registered patients, or the people an organisation (a health board) manages an episode of care for. */
const groupSql = (code: string): string => `(s.gp_practice = ${code} or s.organizations @> array[${code}]::text[])`;
