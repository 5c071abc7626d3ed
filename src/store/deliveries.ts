/**
 * The delivery ledger (src/ports/delivery.ts) in PostgreSQL or PGlite. A delivery is claimed
 * under a lease on its (target, person) row rather than a lock held across the HTTP call: one
 * change per person and target is in flight at a time, the newest version wins, and a worker that
 * dies mid-delivery only delays the next one until its lease runs out.
 */
import type { Bundle } from '@medplum/fhirtypes';
import type { Claim, DeliveredResource, DeliveryLedger, DeliveryReceipt, DeliveryStatus } from '../ports/delivery.js';
import { compareVersionKeys, type VersionKey } from '../record/person-key.js';
import type { CtpRecord } from '../record/record.schema.js';
import { isValidNhsNumber } from '../record/record.schema.js';
import type { SqlClient } from './sql-client.js';

interface TaskRow {
  id: string;
  target_id: string;
  status: DeliveryStatus;
  record_version_id: string;
  person_key: string;
  source_system: string;
  record_id: string;
  extracted_at: string;
  content_hash: string;
  /** The record's NHS number as it holds it (any JSON value), not the whole record: a delivery needs no more. */
  nhs_number: unknown;
  /** Only when the claim asked for it (the caller does not hold it already). */
  bundle: Bundle | null;
  no_bundle: boolean;
  /** Only when the claim asked for it (a target sent the record rather than the Bundle). */
  record: CtpRecord | null;
  message_source: string;
  created_at: Date | string;
  request_id: string | null;
}

interface HeldRow {
  record_version_id: string | null;
  patient_id: string | null;
  resources: DeliveredResource[];
  lease_owner: string | null;
  lease_until: Date | string | null;
  extracted_at: string | null;
  source_system: string | null;
  record_id: string | null;
  content_hash: string | null;
}

/** A person's lease at a target that a claim may take (in the upsert of claim): none, the claimer's own, or run out. */
const LEASE_FREE = `(pont_target_person.lease_owner is null or pont_target_person.lease_owner = excluded.lease_owner
  or pont_target_person.lease_until is null or pont_target_person.lease_until <= $4::timestamptz)`;

