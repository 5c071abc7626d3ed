/**
 * The FhirResourceReader (src/ports/fhir-resources.ts) in PostgreSQL or PGlite, over the tables
 * resource-writer.ts keeps. Every statement applies the caller's PatientScope. Search pages are
 * keyset pages in id order (the cursor is the last id given), so a page never repeats or skips a
 * match because others were written meanwhile; the stream reads in (type, id) order the same way.
 */
import type { Resource } from '@medplum/fhirtypes';
import { OPEN_END, OPEN_START, type TimeRange } from '../fhir/date-range.js';
import type { Clause, DateBound } from '../fhir/search-query.js';
import type {
  CurrentResource,
  FhirResourceReader,
  HistoryPage,
  PatientScope,
  ReadResult,
  ResourceVersion,
  SearchPage,
  SearchRequest,
  StreamOptions,
} from '../ports/fhir-resources.js';
import type { SqlClient } from './sql-client.js';

interface Row {
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: Date | string;
  deleted: boolean;
  resource: Resource | null;
}

const COLUMNS = 'resource_type, id, version_id, last_updated, deleted, resource';

/** A version's content (`v`, beside its current row `s`): the current version's is in the current row only (resource-writer.ts). */
const VERSION_CONTENT = 'case when v.version_id = s.version_id and not v.deleted then s.resource else v.resource end';

/** Builds one statement's parameters, handing back each one's `$n`. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export function sqlResourceReader(db: SqlClient): FhirResourceReader {
  return {
    async read(scope, resourceType, id) {
      const p = new Params();
      const { rows } = await db.query<Row>(
        `select ${COLUMNS} from pont_fhir_resource s where resource_type = ${p.add(resourceType)} and id = ${p.add(id)} and ${scopeSql(scope, p)}`,
        p.values,
      );
      return readResult(rows[0]);
    },

    async vread(scope, resourceType, id, versionId) {
      const p = new Params();
      const { rows } = await db.query<Row>(
        `select v.resource_type, v.id, v.version_id, v.last_updated, v.deleted, ${VERSION_CONTENT} as resource from pont_fhir_resource_version v
           join pont_fhir_resource s on s.resource_type = v.resource_type and s.id = v.id
          where v.resource_type = ${p.add(resourceType)} and v.id = ${p.add(id)} and v.version_id = ${p.add(versionId)} and ${scopeSql(scope, p)}`,
        p.values,
      );
      return readResult(rows[0]);
    },

    async history(scope, resourceType, id, page): Promise<HistoryPage | undefined> {
      const p = new Params();
      const before = page.cursor === undefined ? undefined : Number(decodeCursor(page.cursor));
      const { rows } = await db.query<Row & { visible: boolean }>(
        `select v.resource_type, v.id, v.version_id, v.last_updated, v.deleted, ${VERSION_CONTENT} as resource from pont_fhir_resource s
           join pont_fhir_resource_version v on v.resource_type = s.resource_type and v.id = s.id
          where s.resource_type = ${p.add(resourceType)} and s.id = ${p.add(id)} and ${scopeSql(scope, p)}
            ${before === undefined || !Number.isInteger(before) ? '' : `and v.version_id < ${p.add(before)}`}
          order by v.version_id desc limit ${p.add(page.count + 1)}`,
        p.values,
      );
      if (rows.length === 0 && page.cursor === undefined) return undefined;
      const versions = rows.slice(0, page.count).map(versionOf);
      const last = versions.at(-1);
      return rows.length > page.count && last !== undefined ? { versions, next: encodeCursor(String(last.versionId)) } : { versions };
    },

    async search(scope, request: SearchRequest): Promise<SearchPage> {
      const p = new Params();
      const where = [`resource_type = ${p.add(request.resourceType)}`, 'not deleted', scopeSql(scope, p), ...request.criteria.clauses.map((c) => clauseSql(c, p))];
      const total = request.total
        ? Number((await db.query<{ n: string | number }>(`select count(*) as n from pont_fhir_resource s where ${where.join(' and ')}`, p.values)).rows[0]!.n)
        : undefined;
      if (request.cursor !== undefined) where.push(`id > ${p.add(decodeCursor(request.cursor))}`);
      const { rows } =
        request.count === 0
          ? { rows: [] }
          : await db.query<Row>(`select ${COLUMNS} from pont_fhir_resource s where ${where.join(' and ')} order by id limit ${p.add(request.count + 1)}`, p.values);
      const resources = rows.slice(0, request.count).map((r) => versionOf(r) as CurrentResource);
      const last = resources.at(-1);
      return {
        resources,
        ...(rows.length > request.count && last !== undefined ? { next: encodeCursor(last.id) } : {}),
        ...(total === undefined ? {} : { total }),
      };
    },

    async *stream(scope, options: StreamOptions = {}) {
      const batch = options.batchSize ?? 500;
      let after: [string, string] | undefined;
      for (;;) {
        const p = new Params();
        const where = ['not deleted', scopeSql(scope, p)];
        if (options.types !== undefined && options.types.length > 0) where.push(`resource_type = any(${p.add(options.types)}::text[])`);
        if (options.since !== undefined) where.push(`last_updated > ${p.add(options.since.toISOString())}::timestamptz`);
        if (after !== undefined) where.push(`(resource_type, id) > (${p.add(after[0])}, ${p.add(after[1])})`);
        const { rows } = await db.query<Row>(
          `select ${COLUMNS} from pont_fhir_resource s where ${where.join(' and ')} order by resource_type, id limit ${p.add(batch)}`,
          p.values,
        );
        for (const row of rows) yield versionOf(row) as CurrentResource;
        if (rows.length < batch) return;
        const last = rows.at(-1)!;
        after = [last.resource_type, last.id];
      }
    },
  };
}

/** The condition that keeps a served resource (table alias `s`) to the caller's scope. */
export function scopeSql(scope: PatientScope, p: Params): string {
  switch (scope.kind) {
    case 'all':
      return 'true';
    case 'registered-at':
      return `s.gp_practice = ${p.add(scope.practiceOds.trim().toUpperCase())}`;
    case 'none':
      return 'false';
  }
}

