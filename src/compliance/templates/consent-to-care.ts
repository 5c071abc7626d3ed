/**
 * Consent to care and advocacy (English trust policies: LPT Care Coordination Policy §5.7; ELFT
 * §14.1): the person's consent before any care, or a capacity assessment where it is in doubt; the
 * need for advocacy considered.
 */
import { z } from 'zod';
import { defineTemplate } from '../template.js';
import { at } from './common.js';

/**
 * The person consented to care in an episode on or before its first contact; where their capacity
 * to consent was in doubt, a mental capacity assessment is recorded by then. A refusal is not
 * judged: care without consent rests on other law (the Mental Health Act).
 */
export const consentBeforeCare = defineTemplate({
  name: 'consent-before-care',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const first = f.contacts.find((c) => c.encounter.episode === episode.id && c.date <= f.asOf);
      if (first === undefined) continue;
      const consent = episode.consentToCare;
      if (consent === undefined) {
        emit.fail('No consent to care, nor a doubt about capacity, is recorded for the episode.', at.item(f, 'episodes', episode));
        continue;
      }
      const location = `${at.item(f, 'episodes', episode)}.consentToCare`;
      switch (consent.decision) {
        case 'agreed':
          if (consent.recordedOn === undefined) emit.cannotEvaluate([`${location}.recordedOn`], 'When the person consented is not recorded.', location);
          else if (consent.recordedOn <= first.date) emit.pass('The person consented to care before the first contact.', location);
          else emit.fail('The person’s consent was recorded after care began.', location);
          break;
        case 'capacity-in-doubt':
          if (consent.capacityAssessedOn !== undefined && consent.capacityAssessedOn <= first.date)
            emit.pass('Capacity to consent was in doubt, and a capacity assessment was recorded before the first contact.', location);
          else if (consent.capacityAssessedOn !== undefined)
            emit.fail('Capacity to consent was in doubt, and the capacity assessment was recorded after care began.', location);
          else emit.fail('Capacity to consent was in doubt, and no capacity assessment is recorded.', location);
          break;
        case 'declined':
          emit.notApplicable('The person declined; care without consent rests on other law.', location);
          break;
        default:
          emit.cannotEvaluate([`${location}.decision`], 'The answer recorded is not one pont can judge.', location);
      }
    }
  },
});

/** The coordinator considered the person's need for advocacy at each assessment (ELFT §14.1). */
export const advocacyConsidered = defineTemplate({
  name: 'advocacy-considered',
  params: z.object({}).strict(),
  silentWithout: () => ['assessments'],
  evaluate(f, _params, emit) {
    // Assessments are not among the items RecordFacts.indexOf knows, so they are located by their own index.
    for (const [i, assessment] of (f.record.assessments ?? []).entries()) {
      if (assessment.date > f.asOf) continue;
      const location = `assessments[${i}].advocacyConsidered`;
      if (assessment.advocacyConsidered === true) emit.pass('The need for advocacy was considered.', location);
      else if (assessment.advocacyConsidered === false) emit.fail('The need for advocacy was not considered.', location);
      else emit.cannotEvaluate([location], 'Whether the need for advocacy was considered is not recorded.', location);
    }
  },
});

export const consentToCareTemplates = [consentBeforeCare, advocacyConsidered];
