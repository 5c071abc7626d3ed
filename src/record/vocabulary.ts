/**
 * Every closed code list of the canonical record, with its English display (Schedule 2 or Code
 * of Practice wording where one exists). A list says what a value means, never whether it is
 * lawful: it holds what real EPRs hold, mistakes included, and the rule packs judge
 * (mappings/README.md, "The vocabulary gives meaning, the rules judge"). The FHIR CodeSystems in `profiles/` are generated from
 * these tables (`npm run profiles:build`), and a test keeps the two in step.
 *
 * Welsh displays are given only where the project has them; those not checked against the
 * official Welsh text of SI 2011/2942 (W.318) are listed in `unverifiedWelsh`.
 */

import { codesOf, type Vocabulary, type VocabularyEntry } from './vocabulary-entry.js';

export type { Vocabulary, VocabularyEntry } from './vocabulary-entry.js';

/** The eight areas of life in s.18 of the Measure, in Schedule 2 (alphabetical) order, plus "other". */
export const areaOfLifeVocabulary = {
  accommodation: { display: 'Accommodation', welsh: 'Llety' },
  'education-training': { display: 'Education and training', welsh: 'Addysg a hyfforddiant' },
  'finance-money': { display: 'Finance and money', welsh: 'Cyllid ac arian' },
  'medical-treatment': {
    display: 'Medical and other forms of treatment, including psychological interventions',
    welsh: 'Triniaeth feddygol a mathau eraill o driniaeth, gan gynnwys ymyriadau seicolegol',
  },
  'parenting-caring': { display: 'Parenting or caring relationships', welsh: 'Perthnasoedd magu plant neu ofalu' },
  'personal-care-physical-wellbeing': {
    display: 'Personal care and physical well-being',
    welsh: 'Gofal personol a llesiant corfforol',
  },
  'social-cultural-spiritual': { display: 'Social, cultural or spiritual', welsh: 'Cymdeithasol, diwylliannol neu ysbrydol' },
  'work-occupation': { display: 'Work and occupation', welsh: 'Gwaith a galwedigaeth' },
  other: { display: 'Other area', definition: 'An area agreed outside the eight statutory areas, e.g. sensory or communication needs.' },
} as const satisfies Vocabulary;
export const areasOfLife = codesOf(areaOfLifeVocabulary);
export const statutoryAreasOfLife = areasOfLife.filter((a) => a !== 'other');

/**
 * The profession of the person appointed as care coordinator. The first nine are the professions
 * eligible to act (Code of Practice 3.26, Part 2 Regulations Schedule 1); the rest are professions
 * an EPR may still hold for an appointment, so that an ineligible appointment can be recorded and
 * found (CoP-P2-13) rather than refused.
 */
export const coordinatorProfessionVocabulary = {
  'social-worker': { display: 'Social worker (registered with Social Care Wales or the equivalent English regulator)' },
  'nurse-mental-health': { display: 'Mental health nurse (NMC register, sub-part 1 or 2)' },
  'nurse-learning-disabilities': { display: 'Learning disabilities nurse (NMC register, sub-part 1 or 2)' },
  'occupational-therapist': { display: 'Occupational therapist (HCPC register, part 6)' },
  'practitioner-psychologist': { display: 'Practitioner psychologist (HCPC register, part 14)' },
  'medical-practitioner': { display: 'Registered medical practitioner' },
  dietitian: { display: 'Dietitian (HCPC register, part 4)' },
  physiotherapist: { display: 'Physiotherapist (HCPC register, part 9)' },
  'speech-language-therapist': { display: 'Speech and language therapist (HCPC register, part 12)' },
  'nurse-adult': { display: 'Adult nurse (NMC register, not the mental health or learning disabilities field)' },
  'nurse-children': { display: 'Children’s nurse (NMC register, not the mental health or learning disabilities field)' },
  pharmacist: { display: 'Pharmacist' },
  'support-worker': { display: 'Support worker' },
  'healthcare-assistant': { display: 'Healthcare assistant' },
  other: { display: 'Other profession', definition: 'A profession not listed; the record’s professionText names it.' },
} as const satisfies Vocabulary;
export const coordinatorProfessions = codesOf(coordinatorProfessionVocabulary);
/** The professions eligible to act as care coordinator (Code of Practice 3.26). */
export const eligibleCoordinatorProfessions: readonly CoordinatorProfession[] = [
  'social-worker',
  'nurse-mental-health',
  'nurse-learning-disabilities',
  'occupational-therapist',
  'practitioner-psychologist',
  'medical-practitioner',
  'dietitian',
  'physiotherapist',
  'speech-language-therapist',
];
export type CoordinatorProfession = (typeof coordinatorProfessions)[number];

