/** What the quality signals share: the plans they look at, and one judgement per plan or item. */
import { z } from 'zod';
import type { RecordFacts } from '../../compliance/facts.js';
import { defineTemplate, type Emit, type RuleTemplate } from '../../compliance/template.js';
import type { CtpRecord, PlanVersion } from '../../record/record.schema.js';
import type { IsoDate } from '../../time/dates.js';

export const noParams = z.object({}).strict();

/** A judgement: undefined is silence (the signal does not fire), a string says why it fires, `skip` says the signal does not apply. */
export type Verdict = string | undefined | { readonly skip: string };

export function emitVerdict(emit: Emit, verdict: Verdict, location: string, silent: string): void {
  if (verdict === undefined) emit.pass(silent, location);
  else if (typeof verdict === 'string') emit.fail(verdict, location);
  else emit.notApplicable(verdict.skip, location);
}

/** The latest version of each plan made on or before the evaluation date: the plans in force or last in force. */
export function currentPlans(f: RecordFacts): PlanVersion[] {
  const latest = new Map<string, PlanVersion>();
  for (const plan of f.madePlans) if (plan.madeOn !== undefined && plan.madeOn <= f.asOf) latest.set(plan.planId, plan);
  return [...latest.values()];
}

export const planAt = (f: RecordFacts, plan: PlanVersion) => `plans[${f.indexOf(plan)}]`;

/** Runs one judgement over each current plan. */
export function eachCurrentPlan(f: RecordFacts, emit: Emit, silent: string, judge: (plan: PlanVersion, location: string) => Verdict): void {
  for (const plan of currentPlans(f)) {
    const location = planAt(f, plan);
    emitVerdict(emit, judge(plan, location), location, silent);
  }
}

/** A signal without parameters that judges each current plan on its own. */
export function planSignal(name: string, silent: string, judge: (f: RecordFacts, plan: PlanVersion) => Verdict): RuleTemplate<unknown> {
  return defineTemplate({
    name,
    params: noParams,
    evaluate(f, _params, emit) {
      eachCurrentPlan(f, emit, silent, (plan) => judge(f, plan));
    },
  });
}

/** The latest assessment made on or before a day. */
export function assessmentBefore(record: CtpRecord, day: IsoDate) {
  let found: NonNullable<CtpRecord['assessments']>[number] | undefined;
  for (const a of record.assessments ?? []) if (a.date <= day && (found === undefined || a.date >= found.date)) found = a;
  return found;
}

/** The areas of life a plan's outcomes are in. */
export function areasOf(plan: PlanVersion): Set<string> {
  return new Set((plan.outcomes ?? []).flatMap((o) => (o.areas ?? []).map((a) => a.area)));
}

/** Whether a diagnosis is held as current. */
export const isActiveDiagnosis = (d: NonNullable<CtpRecord['diagnoses']>[number]) => d.status === undefined || d.status === 'active';

const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
/** ICD-10 codes of a diagnosis (any edition whose system starts with the ICD-10 URI). */
export function icd10Codes(d: NonNullable<CtpRecord['diagnoses']>[number]): string[] {
  return (d.code ?? []).filter((c) => c.system.startsWith(ICD10)).map((c) => c.code.toUpperCase());
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
