/** The durable inbox of inbound messages (PostgreSQL or PGlite in src/store), as the core sees it. */
import type { Bundle } from '@medplum/fhirtypes';
import type { CtpRecord } from '../record/record.schema.js';
import type { PlannedDelivery } from './delivery.js';

/** A place in the inbox's order (received time, then id), for reading it page by page. */
export interface InboxCursor {
  readonly receivedAt: Date;
  readonly id: string;
}

export interface InboundMessage {
  readonly source: string;
  /** The input format (`ctp`, `fhir`, `carepath-json`, `wpas-csv`). */
  readonly format: string;
  readonly payload: Uint8Array;
  readonly receivedAt: Date;
  /** The correlation id (X-Request-Id) of the request or pull run that brought it. */
  readonly requestId?: string;
}

export interface StoredMessage extends InboundMessage {
  readonly id: string;
  readonly contentHash: string;
  readonly stage: MessageStage;
}

export interface Accepted {
  readonly id: string;
  /** The same payload had already been accepted from this source: `id` is that message's. */
  readonly duplicate: boolean;
}

export type MessageStage = 'received' | 'processed' | 'failed' | 'dead';

/** A compliance finding as the store keeps it with the record version it is about. */
export interface StoredFinding {
  readonly ruleId: string;
  readonly check: string;
  readonly result: string;
  readonly severity: string;
  readonly location?: string;
  readonly due?: string;
  readonly message: string;
  /** Who or what it is about, when several findings share a location. */
  readonly subject?: string;
}

/** A record version a message yielded, with the evaluation of it when the rules were run. */
export interface RecordOutcome {
  readonly record: CtpRecord;
  /** The FHIR resources made of the record: what deliveries send. */
  readonly bundle?: Bundle;
  /** Where the version goes (routing, at processing time); the store records each as pending or held. */
  readonly deliveries?: readonly PlannedDelivery[];
  readonly evaluation?: { readonly pack: string; readonly asOf: string; readonly findings: readonly StoredFinding[] };
}

/** What processing a message came to: the records it yielded and codes and counts (never patient data). */
export interface MessageOutcome {
  readonly stage: 'processed' | 'failed';
  readonly records: readonly RecordOutcome[];
  readonly at: Date;
  readonly detail: Readonly<Record<string, string | number>>;
}

export interface PendingDelivery {
  readonly id: string;
  readonly targetId: string;
  /** The position of the record in the message's outcome. */
  readonly record: number;
}

export interface MessageInbox {
  /** Messages received and not yet processed, oldest first, after `after`, at most `limit`. */
  unfinished(limit: number, after?: InboxCursor): Promise<InboxCursor[]>;
}

export interface MessageStorePort extends MessageInbox {
  /** Commits the message (or finds the one already holding this payload) and only then returns. */
  accept(message: InboundMessage): Promise<Accepted>;
  get(id: string): Promise<StoredMessage | undefined>;
  /**
   * Stores the record versions a message yielded, their planned deliveries and the message's stage,
   * all or nothing; returns the pending deliveries (to enqueue), each with the position in
   * `outcome.records` of the record it delivers. A second call for a finished message changes
   * nothing and returns none.
   */
  finish(id: string, outcome: MessageOutcome): Promise<readonly PendingDelivery[]>;
  /** Sets a message aside whose processing failed for good; the reconciler leaves it alone until it is replayed. */
  deadLetter(id: string, letter: DeadLetter): Promise<void>;
  /** Puts a dead message back to be processed again; false when it has no open dead letter. */
  replay(id: string, at: Date): Promise<boolean>;
  /** Closes a dead letter for good, keeping the reason; false when the message has no open dead letter. */
  discard(id: string, reason: string, at: Date): Promise<boolean>;
  /** The open dead letters, oldest first: ids, codes and counts only, no payload. */
  deadLetters(): Promise<DeadLetterView[]>;
  /** A message's stages, oldest first, with their codes and counts; undefined for an unknown id. */
  history(id: string): Promise<MessageHistory | undefined>;
}

export interface DeadLetterView extends DeadLetter {
  readonly messageId: string;
  /** Set when the letter is about a delivery of the message's records to this target. */
  readonly targetId?: string;
  readonly source: string;
  readonly format: string;
  readonly receivedAt: Date;
}

export interface MessageHistory {
  readonly id: string;
  readonly source: string;
  readonly format: string;
  readonly stage: MessageStage;
  readonly stages: readonly { readonly stage: string; readonly at: Date; readonly detail?: Readonly<Record<string, unknown>> }[];
  /** Record versions stored from this message. */
  readonly records: number;
  /** Findings about those versions, counted by result (pass, fail, cannot-evaluate, not-applicable). */
  readonly findings: Readonly<Record<string, number>>;
  /**
   * The record versions' deliveries, counted per target and status (pending, delivered, held,
   * superseded, dead); with those delivered, the record's fields the target's format did not
   * hold and so were not sent (DeliveryReceipt.leftOut), when there were any.
   */
  readonly deliveries: readonly { readonly targetId: string; readonly status: string; readonly count: number; readonly leftOut?: readonly string[] }[];
  readonly deadLetters: readonly (DeadLetter & { readonly replayedAt?: Date; readonly discardedAt?: Date; readonly discardReason?: string })[];
}

export interface DeadLetter {
  readonly queue: string;
  /** An error code or class name, never an error's text. */
  readonly reason: string;
  readonly attempts: number;
  readonly at: Date;
}
