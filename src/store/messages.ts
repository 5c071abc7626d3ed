/**
 * The inbox: every inbound message is written and committed here before its sender is told it
 * was accepted, so nothing acknowledged can be lost. The same payload from the same source is one
 * message (its content hash), which is what makes a resend harmless.
 */
import { randomUUID } from 'node:crypto';
import type {
  Accepted,
  DeadLetter,
  DeadLetterView,
  InboundMessage,
  InboxCursor,
  MessageHistory,
  MessageOutcome,
  MessageStage,
  MessageStorePort,
  PendingDelivery,
  StoredMessage,
} from '../ports/message-inbox.js';
import { insertVersion, sha256 } from './record-store.js';
import { storeServedResources } from './resource-writer.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';

export function messageStore(db: SqlClient) {
  const store = {
    /** Commits the message (or finds the one already holding this payload) and only then returns. */
    async accept(message: InboundMessage): Promise<Accepted> {
      const contentHash = sha256(message.payload);
      return db.transaction(async (tx) => {
        const id = randomUUID();
        // The message and its first stage in one statement (one round trip fewer for every message).
        const inserted = await tx.query<{ id: string }>(
          `with m as (
             insert into pont_message (id, source, format, received_at, content_hash, payload, request_id) values ($1, $2, $3, $4, $5, $6, $7)
             on conflict (source, content_hash) do nothing returning id
           ), s as (
             insert into pont_message_stage (message_id, stage, at, detail) select id, 'received', $4, null from m
           )
           select id from m`,
          [id, message.source, message.format, message.receivedAt.toISOString(), contentHash, message.payload, message.requestId ?? null],
        );
        if (inserted.rows.length === 1) return { id, duplicate: false };
        const existing = await tx.query<{ id: string }>('select id from pont_message where source = $1 and content_hash = $2', [message.source, contentHash]);
        return { id: existing.rows[0]!.id, duplicate: true };
      });
    },

    async finish(id: string, outcome: MessageOutcome): Promise<PendingDelivery[]> {
      return db.transaction(async (tx) => {
        // A second worker finishing it waits for the lock, then finds it finished.
        if ((await lockedStage(tx, id)) !== 'received') return [];
        const versions: string[] = [];
        for (const { record, bundle } of outcome.records) {
          const version = await insertVersion(tx, record, id, bundle);
          if (bundle !== undefined) await storeServedResources(tx, version, bundle);
          versions.push(version.id);
        }
        return settle(tx, id, outcome, versions);
      });
    },

    async deadLetter(id: string, letter: DeadLetter): Promise<void> {
      await db.transaction(async (tx) => {
        if ((await lockedStage(tx, id)) !== 'received') return; // processed meanwhile (a later attempt won), or already set aside
        await tx.query('insert into pont_dead_letter (message_id, queue, reason, attempts, at) values ($1, $2, $3, $4, $5)', [
          id,
          letter.queue,
          letter.reason,
          letter.attempts,
          letter.at.toISOString(),
        ]);
        await moveTo(tx, id, 'dead', letter.at, { reason: letter.reason, attempts: letter.attempts });
      });
    },

    async replay(id: string, at: Date): Promise<boolean> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          'update pont_dead_letter set replayed_at = $2 where message_id = $1 and delivery_id is null and replayed_at is null and discarded_at is null returning id',
          [id, at.toISOString()],
        );
        if (rows.length === 0) return false;
        await moveTo(tx, id, 'received', at, { replayed: true });
        return true;
      });
    },

    async discard(id: string, reason: string, at: Date): Promise<boolean> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          'update pont_dead_letter set discarded_at = $2, discard_reason = $3 where message_id = $1 and replayed_at is null and discarded_at is null returning id',
          [id, at.toISOString(), reason],
        );
        if (rows.length === 0) return false;
        await logStage(tx, id, 'discarded', at, { discarded: true });
        return true;
      });
    },

    async deadLetters(): Promise<DeadLetterView[]> {
      const { rows } = await db.query<{
        message_id: string;
        source: string;
        format: string;
        received_at: Date | string;
        queue: string;
        reason: string;
        attempts: number;
        at: Date | string;
        target_id: string | null;
      }>(
        `select d.message_id, m.source, m.format, m.received_at, d.queue, d.reason, d.attempts, d.at, x.target_id
           from pont_dead_letter d join pont_message m on m.id = d.message_id left join pont_delivery x on x.id = d.delivery_id
          where d.replayed_at is null and d.discarded_at is null order by d.at, d.id`,
      );
      return rows.map((r) => ({
        messageId: r.message_id,
        source: r.source,
        format: r.format,
        receivedAt: new Date(r.received_at),
        queue: r.queue,
        reason: r.reason,
        attempts: Number(r.attempts),
        at: new Date(r.at),
        ...(r.target_id === null ? {} : { targetId: r.target_id }),
      }));
    },

    async history(id: string): Promise<MessageHistory | undefined> {
      const message = await db.query<{ id: string; source: string; format: string; stage: MessageStage }>('select id, source, format, stage from pont_message where id = $1', [
        id,
      ]);
      const m = message.rows[0];
      if (m === undefined) return undefined;
      const stages = await db.query<{ stage: string; at: Date | string; detail: Record<string, unknown> | null }>(
        'select stage, at, detail from pont_message_stage where message_id = $1 order by at, stage',
        [id],
      );
      const records = await db.query<{ n: string | number }>('select count(*) as n from pont_record_version where message_id = $1', [id]);
      const findings = await db.query<{ result: string; n: string | number }>(
        'select f.result, count(*) as n from pont_finding f join pont_record_version v on v.id = f.record_version_id where v.message_id = $1 group by f.result order by f.result',
        [id],
      );
      const deliveries = await db.query<{ target_id: string; status: string; n: string | number }>(
        `select d.target_id, d.status, count(*) as n from pont_delivery d join pont_record_version v on v.id = d.record_version_id
          where v.message_id = $1 group by d.target_id, d.status order by d.target_id, d.status`,
        [id],
      );
      // What a target's format did not hold, from the receipts of the deliveries made (names of fields only).
      const leftOut = await db.query<{ target_id: string; field: string }>(
        `select distinct d.target_id, x.field from pont_delivery d join pont_record_version v on v.id = d.record_version_id
          cross join lateral jsonb_array_elements_text(coalesce(d.receipt -> 'leftOut', '[]'::jsonb)) as x(field)
          where v.message_id = $1 and d.status = 'delivered' order by d.target_id, x.field`,
        [id],
      );
      const leftOutAt = Map.groupBy(leftOut.rows, (r) => r.target_id);
      const letters = await db.query<{
        queue: string;
        reason: string;
        attempts: number;
        at: Date | string;
        replayed_at: Date | string | null;
        discarded_at: Date | string | null;
        discard_reason: string | null;
      }>('select queue, reason, attempts, at, replayed_at, discarded_at, discard_reason from pont_dead_letter where message_id = $1 order by id', [id]);
      return {
        id: m.id,
        source: m.source,
        format: m.format,
        stage: m.stage,
        stages: stages.rows.map((r) => ({ stage: r.stage, at: new Date(r.at), ...(r.detail === null ? {} : { detail: r.detail }) })),
        records: Number(records.rows[0]!.n),
        findings: Object.fromEntries(findings.rows.map((r) => [r.result, Number(r.n)])),
        deliveries: deliveries.rows.map((r) => {
          const fields = r.status === 'delivered' ? leftOutAt.get(r.target_id)?.map((x) => x.field) : undefined;
          return { targetId: r.target_id, status: r.status, count: Number(r.n), ...(fields === undefined ? {} : { leftOut: fields }) };
        }),
        deadLetters: letters.rows.map((r) => ({
          queue: r.queue,
          reason: r.reason,
          attempts: Number(r.attempts),
          at: new Date(r.at),
          ...(r.replayed_at === null ? {} : { replayedAt: new Date(r.replayed_at) }),
          ...(r.discarded_at === null ? {} : { discardedAt: new Date(r.discarded_at), discardReason: r.discard_reason ?? '' }),
        })),
      };
    },

    async get(id: string): Promise<StoredMessage | undefined> {
      const { rows } = await db.query<MessageRow>('select id, source, format, received_at, content_hash, payload, stage, request_id from pont_message where id = $1', [id]);
      return rows[0] === undefined ? undefined : fromRow(rows[0]);
    },

    /** Messages received and not yet processed, oldest first, page by page: what the reconciler re-enqueues. */
    async unfinished(limit: number, after?: InboxCursor): Promise<InboxCursor[]> {
      const { rows } =
        after === undefined
          ? await db.query<{ id: string; received_at: Date | string }>("select id, received_at from pont_message where stage = 'received' order by received_at, id limit $1", [
              limit,
            ])
          : await db.query<{ id: string; received_at: Date | string }>(
              "select id, received_at from pont_message where stage = 'received' and (received_at, id) > ($2, $3) order by received_at, id limit $1",
              [limit, after.receivedAt.toISOString(), after.id],
            );
      return rows.map((r) => ({ id: r.id, receivedAt: new Date(r.received_at) }));
    },
  };
  return store satisfies MessageStorePort;
}