/** Who must be offered a copy of the CTP (Code of Practice 4.91 a–j, 4.93, 4.95). */
export const copyRecipientRoleVocabulary = {
  patient: { display: 'The relevant patient' },
  'parental-responsibility': { display: 'Person with parental responsibility' },
  carer: { display: 'Carer, including adult placement carer' },
  gp: { display: 'General practitioner' },
  provider: { display: 'Mental health service provider or voluntary organisation providing services' },
  'responsible-clinician': { display: 'Responsible clinician' },
  guardian: { display: 'Guardian or responsible local social services authority' },
  'donee-deputy': { display: 'Donee or deputy (within the scope of their powers)' },
  imca: { display: 'Independent mental capacity advocate' },
  'dols-body': { display: 'DoLS managing authority, supervisory body or relevant person’s representative' },
  'to-facilitate-outcomes': { display: 'Other person, to help achieve the outcomes' },
  'patient-requested': { display: 'Person the patient asked to receive a copy' },
} as const satisfies Vocabulary;
export const copyRecipientRoles = codesOf(copyRecipientRoleVocabulary);

export const copyStatusVocabulary = {
  sent: { display: 'Copy provided' },
  declined: { display: 'Recipient said they do not wish to receive a copy' },
  'withheld-serious-harm': { display: 'Withheld: likely to cause serious harm to the patient' },
  'withheld-other': { display: 'Withheld for another recorded reason' },
  partial: { display: 'Part of the plan provided' },
  'not-sent': { display: 'Not yet provided' },
} as const satisfies Vocabulary;
export const copyStatuses = codesOf(copyStatusVocabulary);

/**
 * How copies of the CTP or a Part 3 report reached the recipient. The first five are the means the
 * Code counts for a plan (4.97); the others are means an EPR may record, which the rules judge
 * (CoP-P2-56, CoP-P3-15).
 */
export const deliveryMethodVocabulary = {
  hand: { display: 'By hand' },
  'last-known-address': { display: 'Delivered to the last known address' },
  'prepaid-post': { display: 'Prepaid post to the usual or last known address' },
  fax: { display: 'Fax to a number specified by the recipient' },
  'other-agreed': { display: 'Other means agreed between the recipient and the care coordinator' },
  email: { display: 'Email (no agreement with the recipient recorded)' },
  portal: { display: 'Online portal or app (no agreement with the recipient recorded)' },
  other: { display: 'Other means, not recorded as agreed with the recipient' },
} as const satisfies Vocabulary;
export const deliveryMethods = codesOf(deliveryMethodVocabulary);

/**
 * The agreement statement on the CTP. Exactly one of the two statements should apply (Schedule 2);
 * `both-marked` records a form on which both were marked, a real error the rules report.
 */
export const agreementStatementVocabulary = {
  'agreed-s18-2': { display: 'Agreed with the relevant patient and recorded under section 18(2) of the Measure' },
  'not-agreed-s18-6': {
    display: 'Not agreed with the relevant patient; outcomes determined by the provider(s) and recorded under section 18(6)',
  },
  'both-marked': { display: 'Both agreement statements marked on the plan (a form error)' },
} as const satisfies Vocabulary;
export const agreementStatements = codesOf(agreementStatementVocabulary);

