/**
 * Code lists for the evidence the English trust policies need (Leicestershire LPT and Luton and
 * Bedfordshire ELFT): risk assessments, incidents, flags, meeting participants, contacts and
 * discharge letters. Re-exported by vocabulary.ts, so that the FHIR CodeSystems are generated
 * from them like every other list. Each list ends with "other" where a source may hold something
 * pont has no code for: the vocabulary gives meaning, it never makes a record unrecordable.
 */
import type { Vocabulary } from './vocabulary-entry.js';

const codes = <T extends Vocabulary>(vocabulary: T): [keyof T & string, ...(keyof T & string)[]] => Object.keys(vocabulary) as [keyof T & string, ...(keyof T & string)[]];

/** Why a risk assessment was done or reviewed (LPT Clinical Risk Assessment Policy §5.3, §5.10, §11). */
export const riskReviewReasonVocabulary = {
  initial: { display: 'First assessment (new to the service)' },
  scheduled: { display: 'Scheduled review' },
  incident: { display: 'After an incident or crisis' },
  admission: { display: 'Admission to hospital' },
  discharge: { display: 'Discharge from hospital or from the team' },
  leave: { display: 'Leave from hospital' },
  transfer: { display: 'Referral or transfer between services' },
  'change-of-coordinator': { display: 'Change or unavailability of the care coordinator' },
  'care-plan-review': { display: 'Care plan review' },
  'inpatient-weekly': { display: 'Weekly inpatient MDT review' },
  deterioration: { display: 'Deterioration in physical or mental health' },
  other: { display: 'Other reason' },
} as const satisfies Vocabulary;
export const riskReviewReasons = codes(riskReviewReasonVocabulary);

/** The form or tool a risk assessment was made on (LPT Clinical Risk Assessment Policy §4.11). */
export const riskAssessmentToolVocabulary = {
  'dmh-ld-form': { display: 'DMH & LD Risk Assessment Form' },
  'hcr-20': { display: 'HCR-20 (specialist violence risk tool)' },
  'other-specialist': { display: 'Other specialist risk tool' },
  other: { display: 'Other form or tool' },
} as const satisfies Vocabulary;
export const riskAssessmentTools = codes(riskAssessmentToolVocabulary);

/** What kind of incident was reported (LPT Clinical Risk Assessment Policy §11; ELFT §11, §23). */
export const incidentKindVocabulary = {
  'self-harm': { display: 'Self-harm' },
  'suicide-attempt': { display: 'Suicide attempt' },
  violence: { display: 'Violent or aggressive incident' },
  'domestic-abuse': { display: 'Domestic abuse' },
  safeguarding: { display: 'Safeguarding concern' },
  'physical-health': { display: 'Deterioration in physical health' },
  'missing-person': { display: 'Missing person or absconsion' },
  other: { display: 'Other incident' },
} as const satisfies Vocabulary;
export const incidentKinds = codes(incidentKindVocabulary);

/** The system an incident was reported on. */
export const incidentReportingSystemVocabulary = {
  datix: { display: 'Datix' },
  eirf: { display: 'Electronic incident report form (eIRF)' },
  ulysses: { display: 'Ulysses' },
  other: { display: 'Other reporting system' },
} as const satisfies Vocabulary;
export const incidentReportingSystems = codes(incidentReportingSystemVocabulary);

/** Alerts on a person's record (ELFT §14.1, §20.2, §20.3, §22.1, §23, §24; LPT SOP §6.31). */
export const flagKindVocabulary = {
  'high-risk': { display: 'High risk' },
  'safeguarding-adult': { display: 'Safeguarding adult concern (SOVA)' },
  'safeguarding-child': { display: 'Safeguarding child concern' },
  'child-protection': { display: 'Child protection or child in need' },
  'out-of-hours-concern': { display: 'Concern that may warrant an out-of-hours assessment' },
  disengagement: { display: 'Disengaging from services' },
  'refusing-contact': { display: 'Refusing to maintain contact' },
  'lost-contact': { display: 'Contact with the person lost' },
  other: { display: 'Other alert' },
} as const satisfies Vocabulary;
export const flagKinds = codes(flagKindVocabulary);

