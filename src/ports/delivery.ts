/**
 * Delivery of record versions to the systems configured as targets (PONT_CONFIG), as the core
 * sees it. A target client (src/delivery/…) speaks one target's protocol; what it learnt about
 * the target (the target's own ids and versions of what pont wrote, the Patient it resolved by
 * NHS number) comes back in a receipt that the ledger keeps and hands in on the next delivery.
 */
import type { Bundle } from '@medplum/fhirtypes';
import type { CtpRecord } from '../record/record.schema.js';

/** One record version's resources on their way to one target, already gated and pruned for it. */
export interface Change {
  readonly targetId: string;
  readonly personKey: string;
  /** The person's NHS number when valid: a FHIR target's own Patient is resolved by it. */
  readonly nhsNumber?: string;
  /** The source system the record version came from (echo suppression, identifier systems). */
  readonly sourceSystem: string;
  /** The store's id of the record version, so a receipt can be tied to it. */
  readonly recordVersionId: string;
  /** A transaction Bundle as pont makes it: PUTs by pont's id, or conditional on an identifier. */
  readonly bundle: Bundle;
  /** The canonical record version itself, for a client that writes the target's own format from it (TargetClient.needsRecord). */
  readonly record?: CtpRecord;
  /** The correlation id of the message the version came from, sent on as X-Request-Id. */
  readonly requestId?: string;
}

/** One resource pont wrote to a target, keyed by its entry's request URL in pont's Bundle. */
export interface DeliveredResource {
  /** `Type/id` for pont's own ids, `Type?identifier=system|value` for shared resources. */
  readonly key: string;
  readonly resourceType: string;
  /** The target's id (the same as pont's for `Type/id` keys unless the target assigned its own). */
  readonly id: string;
  /** The target's version id (ETag without W/"…") after pont's write, when the target said. */
  readonly versionId?: string;
  /**
   * The source system of the record version pont last wrote it from. A person's later version
   * from that system without the resource withdraws it at the target; one without a source
   * system recorded is never withdrawn.
   */
  readonly sourceSystem?: string;
  /** Marked entered-in-error by pont because a later version no longer had it (src/delivery/fhir-target/withdraw.ts). */
  readonly withdrawn?: true;
}

/** What pont knows of a person at one target from earlier deliveries. */
export interface TargetMemory {
  /** The target's own Patient for this person, found by NHS number or created by pont. */
  readonly patientId?: string;
  readonly resources: readonly DeliveredResource[];
}

export interface DeliveryReceipt extends TargetMemory {
  readonly mode: 'transaction' | 'batch' | 'per-resource' | 'http';
  /** HTTP requests that carried the change (retries inside the client not counted). */
  readonly requests: number;
  /**
   * Keys of resources pont no longer holds at the target, for the ledger to forget: deleted by
   * pont, found gone, or changed at the target since pont wrote them and so left to it.
   */
  readonly released?: readonly string[];
  /**
   * The record's fields the target's format does not hold and so were not sent (a target of kind
   * http), by path with list positions folded: names, never values.
   */
  readonly leftOut?: readonly string[];
}

export interface TargetClient {
  readonly targetId: string;
  /** Whether the client writes from the canonical record (kind http) rather than the Bundle: the change then carries it. */
  readonly needsRecord?: boolean;
  /** Sends the change; throws a DeliveryError (src/errors/errors.ts) when it could not. */
  deliver(change: Change, memory: TargetMemory): Promise<DeliveryReceipt>;
  close(): Promise<void>;
}

/** What routing decided for one record version and one target, when the version was stored. */
export interface PlannedDelivery {
  readonly targetId: string;
  /** A reason code when the delivery is held and recorded rather than sent (e.g. `consent-declined`). */
  readonly held?: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'held' | 'superseded' | 'dead';

/** A delivery as the deliver use case works on it. */
export interface DeliveryTask {
  readonly id: string;
  readonly targetId: string;
  readonly personKey: string;
  readonly recordVersionId: string;
  /** The record's source system, and the source the message came from (never sent back to it). */
  readonly sourceSystem: string;
  readonly messageSource: string;
  readonly nhsNumber?: string;
  /** The record version's Bundle, unless the claim was told it is in hand (ClaimOptions.withBundle). */
  readonly bundle?: Bundle;
  /** When the delivery was planned (its record version stored): processed → delivered latency. */
  readonly createdAt: Date;
  /** The correlation id of the message the version came from. */
  readonly requestId?: string;
  /** The record version, when the claim asked for it (ClaimOptions.withRecord). */
  readonly record?: CtpRecord;
}

export interface ClaimOptions {
  /** Read the whole record version as well, for a target that is sent the record rather than the Bundle. */
  readonly withRecord?: boolean;
  /** Read the version's Bundle (the default); false when the caller holds it already. */
  readonly withBundle?: boolean;
}

export type Claim =
  /** The delivery is this worker's until the lease ends: send it. */
  | { readonly kind: 'claimed'; readonly task: DeliveryTask; readonly memory: TargetMemory }
  /** Another delivery for the same person and target is in flight: try again later. */
  | { readonly kind: 'busy'; readonly retryAfterMs: number }
  /** Nothing to send: done before, held, dead, or (now) superseded by a newer version at the target. */
  | { readonly kind: 'done'; readonly status: DeliveryStatus };

/** The delivery ledger (pont_delivery and pont_target_person in src/store). */
export interface DeliveryLedger {
  /**
   * Takes a pending delivery for `owner` until `now + leaseMs`, unless one for the same person and
   * target is in flight; a version no newer than what the target holds from pont is marked
   * superseded instead (so an old change never overwrites a new one).
   */
  claim(deliveryId: string, owner: string, now: Date, leaseMs: number, options?: ClaimOptions): Promise<Claim>;
  /** Records the receipt: the delivery is done and the target holds this version. */
  complete(deliveryId: string, owner: string, receipt: DeliveryReceipt, at: Date): Promise<void>;
  /** Keeps a claimed delivery this owner's until `now + leaseMs` while it is being sent; false when the lease is no longer its own. */
  renew(deliveryId: string, owner: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Gives the lease back after a failed attempt. */
  release(deliveryId: string, owner: string): Promise<void>;
  /** Sets a delivery aside for good: every attempt used, or refused by the target. */
  deadLetter(deliveryId: string, letter: { readonly queue: string; readonly reason: string; readonly attempts: number; readonly at: Date }): Promise<void>;
  /** Pending deliveries, oldest first, after `after`, at most `limit`: what the reconciler re-enqueues. */
  pending(limit: number, after?: string): Promise<readonly { readonly id: string; readonly targetId: string }[]>;
}