export type MessageStore = ReturnType<typeof messageStore>;

interface MessageRow {
  id: string;
  source: string;
  format: string;
  received_at: Date | string;
  content_hash: string;
  payload: Uint8Array;
  stage: MessageStage;
  request_id: string | null;
}

function fromRow(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    source: row.source,
    format: row.format,
    receivedAt: new Date(row.received_at),
    contentHash: row.content_hash,
    payload: new Uint8Array(row.payload),
    stage: row.stage,
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
  };
}

/**
 * The versions' findings and deliveries (pending or held), and the message moved to its stage, in
 * one statement whatever their number (findings as one JSON document: the database reads it faster
 * than a text array per column); returns the pending deliveries.
 */
async function settle(tx: SqlExecutor, id: string, outcome: MessageOutcome, versions: readonly string[]): Promise<PendingDelivery[]> {
  const findings = outcome.records.flatMap(({ evaluation }, n) =>
    evaluation === undefined || evaluation.findings.length === 0
      ? []
      : [
          {
            record_version_id: versions[n],
            pack: evaluation.pack,
            as_of: evaluation.asOf,
            findings: evaluation.findings.map((x) => ({
              rule_id: x.ruleId,
              check_id: x.check,
              result: x.result,
              severity: x.severity,
              location: x.location ?? null,
              due: x.due ?? null,
              message: x.message,
              subject: x.subject ?? null,
            })),
          },
        ],
  );
  const planned = outcome.records.flatMap(({ deliveries }, n) => (deliveries ?? []).map((d) => ({ ...d, version: versions[n]! })));
  const { rows } = await tx.query<{ id: string; target_id: string; record_version_id: string; status: string }>(
    `with findings as (
       insert into pont_finding (record_version_id, pack, as_of, rule_id, check_id, result, severity, location, due, message, subject)
       select v.record_version_id, v.pack, v.as_of, f.* from jsonb_to_recordset($1::jsonb) as v(record_version_id bigint, pack text, as_of date, findings jsonb)
         cross join lateral jsonb_to_recordset(v.findings)
           as f(rule_id text, check_id text, result text, severity text, location text, due date, message text, subject text)
     ), stage as (
       insert into pont_message_stage (message_id, stage, at, detail) values ($2, $3, $4, $5::jsonb)
     ), message as (
       update pont_message set stage = $3 where id = $2
     )
     insert into pont_delivery (target_id, record_version_id, status, reason, created_at, done_at)
     select t, v, case when r is null then 'pending' else 'held' end, r, $4, case when r is null then null else $4::timestamptz end
       from unnest($6::text[], $7::bigint[], $8::text[]) as p(t, v, r)
     on conflict (target_id, record_version_id) do nothing
     returning id, target_id, record_version_id, status`,
    [
      JSON.stringify(findings),
      id,
      outcome.stage,
      outcome.at.toISOString(),
      JSON.stringify(outcome.detail),
      planned.map((p) => p.targetId),
      planned.map((p) => p.version),
      planned.map((p) => p.held ?? null),
    ],
  );
  return rows.filter((r) => r.status === 'pending').map((r) => ({ id: String(r.id), targetId: r.target_id, record: versions.indexOf(String(r.record_version_id)) }));
}