export const viewsStatusVocabulary = {
  recorded: { display: 'Patient’s views recorded' },
  'no-views-expressed': { display: 'No views expressed by the patient' },
  'views-cannot-be-ascertained': { display: 'Patient’s views cannot be ascertained' },
} as const satisfies Vocabulary;
export const viewsStatuses = codesOf(viewsStatusVocabulary);

export const carePlanChangeTypeVocabulary = {
  initial: { display: 'First plan' },
  'review-revision': { display: 'Revised following a review' },
  'minor-amendment': { display: 'Minor amendment (no review)' },
} as const satisfies Vocabulary;
export const carePlanChangeTypes = codesOf(carePlanChangeTypeVocabulary);

export const carePlanStatuses = ['draft', 'active', 'superseded', 'ended', 'unknown'] as const;
export const planLanguages = ['en', 'cy', 'cy+en'] as const;
export const planLanguageVocabulary = {
  en: { display: 'English' },
  cy: { display: 'Welsh' },
  'cy+en': { display: 'Bilingual: Welsh and English' },
} as const satisfies Record<(typeof planLanguages)[number], VocabularyEntry>;

export const relatedPersonRoleVocabulary = {
  'parental-responsibility': { display: 'Person with parental responsibility' },
  carer: { display: 'Carer' },
  'adult-placement-carer': { display: 'Adult placement carer' },
  guardian: { display: 'Guardian under the Mental Health Act 1983' },
  donee: { display: 'Donee of a lasting power of attorney' },
  deputy: { display: 'Deputy appointed by the Court of Protection' },
  imca: { display: 'Independent mental capacity advocate' },
  imha: { display: 'Independent mental health advocate' },
  'nominated-representative': { display: 'Representative nominated by the patient' },
  'relevant-persons-representative': { display: 'Relevant person’s representative (DoLS)' },
  'nearest-relative': { display: 'Nearest relative (Mental Health Act 1983)' },
  other: { display: 'Other' },
} as const satisfies Vocabulary;
export const relatedPersonRoles = codesOf(relatedPersonRoleVocabulary);

export const careTeamRoleVocabulary = {
  'responsible-clinician': { display: 'Responsible clinician' },
  psychiatrist: { display: 'Psychiatrist' },
  'mental-health-nurse': { display: 'Mental health nurse' },
  'social-worker': { display: 'Social worker' },
  psychologist: { display: 'Psychologist' },
  'occupational-therapist': { display: 'Occupational therapist' },
  'support-worker': { display: 'Support worker' },
  'provider-organisation': { display: 'Provider of services' },
  'voluntary-organisation': { display: 'Voluntary organisation' },
  other: { display: 'Other care team member' },
} as const satisfies Vocabulary;
export const careTeamRoles = codesOf(careTeamRoleVocabulary);

export const reviewTriggerVocabulary = {
  scheduled: { display: 'Scheduled review (at least every 12 months)' },
  request: { display: 'Requested review' },
  'change-of-circumstances': { display: 'Change of circumstances' },
  transfer: { display: 'Transfer of care' },
  'services-undeliverable': { display: 'Services in the plan cannot be delivered' },
  'discharge-planning': { display: 'Planning discharge from services' },
  other: { display: 'Another reason' },
} as const satisfies Vocabulary;
export const reviewTriggers = codesOf(reviewTriggerVocabulary);

export const reviewRequesterVocabulary = {
  patient: { display: 'The relevant patient' },
  carer: { display: 'Carer' },
  'adult-placement-carer': { display: 'Adult placement carer' },
  provider: { display: 'Mental health service provider' },
  'care-team-member': { display: 'Member of the care and treatment planning team' },
  'care-coordinator': { display: 'Care coordinator' },
  other: { display: 'Someone else (e.g. a relative who is not a carer, an advocate or a GP)' },
} as const satisfies Vocabulary;
export const reviewRequesters = codesOf(reviewRequesterVocabulary);

export const reviewDecisionVocabulary = {
  accepted: { display: 'Request accepted' },
  'refused-frivolous-vexatious': { display: 'Refused: frivolous or vexatious' },
  'refused-no-change': { display: 'Refused: no change in circumstances since the last review' },
  'refused-other': { display: 'Refused on another ground (not one the Code allows for requests by the patient, a carer or a provider)' },
} as const satisfies Vocabulary;
export const reviewDecisions = codesOf(reviewDecisionVocabulary);

