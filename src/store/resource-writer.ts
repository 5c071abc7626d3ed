/**
 * Keeps the served FHIR resources (pont_fhir_resource, with every version in
 * pont_fhir_resource_version) up to date as record versions are stored, in the same transaction.
 * A version's content is stored once: the current version's in the current row (its version row
 * has none), a replaced version's in its version row.
 *
 * - A person's own resources are those of their current record version (CURRENT_FIRST): a
 *   version stored out of order, older than the current one, changes none of them. A resource
 *   the new current version no longer holds, and no other person's current version does, is
 *   deleted: gone from search and read (410), its versions still readable.
 * - A resource held by several people (a Practitioner) is served as the newest of their versions.
 * - A shared resource (Patient, Organization by ODS code) is the merge of each source's newest
 *   content (src/fhir/served-resources.ts), so it does not flip between sources.
 * - A resource whose content is unchanged keeps its version; otherwise the version goes up by one
 *   and lastUpdated is the store's clock when it was written.
 *
 * Writers of one person are serialised by an advisory lock on the person, writers of one resource
 * by one on the resource, taken in key order (so two writers never wait for each other in a circle).
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { OPEN_END, OPEN_START, type TimeRange } from '../fhir/date-range.js';
import { indexFields } from '../fhir/search-parameters.js';
import { compareContributions, contentHash, isAboutAPerson, mergeContributions, type PersonFacts, type ServedItem, servedResources } from '../fhir/served-resources.js';
import { CURRENT_FIRST, type StoredVersion } from './record-store.js';
import { Params } from './resources.js';
import type { SqlExecutor } from './sql-client.js';

/** Advisory lock namespace (the first of the two int4 keys) of resources; the person's is record-store.ts's. */
const RESOURCE_LOCK = 7_114_303;

interface ContributionRow {
  resource_type: string;
  id: string;
  contributor: string;
  person_key: string;
  source_system: string;
  extracted_ms: string | number | null;
  content_hash: string;
  resource: Resource;
  record_version_id: string;
  patient_id: string | null;
  gp_practice: string | null;
  organizations: string[];
}

interface ServedRow {
  resource_type: string;
  id: string;
  version_id: number;
  deleted: boolean;
  content_hash: string;
  person_key: string | null;
  patient_id: string | null;
  gp_practice: string | null;
  organizations: string[];
}

const key = (type: string, id: string) => `${type}/${id}`;
const typeOf = (k: string) => k.slice(0, k.indexOf('/'));
const idOf = (k: string) => k.slice(k.indexOf('/') + 1);

/**
 * Under the person's lock: whether the version is their current one and what their current
 * resources were until now; and, in key order, the locks of every resource the version may
 * change (its shared ones, and when it is current its own and those it no longer holds).
 */
const LOCK_AFFECTED = `
  with current as (
    select (select id from pont_record_version where person_key = $1 order by ${CURRENT_FIRST} limit 1) = $3::bigint as yes
  ), held as (
    select resource_type || '/' || id as k from pont_fhir_contribution where contributor = $2
  ), affected as (
    select k from unnest($4::text[]) as s(k)
    union select k from unnest($5::text[]) as o(k) where (select yes from current)
    union select k from held where (select yes from current)
  )
  select (select yes from current) as current, array(select k from held) as held,
         (select count(*) from (select pg_advisory_xact_lock($6, hashtext(k)) from (select k from affected order by k collate "C") a) l) as locked`;

/**
 * Updates the served resources for one stored record version and its Bundle (in the caller's
 * transaction, which holds the person's lock: insertVersion takes it with a Bundle).
 */
