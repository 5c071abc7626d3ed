/**
 * Code lists for the kinds of plan, discharge, ward and transfer evidence the English trust
 * policies name (LPT SOP, CCP and Clinical Risk Assessment Policy; ELFT CMHT Operational Policy;
 * DH PIG 2001). Re-exported by vocabulary.ts so that FHIR CodeSystems are generated from them.
 * Each list ends with "other": the vocabulary gives meaning, the rules judge.
 */
import type { Vocabulary } from './vocabulary-entry.js';

const codes = <T extends Vocabulary>(vocabulary: T): [keyof T & string, ...(keyof T & string)[]] => Object.keys(vocabulary) as [keyof T & string, ...(keyof T & string)[]];

/** Plans other than the care plan itself, by the names the policies give them (LPT SOP §6.11, §6.17.3; CCP §3.12; RAP §6; ELFT §5, §8, §10, §14.1). */
export const planKindVocabulary = {
  'interim-safety-plan': { display: 'Interim safety plan' },
  'safety-plan': { display: 'Safety plan' },
  'brief-safety-plan': { display: 'Brief safety plan' },
  'best-interest-care-plan': { display: 'Best-interest care plan' },
  'leave-plan': { display: 'Leave plan (leave from hospital)' },
  'non-cpa-plan': { display: 'Care plan for someone not on CPA' },
  'step-down-plan': { display: 'Step-down plan (primary care link worker)' },
  'risk-management-plan': { display: 'Risk management plan' },
  'out-of-hours-contact-plan': { display: 'Out-of-hours contact plan' },
  other: { display: 'Other plan' },
} as const satisfies Vocabulary;
export const planKinds = codes(planKindVocabulary);

/** What a plan sets out, section by section (LPT CCP §3.12; ELFT §14.1). */
export const planSectionVocabulary = {
  rationale: { display: 'Rationale' },
  timescale: { display: 'Timescale' },
  'crisis-plan': { display: 'Crisis plan' },
  'contingency-plan': { display: 'Contingency plan' },
  'how-we-will-work': { display: 'How the service will work with the person' },
  'main-contact': { display: 'The main person to contact in the service' },
  'how-to-contact': { display: 'How to contact them' },
  'emergency-contact': { display: 'Who to contact in an emergency' },
  'risk-assessment': { display: 'Consideration of the risk assessment' },
  'out-of-hours-contact': { display: 'Out-of-hours contact' },
  other: { display: 'Other section' },
} as const satisfies Vocabulary;
export const planSections = codes(planSectionVocabulary);

/** The parts of a risk formulation, the "5 P's" (LPT Clinical Risk Assessment Policy §5.9). */
export const riskFormulationPartVocabulary = {
  problem: { display: 'Problem' },
  predisposing: { display: 'Predisposing factors' },
  precipitating: { display: 'Precipitating factors' },
  perpetuating: { display: 'Perpetuating factors' },
  protective: { display: 'Protective factors' },
  other: { display: 'Other part' },
} as const satisfies Vocabulary;
export const riskFormulationParts = codes(riskFormulationPartVocabulary);

/** Who a discharge summary from hospital went to (LPT CCP Appendix 1, §3.13). */
export const summaryRecipientVocabulary = {
  patient: { display: 'The person' },
  gp: { display: 'General practitioner' },
  'community-team': { display: 'Community mental health or learning disability team' },
  other: { display: 'Someone else' },
} as const satisfies Vocabulary;
export const summaryRecipients = codes(summaryRecipientVocabulary);

/** What a discharge summary from hospital holds (LPT CCP Appendix 1: the learning disability discharge pack). */
export const dischargeSummaryContentVocabulary = {
  weight: { display: 'Weight' },
  height: { display: 'Height' },
  bmi: { display: 'Body mass index' },
  bloods: { display: 'Blood results' },
  'physical-observations': { display: 'Physical observations' },
  'annual-health-check': { display: 'Learning disability annual health check' },
  medication: { display: 'Medication' },
  'crisis-plan': { display: 'Crisis and contingency plan' },
  other: { display: 'Other content' },
} as const satisfies Vocabulary;
export const dischargeSummaryContents = codes(dischargeSummaryContentVocabulary);