function clauseSql(clause: Clause, p: Params): string {
  switch (clause.field) {
    case 'id':
      return `id = any(${p.add(clause.values)}::text[])`;
    case 'patient':
      return `patient_id = any(${p.add(clause.values)}::text[])`;
    case 'status':
      return `status = any(${p.add(clause.values)}::text[])`;
    case 'identifier':
      return `identifiers && ${p.add(clause.values)}::text[]`;
    case 'category':
      return `categories && ${p.add(clause.values)}::text[]`;
    case 'organization':
      return `organizations && ${p.add(clause.values)}::text[]`;
    case 'date':
      return `(${clause.values.map((b) => rangeMatch('date_start', 'date_end', b, p)).join(' or ')})`;
    case 'lastUpdated':
      return `(${clause.values.map((b) => pointMatch('last_updated', b, p)).join(' or ')})`;
  }
}

/** A stored range [start, end) against a search range, as FHIR compares them (R4 §3.1.1.4.1). */
function rangeMatch(start: string, end: string, bound: DateBound, p: Params): string {
  // Each bound becomes a parameter only where used: PostgreSQL refuses a parameter it cannot type.
  const s = () => timestamp(bound.range, 'start', p);
  const e = () => timestamp(bound.range, 'end', p);
  const known = `${start} is not null`;
  switch (bound.prefix) {
    case 'eq':
      return `(${known} and ${start} >= ${s()} and ${end} <= ${e()})`;
    case 'gt':
      return `(${known} and ${end} > ${e()})`;
    case 'ge':
      return `(${known} and ${end} > ${s()})`;
    case 'lt':
      return `(${known} and ${start} < ${s()})`;
    case 'le':
      return `(${known} and ${start} < ${e()})`;
  }
}

/** An instant against a search range. */
function pointMatch(column: string, bound: DateBound, p: Params): string {
  const s = () => timestamp(bound.range, 'start', p);
  const e = () => timestamp(bound.range, 'end', p);
  switch (bound.prefix) {
    case 'eq':
      return `(${column} >= ${s()} and ${column} < ${e()})`;
    case 'gt':
      return `${column} >= ${e()}`;
    case 'ge':
      return `${column} >= ${s()}`;
    case 'lt':
      return `${column} < ${s()}`;
    case 'le':
      return `${column} < ${e()}`;
  }
}

function timestamp(range: TimeRange, side: 'start' | 'end', p: Params): string {
  const ms = range[side];
  return `${p.add(ms === OPEN_START ? '-infinity' : ms === OPEN_END ? 'infinity' : new Date(ms).toISOString())}::timestamptz`;
}

function readResult(row: Row | undefined): ReadResult {
  if (row === undefined) return { status: 'not-found' };
  const version = versionOf(row);
  return version.deleted ? { status: 'deleted', version } : { status: 'found', version: version as CurrentResource };
}

function versionOf(row: Row): ResourceVersion {
  const lastUpdated = new Date(row.last_updated);
  const versionId = Number(row.version_id);
  const base = { resourceType: row.resource_type, id: row.id, versionId, lastUpdated };
  if (row.deleted || row.resource === null) return { ...base, deleted: true };
  return {
    ...base,
    deleted: false,
    resource: { ...row.resource, meta: { ...row.resource.meta, versionId: String(versionId), lastUpdated: lastUpdated.toISOString() } } as Resource,
  };
}

/** Cursors are opaque to clients: the last key given, base64url. */
const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
const decodeCursor = (cursor: string): string => Buffer.from(cursor, 'base64url').toString('utf8');