export async function storeServedResources(tx: SqlExecutor, version: StoredVersion, bundle: Bundle): Promise<void> {
  const recordVersionId = version.id;
  const person = version.personKey;
  const personContributor = `person:${person}`;
  const { items, facts } = servedResources(bundle);
  const shared = items.filter((i) => i.shared);
  const ownIfCurrent = items.filter((i) => !i.shared);
  const { rows } = await tx.query<{ current: boolean | null; held: string[] }>(LOCK_AFFECTED, [
    person,
    personContributor,
    recordVersionId,
    shared.map((i) => key(i.resourceType, i.id)),
    ownIfCurrent.map((i) => key(i.resourceType, i.id)),
    RESOURCE_LOCK,
  ]);
  const isCurrent = rows[0]!.current === true;
  const own = isCurrent ? ownIfCurrent : [];
  const ownKeys = new Set(own.map((i) => key(i.resourceType, i.id)));
  const dropped = isCurrent ? rows[0]!.held.filter((k) => !ownKeys.has(k)).map((k) => ({ resource_type: typeOf(k), id: idOf(k) })) : [];
  const affected = [...new Set([...shared, ...own].map((i) => key(i.resourceType, i.id)).concat(dropped.map((d) => key(d.resource_type, d.id))))];
  if (affected.length === 0) return;
  // A source's part of a shared resource is kept whole, to merge; a person's own resource is not
  // copied: it is in their record version's Bundle, and served as it is while it is the newest.
  const contribution = (contributor: string, withContent: boolean) => (i: ServedItem) => ({
    resource_type: i.resourceType,
    id: i.id,
    contributor,
    record_version_id: recordVersionId,
    person_key: person,
    source_system: version.sourceSystem,
    extracted_ms: version.extractedMs,
    content_hash: i.contentHash,
    resource: withContent ? i.resource : null,
    ...factColumns(i.resourceType, facts),
  });
  await writeContributions(
    tx,
    [...shared.map(contribution(`source:${version.sourceSystem}`, true)), ...own.map(contribution(personContributor, false))],
    personContributor,
    dropped,
  );
  await refreshServed(tx, recordVersionId, affected, [...shared, ...own]);
}

function factColumns(resourceType: string, facts: PersonFacts) {
  if (!isAboutAPerson(resourceType)) return { patient_id: null, gp_practice: null, organizations: [] as string[] };
  return { patient_id: facts.patientId ?? null, gp_practice: facts.gpPractice ?? null, organizations: [...facts.organizations] };
}

/**
 * Writes a version's contributions and deletes those of the person it no longer holds, in one
 * statement. A source's contribution to a shared resource is replaced only by a newer one
 * (extraction time, then content hash).
 */
async function writeContributions(
  tx: SqlExecutor,
  rows: readonly Record<string, unknown>[],
  personContributor: string,
  dropped: readonly { resource_type: string; id: string }[],
): Promise<void> {
  const p = new Params();
  const contributions = p.add(JSON.stringify(rows));
  // Each part only when there is something for it: a part with nothing to do still costs its planning.
  const deletion =
    dropped.length === 0
      ? ''
      : `with dropped as (
       delete from pont_fhir_contribution c using unnest(${p.add(dropped.map((d) => d.resource_type))}::text[], ${p.add(dropped.map((d) => d.id))}::text[]) as d(t, i)
        where c.contributor = ${p.add(personContributor)} and c.resource_type = d.t and c.id = d.i
     )`;
  await tx.query(
    `${deletion}
     insert into pont_fhir_contribution (resource_type, id, contributor, record_version_id, person_key, source_system, extracted_ms, content_hash, resource, patient_id, gp_practice, organizations)
     select * from jsonb_to_recordset(${contributions}::jsonb) as r(resource_type text, id text, contributor text, record_version_id bigint, person_key text, source_system text,
       extracted_ms bigint, content_hash text, resource jsonb, patient_id text, gp_practice text, organizations text[])
     on conflict (resource_type, id, contributor) do update set
       record_version_id = excluded.record_version_id, person_key = excluded.person_key, source_system = excluded.source_system, extracted_ms = excluded.extracted_ms,
       content_hash = excluded.content_hash, resource = excluded.resource, patient_id = excluded.patient_id, gp_practice = excluded.gp_practice, organizations = excluded.organizations
     where excluded.contributor like 'person:%'
        or (coalesce(excluded.extracted_ms, -9223372036854775808), excluded.content_hash) >= (coalesce(pont_fhir_contribution.extracted_ms, -9223372036854775808), pont_fhir_contribution.content_hash)`,
    p.values,
  );
}

const CONTRIBUTION_COLUMNS = 'contributor, record_version_id, person_key, source_system, extracted_ms, content_hash, patient_id, gp_practice, organizations';

/**
 * Each key's served row (when there is one) beside its contributions: own resources' newest
 * contribution only (one held by thousands of people reads one row), shared ones' every source's,
 * to merge (a handful). A key with neither gives one row of nulls.
 */