export function deliveryLedger(db: SqlClient): DeliveryLedger {
  return {
    claim: (deliveryId, owner, now, leaseMs, options) =>
      db.transaction(async (tx): Promise<Claim> => {
        const task = (
          await tx.query<TaskRow>(
            `select d.id, d.target_id, d.status, v.id as record_version_id, v.person_key, v.source_system, v.record_id, v.extracted_at, v.content_hash,
                    v.record -> 'patient' -> 'nhsNumber' as nhs_number, case when $3::boolean then v.bundle end as bundle, v.bundle is null as no_bundle,
                    case when $2::boolean then v.record end as record, m.source as message_source,
                    d.created_at, m.request_id
               from pont_delivery d join pont_record_version v on v.id = d.record_version_id left join pont_message m on m.id = v.message_id
              where d.id = $1 for update of d`,
            [deliveryId, options?.withRecord === true, options?.withBundle !== false],
          )
        ).rows[0];
        if (task === undefined) return { kind: 'done', status: 'dead' };
        if (task.status !== 'pending') return { kind: 'done', status: task.status };
        // The person's row at the target, made on the first delivery and locked, with the version it
        // holds, and its lease taken unless another owner's is still running: one statement.
        const held = (
          await tx.query<HeldRow>(
            `with p as (
               insert into pont_target_person (target_id, person_key, lease_owner, lease_until) values ($1, $2, $3, $5)
               on conflict (target_id, person_key) do update set
                 lease_owner = case when ${LEASE_FREE} then excluded.lease_owner else pont_target_person.lease_owner end,
                 lease_until = case when ${LEASE_FREE} then excluded.lease_until else pont_target_person.lease_until end
               returning record_version_id, patient_id, resources, lease_owner, lease_until
             )
             select p.record_version_id, p.patient_id, p.resources, p.lease_owner, p.lease_until, v.extracted_at, v.source_system, v.record_id, v.content_hash
               from p left join pont_record_version v on v.id = p.record_version_id`,
            [task.target_id, task.person_key, owner, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString()],
          )
        ).rows[0]!;
        if (held.lease_owner !== owner) {
          return { kind: 'busy', retryAfterMs: Math.max(50, new Date(held.lease_until!).getTime() - now.getTime()) };
        }
        const heldVersion = heldKey(held);
        if (heldVersion !== undefined && compareVersionKeys(keyOf(task), heldVersion) <= 0) {
          await tx.query(
            `with released as (update pont_target_person set lease_owner = null, lease_until = null where target_id = $3 and person_key = $4 and lease_owner = $5)
             update pont_delivery set status = 'superseded', reason = 'target-holds-newer', done_at = $2 where id = $1`,
            [deliveryId, now.toISOString(), task.target_id, task.person_key, owner],
          );
          return { kind: 'done', status: 'superseded' };
        }
        if (task.no_bundle) throw new Error('a pending delivery whose record version has no Bundle'); // finish() stores both together
        const nhs = task.nhs_number;
        return {
          kind: 'claimed',
          task: {
            id: String(task.id),
            targetId: task.target_id,
            personKey: task.person_key,
            recordVersionId: String(task.record_version_id),
            sourceSystem: task.source_system,
            messageSource: task.message_source,
            ...(typeof nhs === 'string' && isValidNhsNumber(nhs) ? { nhsNumber: nhs } : {}),
            ...(task.bundle === null ? {} : { bundle: task.bundle }),
            ...(task.record === null ? {} : { record: task.record }),
            createdAt: new Date(task.created_at),
            ...(task.request_id === null ? {} : { requestId: task.request_id }),
          },
          memory: { ...(held.patient_id === null ? {} : { patientId: held.patient_id }), resources: held.resources },
        };
      }),

    complete: (deliveryId, owner, receipt, at) =>
      db.transaction(async (tx) => {
        // The delivery marked done, and what the target held from pont until now (locked), in one
        // statement. The person's row exists: the claim made it.
        const row = (
          await tx.query<{ target_id: string; person_key: string; record_version_id: string; resources: DeliveredResource[] }>(
            `with d as (
               update pont_delivery d set status = 'delivered', done_at = $2, receipt = $3::jsonb, attempts = attempts + 1
                 from pont_record_version v where d.id = $1 and v.id = d.record_version_id and d.status = 'pending'
               returning d.target_id, v.person_key, d.record_version_id
             )
             select d.target_id, d.person_key, d.record_version_id, p.resources
               from d join pont_target_person p on p.target_id = d.target_id and p.person_key = d.person_key
                for update of p`,
            [deliveryId, at.toISOString(), JSON.stringify(receiptSummary(receipt))],
          )
        ).rows[0];
        if (row === undefined) return;
        const resources = new Map(row.resources.map((r) => [r.key, r]));
        for (const r of receipt.resources) resources.set(r.key, r);
        for (const key of receipt.released ?? []) resources.delete(key);
        await tx.query(
          `update pont_target_person set record_version_id = $3, patient_id = coalesce($4, patient_id), resources = $5::jsonb, updated_at = $6,
                  lease_owner = case when lease_owner = $7 then null else lease_owner end, lease_until = case when lease_owner = $7 then null else lease_until end
            where target_id = $1 and person_key = $2`,
          [row.target_id, row.person_key, row.record_version_id, receipt.patientId ?? null, JSON.stringify([...resources.values()]), at.toISOString(), owner],
        );
      }),

    async renew(deliveryId, owner, now, leaseMs) {
      const { rows } = await db.query(
        `update pont_target_person p set lease_until = $3
           from pont_delivery d join pont_record_version v on v.id = d.record_version_id
          where d.id = $1 and p.target_id = d.target_id and p.person_key = v.person_key and p.lease_owner = $2
          returning 1`,
        [deliveryId, owner, new Date(now.getTime() + leaseMs).toISOString()],
      );
      return rows.length > 0;
    },

    async release(deliveryId, owner) {
      await db.query(
        `update pont_target_person p set lease_owner = null, lease_until = null
           from pont_delivery d join pont_record_version v on v.id = d.record_version_id
          where d.id = $1 and p.target_id = d.target_id and p.person_key = v.person_key and p.lease_owner = $2`,
        [deliveryId, owner],
      );
      await db.query('update pont_delivery set attempts = attempts + 1 where id = $1', [deliveryId]);
    },

    deadLetter: (deliveryId, letter) =>
      db.transaction(async (tx) => {
        const row = (
          await tx.query<{ message_id: string | null }>(
            `update pont_delivery d set status = 'dead', reason = $2, done_at = $3 from pont_record_version v
              where d.id = $1 and v.id = d.record_version_id and d.status = 'pending' returning v.message_id`,
            [deliveryId, letter.reason, letter.at.toISOString()],
          )
        ).rows[0];
        if (row === undefined || row.message_id === null) return;
        await tx.query('insert into pont_dead_letter (message_id, delivery_id, queue, reason, attempts, at) values ($1, $2, $3, $4, $5, $6)', [
          row.message_id,
          deliveryId,
          letter.queue,
          letter.reason,
          letter.attempts,
          letter.at.toISOString(),
        ]);
      }),

    async pending(limit, after) {
      const { rows } = await db.query<{ id: string; target_id: string }>("select id, target_id from pont_delivery where status = 'pending' and id > $2 order by id limit $1", [
        limit,
        after ?? '0',
      ]);
      return rows.map((r) => ({ id: String(r.id), targetId: r.target_id }));
    },
  };
}