export const part3OutcomeVocabulary = {
  eligible: { display: 'Eligible for a Part 3 assessment' },
  ineligible: { display: 'Not eligible for a Part 3 assessment' },
  uncertain: { display: 'Eligibility uncertain' },
} as const satisfies Vocabulary;
export const eligibilityDecisions = codesOf(part3OutcomeVocabulary);

/**
 * Who asked for a Part 3 assessment. Only the former user, or a donee or deputy acting for them,
 * can make a valid request (Code of Practice 8.20); a request from anyone else is still recorded,
 * and the rules report it as not a valid request (CoP-P3-02).
 */
export const part3Requesters = ['self', 'donee', 'deputy', 'carer', 'family-member', 'professional', 'other'] as const;
export const part3RequesterVocabulary = {
  self: { display: 'The former user themself' },
  donee: { display: 'A donee of a lasting power of attorney (Mental Capacity Act 2005)' },
  deputy: { display: 'A deputy appointed by the Court of Protection' },
  carer: { display: 'A carer' },
  'family-member': { display: 'A family member who is not a donee or deputy' },
  professional: { display: 'A professional, such as a GP' },
  other: { display: 'Someone else' },
} as const satisfies Record<(typeof part3Requesters)[number], VocabularyEntry>;
/** The requesters who can make a valid Part 3 request (Code of Practice 8.20). */
export const validPart3Requesters: readonly (typeof part3Requesters)[number][] = ['self', 'donee', 'deputy'];

export const inpatientDischargeTypes = ['planned', 'self-discharge-against-advice', 'transfer', 'other'] as const;
export const inpatientDischargeTypeVocabulary = {
  planned: { display: 'Planned discharge' },
  'self-discharge-against-advice': { display: 'Self-discharge against medical advice' },
  transfer: { display: 'Transfer to another hospital' },
  other: { display: 'Other discharge' },
} as const satisfies Record<(typeof inpatientDischargeTypes)[number], VocabularyEntry>;
export const part3Priorities = ['emergency', 'urgent', 'routine'] as const;

/** How urgent a referral to secondary mental health services is. */
export const referralPriorityVocabulary = {
  emergency: { display: 'Emergency' },
  urgent: { display: 'Urgent' },
  routine: { display: 'Routine' },
} as const satisfies Vocabulary;
export const referralPriorities = codesOf(referralPriorityVocabulary);
export const part3Statuses = ['received', 'assessing', 'completed', 'declined', 'withdrawn'] as const;
export const part3StatusVocabulary = {
  received: { display: 'Request for a Part 3 assessment received' },
  assessing: { display: 'Part 3 assessment in progress' },
  completed: { display: 'Part 3 assessment completed' },
  declined: { display: 'Part 3 assessment declined' },
  withdrawn: { display: 'Request withdrawn' },
} as const satisfies Record<(typeof part3Statuses)[number], VocabularyEntry>;

export const coordinatorEndReasons = ['replaced', 'discharge', 'usual-coordinator-resumed', 'terminated', 'other'] as const;
export const coordinatorEndReasonVocabulary = {
  replaced: { display: 'Replaced by another care coordinator' },
  discharge: { display: 'Patient discharged from secondary mental health services' },
  'usual-coordinator-resumed': { display: 'Usual care coordinator resumed (temporary appointment ended)' },
  terminated: { display: 'Appointment terminated' },
  other: { display: 'Other reason' },
} as const satisfies Record<(typeof coordinatorEndReasons)[number], VocabularyEntry>;

export const dischargeKinds = ['full', 'partial'] as const;
export const dischargeKindVocabulary = {
  full: { display: 'Discharged from all secondary mental health services' },
  partial: { display: 'Discharged from some secondary mental health services; others continue' },
} as const satisfies Record<(typeof dischargeKinds)[number], VocabularyEntry>;

