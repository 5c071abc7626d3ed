/**
 * The Independent Mental Capacity Advocate (LPT Care Coordination Policy App 1; Mental Capacity
 * Act 2005 ss.37–39): owed where a person lacks capacity to make a decision of a kind the Act
 * names and has no one appropriate to consult about their best interests, save where the Act
 * excepts the decision (ss.37(2), 37(4), 38(2), 38(2A), 38(3), 39(3), 39(3A), 39(4)), and owed
 * again where a stay first expected to be short later looks longer (ss.38(4), 39(5)).
 */
import { z } from 'zod';
import { capacityDecisionKinds } from '../../record/english-vocabulary.js';
import type { CtpRecord } from '../../record/record.schema.js';
import type { IsoDate } from '../../time/dates.js';
import { defineTemplate, type Emit } from '../template.js';

type CapacityDecision = NonNullable<NonNullable<CtpRecord['assessments']>[number]['capacityDecisions']>[number];

interface StayLimits {
  readonly hospitalStayDays: number;
  readonly careHomeStayDays: number;
}

/**
 * The days a stay must be expected to last for the Act to owe an IMCA before the move (28 in a
 * hospital, 8 weeks elsewhere, by default). Where the record does not say where the person is to
 * live, the stay is short only if it is shorter than either limit.
 */
function stayLimit(decision: CapacityDecision, limits: StayLimits): number {
  if (decision.accommodationKind === 'hospital') return limits.hospitalStayDays;
  if (decision.accommodationKind === undefined) return Math.min(limits.hospitalStayDays, limits.careHomeStayDays);
  return limits.careHomeStayDays;
}

/** The stay was expected to be shorter than the Act's limit when the move was arranged. */
function expectedShort(decision: CapacityDecision, limits: StayLimits): boolean {
  return decision.expectedStayDays !== undefined && decision.expectedStayDays < stayLimit(decision, limits);
}

/**
 * The body later came to expect a stay first expected to be short to reach the Act's limit, counted
 * from its first day, so the duty arises again (ss.38(4), 39(5)). A revision after the date of
 * evaluation had not been made then; one recorded without its day may have been, so it is judged.
 */
function revisedLong(decision: CapacityDecision, limits: StayLimits, asOf: IsoDate): boolean {
  return (
    expectedShort(decision, limits) &&
    decision.revisedStayDays !== undefined &&
    decision.revisedStayDays >= stayLimit(decision, limits) &&
    (decision.stayRevisedOn === undefined || decision.stayRevisedOn <= asOf)
  );
}

/**
 * Why the Act owes no IMCA for this decision, or undefined when the record holds none of its
 * exceptions. An exception the record does not hold is not presumed: the Act has the body satisfied
 * of it before it proceeds without an advocate.
 */
function exception(decision: CapacityDecision, limits: StayLimits, asOf: IsoDate): string | undefined {
  if (decision.kind === 'serious-medical-treatment') {
    if (decision.underMentalHealthAct) return 'The treatment is regulated by Part 4 of the Mental Health Act 1983.';
    if (decision.urgent) return 'The treatment had to be given as a matter of urgency.';
  } else if (decision.kind === 'accommodation-change') {
    if (decision.underMentalHealthAct) return 'The person is to be accommodated under an obligation imposed by the Mental Health Act 1983.';
    // A standard authorisation is for a hospital or a care home: a place recorded as neither cannot be the one it names.
    if (decision.dolsAuthorisedPlace && decision.accommodationKind !== 'other')
      return 'The person is to live in the hospital or care home their Deprivation of Liberty Safeguards standard authorisation is for, where an IMCA appointed under the Safeguards (ss.39A, 39C) represents them.';
    if (expectedShort(decision, limits) && !revisedLong(decision, limits, asOf))
      return `The stay was expected to last ${decision.expectedStayDays} days, shorter than the ${stayLimit(decision, limits)} days from which an IMCA is owed.`;
  }
  return undefined;
}

/** An IMCA instructed after an urgent move: the Act allows it (ss.38(4), 39(5)) and sets no time, so any day up to the date of evaluation serves. */
function judgeUrgentMove(decision: CapacityDecision, asOf: IsoDate, location: string, emit: Emit): void {
  const instructedOn = decision.imcaInstructedOn;
  if (instructedOn === undefined || instructedOn > asOf) emit.fail('The move was made urgently, and no IMCA has been instructed since.', location);
  else if (decision.decidedOn !== undefined && instructedOn <= decision.decidedOn) emit.pass('An IMCA was instructed by the day of the decision.', location);
  else emit.pass('The move was made urgently, and an IMCA was instructed, which the Act allows after the move.', location);
}