function keyOf(row: { extracted_at: string; source_system: string; record_id: string; content_hash: string }): VersionKey {
  return { extractedAt: row.extracted_at, system: row.source_system, recordId: row.record_id, contentHash: row.content_hash };
}

/** The version the target holds from pont, if any. */
function heldKey(held: HeldRow): VersionKey | undefined {
  if (held.extracted_at === null || held.source_system === null || held.record_id === null || held.content_hash === null) return undefined;
  return { extractedAt: held.extracted_at, system: held.source_system, recordId: held.record_id, contentHash: held.content_hash };
}

/** What the ledger keeps of a receipt with the delivery: how it went and what the target's format left out, not the resources (kept per person). */
function receiptSummary(receipt: DeliveryReceipt): { mode: string; requests: number; resources: number; leftOut?: readonly string[] } {
  return { mode: receipt.mode, requests: receipt.requests, resources: receipt.resources.length, ...(receipt.leftOut === undefined ? {} : { leftOut: receipt.leftOut }) };
}

/** Re-opens a message's dead deliveries (replay); returns them, to be queued. */
export async function replayDeliveries(db: SqlClient, messageId: string, at: Date): Promise<{ id: string; targetId: string }[]> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ delivery_id: string }>(
      `update pont_dead_letter set replayed_at = $2 where message_id = $1 and delivery_id is not null and replayed_at is null and discarded_at is null
       returning delivery_id`,
      [messageId, at.toISOString()],
    );
    if (rows.length === 0) return [];
    const reopened = await tx.query<{ id: string; target_id: string }>(
      "update pont_delivery set status = 'pending', reason = null, done_at = null where id = any($1::bigint[]) and status = 'dead' returning id, target_id",
      [rows.map((r) => r.delivery_id)],
    );
    return reopened.rows.map((r) => ({ id: String(r.id), targetId: r.target_id }));
  });
}

/**
 * The version id a target gave a resource pont wrote into it: null when it gave none, undefined
 * when pont never wrote that resource there (echo suppression when pulling the same system).
 */
export async function writtenByPont(db: SqlClient, targetId: string, resourceType: string, id: string): Promise<string | null | undefined> {
  const { rows } = await db.query<{ version_id: string | null }>(
    `select r ->> 'versionId' as version_id from pont_target_person p, jsonb_array_elements(p.resources) r
      where p.target_id = $1 and p.resources @> $2::jsonb and r ->> 'resourceType' = $3 and r ->> 'id' = $4 limit 1`,
    [targetId, JSON.stringify([{ resourceType, id }]), resourceType, id],
  );
  return rows.length === 0 ? undefined : rows[0]!.version_id;
}