const SERVED_AND_CONTRIBUTIONS = `
  select k.t as resource_type, k.i as id, s.version_id as served_version_id, s.deleted as served_deleted, s.content_hash as served_content_hash,
         s.person_key as served_person_key, s.patient_id as served_patient_id, s.gp_practice as served_gp_practice, s.organizations as served_organizations, c.*
    from unnest($1::text[], $2::text[]) as k(t, i)
    left join pont_fhir_resource s on s.resource_type = k.t and s.id = k.i
    left join lateral (
      (select ${CONTRIBUTION_COLUMNS} from pont_fhir_contribution where resource_type = k.t and id = k.i and contributor like 'source:%')
      union all
      (select ${CONTRIBUTION_COLUMNS} from pont_fhir_contribution where resource_type = k.t and id = k.i and contributor like 'person:%'
        order by extracted_ms desc nulls last, source_system desc, content_hash desc limit 1)
    ) c on true`;

type JoinedRow = Omit<ContributionRow, 'resource' | 'contributor'> & { contributor: string | null } & {
  served_version_id: number | null;
  served_deleted: boolean | null;
  served_content_hash: string;
  served_person_key: string | null;
  served_patient_id: string | null;
  served_gp_practice: string | null;
  served_organizations: string[];
};

/**
 * Recomputes the served resources at these keys from their contributions, writing a version where
 * the content changed. The contributions' content is read back only where this writer does not
 * hold it already (the same resource and content hash): another source's part of a shared
 * resource, or another person's newer copy.
 */
async function refreshServed(tx: SqlExecutor, recordVersionId: string, keys: readonly string[], held: readonly ServedItem[]): Promise<void> {
  const { rows: joined } = await tx.query<JoinedRow>(SERVED_AND_CONTRIBUTIONS, [keys.map(typeOf), keys.map(idOf)]);
  const found = joined.filter((c): c is JoinedRow & { contributor: string } => c.contributor !== null);
  const inHand = new Map(held.map((i) => [`${key(i.resourceType, i.id)} ${i.contentHash}`, i.resource]));
  const toRead = found.filter((c) => !inHand.has(`${key(c.resource_type, c.id)} ${c.content_hash}`));
  const read = toRead.length === 0 ? new Map<string, Resource>() : await readContributions(tx, toRead);
  const contributions: ContributionRow[] = found.map((c) => ({
    ...c,
    resource: inHand.get(`${key(c.resource_type, c.id)} ${c.content_hash}`) ?? read.get(`${key(c.resource_type, c.id)} ${c.contributor}`)!,
  }));
  const byKey = new Map<string, ContributionRow[]>();
  for (const c of contributions) byKey.set(key(c.resource_type, c.id), [...(byKey.get(key(c.resource_type, c.id)) ?? []), c]);
  const servedByKey = new Map<string, ServedRow>();
  for (const r of joined) {
    if (r.served_version_id === null) continue;
    servedByKey.set(key(r.resource_type, r.id), {
      resource_type: r.resource_type,
      id: r.id,
      version_id: r.served_version_id,
      deleted: r.served_deleted === true,
      content_hash: r.served_content_hash,
      person_key: r.served_person_key,
      patient_id: r.served_patient_id,
      gp_practice: r.served_gp_practice,
      organizations: r.served_organizations,
    });
  }
  const gone = keys.filter((k) => !byKey.has(k) && servedByKey.get(k)?.deleted === false);
  const writes = keys.flatMap((k) => {
    const write = nextState(servedByKey.get(k), servedContent(byKey.get(k) ?? []));
    return write === undefined ? [] : [{ resource_type: typeOf(k), id: idOf(k), ...write }];
  });
  if (writes.length === 0 && gone.length === 0) return;
  // The live versions a new version or a deletion replaces: their content moves to their version rows.
  const replaced = [...writes.filter((w) => w.new_version).map((w) => key(w.resource_type, w.id)), ...gone].filter((k) => servedByKey.get(k)?.deleted === false);
  await writeServed(tx, recordVersionId, writes, gone, replaced);
}

/**
 * Writes the served resources' new states, each changed one's version beside it, and deletes
 * those no current record holds any more (a new version with no content; their scope and search
 * values stay, so their history is read under the same scope as before): one statement. The
 * current version's content is kept in the current row only; the version it replaces gets its
 * content from there as it is replaced.
 */