/** The part someone plays in a contact, a meeting such as a CPA review or a triage, or who is told of an alert (ELFT §8, §14.1, §16, §23). */
export const meetingRoleVocabulary = {
  patient: { display: 'The person' },
  'care-coordinator': { display: 'Care coordinator, key worker or lead professional' },
  psychiatrist: { display: 'Psychiatrist (consultant or doctor)' },
  'team-manager': { display: 'Team manager or their delegate' },
  carer: { display: 'Carer or family member' },
  advocate: { display: 'Advocate' },
  gp: { display: 'General practitioner' },
  'crisis-team': { display: 'Crisis resolution and home treatment team' },
  'emergency-duty-team': { display: 'Out-of-hours emergency duty team' },
  'moj-case-worker': { display: 'Ministry of Justice case worker (restricted patients)' },
  professional: { display: 'Other professional' },
  other: { display: 'Other participant' },
} as const satisfies Vocabulary;
export const meetingRoles = codes(meetingRoleVocabulary);

/** How the service tried to reach someone after a missed appointment (ELFT §20.4; LPT SOP §6.26). */
export const contactAttemptMethodVocabulary = {
  telephone: { display: 'Telephone call' },
  sms: { display: 'Text message' },
  letter: { display: 'Letter' },
  'opt-in-letter': { display: 'Opt-in letter' },
  visit: { display: 'Home visit' },
  email: { display: 'Email' },
  other: { display: 'Other means' },
} as const satisfies Vocabulary;
export const contactAttemptMethods = codes(contactAttemptMethodVocabulary);

/** The sections of a discharge letter (LPT SOP §6.24 (a)–(e); ELFT §20). */
export const dischargeLetterSectionVocabulary = {
  'continuing-services': { display: 'Services continuing or referred to' },
  'support-networks': { display: 'Informal support networks' },
  medication: { display: 'Medication regime, including adverse effects' },
  'relapse-plan': { display: 'Relapse signatures and action plans' },
  'accessing-help': { display: 'How to get help if mental health deteriorates' },
  'contingency-plan': { display: 'Contingency plan for re-referral' },
  other: { display: 'Other section' },
} as const satisfies Vocabulary;
export const dischargeLetterSections = codes(dischargeLetterSectionVocabulary);

/** Why an episode was closed, as an EPR codes it (DH PIG 2001 Tables 4a and 5a; ELFT §13, §20). */
export const closureReasonVocabulary = {
  'treatment-completed': { display: 'Treatment completed or goals met' },
  'no-further-benefit': { display: 'No further benefit expected from the service' },
  'non-engagement': { display: 'Did not engage with the service' },
  'no-clear-diagnosis': { display: 'No clear diagnosis' },
  'lost-contact': { display: 'Contact lost' },
  'patient-request': { display: 'At the person’s request' },
  transferred: { display: 'Transferred to another service' },
  'moved-away': { display: 'Moved out of the area' },
  died: { display: 'Died' },
  other: { display: 'Other reason' },
} as const satisfies Vocabulary;
export const closureReasons = codes(closureReasonVocabulary);

/** What a carer said to the offer of a carer's assessment (LPT SOP §6.12, §6.21). */
export const carerAssessmentResponseVocabulary = {
  accepted: { display: 'Agreed to be referred for an assessment' },
  'self-assessment': { display: 'Chose a self-assessment' },
  declined: { display: 'Declined' },
  undecided: { display: 'Not yet decided' },
  other: { display: 'Other response' },
} as const satisfies Vocabulary;
export const carerAssessmentResponses = codes(carerAssessmentResponseVocabulary);

