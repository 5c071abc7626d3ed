/** Subscriptions (src/ports/subscriptions.ts) in PostgreSQL or PGlite: pont_subscription, and their deliveries in the ledger. */
import type { SetAsideReason, StoredSubscription, SubscriptionStatus, SubscriptionStore } from '../ports/subscriptions.js';
import { subscriptionTargetId } from '../ports/subscriptions.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';

interface Row {
  id: string;
  client_id: string;
  status: SubscriptionStatus;
  version_id: number;
  recipient_kind: 'gp-practice' | 'health-board';
  recipient_code: string;
  client_source: string | null;
  criteria: string;
  endpoint: string;
  payload: string | null;
  headers: string[];
  reason: string;
  end_at: Date | string | null;
  error: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS =
  'id, client_id, status, version_id, recipient_kind, recipient_code, client_source, criteria, endpoint, payload, headers, reason, end_at, error, created_at, updated_at';

function fromRow(r: Row): StoredSubscription {
  return {
    id: r.id,
    clientId: r.client_id,
    status: r.status,
    versionId: Number(r.version_id),
    recipient: { kind: r.recipient_kind, code: r.recipient_code, ...(r.client_source === null ? {} : { source: r.client_source }) },
    criteria: r.criteria,
    endpoint: r.endpoint,
    ...(r.payload === null ? {} : { payload: r.payload }),
    headers: r.headers,
    reason: r.reason,
    ...(r.end_at === null ? {} : { end: new Date(r.end_at) }),
    ...(r.error === null ? {} : { error: r.error }),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** Why pending deliveries are held when a subscription takes this status; none when it may still deliver. */
const HOLD_FOR: Partial<Record<SubscriptionStatus, SetAsideReason>> = { off: 'subscription-off', error: 'subscription-error' };

async function setAsidePending(tx: SqlExecutor, subscriptionId: string, status: 'held' | 'superseded', reason: SetAsideReason, at: Date): Promise<void> {
  await tx.query("update pont_delivery set status = $2, reason = $3, done_at = $4 where target_id = $1 and status = 'pending'", [
    subscriptionTargetId(subscriptionId),
    status,
    reason,
    at.toISOString(),
  ]);
}

export function subscriptionStore(db: SqlClient): SubscriptionStore {
  const one = async (tx: SqlExecutor, text: string, params: readonly unknown[]) => {
    const row = (await tx.query<Row>(text, params)).rows[0];
    return row === undefined ? undefined : fromRow(row);
  };
  return {
    async create(s, at) {
      const d = s.definition;
      const created = await one(
        db,
        `insert into pont_subscription (id, client_id, status, recipient_kind, recipient_code, client_source, criteria, endpoint, payload, headers, reason, end_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $13) returning ${COLUMNS}`,
        [
          s.id,
          s.clientId,
          s.status,
          s.recipient.kind,
          s.recipient.code,
          s.recipient.source ?? null,
          d.criteria,
          d.endpoint,
          d.payload ?? null,
          JSON.stringify(d.headers),
          d.reason,
          d.end?.toISOString() ?? null,
          at.toISOString(),
        ],
      );
      return created!;
    },

    get: (id) => one(db, `select ${COLUMNS} from pont_subscription where id = $1`, [id]),

    async listByClient(clientId) {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from pont_subscription where client_id = $1 order by created_at, id`, [clientId]);
      return rows.map(fromRow);
    },

    update: (id, { definition: d, status }, at) =>
      db.transaction(async (tx) => {
        const updated = await one(
          tx,
          `update pont_subscription set status = $2, criteria = $3, endpoint = $4, payload = $5, headers = $6::jsonb, reason = $7, end_at = $8,
                  error = null, version_id = version_id + 1, updated_at = $9
            where id = $1 returning ${COLUMNS}`,
          [id, status, d.criteria, d.endpoint, d.payload ?? null, JSON.stringify(d.headers), d.reason, d.end?.toISOString() ?? null, at.toISOString()],
        );
        const hold = HOLD_FOR[status];
        if (updated !== undefined && hold !== undefined) await setAsidePending(tx, id, 'held', hold, at);
        return updated;
      }),

    setStatus: (id, status, at, error) =>
      db.transaction(async (tx) => {
        const updated = await one(
          tx,
          `update pont_subscription set status = $2, error = $3, version_id = version_id + 1, updated_at = $4 where id = $1 returning ${COLUMNS}`,
          [id, status, status === 'error' ? (error ?? 'error') : null, at.toISOString()],
        );
        const hold = HOLD_FOR[status];
        if (updated !== undefined && hold !== undefined) await setAsidePending(tx, id, 'held', hold, at);
        return updated;
      }),

    remove: (id, at) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query('delete from pont_subscription where id = $1 returning id', [id]);
        if (rows.length === 0) return false;
        await setAsidePending(tx, id, 'superseded', 'subscription-deleted', at);
        return true;
      }),

    async active(now) {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from pont_subscription where status = 'active' and (end_at is null or end_at > $1) order by created_at, id`, [
        now.toISOString(),
      ]);
      return rows.map(fromRow);
    },

    async setAside(deliveryId, status, reason, at) {
      await db.query("update pont_delivery set status = $2, reason = $3, done_at = $4 where id = $1 and status = 'pending'", [deliveryId, status, reason, at.toISOString()]);
    },
  };
}