async function writeServed(
  tx: SqlExecutor,
  recordVersionId: string,
  writes: readonly Record<string, unknown>[],
  gone: readonly string[],
  replaced: readonly string[],
): Promise<void> {
  const p = new Params();
  const served = p.add(JSON.stringify(writes));
  const recordVersion = p.add(recordVersionId);
  // Each part only when there is something for it: a part with nothing to do still costs its planning.
  const kept =
    replaced.length === 0
      ? ''
      : `, kept as (
       update pont_fhir_resource_version v set resource = s.resource
         from unnest(${p.add(replaced.map(typeOf))}::text[], ${p.add(replaced.map(idOf))}::text[]) as k(t, i) join pont_fhir_resource s on s.resource_type = k.t and s.id = k.i
        where v.resource_type = s.resource_type and v.id = s.id and v.version_id = s.version_id and not s.deleted and v.resource is null
     )`;
  const deleted =
    gone.length === 0
      ? ''
      : `, deleted as (
       update pont_fhir_resource s set version_id = s.version_id + 1, deleted = true, last_updated = clock_timestamp()
         from unnest(${p.add(gone.map(typeOf))}::text[], ${p.add(gone.map(idOf))}::text[]) as k(t, i) where s.resource_type = k.t and s.id = k.i and not s.deleted
       returning s.resource_type, s.id, s.version_id, s.last_updated
     )`;
  await tx.query(
    `with r as (
       select * from jsonb_to_recordset(${served}::jsonb) as r(resource_type text, id text, version_id integer, deleted boolean, content_hash text, resource jsonb, person_key text,
         patient_id text, gp_practice text, organizations text[], identifiers text[], status text, categories text[], date_start timestamptz, date_end timestamptz,
         new_version boolean)
     )${kept}, written as (
       insert into pont_fhir_resource (resource_type, id, version_id, last_updated, deleted, content_hash, resource, person_key, patient_id, gp_practice, organizations,
         identifiers, status, categories, date_start, date_end)
       select resource_type, id, version_id, clock_timestamp(), deleted, content_hash, resource, person_key, patient_id, gp_practice, organizations,
         identifiers, status, categories, date_start, date_end
         from r
       on conflict (resource_type, id) do update set
         version_id = excluded.version_id,
         last_updated = case when excluded.version_id = pont_fhir_resource.version_id then pont_fhir_resource.last_updated else excluded.last_updated end,
         deleted = excluded.deleted, content_hash = excluded.content_hash, resource = excluded.resource, person_key = excluded.person_key,
         patient_id = excluded.patient_id, gp_practice = excluded.gp_practice, organizations = excluded.organizations, identifiers = excluded.identifiers,
         status = excluded.status, categories = excluded.categories, date_start = excluded.date_start, date_end = excluded.date_end
       returning resource_type, id, version_id, last_updated
     )${deleted}
     insert into pont_fhir_resource_version (resource_type, id, version_id, last_updated, deleted, resource, record_version_id)
     select w.resource_type, w.id, w.version_id, w.last_updated, r.deleted, null::jsonb, ${recordVersion}::bigint
       from written w join r on r.resource_type = w.resource_type and r.id = w.id where r.new_version
     ${gone.length === 0 ? '' : `union all select resource_type, id, version_id, last_updated, true, null::jsonb, ${recordVersion}::bigint from deleted`}`,
    p.values,
  );
}

/**
 * The content of contributions this writer does not hold, by `Type/id contributor`. A source's is
 * stored with it. A person's is the served resource while that has the same content (it is the
 * newest), else it is made again from the person's record version's Bundle.
 */