/** The section of the Mental Health Act 1983 a person is detained under (ELFT §11, §16.1, §20.3). */
export const mhaSectionVocabulary = {
  s2: { display: 'Section 2 (admission for assessment)' },
  s3: { display: 'Section 3 (admission for treatment)' },
  s4: { display: 'Section 4 (emergency admission)' },
  's5-2': { display: 'Section 5(2) (doctor’s holding power)' },
  's5-4': { display: 'Section 5(4) (nurse’s holding power)' },
  s35: { display: 'Section 35 (remand for a report)' },
  s36: { display: 'Section 36 (remand for treatment)' },
  s37: { display: 'Section 37 (hospital order)' },
  's37-41': { display: 'Sections 37 and 41 (hospital order with restrictions)' },
  s38: { display: 'Section 38 (interim hospital order)' },
  s45a: { display: 'Section 45A (hospital and limitation direction)' },
  s47: { display: 'Section 47 (transfer from prison)' },
  's47-49': { display: 'Sections 47 and 49 (transfer from prison with restrictions)' },
  s48: { display: 'Section 48 (urgent transfer from prison)' },
  's48-49': { display: 'Sections 48 and 49 (urgent transfer from prison with restrictions)' },
  other: { display: 'Another power of detention' },
} as const satisfies Vocabulary;
export const mhaSections = codes(mhaSectionVocabulary);

/** What the person decided when offered an advance statement of wishes at a review (LPT SOP §6.20). */
export const advanceStatementDecisionVocabulary = {
  made: { display: 'Made or updated an advance statement' },
  declined: { display: 'Declined' },
  undecided: { display: 'Not yet decided' },
  other: { display: 'Other decision' },
} as const satisfies Vocabulary;
export const advanceStatementDecisions = codes(advanceStatementDecisionVocabulary);

// ---- Meetings, case conferences, carers and consent (English policies: LPT SOP §6.24, §6.25.16, App 17; ELFT §13, §20.3)

/** What a meeting about the person was held for (LPT SOP §6.24, §6.25.16, App 17). */
export const meetingPurposeVocabulary = {
  referral: { display: 'A referral discussed in place of a written one (hub and spoke)' },
  discharge: { display: 'Discharge from the team discussed' },
  'refused-discharge': { display: 'A discharge the person does not agree to' },
  transfer: { display: 'Transfer between teams' },
  review: { display: 'Review of care' },
  other: { display: 'Other purpose' },
} as const satisfies Vocabulary;
export const meetingPurposes = codes(meetingPurposeVocabulary);

/** The person's answer when asked to consent to care (LPT Care Coordination Policy §5.7). */
export const consentToCareDecisionVocabulary = {
  agreed: { display: 'Gave consent to care' },
  declined: { display: 'Declined care' },
  'capacity-in-doubt': { display: 'Capacity to consent in doubt' },
  other: { display: 'Other answer' },
} as const satisfies Vocabulary;
export const consentToCareDecisions = codes(consentToCareDecisionVocabulary);

// ---- Capacity decisions and the IMCA (English policies: LPT Care Coordination Policy App 1; Mental Capacity Act 2005 ss.37–39)

/** What a decision the person's capacity was assessed for was about (the kinds for which the Act owes an IMCA, and others). */
export const capacityDecisionKindVocabulary = {
  'serious-medical-treatment': { display: 'Serious medical treatment' },
  'accommodation-change': { display: 'A change of accommodation' },
  other: { display: 'Another decision' },
} as const satisfies Vocabulary;
export const capacityDecisionKinds = codes(capacityDecisionKindVocabulary);

/**
 * Where a change of accommodation would place the person (Mental Capacity Act 2005 ss.38–39: the
 * Act's short-stay limit is 28 days in a hospital and 8 weeks in a care home or other residential
 * accommodation a local authority arranges).
 */
export const capacityAccommodationKindVocabulary = {
  hospital: { display: 'A hospital' },
  'care-home': { display: 'A care home' },
  other: { display: 'Other residential accommodation' },
} as const satisfies Vocabulary;
export const capacityAccommodationKinds = codes(capacityAccommodationKindVocabulary);
