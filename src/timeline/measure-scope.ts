/**
 * What the Measure applies to: Care and Treatment Plans. Another kind of care plan (read from
 * another system's FHIR, `kind: "other"`) stays in the record but is outside the Measure, so the
 * timeline, and through it the compliance rules and the measures, never see it, nor the reviews
 * of such a plan.
 */
import type { CtpRecord, PlanVersion } from '../record/record.schema.js';

export function isCareAndTreatmentPlan(plan: PlanVersion): boolean {
  return plan.kind !== 'other';
}

/** The record as the Measure sees it; the same object when every plan is a CTP. */
export function withinMeasure(record: CtpRecord): CtpRecord {
  const plans = record.plans;
  if (!plans || plans.every(isCareAndTreatmentPlan)) return record;
  const ctps = plans.filter(isCareAndTreatmentPlan);
  const ctpIds = new Set(ctps.map((p) => p.planId));
  const outside = new Set(plans.filter((p) => !ctpIds.has(p.planId)).map((p) => p.planId));
  const { plans: _plans, reviews, ...rest } = record;
  const kept = reviews?.filter((r) => !outside.has(r.plan));
  return { ...rest, ...(ctps.length > 0 ? { plans: ctps } : {}), ...(kept && kept.length > 0 ? { reviews: kept } : {}) };
}

/**
 * Turns a location in the record as the Measure sees it (`plans[1].copies[0]`) into the same
 * element's location in the whole record, which is what the sender sent.
 */
export function locateInWhole(whole: CtpRecord, scoped: CtpRecord): (location: string) => string {
  if (whole === scoped) return (location) => location;
  const lists = { plans: [scoped.plans, whole.plans], reviews: [scoped.reviews, whole.reviews] } as const;
  return (location) =>
    location.replace(/^(plans|reviews)\[(\d+)\]/, (found, list: keyof typeof lists, index: string) => {
      const [from, to] = lists[list];
      const item = from?.[Number(index)];
      const at = item === undefined ? -1 : ((to as readonly object[] | undefined)?.indexOf(item) ?? -1);
      return at < 0 ? found : `${list}[${at}]`;
    });
}