export const episodeStatuses = ['active', 'finished'] as const;
export const encounterKinds = ['contact', 'review-meeting', 'assessment', 'follow-up', 'crisis', 'mdt-meeting', 'case-conference'] as const;
export const encounterKindVocabulary = {
  contact: { display: 'Contact with the relevant patient' },
  'review-meeting': { display: 'CTP review meeting' },
  assessment: { display: 'Assessment' },
  'follow-up': { display: 'Follow-up contact after discharge from inpatient care' },
  crisis: { display: 'Crisis contact' },
  'mdt-meeting': { display: 'Multidisciplinary team meeting about the person (not a contact with them)' },
  'case-conference': { display: 'Case conference with the person, those close to them and professionals' },
} as const satisfies Record<(typeof encounterKinds)[number], VocabularyEntry>;

/** How a contact took place. */
export const contactModeVocabulary = {
  'face-to-face': { display: 'Face to face' },
  telephone: { display: 'Telephone' },
  video: { display: 'Video call' },
  other: { display: 'Other means' },
} as const satisfies Vocabulary;
export const contactModes = codesOf(contactModeVocabulary);

/** Who cancelled a planned contact: a service cancelling without telling the person in time is a failing the rules can find. */
export const cancelledByVocabulary = {
  patient: { display: 'Cancelled by the patient' },
  service: { display: 'Cancelled by the service' },
} as const satisfies Vocabulary;
export const cancelledByCodes = codesOf(cancelledByVocabulary);

/** Attendance at a planned contact, where FHIR Encounter.status cannot say it. */
export const attendanceVocabulary = {
  'did-not-attend': { display: 'Did not attend' },
} as const satisfies Vocabulary;
export const attendanceCodes = codesOf(attendanceVocabulary);

/** Who signed a CTP. */
export const signatureRoleVocabulary = {
  'care-coordinator': { display: 'Care coordinator' },
  patient: { display: 'The relevant patient' },
} as const satisfies Vocabulary;
export const signatureRoles = codesOf(signatureRoleVocabulary);

/** What a FHIR Task stands for. */
export const taskCodeVocabulary = {
  'ctp-review': { display: 'Review of a Care and Treatment Plan' },
  'part3-assessment': { display: 'Assessment under Part 3 of the Measure' },
  referral: { display: 'Referral to another service' },
} as const satisfies Vocabulary;
export const taskCodes = codesOf(taskCodeVocabulary);

/** What a FHIR Communication carries. */
export const communicationCategoryVocabulary = {
  'ctp-copy': { display: 'Copy of a Care and Treatment Plan' },
  'part3-report': { display: 'Written report of a Part 3 assessment' },
  'ctp-consultation': { display: 'Consultation on a Care and Treatment Plan' },
  'contact-request': { display: 'A request from the person or a carer to be contacted' },
  'carer-information': { display: 'Information about the person shared with a carer' },
} as const satisfies Vocabulary;

/** The outcome of consulting someone on a CTP (Code of Practice 4.18, 4.30). */
export const consultationOutcomeVocabulary = {
  consulted: { display: 'Consulted' },
  'not-practicable': { display: 'Consultation was not practicable' },
  'decided-not-to-consult': { display: 'Decided not to consult' },
} as const satisfies Vocabulary;
export const consultationOutcomes = codesOf(consultationOutcomeVocabulary);

/** The relevant patient's view on consulting someone or sharing the plan with them (4.20, 4.94). */
export const patientViewVocabulary = {
  agrees: { display: 'The patient agrees' },
  objects: { display: 'The patient objects' },
  'no-view': { display: 'The patient has no view' },
  'not-ascertainable': { display: 'The patient’s view could not be found out' },
} as const satisfies Vocabulary;
export const patientViews = codesOf(patientViewVocabulary);

/** The patient's agreement to information about them being shared (4.24). */
export const informationSharingVocabulary = {
  agreed: { display: 'Agrees to relevant information being shared' },
  'partly-agreed': { display: 'Agrees to some information being shared' },
  declined: { display: 'Does not agree to information being shared' },
  'not-ascertainable': { display: 'The person’s agreement could not be found out' },
} as const satisfies Vocabulary;
export const informationSharingStatuses = codesOf(informationSharingVocabulary);