async function readContributions(tx: SqlExecutor, wanted: readonly Omit<ContributionRow, 'resource'>[]): Promise<Map<string, Resource>> {
  const { rows } = await tx.query<{ resource_type: string; id: string; contributor: string; resource: Resource | null }>(
    `select c.resource_type, c.id, c.contributor, coalesce(c.resource, s.resource) as resource
       from unnest($1::text[], $2::text[], $3::text[]) as k(t, i, w)
       join pont_fhir_contribution c on c.resource_type = k.t and c.id = k.i and c.contributor = k.w
       left join pont_fhir_resource s on c.resource is null and s.resource_type = k.t and s.id = k.i and s.content_hash = c.content_hash and not s.deleted`,
    [wanted.map((c) => c.resource_type), wanted.map((c) => c.id), wanted.map((c) => c.contributor)],
  );
  const read = new Map<string, Resource>();
  for (const r of rows) if (r.resource !== null) read.set(`${key(r.resource_type, r.id)} ${r.contributor}`, r.resource);
  const fromBundles = wanted.filter((c) => !read.has(`${key(c.resource_type, c.id)} ${c.contributor}`));
  if (fromBundles.length === 0) return read;
  const bundles = await tx.query<{ id: string; bundle: Bundle }>('select id, bundle from pont_record_version where id = any($1::bigint[]) and bundle is not null', [
    [...new Set(fromBundles.map((c) => String(c.record_version_id)))],
  ]);
  const items = new Map(
    bundles.rows.flatMap((b) => servedResources(b.bundle).items.map((i) => [`${String(b.id)} ${key(i.resourceType, i.id)} ${i.contentHash}`, i.resource] as const)),
  );
  for (const c of fromBundles) {
    const resource = items.get(`${String(c.record_version_id)} ${key(c.resource_type, c.id)} ${c.content_hash}`);
    if (resource === undefined) throw new RangeError('a contribution whose record version no longer holds its resource');
    read.set(`${key(c.resource_type, c.id)} ${c.contributor}`, resource);
  }
  return read;
}

interface Served {
  readonly resource: Resource;
  readonly contentHash: string;
  readonly personKey: string;
  readonly patientId: string | null;
  readonly gpPractice: string | null;
  readonly organizations: readonly string[];
}

/** What a resource's contributions serve: the newest, or for a shared resource the merge of every source's; none when no one holds it. */
function servedContent(rows: readonly ContributionRow[]): Served | undefined {
  const sources = rows.filter((r) => r.contributor.startsWith('source:'));
  const chosen = sources.length > 0 ? sources : rows;
  if (chosen.length === 0) return undefined;
  const contributions = chosen.map((row) => ({
    resource: row.resource,
    sourceSystem: row.source_system,
    extractedMs: row.extracted_ms === null ? null : Number(row.extracted_ms),
    contentHash: row.content_hash,
    row,
  }));
  const newest = contributions.reduce((a, b) => (compareContributions(a, b) >= 0 ? a : b));
  const resource = sources.length > 0 ? mergeContributions(contributions) : newest.resource;
  return {
    resource,
    contentHash: sources.length > 0 ? contentHash(resource) : newest.contentHash,
    personKey: newest.row.person_key,
    patientId: newest.row.patient_id,
    gpPractice: newest.row.gp_practice,
    organizations: newest.row.organizations,
  };
}

/** The row to write for a resource, or none when neither its content nor its scope changed. */
function nextState(now: ServedRow | undefined, next: Served | undefined): (Record<string, unknown> & { new_version: boolean }) | undefined {
  if (next === undefined) return undefined; // deletions: writeServed's `gone`
  const changed = now === undefined || now.deleted || now.content_hash !== next.contentHash;
  const scopeChanged =
    now !== undefined &&
    (now.person_key !== next.personKey ||
      now.patient_id !== next.patientId ||
      now.gp_practice !== next.gpPractice ||
      now.organizations.join(' ') !== next.organizations.join(' '));
  if (!changed && !scopeChanged) return undefined;
  const fields = indexFields(next.resource);
  return {
    version_id: (now?.version_id ?? 0) + (changed ? 1 : 0),
    deleted: false,
    content_hash: next.contentHash,
    resource: next.resource,
    person_key: next.personKey,
    patient_id: next.patientId,
    gp_practice: next.gpPractice,
    organizations: next.organizations,
    identifiers: fields.identifiers,
    status: fields.status ?? null,
    categories: fields.categories,
    ...rangeColumns(fields.date),
    new_version: changed,
  };
}

function rangeColumns(range: TimeRange | undefined): { date_start: string | null; date_end: string | null } {
  if (range === undefined) return { date_start: null, date_end: null };
  const at = (ms: number) => (ms === OPEN_START ? '-infinity' : ms === OPEN_END ? 'infinity' : new Date(ms).toISOString());
  return { date_start: at(range.start), date_end: at(range.end) };
}
