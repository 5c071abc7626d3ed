/**
 * The sync's delivery plan, composed from the routing rules (src/delivery/routing): which targets
 * a stored record version goes to or is held from, and what each may receive of its Bundle. A
 * change never goes back to the system it came from (a target whose id is the message's source):
 * that is the first half of echo suppression; the other half is the origin marker a pull reads.
 */
import type { Bundle } from '@medplum/fhirtypes';
import type { TargetConfig } from '../config/sync-config.schema.js';
import { defaultResources, pruneBundle, type RoutingReference, recipientOf, recipientsOf, route } from '../delivery/routing/index.js';
import type { PlannedDelivery } from '../ports/delivery.js';
import type { CtpRecord } from '../record/record.schema.js';

export interface DeliveryPlan {
  /** Where a record version goes: a pending delivery per entitled target, or a hold with its reason. */
  plan(record: CtpRecord, from: string): PlannedDelivery[];
  /** The Bundle cut to what the target may receive, references kept whole. */
  prepare(targetId: string, bundle: Bundle): Bundle;
}

export function deliveryPlan(targets: readonly TargetConfig[], reference: RoutingReference): DeliveryPlan {
  const allowed = new Map(targets.map((t) => [t.id, new Set<string>((t.kind === 'fhir' ? t.resources : undefined) ?? defaultResources(recipientOf(t).kind))]));
  return {
    plan(record, from) {
      return route(
        targets.filter((t) => t.id !== from),
        record,
        recipientsOf(record, reference),
        record.patient?.sharingDecisions ?? [],
      ).map((r) => (r.action === 'send' ? { targetId: r.target.id } : { targetId: r.target.id, held: r.reason }));
    },
    prepare(targetId, bundle) {
      const types = allowed.get(targetId);
      return types === undefined ? bundle : pruneBundle(bundle, types);
    },
  };
}
