/**
 * The Independent Mental Capacity Advocate (LPT Care Coordination Policy App 1; Mental Capacity
 * Act 2005 ss.37–39): owed where a person lacks capacity to make a decision of a kind the Act
 * names and has no one appropriate to consult about their best interests.
 */
import { z } from 'zod';
import { capacityDecisionKinds } from '../../record/english-vocabulary.js';
import { defineTemplate } from '../template.js';

/**
 * For each decision of the given kinds that the person lacked capacity to make, with no one
 * appropriate to consult, an IMCA was instructed on or before the day of the decision (the Act has
 * the advocate instructed before the treatment is given or the move arranged).
 */
export const imcaInstructed = defineTemplate({
  name: 'imca-instructed',
  params: z.object({ kinds: z.array(z.enum(capacityDecisionKinds)).min(1) }).strict(),
  evaluate(f, params, emit) {
    // Assessments are not among the items RecordFacts.indexOf knows, so they are located by their own index.
    for (const [i, assessment] of (f.record.assessments ?? []).entries()) {
      if (assessment.date > f.asOf || assessment.capacityDecisions === undefined) continue;
      const { kinds } = params(f.record.episodes?.find((e) => e.id === assessment.episode));
      for (const [j, decision] of assessment.capacityDecisions.entries()) {
        if (decision.decidedOn !== undefined && decision.decidedOn > f.asOf) continue;
        const location = `assessments[${i}].capacityDecisions[${j}]`;
        if (!kinds.includes(decision.kind)) emit.notApplicable('A decision of a kind for which no IMCA is owed.', location);
        else if (decision.lacksCapacity === undefined)
          emit.cannotEvaluate([`${location}.lacksCapacity`], 'Whether the person lacked capacity to make the decision is not recorded.', location);
        else if (!decision.lacksCapacity) emit.notApplicable('The person had capacity to make the decision.', location);
        else if (decision.someoneToConsult === undefined)
          emit.cannotEvaluate([`${location}.someoneToConsult`], 'Whether anyone appropriate could be consulted about the decision is not recorded.', location);
        else if (decision.someoneToConsult) emit.notApplicable('Someone appropriate could be consulted about the decision.', location);
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
