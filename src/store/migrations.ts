/**
 * The store's schema, as numbered migrations applied in order and recorded in
 * `pont_schema_migration`. A migration is never edited once released: a change is a new one.
 * Every instance (PostgreSQL or PGlite) runs the same list; concurrent starters serialise on an
 * advisory lock, so two workers starting together apply each migration once.
 */
import { StoreError } from '../errors/errors.js';
import type { SqlClient } from './sql-client.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'inbound messages and record versions',
    sql: `
      create table pont_message (
        id uuid primary key,
        source text not null,
        format text not null,
        received_at timestamptz not null,
        content_hash text not null,
        payload bytea not null,
        -- the furthest stage reached: received, processed, failed (see pont_message_stage for when)
        stage text not null default 'received',
        unique (source, content_hash)
      );
      create index pont_message_unfinished on pont_message (received_at) where stage = 'received';

      create table pont_message_stage (
        message_id uuid not null references pont_message (id),
        stage text not null,
        at timestamptz not null,
        -- codes and counts only, never patient data
        detail jsonb,
        primary key (message_id, stage, at)
      );

      create table pont_record_version (
        id bigserial primary key,
        person_key text collate "C" not null,
        source_system text collate "C" not null,
        record_id text collate "C" not null,
        -- as the source gave it, and as an instant (ms since 1970) for the order of versions
        extracted_at text not null,
        extracted_ms bigint,
        content_hash text collate "C" not null,
        message_id uuid references pont_message (id),
        record jsonb not null,
        stored_at timestamptz not null default now()
      );
      -- The current version first: the order of compareVersions (src/record/person-key.ts).
      create index pont_record_version_current on pont_record_version
        (person_key, extracted_ms desc nulls last, source_system desc, record_id desc, content_hash desc);
    `,
  },
  {
    version: 2,
    name: 'dead letters',
    sql: `
      -- A message whose processing failed for good (every attempt used, or a failure no retry can
      -- help): its message moves to stage 'dead', which the reconciler leaves alone, until it is
      -- replayed (back to 'received') or discarded (with the reason kept).
      create table pont_dead_letter (
        id bigserial primary key,
        message_id uuid not null references pont_message (id),
        queue text not null,
        -- an error code or class name, never an error's text (which may quote data)
        reason text not null,
        attempts integer not null,
        at timestamptz not null,
        replayed_at timestamptz,
        discarded_at timestamptz,
        discard_reason text
      );
      create unique index pont_dead_letter_open on pont_dead_letter (message_id) where replayed_at is null and discarded_at is null;
    `,
  },
  {
    version: 3,
    name: 'compliance findings per record version',
    sql: `
      create table pont_finding (
        record_version_id bigint not null references pont_record_version (id),
        pack text not null,
        as_of date not null,
        rule_id text not null,
        check_id text not null,
        result text not null,
        severity text not null,
        -- a path in the canonical record, and the rule's own words (never the record's)
        location text,
        due date,
        message text not null
      );
      create index pont_finding_version on pont_finding (record_version_id);
    `,
  },
  {
    version: 4,
    name: 'FHIR resources per record version, the delivery ledger, pull cursors',
    sql: `
      -- The FHIR resources pont made of the version (its transaction Bundle): what is delivered.
      alter table pont_record_version add column bundle jsonb;

      -- One row per record version and target it is for: pending until delivered, or held (the
      -- person declined sharing with that recipient), superseded (the target already holds a
      -- newer version from pont), or dead (every attempt used). Codes only, never patient data.
      create table pont_delivery (
        id bigserial primary key,
        target_id text not null,
        record_version_id bigint not null references pont_record_version (id),
        status text not null,
        reason text,
        attempts integer not null default 0,
        created_at timestamptz not null,
        done_at timestamptz,
        -- the target's ids and versions of what was written, the mode and the requests it took
        receipt jsonb,
        unique (target_id, record_version_id)
      );
      create index pont_delivery_pending on pont_delivery (created_at, id) where status = 'pending';

      -- What each target holds of each person from pont: the newest version delivered, the
      -- target's own Patient and the target's ids and versions of pont's resources; and a lease,
      -- so one delivery per person and target is in flight at a time (order without a global lock).
      create table pont_target_person (
        target_id text not null,
        person_key text collate "C" not null,
        record_version_id bigint references pont_record_version (id),
        patient_id text,
        resources jsonb not null default '[]',
        lease_owner text,
        lease_until timestamptz,
        updated_at timestamptz,
        primary key (target_id, person_key)
      );

      -- A dead letter is about a message or about one of its deliveries.
      alter table pont_dead_letter add column delivery_id bigint references pont_delivery (id);
      drop index pont_dead_letter_open;
      create unique index pont_dead_letter_open on pont_dead_letter (message_id) where replayed_at is null and discarded_at is null and delivery_id is null;
      create unique index pont_dead_letter_open_delivery on pont_dead_letter (delivery_id) where replayed_at is null and discarded_at is null and delivery_id is not null;

      -- Where each pulled source was read up to.
      create table pont_source_cursor (
        source_id text primary key,
        cursor text not null,
        updated_at timestamptz not null
      );
    `,
  },
  {
    version: 5,
    name: 'current FHIR resources with their history, for the facade and export',
    sql: `
      -- What each writer holds of a resource: a person's current record version ('person:' key)
      -- for the person's own resources, or a source's newest version ('source:' system) for a
      -- shared one (Patient, Organization by ODS code). The served resource is made from these.
      create table pont_fhir_contribution (
        resource_type text collate "C" not null,
        id text collate "C" not null,
        contributor text collate "C" not null,
        record_version_id bigint not null references pont_record_version (id),
        person_key text collate "C" not null,
        source_system text collate "C" not null,
        extracted_ms bigint,
        content_hash text collate "C" not null,
        resource jsonb not null,
        -- the facts of the record version it came from, which scope and search read
        patient_id text collate "C",
        gp_practice text collate "C",
        organizations text[] collate "C" not null default '{}',
        primary key (resource_type, id, contributor)
      );
      create index pont_fhir_contribution_by on pont_fhir_contribution (contributor);

      -- The current version of every resource served, with the values search and scope read.
      -- A resource no current record holds any more is kept as deleted (read answers 410).
      create table pont_fhir_resource (
        resource_type text collate "C" not null,
        id text collate "C" not null,
        version_id integer not null,
        last_updated timestamptz not null,
        deleted boolean not null default false,
        content_hash text collate "C" not null,
        resource jsonb not null,
        person_key text collate "C",
        -- null for resources about no one person (Organization, Practitioner...)
        patient_id text collate "C",
        gp_practice text collate "C",
        organizations text[] collate "C" not null default '{}',
        identifiers text[] collate "C" not null default '{}',
        status text collate "C",
        categories text[] collate "C" not null default '{}',
        date_start timestamptz,
        date_end timestamptz,
        primary key (resource_type, id)
      );
      create index pont_fhir_resource_patient on pont_fhir_resource (resource_type, patient_id, id);
      create index pont_fhir_resource_practice on pont_fhir_resource (gp_practice, resource_type, id);
      create index pont_fhir_resource_updated on pont_fhir_resource (last_updated);
      create index pont_fhir_resource_person on pont_fhir_resource (person_key);
      create index pont_fhir_resource_identifiers on pont_fhir_resource using gin (identifiers);
      create index pont_fhir_resource_categories on pont_fhir_resource using gin (categories);
      create index pont_fhir_resource_organizations on pont_fhir_resource using gin (organizations);

      -- Every version of every resource, the deletions included (no content).
      create table pont_fhir_resource_version (
        resource_type text collate "C" not null,
        id text collate "C" not null,
        version_id integer not null,
        last_updated timestamptz not null,
        deleted boolean not null,
        resource jsonb,
        record_version_id bigint references pont_record_version (id),
        primary key (resource_type, id, version_id)
      );
    `,
  },
  {
    version: 6,
    name: 'correlation ids of messages, audit events',
    sql: `
      -- The X-Request-Id of the request (or pull run) that brought the message: carried to its jobs,
      -- outbound calls and log lines. A token pont checked or made, never patient data.
      alter table pont_message add column request_id text;

      -- One FHIR AuditEvent per read, search, export, ingest and admin action: who (the client),
      -- what (a resource reference or the query's route and parameter names), when, the outcome.
      create table pont_audit_event (
        id uuid primary key,
        recorded timestamptz not null,
        type_code text not null,
        subtype_code text not null,
        action text not null,
        outcome text not null,
        client_id text,
        request_id text,
        entity text,
        source text not null,
        -- the AuditEvent resource itself, as it is read back
        event jsonb not null
      );
      create index pont_audit_event_recorded on pont_audit_event (recorded);
      create index pont_audit_event_client on pont_audit_event (client_id, recorded);
      create index pont_audit_event_action on pont_audit_event (action, recorded);
    `,
  },
  {
    version: 7,
    name: 'R4 Subscriptions (rest-hook) of API clients',
    sql: `
      -- A client's subscription to its own patients' care plan changes: a delivery target made over
      -- the API (target id subscription/{id} in pont_delivery). Deleting one leaves its deliveries
      -- in the ledger. The recipient (whose patients, by ODS code) is the client's when it subscribed.
      create table pont_subscription (
        id uuid primary key,
        client_id text not null,
        -- requested is only ever asked for: pont has no handshake in R4 and makes it active at once
        status text not null check (status in ('requested', 'active', 'off', 'error')),
        version_id integer not null default 1,
        recipient_kind text not null check (recipient_kind in ('gp-practice', 'health-board')),
        recipient_code text not null,
        -- the source a source EPR ingests as: its own changes never come back to it
        client_source text,
        criteria text not null,
        endpoint text not null,
        -- the mime type of the payload, or null for a notification without one
        payload text,
        -- "Name: value" lines sent with each notification; values may be secrets, never logged
        headers jsonb not null default '[]',
        reason text not null,
        end_at timestamptz,
        -- why pont turned it to error: a code, never a target's text
        error text,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index pont_subscription_client on pont_subscription (client_id, created_at);
      create index pont_subscription_active on pont_subscription (created_at) where status = 'active';
    `,
  },
  {
    version: 8,
    name: 'Bulk Data export jobs',
    sql: `
      -- One row per $export kick-off. No file is written: each output file is read from the
      -- served resources as of transaction_time when it is downloaded; files lists them
      -- ({type, part, count, after, upTo}) once counted. scope is the caller's PatientScope at
      -- kick-off and supporting the ids of the non-person resources (Organization, Practitioner...)
      -- the exported people's resources refer to. Codes and counts only, never patient data.
      create table pont_export_job (
        id uuid primary key,
        client_id text not null,
        level text not null,
        group_id text collate "C",
        patients text[] collate "C",
        types text[] collate "C" not null,
        since timestamptz,
        transaction_time timestamptz not null,
        request text not null,
        scope jsonb not null,
        status text not null,
        files jsonb,
        supporting jsonb,
        counted integer not null default 0,
        counting_until timestamptz,
        error text,
        created_at timestamptz not null,
        finished_at timestamptz
      );
      create index pont_export_job_client on pont_export_job (client_id, created_at);
    `,
  },
  {
    version: 9,
    name: 'the subject of a finding',
    sql: `
      -- Who or what a finding is about when several share a location (a recipient by role and
      -- place in the record, a plan version): the rule's words, never the record's values.
      alter table pont_finding add column subject text;
    `,
  },
  {
    version: 10,
    name: "lighter copies of record versions' resources",
    sql: `
      -- A person's own resources are in their record version's Bundle and, while newest, served:
      -- their contributions keep the content hash only. A source's part of a shared resource is
      -- still kept whole, to merge.
      alter table pont_fhir_contribution alter column resource drop not null;
      -- A version's Bundle is only ever read whole (to deliver it): kept as the JSON text it was
      -- written as, which costs the database no conversion either way.
      alter table pont_record_version alter column bundle type json using bundle::json;
    `,
  },
  {
    version: 11,
    name: 'findings without a check of their record version per row',
    sql: `
      -- A record version's findings (about 150 a record) are written only by the statement after
      -- the one that inserts the version, in its transaction, with the id that insert returned,
      -- and versions are never deleted: the foreign key's check of every row (half the cost of
      -- writing the findings) guarded against nothing that can happen. The index stays.
      alter table pont_finding drop constraint if exists pont_finding_record_version_id_fkey;
    `,
  },
];

/** A number both PostgreSQL and PGlite hold for the length of a transaction: pont's migrations. */
const MIGRATION_LOCK = 7_114_301;

/** Applies the migrations not yet applied; returns the versions applied now. */
export async function migrate(db: SqlClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('create table if not exists pont_schema_migration (version integer primary key, name text not null, applied_at timestamptz not null default now())');
    const done = new Set((await tx.query<{ version: number }>('select version from pont_schema_migration')).rows.map((r) => Number(r.version)));
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...done].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw new StoreError(
        'STORE_MIGRATION_FAILED',
        `${db.description} has schema version ${Math.max(...unknown)}, newer than this pont knows (${Math.max(0, ...known)}): upgrade pont`,
        false,
      );
    }
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('insert into pont_schema_migration (version, name) values ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
