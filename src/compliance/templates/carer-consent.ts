/**
 * Consent and carers (English trust policies: LPT Care Coordination Policy §3.14; ELFT §13):
 * information shared with a related person only with the person's consent, or a recorded reason
 * for sharing without it; a carer's own consent to their details being held.
 */
import { z } from 'zod';
import type { RecordFacts } from '../facts.js';
import { defineTemplate } from '../template.js';
import { carersOf, withRelatedPeople } from './carers.js';
import { at } from './common.js';

type RelatedPerson = NonNullable<RecordFacts['record']['relatedPeople']>[number];

/** The person's decision in force with this related person on a day: the latest recorded on or before it. */
function decisionOn(person: RelatedPerson, day: string): 'agreed' | 'declined' | undefined {
  const decisions = (person.sharingConsent ?? []).filter((d) => d.recordedOn <= day).sort((a, b) => (a.recordedOn < b.recordedOn ? -1 : 1));
  // Two decisions on one day: a decline wins, as the safer reading.
  const last = decisions.at(-1)?.recordedOn;
  const sameDay = decisions.filter((d) => d.recordedOn === last);
  return sameDay.length === 0 ? undefined : sameDay.some((d) => d.decision === 'declined') ? 'declined' : 'agreed';
}

/**
 * Each time information about the person was shared with a related person (or, with
 * `atDischargeOnly`, each time it was shared about their discharge), the person had agreed to it
 * on or before that day; when `rationaleExcuses`, a recorded reason for sharing without consent
 * (risk, capacity) meets the rule instead.
 */
export const consentBeforeSharing = defineTemplate({
  name: 'consent-before-sharing',
  params: z.object({ atDischargeOnly: z.boolean(), rationaleExcuses: z.boolean() }).strict(),
  silentWithout: withRelatedPeople,
  evaluate(f, params, emit) {
    const { atDischargeOnly, rationaleExcuses } = params();
    for (const person of f.record.relatedPeople ?? []) {
      for (const [i, shared] of (person.informationShared ?? []).entries()) {
        if (shared.on > f.asOf || (atDischargeOnly && shared.atDischarge !== true)) continue;
        const location = `${at.item(f, 'relatedPeople', person)}.informationShared[${i}]`;
        const decision = decisionOn(person, shared.on);
        if (decision === 'agreed') emit.pass('The person had agreed to information being shared with them.', location);
        else if (rationaleExcuses && shared.withoutConsentRationale !== undefined) emit.pass('Shared without the person’s agreement, with the reason recorded.', location);
        else
          emit.fail(
            decision === 'declined'
              ? 'Information was shared although the person had declined to its being shared with them.'
              : 'Information was shared with no record that the person had agreed to it beforehand.',
            location,
          );
      }
    }
  },
});

/** Every carer's own consent to their details being held is recorded (LPT Care Coordination Policy §3.14). */
export const carerDetailsConsentRecorded = defineTemplate({
  name: 'carer-details-consent-recorded',
  params: z.object({}).strict(),
  silentWithout: withRelatedPeople,
  evaluate(f, _params, emit) {
    for (const carer of carersOf(f)) {
      const location = at.item(f, 'relatedPeople', carer);
      if (carer.detailsConsent !== undefined) emit.pass('The carer’s consent to their details being held is recorded.', location);
      else emit.fail('The carer’s consent to their details being held is not recorded.', location);
    }
  },
});

export const carerConsentTemplates = [consentBeforeSharing, carerDetailsConsentRecorded];