/** Care and Treatment Reviews for people with a learning disability or autism (LPT CCP §3.7; NHS England). */
export const careAndTreatmentReviewKindVocabulary = {
  community: { display: 'Community Care and Treatment Review (before admission)' },
  'post-admission': { display: 'Post-admission Care and Treatment Review' },
  other: { display: 'Other Care and Treatment Review' },
} as const satisfies Vocabulary;
export const careAndTreatmentReviewKinds = codes(careAndTreatmentReviewKindVocabulary);

/** What was done at a discharge from the team, step by step (LPT SOP §6.25; DH PIG 2001 Tables 3a, 5a). */
export const dischargeStepVocabulary = {
  'discharge-checklist': { display: 'Discharge checklist completed' },
  'wellbeing-workbook': { display: 'Wellbeing workbook completed' },
  'relapse-plan': { display: 'Relapse plan agreed' },
  'access-point-details': { display: 'Central Access Point details given' },
  signposting: { display: 'Signposted to community services' },
  'mdt-discussion': { display: 'Discharge discussed at the MDT, with risks and plan documented' },
  'crisis-understood': { display: 'Why the crisis occurred understood' },
  'coping-strategies': { display: 'Coping strategies explored' },
  'relapse-prevention-plan': { display: 'Relapse prevention plan in place' },
  'gp-informed': { display: 'Information exchanged with the GP' },
  'community-team-informed': { display: 'Information exchanged with the community team' },
  'yearly-joint-review': { display: 'Yearly joint consultant and primary care review arranged' },
  'next-service-engaged': { display: 'Contact with the next service established' },
  other: { display: 'Other step' },
} as const satisfies Vocabulary;
export const dischargeSteps = codes(dischargeStepVocabulary);

/** Where the person went on discharge from the team (DH PIG 2001 Table 5a). */
export const dischargeDestinationVocabulary = {
  'primary-care': { display: 'Primary care' },
  'assertive-outreach': { display: 'Assertive outreach' },
  rehabilitation: { display: 'Rehabilitation services' },
  outpatients: { display: 'Outpatient care' },
  'community-team': { display: 'Community mental health team' },
  other: { display: 'Elsewhere' },
} as const satisfies Vocabulary;
export const dischargeDestinations = codes(dischargeDestinationVocabulary);

/** Letters the English policies time (ELFT §3, §11, §16, §20.1). */
export const letterKindVocabulary = {
  'assessment-outcome': { display: 'Assessment outcome letter' },
  medical: { display: 'Medical letter after a consultation' },
  'review-outcome': { display: 'Letter on the outcome of a CPA review' },
  'transfer-confirmation': { display: 'Letter confirming a transfer of care' },
  other: { display: 'Other letter' },
} as const satisfies Vocabulary;
export const letterKinds = codes(letterKindVocabulary);

/** What a service-user information pack holds (DH PIG 2001 §3.4, §4.4, §5.4). */
export const informationPackContentVocabulary = {
  'service-description': { display: 'A description of the service' },
  'coordinator-contact': { display: 'The care coordinator’s name and contact details' },
  'out-of-hours-contact': { display: 'Out-of-hours contact' },
  'care-plan-and-medication': { display: 'The care plan and information on medication' },
  'relapse-and-crisis-plan': { display: 'The relapse prevention and crisis plan' },
  'discharge-plan': { display: 'The discharge plan' },
  'how-to-give-views': { display: 'How to express views on the service' },
  other: { display: 'Other content' },
} as const satisfies Vocabulary;
export const informationPackContents = codes(informationPackContentVocabulary);
