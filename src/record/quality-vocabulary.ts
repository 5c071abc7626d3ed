/**
 * Code lists for the evidence the quality signals need (practice evidence §2): how an interpreter
 * took part in a review, who disputed a plan and how the dispute ended, the support offered to a
 * carer, the decision on involving family, how often the plan says the person will be seen, and
 * the kind of service an action provides, and who asked the service to get in touch. Re-exported by
 * vocabulary.ts, so that the FHIR CodeSystems are generated from them like every other list.
 */
import type { Vocabulary } from './vocabulary-entry.js';

const codes = <T extends Vocabulary>(vocabulary: T): [keyof T & string, ...(keyof T & string)[]] => Object.keys(vocabulary) as [keyof T & string, ...(keyof T & string)[]];

/** How an interpreter took part in a meeting (practice evidence §2 row 75). */
export const interpreterModeVocabulary = {
  'in-person': { display: 'In person' },
  telephone: { display: 'By telephone' },
  video: { display: 'By video' },
  other: { display: 'Other means' },
} as const satisfies Vocabulary;
export const interpreterModes = codes(interpreterModeVocabulary);

/** Who asked for a plan to be corrected (practice evidence §2 row 32). */
export const disputeRaiserVocabulary = {
  patient: { display: 'The relevant patient' },
  carer: { display: 'A carer or family member' },
  advocate: { display: 'An advocate' },
  other: { display: 'Someone else' },
} as const satisfies Vocabulary;
export const disputeRaisers = codes(disputeRaiserVocabulary);

/** How a dispute over what a plan says ended. */
export const disputeResolutionVocabulary = {
  corrected: { display: 'The plan was corrected' },
  'views-added': { display: 'The plan was left as it was, with the disagreement recorded in it' },
  'not-corrected': { display: 'The plan was left as it was' },
  withdrawn: { display: 'The request was withdrawn' },
} as const satisfies Vocabulary;
export const disputeResolutions = codes(disputeResolutionVocabulary);

/** Support offered to a carer in their own right (practice evidence §2 row 71); the offer of a carer's assessment is held once, as the related person's carerAssessment. */
export const carerSupportVocabulary = {
  information: { display: 'Information for carers, out-of-hours contacts included' },
  'referral-to-carer-service': { display: 'Referral to a carers’ service' },
  other: { display: 'Other support' },
} as const satisfies Vocabulary;
export const carerSupportKinds = codes(carerSupportVocabulary);

/** Whether a carer took up the support offered. */
export const carerSupportOutcomeVocabulary = {
  accepted: { display: 'Accepted' },
  declined: { display: 'Declined' },
} as const satisfies Vocabulary;
export const carerSupportOutcomes = codes(carerSupportOutcomeVocabulary);

/** A decision on involving the person's family and carers in their care (practice evidence §2 row 73; Code of Practice §3.4, §3.36(f)). */
export const familyInvolvementVocabulary = {
  'equal-partners': { display: 'Involved as equal partners in care' },
  'kept-informed': { display: 'Kept in touch and informed' },
  limited: { display: 'Involved only in some matters' },
  'not-involved': { display: 'Not involved' },
} as const satisfies Vocabulary;
export const familyInvolvementDecisions = codes(familyInvolvementVocabulary);

/** The unit of a planned contact frequency (practice evidence §2 row 58). */
export const frequencyUnitVocabulary = {
  day: { display: 'Day' },
  week: { display: 'Week' },
  month: { display: 'Month' },
} as const satisfies Vocabulary;
export const frequencyUnits = codes(frequencyUnitVocabulary);

/** The kind of service an action of the plan provides, where the source codes it (practice evidence §2 row 9). */
export const serviceTypeVocabulary = {
  respite: { display: 'Respite care or a short break' },
  'day-service': { display: 'Day service' },
  'home-support': { display: 'Support at home' },
  'supported-accommodation': { display: 'Supported accommodation' },
  'psychological-therapy': { display: 'Psychological therapy' },
  medication: { display: 'Medication' },
  'employment-support': { display: 'Help into work, education or training' },
  'peer-support': { display: 'Peer support' },
  other: { display: 'Another service' },
} as const satisfies Vocabulary;
export const serviceTypes = codes(serviceTypeVocabulary);

/** Who asked the service to get in touch (practice evidence §2 row 59). */
export const contactRequesterVocabulary = {
  patient: { display: 'The relevant patient' },
  carer: { display: 'A carer or family member' },
  other: { display: 'Someone else on the person’s behalf' },
} as const satisfies Vocabulary;
export const contactRequesters = codes(contactRequesterVocabulary);