/** Notes that a message reached a stage; `detail` holds codes and counts, never patient data. */
async function logStage(tx: SqlExecutor, id: string, stage: string, at: Date, detail?: Readonly<Record<string, string | number | boolean>>): Promise<void> {
  await tx.query('insert into pont_message_stage (message_id, stage, at, detail) values ($1, $2, $3, $4::jsonb)', [
    id,
    stage,
    at.toISOString(),
    detail === undefined ? null : JSON.stringify(detail),
  ]);
}

/** Moves a message to a stage, noting it (in one statement). */
async function moveTo(tx: SqlExecutor, id: string, stage: MessageStage, at: Date, detail: Readonly<Record<string, string | number | boolean>>): Promise<void> {
  await tx.query(
    `with s as (insert into pont_message_stage (message_id, stage, at, detail) values ($1, $2, $3, $4::jsonb))
     update pont_message set stage = $2 where id = $1`,
    [id, stage, at.toISOString(), JSON.stringify(detail)],
  );
}

/** The message's stage, its row locked until the transaction ends; undefined for an unknown id. */
async function lockedStage(tx: SqlExecutor, id: string): Promise<MessageStage | undefined> {
  const { rows } = await tx.query<{ stage: MessageStage }>('select stage from pont_message where id = $1 for update', [id]);
  return rows[0]?.stage;
}
