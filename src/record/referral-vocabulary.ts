/**
 * Code lists for what becomes of a referral (ELFT CMHT Operational Policy §9.4; LPT Adult CMHT SOP
 * §6.5 and Appendix 13): how it came and from whom, what it held, the decision on it, the service
 * it was passed on to, and who was told. Re-exported by vocabulary.ts, so that the FHIR CodeSystems are generated
 * from them; each list ends with "other".
 */
import type { Vocabulary } from './vocabulary-entry.js';

const codes = <T extends Vocabulary>(vocabulary: T): [keyof T & string, ...(keyof T & string)[]] => Object.keys(vocabulary) as [keyof T & string, ...(keyof T & string)[]];

/** How a referral reached the team (LPT SOP §6.5: external ones through the Central Access Point, internal ones direct; Appendix 17: from a neighbourhood MDT). */
export const referralRouteVocabulary = {
  'central-access': { display: 'Through the central or single point of access' },
  internal: { display: 'Internal referral from another of the trust’s services' },
  'neighbourhood-mdt': { display: 'Decided at a neighbourhood team MDT meeting, in place of a written referral (hub and spoke)' },
  other: { display: 'Other route' },
} as const satisfies Vocabulary;
export const referralRoutes = codes(referralRouteVocabulary);

/** Who or what service made a referral (LPT SOP §6.5). */
export const referralSourceVocabulary = {
  gp: { display: 'General practitioner' },
  self: { display: 'Self-referral' },
  'crisis-team': { display: 'Crisis resolution and home treatment team' },
  inpatient: { display: 'Inpatient ward' },
  'mental-health-team': { display: 'Another mental health team' },
  'social-services': { display: 'Social services' },
  'criminal-justice': { display: 'Criminal justice services or police' },
  other: { display: 'Other source' },
} as const satisfies Vocabulary;
export const referralSources = codes(referralSourceVocabulary);

/** The decision on a referral (ELFT §9.4; LPT SOP Appendix 13). */
export const referralOutcomeVocabulary = {
  accepted: { display: 'Accepted' },
  declined: { display: 'Not accepted: back to the referrer' },
  'referred-on': { display: 'Not accepted: referred on to another service' },
  other: { display: 'Other outcome' },
} as const satisfies Vocabulary;
export const referralOutcomes = codes(referralOutcomeVocabulary);

/** The service a referral not accepted was passed on to (ELFT §9.4). */
export const onwardServiceVocabulary = {
  wellbeing: { display: 'Wellbeing service (talking therapies)' },
  'primary-care-liaison': { display: 'Primary care liaison' },
  'early-intervention': { display: 'Early intervention in psychosis' },
  'learning-disability': { display: 'Learning disability services' },
  'other-secondary': { display: 'Another secondary mental health service' },
  other: { display: 'Other service' },
} as const satisfies Vocabulary;
export const onwardServices = codes(onwardServiceVocabulary);

/** Someone told of a decision about a referral. */
export const referralRecipientVocabulary = {
  patient: { display: 'The person' },
  gp: { display: 'General practitioner' },
  referrer: { display: 'The referrer' },
  other: { display: 'Someone else' },
} as const satisfies Vocabulary;
export const referralRecipients = codes(referralRecipientVocabulary);

/** What a referral should hold (LPT SOP §6.5, the referral data set). */
export const referralDataItemVocabulary = {
  'nhs-number': { display: 'NHS number' },
  'ethnicity-and-language': { display: 'Ethnic origin and language, and whether an interpreter is needed' },
  'reason-and-why-now': { display: 'Reasons for referral and why now' },
  'response-needed': { display: 'Whether a routine or a 5 working day response is needed' },
  'life-events': { display: 'Significant life events' },
  dependants: { display: 'Dependants' },
  'next-of-kin': { display: 'Next of kin' },
  'diagnosis-and-treatments': { display: 'Working diagnosis and treatments already tried' },
  'psychiatric-history': { display: 'Previous psychiatric history' },
  'personal-and-family-history': { display: 'Relevant personal and family history' },
  'medical-conditions': { display: 'Co-existing medical conditions, including medication' },
  risk: { display: 'Risk to self and others, current and historical' },
  safeguarding: { display: 'Safeguarding, and whether it was reported to the police' },
  'support-networks': { display: 'Existing support networks' },
  'carer-details': { display: 'Carer details' },
  other: { display: 'Other information' },
} as const satisfies Vocabulary;
export const referralDataItems = codes(referralDataItemVocabulary);
