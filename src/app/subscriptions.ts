/**
 * The Subscription use cases of the API (R4 rest-hook): a GP system or a source EPR subscribes to
 * its own patients' care plan changes, and lists, reads, pauses, resumes and deletes its own
 * subscriptions. On ports only; the caller is who the edge authenticated.
 *
 * "Its own patients", as the sync's routing already defines recipients (src/delivery/routing):
 * - a GP system (role gp-system, its practice's ODS code as organisation): the people registered
 *   at that practice, as a `gpPractice` target receives;
 * - a source EPR (role source-epr): the people resident in the area of, or under the care of, the
 *   health board its organisation names (a board's code, or one of its sites'), as a
 *   `healthBoard` target receives; and a change that came in from its own source is never sent
 *   back to it (echo suppression, as for a configured target named after the source).
 * A record's own source system is not used: it names the extracting system, and one board's
 * EPR may hold people another board now cares for, whom routing would not send it.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { RequestError } from '../errors/errors.js';
import type { Clock } from '../ports/clock.js';
import type { StoredSubscription, SubscriptionRecipient, SubscriptionStatus, SubscriptionStore } from '../ports/subscriptions.js';
import { readSubscription } from '../subscription/resource.js';

/** Who is asking, as the edge's authentication says. */
export interface ApiCaller {
  readonly id: string;
  readonly role: string;
  /** The client's organisation by ODS code: a GP practice's, a health board's (or one of its sites'). */
  readonly organisation?: string;
  /** The source a source EPR ingests as. */
  readonly source?: string;
}

export interface SubscriptionDeps {
  readonly store: SubscriptionStore;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Told after every change, so that this process's delivery planner reads the subscriptions again. */
  readonly changed?: () => void;
}

const GP_PRACTICE = /^[A-Z]\d{5}$/;
/** A Welsh health board's code (7A1 … 7A7), or a site of one (the board's code and two more characters). */
const HEALTH_BOARD = /^(7A\d)([A-Z0-9]{2})?$/;

/** Whose patients a caller's subscription is for; refused when the caller's role or organisation cannot say. */
export function recipientOf(caller: ApiCaller): SubscriptionRecipient {
  const organisation = caller.organisation?.trim().toUpperCase();
  if (caller.role === 'gp-system') {
    if (organisation !== undefined && GP_PRACTICE.test(organisation)) return { kind: 'gp-practice', code: organisation };
    throw new RequestError('REQUEST_FORBIDDEN', 'this GP system has no practice ODS code registered: pont cannot tell which patients are its own');
  }
  if (caller.role === 'source-epr') {
    const board = organisation === undefined ? undefined : HEALTH_BOARD.exec(organisation)?.[1];
    if (board !== undefined) return { kind: 'health-board', code: board, ...(caller.source === undefined ? {} : { source: caller.source }) };
    throw new RequestError('REQUEST_FORBIDDEN', "this EPR's organisation is not a Welsh health board's ODS code: pont cannot tell which patients are its own");
  }
  throw new RequestError('REQUEST_FORBIDDEN', 'only a GP system or a source EPR may subscribe to care plan changes');
}

function invalid(issues: readonly OperationOutcomeIssue[]): RequestError {
  return new RequestError('REQUEST_INVALID', 'the Subscription was refused', [...issues]);
}

export async function createSubscription(deps: SubscriptionDeps, caller: ApiCaller, body: unknown): Promise<StoredSubscription> {
  const recipient = recipientOf(caller);
  const now = deps.clock.now();
  const input = readSubscription(body, now);
  if (!input.ok) throw invalid(input.issues);
  const created = await deps.store.create({ id: deps.newId(), clientId: caller.id, status: input.status, recipient, definition: input.definition }, now);
  deps.changed?.();
  return created;
}

export async function listSubscriptions(
  deps: SubscriptionDeps,
  caller: ApiCaller,
  filter: { readonly status?: readonly SubscriptionStatus[] } = {},
): Promise<StoredSubscription[]> {
  const own = await deps.store.listByClient(caller.id);
  return filter.status === undefined ? own : own.filter((s) => filter.status!.includes(s.status));
}

/** The caller's subscription; another client's is answered as absent, so that its existence is not told. */
export async function ownSubscription(deps: SubscriptionDeps, caller: ApiCaller, id: string): Promise<StoredSubscription> {
  const found = await deps.store.get(id);
  if (found === undefined || found.clientId !== caller.id) throw new RequestError('REQUEST_NOT_FOUND', 'the caller has no Subscription with this id');
  return found;
}

/** A PUT: pause (`off`), resume (`requested`, made active) or change what the subscription says. */
export async function updateSubscription(deps: SubscriptionDeps, caller: ApiCaller, id: string, body: unknown): Promise<StoredSubscription> {
  const current = await ownSubscription(deps, caller, id);
  const bodyId = (body as { id?: unknown } | null)?.id;
  if (bodyId !== id) {
    throw invalid([{ severity: 'error', code: 'invalid', diagnostics: 'the resource id must be the id in the URL', expression: ['Subscription.id'] }]);
  }
  const input = readSubscription(body, deps.clock.now(), current.status);
  if (!input.ok) throw invalid(input.issues);
  const updated = await deps.store.update(id, { definition: input.definition, status: input.status }, deps.clock.now());
  if (updated === undefined) throw new RequestError('REQUEST_NOT_FOUND', 'the caller has no Subscription with this id'); // deleted meanwhile
  deps.changed?.();
  return updated;
}

export async function deleteSubscription(deps: SubscriptionDeps, caller: ApiCaller, id: string): Promise<void> {
  await ownSubscription(deps, caller, id);
  await deps.store.remove(id, deps.clock.now());
  deps.changed?.();
}