/** Who a person's sharing decision is about: a recipient organisation, by the kind the consent gate tells apart. */
export const sharingRecipientKindVocabulary = {
  'gp-practice': { display: 'GP practice' },
  'health-board': { display: 'Local Health Board' },
  organisation: { display: 'Other organisation' },
} as const satisfies Vocabulary;
export const sharingRecipientKinds = codesOf(sharingRecipientKindVocabulary);

/** A person's decision on sharing their record with one recipient (FHIR Consent.provision.type deny / permit). */
export const sharingDecisionValues = ['declined', 'agreed'] as const;

/** What a Part 3 assessment must determine (Code of Practice 8.4). */
export const part3DeterminationVocabulary = {
  'secondary-services': { display: 'Secondary mental health services that might improve or prevent deterioration' },
  'community-care': { display: 'Community care services (other than secondary mental health services)' },
  housing: { display: 'Housing services' },
  'well-being': { display: 'Well-being services' },
} as const satisfies Vocabulary;

/** The decision on providing services a Part 3 assessment identified (8.41). */
export const provisionDecisionVocabulary = {
  provide: { display: 'The services will be provided' },
  'not-called-for': { display: 'Provision is not called for' },
} as const satisfies Vocabulary;
export const provisionDecisions = codesOf(provisionDecisionVocabulary);

/** Services a Part 3 assessment refers the person to (8.42). */
export const part3ReferralKindVocabulary = {
  housing: { display: 'Housing service' },
  'well-being': { display: 'Well-being service' },
} as const satisfies Vocabulary;
export const part3ReferralKinds = codesOf(part3ReferralKindVocabulary);

/** The review's decision on continuing in secondary mental health services (6.9). */
export const continuedServicesVocabulary = {
  continue: { display: 'Continue in secondary mental health services' },
  discharge: { display: 'Discharge to primary care' },
} as const satisfies Vocabulary;
export const continuedServicesDecisions = codesOf(continuedServicesVocabulary);
export const communicationCategories = codesOf(communicationCategoryVocabulary);

/** Marks a CarePlan as a CTP under the Measure, beside SNOMED CT 718347000 in CarePlan.category. */
export const ctpVocabulary = {
  ctp: { display: 'Care and Treatment Plan under Part 2 of the Mental Health (Wales) Measure 2010' },
} as const satisfies Vocabulary;
export const ctpCodes = codesOf(ctpVocabulary);
export const diagnosisStatuses = ['active', 'resolved', 'inactive', 'refuted', 'entered-in-error'] as const;
export const genders = ['male', 'female', 'other', 'unknown'] as const;
export const actorKinds = ['patient', 'practitioner', 'organisation', 'related-person', 'care-team'] as const;

export const organisationKinds = [
  'local-health-board',
  'local-authority',
  'gp-practice',
  'voluntary',
  'independent',
  'welsh-ministers',
  'nhs-trust',
  'hospital',
  'other',
] as const;
export const organisationKindVocabulary = {
  'local-health-board': { display: 'Local Health Board' },
  'local-authority': { display: 'Local authority' },
  'gp-practice': { display: 'GP practice' },
  voluntary: { display: 'Voluntary organisation' },
  independent: { display: 'Independent provider' },
  'welsh-ministers': { display: 'Welsh Ministers' },
  'nhs-trust': { display: 'NHS trust' },
  hospital: { display: 'Hospital' },
  other: { display: 'Other organisation' },
} as const satisfies Record<(typeof organisationKinds)[number], VocabularyEntry>;

export const registrationBodies = ['nmc', 'hcpc', 'gmc', 'social-care-wales', 'social-work-england', 'other'] as const;

