/**
 * The deliver use case: one stored delivery (a record version for one target) sent by that
 * target's client, on ports only. The ledger decides whether it is still worth sending (a target
 * already holding a newer version from pont gets nothing: per-person order without a global
 * lock) and keeps what the target said back, so that the next delivery updates rather than
 * duplicates. Retrying it is always safe: a delivery done is not done again.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { ConfigError } from '../errors/errors.js';
import type { Clock } from '../ports/clock.js';
import type { DeliveryLedger, DeliveryReceipt, DeliveryStatus, TargetClient } from '../ports/delivery.js';
import type { RecentBundles } from '../ports/recent-checks.js';

export interface DeliverJob {
  readonly deliveryId: string;
  readonly targetId: string;
  /** The correlation id of the message the delivery came from. */
  readonly requestId?: string;
}

export interface DeliverDeps {
  readonly ledger: DeliveryLedger;
  readonly clients: ReadonlyMap<string, TargetClient>;
  /** What the target may receive of a Bundle (minimum necessary, references kept whole). */
  readonly prepare: (targetId: string, bundle: Bundle) => Bundle;
  readonly clock: Clock;
  /**
   * How long a claimed delivery is this worker's without a sign of life: renewed every third of it
   * while the delivery is being sent, so a worker that dies holds up the person's next delivery
   * to that target for at most this long.
   */
  readonly leaseMs: number;
  /** Bundles of record versions this process just stored, by delivery id: not read back from the store when held. */
  readonly bundles?: RecentBundles;
}

export type DeliverResult =
  | { readonly kind: 'delivered'; readonly receipt: DeliveryReceipt; readonly plannedAt: Date; readonly requestId?: string }
  | { readonly kind: 'done'; readonly status: DeliveryStatus }
  /** Another delivery for the same person and target is in flight: not an attempt, just later. */
  | { readonly kind: 'busy'; readonly retryAfterMs: number };

/**
 * Sends one delivery; throws the client's DeliveryError when the target did not take it. `owner`
 * names this attempt (unique per run), so that two runs of one delivery (a job taken over from a
 * worker thought dead) never send at once.
 */
export async function deliver(deps: DeliverDeps, job: DeliverJob, owner: string): Promise<DeliverResult> {
  const client = deps.clients.get(job.targetId);
  // Checked before claiming. A configuration fault, so no retry helps: the delivery becomes a dead
  // letter, kept, and can be replayed once the target is configured again.
  if (client === undefined) throw new ConfigError(`no target "${job.targetId}" is configured in this process`);
  const held = deps.bundles?.take(job.deliveryId);
  const claim = await deps.ledger.claim(job.deliveryId, owner, deps.clock.now(), deps.leaseMs, {
    withRecord: client.needsRecord === true,
    withBundle: held === undefined,
  });
  // Later again (another of the person's deliveries in flight): still in hand then.
  if (claim.kind === 'busy' && held !== undefined) deps.bundles?.remember(job.deliveryId, held);
  if (claim.kind !== 'claimed') return claim;
  const { task, memory } = claim;
  const bundle = task.bundle ?? held;
  if (bundle === undefined) throw new Error('a claimed delivery without its Bundle'); // the ledger reads it unless told it is held
  const requestId = job.requestId ?? task.requestId;
  const heartbeat = setInterval(() => void deps.ledger.renew(task.id, owner, deps.clock.now(), deps.leaseMs).catch(() => {}), Math.max(10, deps.leaseMs / 3));
  try {
    const receipt = await client.deliver(
      {
        targetId: task.targetId,
        personKey: task.personKey,
        ...(task.nhsNumber === undefined ? {} : { nhsNumber: task.nhsNumber }),
        sourceSystem: task.sourceSystem,
        recordVersionId: task.recordVersionId,
        bundle: deps.prepare(task.targetId, bundle),
        ...(task.record === undefined ? {} : { record: task.record }),
        ...(requestId === undefined ? {} : { requestId }),
      },
      memory,
    );
    await deps.ledger.complete(task.id, owner, receipt, deps.clock.now());
    return { kind: 'delivered', receipt, plannedAt: task.createdAt, ...(requestId === undefined ? {} : { requestId }) };
  } catch (err) {
    await deps.ledger.release(task.id, owner).catch(() => {}); // the lease runs out anyway
    throw err;
  } finally {
    clearInterval(heartbeat);
  }
}
