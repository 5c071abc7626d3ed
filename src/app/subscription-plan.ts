/**
 * Where a stored record version goes among the active subscriptions: each subscription stands for
 * a recipient as a configured target does (a GP practice or a health board, src/app/subscriptions.ts),
 * so the routing rules, the consent gate and minimum necessary are those of src/delivery/routing,
 * applied unchanged; and only a change holding a CarePlan its criteria select goes to it.
 */
import type { Bundle } from '@medplum/fhirtypes';
import type { TargetConfig } from '../config/sync-config.schema.js';
import { defaultResources, pruneBundle, type RoutingReference, recipientsOf, route } from '../delivery/routing/index.js';
import type { PlannedDelivery } from '../ports/delivery.js';
import { type StoredSubscription, subscriptionTargetId } from '../ports/subscriptions.js';
import type { CtpRecord } from '../record/record.schema.js';
import { indexBundle } from '../subscription/bundle-entries.js';
import { matchesCriteria, parseCriteria } from '../subscription/criteria.js';

/**
 * A subscription as the routing rules see a target: whom it stands for. Only `id` and `records`
 * (and `organisation`, left out: the recipient's own code is gated) are read by route().
 */
function asTarget(s: StoredSubscription): TargetConfig {
  return {
    id: subscriptionTargetId(s.id),
    kind: 'fhir',
    baseUrl: s.endpoint,
    auth: { type: 'none' },
    mode: 'per-resource',
    records: s.recipient.kind === 'gp-practice' ? { gpPractice: s.recipient.code } : { healthBoard: s.recipient.code },
    limits: { concurrency: 1, timeoutMs: 30_000, attempts: 1 },
  };
}

/** The pending or held deliveries of a record version to the subscriptions given (the active ones at processing time). */
export function planSubscriptions(
  subscriptions: readonly StoredSubscription[],
  reference: RoutingReference,
  record: CtpRecord,
  from: string,
  bundle: Bundle | undefined,
): PlannedDelivery[] {
  if (bundle === undefined || subscriptions.length === 0) return [];
  const index = indexBundle(bundle);
  const selected = subscriptions.filter((s) => {
    if (s.recipient.source === from) return false; // never its own change back
    const parsed = parseCriteria(s.criteria);
    return 'criteria' in parsed && matchesCriteria(parsed.criteria, bundle, index);
  });
  if (selected.length === 0) return [];
  return route(selected.map(asTarget), record, recipientsOf(record, reference), record.patient?.sharingDecisions ?? []).map((r) =>
    r.action === 'send' ? { targetId: r.target.id } : { targetId: r.target.id, held: r.reason },
  );
}

/** What a subscription may receive of a change: minimum necessary for its kind of recipient, references kept whole. */
export function prepareForSubscription(s: StoredSubscription, bundle: Bundle): Bundle {
  return pruneBundle(bundle, defaultResources(s.recipient.kind));
}