/**
 * An IMCA once a stay first expected to be short is expected to reach the limit: the Act has one
 * instructed then and sets no time, so any day up to the date of evaluation serves.
 */
function judgeRevisedStay(decision: CapacityDecision, limit: number, asOf: IsoDate, location: string, emit: Emit): void {
  const revised = `The stay was later expected to last ${decision.revisedStayDays} days, at least the ${limit} days from which an IMCA is owed`;
  const instructedOn = decision.imcaInstructedOn;
  if (instructedOn !== undefined && instructedOn <= asOf) emit.pass(`${revised}, and an IMCA was instructed.`, location);
  else if (decision.stayRevisedOn === undefined)
    emit.cannotEvaluate([`${location}.stayRevisedOn`], `${revised}, but when that came to be expected is not recorded.`, location);
  else emit.fail(`${revised}, and no IMCA has been instructed.`, location);
}

/**
 * For each decision of the given kinds that the person lacked capacity to make, with no one
 * appropriate to consult, and that none of the Act's exceptions covers, an IMCA was instructed on
 * or before the day of the decision (the Act has the advocate instructed before the treatment is
 * given or the move arranged), or at any time after an urgent move or once a stay first expected to
 * be short is expected to reach the Act's limit.
 */
export const imcaInstructed = defineTemplate({
  name: 'imca-instructed',
  params: z
    .object({
      kinds: z.array(z.enum(capacityDecisionKinds)).min(1),
      hospitalStayDays: z.number().int().positive().default(28),
      careHomeStayDays: z.number().int().positive().default(56),
    })
    .strict(),
  tightening: { hospitalStayDays: 'lower', careHomeStayDays: 'lower' },
  // The capacity decisions are recorded on assessments.
  silentWithout: () => ['assessments'],
  evaluate(f, params, emit) {
    // Assessments are not among the items RecordFacts.indexOf knows, so they are located by their own index.
    for (const [i, assessment] of (f.record.assessments ?? []).entries()) {
      if (assessment.date > f.asOf || assessment.capacityDecisions === undefined) continue;
      const { kinds, ...limits } = params(f.record.episodes?.find((e) => e.id === assessment.episode));
      for (const [j, decision] of assessment.capacityDecisions.entries()) {
        if (decision.decidedOn !== undefined && decision.decidedOn > f.asOf) continue;
        const location = `assessments[${i}].capacityDecisions[${j}]`;
        const excepted = kinds.includes(decision.kind) ? exception(decision, limits, f.asOf) : 'A decision of a kind for which no IMCA is owed.';
        if (excepted !== undefined) emit.notApplicable(excepted, location);
        else if (decision.lacksCapacity === undefined)
          emit.cannotEvaluate([`${location}.lacksCapacity`], 'Whether the person lacked capacity to make the decision is not recorded.', location);
        else if (!decision.lacksCapacity) emit.notApplicable('The person had capacity to make the decision.', location);
        else if (decision.someoneToConsult === undefined)
          emit.cannotEvaluate([`${location}.someoneToConsult`], 'Whether anyone appropriate could be consulted about the decision is not recorded.', location);
        else if (decision.someoneToConsult) emit.notApplicable('Someone appropriate could be consulted about the decision.', location);
        else if (decision.kind === 'accommodation-change' && revisedLong(decision, limits, f.asOf))
          judgeRevisedStay(decision, stayLimit(decision, limits), f.asOf, location, emit);
        else if (decision.kind === 'accommodation-change' && decision.urgent) judgeUrgentMove(decision, f.asOf, location, emit);
        else if (decision.imcaInstructedOn === undefined)
          emit.fail('The person lacked capacity and had no one appropriate to consult, and no IMCA was instructed for the decision.', location);
        else if (decision.decidedOn === undefined)
          emit.cannotEvaluate([`${location}.decidedOn`], 'An IMCA was instructed, but when the decision was made is not recorded.', location);
        else if (decision.imcaInstructedOn <= decision.decidedOn) emit.pass('An IMCA was instructed by the day of the decision.', location);
        else emit.fail('The IMCA was instructed only after the decision was made.', location);
      }
    }
  },
});

export const imcaTemplates = [imcaInstructed];