export const communicationNeedVocabulary = {
  interpreter: { display: 'Interpreter' },
  bsl: { display: 'British Sign Language' },
  sse: { display: 'Sign Supported English' },
  braille: { display: 'Braille' },
  'induction-loop': { display: 'Induction loop' },
  'easy-read': { display: 'Easy read' },
  'large-print': { display: 'Large print' },
  literacy: { display: 'Literacy support' },
  other: { display: 'Other communication need' },
} as const satisfies Vocabulary;
export const communicationNeedKinds = codesOf(communicationNeedVocabulary);

/** FHIR data-absent-reason codes the record may carry in place of a value. */
export const notRecordedReasons = ['unknown', 'asked-unknown', 'not-asked', 'asked-declined', 'not-applicable', 'masked'] as const;

/** Welsh displays above that are the project's translation, not yet checked against the statutory Welsh text. */
export const unverifiedWelsh: ReadonlySet<string> = new Set(Object.keys(areaOfLifeVocabulary));

/** What kind of assessment (Code of Practice 2.15, 3.36(a)). */
export const assessmentKindVocabulary = {
  initial: { display: 'Initial assessment' },
  review: { display: 'Assessment for a review of the plan' },
  other: { display: 'Other assessment' },
} as const satisfies Vocabulary;
export const assessmentKinds = codesOf(assessmentKindVocabulary);

/** What an assessment found in one area of life (2.10, 2.12, 2.14). */
export const areaFindingVocabulary = {
  need: { display: 'Need identified' },
  strength: { display: 'Strength identified' },
  risk: { display: 'Risk identified' },
  'nothing-identified': { display: 'Considered; nothing identified' },
} as const satisfies Vocabulary;
export const areaFindings = codesOf(areaFindingVocabulary);

/** The risks an assessment should consider (Code of Practice 2.19 a–i). */
export const riskCategoryVocabulary = {
  'social-vulnerability': { display: 'Social vulnerabilities, including harm from others' },
  'harm-to-self': { display: 'Harm to self, including deliberate self-harm' },
  suicide: { display: 'Suicide' },
  'harm-to-others': { display: 'Harm to others, including violence' },
  'self-neglect': { display: 'Self-neglect' },
  'neglect-or-abuse-of-children': { display: 'Neglect or abuse of children' },
  'neglect-or-abuse-of-cared-for-adults': { display: 'Neglect or abuse of adults the person cares for' },
  'alcohol-or-substance-misuse': { display: 'Adverse risks of alcohol or substance misuse' },
  institutionalisation: { display: 'Becoming institutionalised' },
} as const satisfies Vocabulary;
export const riskCategories = codesOf(riskCategoryVocabulary);

export const riskLevelVocabulary = {
  none: { display: 'No risk identified' },
  low: { display: 'Low' },
  medium: { display: 'Medium' },
  high: { display: 'High' },
} as const satisfies Vocabulary;
export const riskLevels = codesOf(riskLevelVocabulary);

/** Whose views a child's review sought (6.21). */
export const reviewViewsSoughtVocabulary = {
  child: { display: 'The child' },
  family: { display: 'The family or people with parental responsibility' },
  school: { display: 'The school or education service' },
  'social-services': { display: 'Local authority social services' },
} as const satisfies Vocabulary;
export const reviewViewsSought = codesOf(reviewViewsSoughtVocabulary);

/** Where a Part 3 requester usually lives, as far as is known (8.26–8.29). */
export const residenceStatusVocabulary = {
  established: { display: 'Usual residence established' },
  uncertain: { display: 'Usual residence uncertain' },
  'no-fixed-address': { display: 'No fixed address' },
  disputed: { display: 'Usual residence disputed' },
} as const satisfies Vocabulary;
export const residenceStatuses = codesOf(residenceStatusVocabulary);

// And those of the English kinds of plan, discharge, ward and transfer evidence.
export * from './english-plans-vocabulary.js';
// The English trust policies' code lists live in their own module.
export * from './english-vocabulary.js';
// And those of physical health, medication and outcome measures (English policies).
export * from './health-vocabulary.js';
// So do those of the evidence the quality signals need.
export * from './quality-vocabulary.js';
export * from './referral-vocabulary.js';
// And those of waiting lists and referral decisions.
export * from './waiting-list-vocabulary.js';
