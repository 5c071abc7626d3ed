/**
 * The displays of pont's own codes (src/record/vocabulary.ts) by code system URL, so that a
 * narrative reads "Finance and money" rather than `finance-money`. Each entry is the vocabulary
 * its CodeSystem is generated from (profiles/source/terminology.yaml; a test keeps them equal).
 */
import { codeSystemUrl } from '../profiles/canonical.js';
import {
  contactAttemptMethodVocabulary,
  dischargeLetterSectionVocabulary,
  flagKindVocabulary,
  incidentKindVocabulary,
  incidentReportingSystemVocabulary,
  meetingRoleVocabulary,
  riskReviewReasonVocabulary,
} from '../record/english-vocabulary.js';
import { disputeRaiserVocabulary, disputeResolutionVocabulary, interpreterModeVocabulary } from '../record/quality-vocabulary.js';
import {
  agreementStatementVocabulary,
  areaFindingVocabulary,
  areaOfLifeVocabulary,
  assessmentKindVocabulary,
  attendanceVocabulary,
  cancelledByVocabulary,
  carePlanChangeTypeVocabulary,
  careTeamRoleVocabulary,
  communicationCategoryVocabulary,
  communicationNeedVocabulary,
  consultationOutcomeVocabulary,
  contactModeVocabulary,
  continuedServicesVocabulary,
  coordinatorEndReasonVocabulary,
  coordinatorProfessionVocabulary,
  copyRecipientRoleVocabulary,
  copyStatusVocabulary,
  ctpVocabulary,
  deliveryMethodVocabulary,
  dischargeKindVocabulary,
  encounterKindVocabulary,
  informationSharingVocabulary,
  inpatientDischargeTypeVocabulary,
  organisationKindVocabulary,
  part3DeterminationVocabulary,
  part3OutcomeVocabulary,
  part3ReferralKindVocabulary,
  part3RequesterVocabulary,
  part3StatusVocabulary,
  patientViewVocabulary,
  planLanguageVocabulary,
  provisionDecisionVocabulary,
  referralPriorityVocabulary,
  relatedPersonRoleVocabulary,
  residenceStatusVocabulary,
  reviewDecisionVocabulary,
  reviewRequesterVocabulary,
  reviewTriggerVocabulary,
  reviewViewsSoughtVocabulary,
  riskCategoryVocabulary,
  riskLevelVocabulary,
  sharingRecipientKindVocabulary,
  signatureRoleVocabulary,
  taskCodeVocabulary,
  type Vocabulary,
  viewsStatusVocabulary,
} from '../record/vocabulary.js';

const VOCABULARIES: Readonly<Record<string, Vocabulary>> = {
  'pont-area-of-life': areaOfLifeVocabulary,
  'pont-coordinator-profession': coordinatorProfessionVocabulary,
  'pont-copy-recipient-role': copyRecipientRoleVocabulary,
  'pont-copy-status': copyStatusVocabulary,
  'pont-delivery-method': deliveryMethodVocabulary,
  'pont-agreement-statement': agreementStatementVocabulary,
  'pont-views-status': viewsStatusVocabulary,
  'pont-ctp-change-type': carePlanChangeTypeVocabulary,
  'pont-plan-language': planLanguageVocabulary,
  'pont-related-person-role': relatedPersonRoleVocabulary,
  'pont-care-team-role': careTeamRoleVocabulary,
  'pont-review-trigger': reviewTriggerVocabulary,
  'pont-review-requester': reviewRequesterVocabulary,
  'pont-review-decision': reviewDecisionVocabulary,
  'pont-part3-eligibility': part3OutcomeVocabulary,
  'pont-referral-priority': referralPriorityVocabulary,
  'pont-part3-requester': part3RequesterVocabulary,
  'pont-inpatient-discharge-type': inpatientDischargeTypeVocabulary,
  'pont-part3-status': part3StatusVocabulary,
  'pont-communication-need': communicationNeedVocabulary,
  'pont-organisation-kind': organisationKindVocabulary,
  'pont-encounter-kind': encounterKindVocabulary,
  'pont-contact-mode': contactModeVocabulary,
  'pont-attendance': attendanceVocabulary,
  'pont-coordinator-end-reason': coordinatorEndReasonVocabulary,
  'pont-discharge-kind': dischargeKindVocabulary,
  'pont-signature-role': signatureRoleVocabulary,
  'pont-task-code': taskCodeVocabulary,
  'pont-communication-category': communicationCategoryVocabulary,
  'pont-consultation-outcome': consultationOutcomeVocabulary,
  'pont-patient-view': patientViewVocabulary,
  'pont-information-sharing': informationSharingVocabulary,
  'pont-sharing-recipient-kind': sharingRecipientKindVocabulary,
  'pont-part3-determination': part3DeterminationVocabulary,
  'pont-provision-decision': provisionDecisionVocabulary,
  'pont-part3-referral-kind': part3ReferralKindVocabulary,
  'pont-continued-services': continuedServicesVocabulary,
  'pont-assessment-kind': assessmentKindVocabulary,
  'pont-area-finding': areaFindingVocabulary,
  'pont-risk-category': riskCategoryVocabulary,
  'pont-risk-level': riskLevelVocabulary,
  'pont-review-views-sought': reviewViewsSoughtVocabulary,
  'pont-residence-status': residenceStatusVocabulary,
  'pont-cancelled-by': cancelledByVocabulary,
  'pont-ctp': ctpVocabulary,
  'pont-risk-review-reason': riskReviewReasonVocabulary,
  'pont-incident-kind': incidentKindVocabulary,
  'pont-incident-reporting-system': incidentReportingSystemVocabulary,
  'pont-flag-kind': flagKindVocabulary,
  'pont-meeting-role': meetingRoleVocabulary,
  'pont-contact-attempt-method': contactAttemptMethodVocabulary,
  'pont-discharge-letter-section': dischargeLetterSectionVocabulary,
  'pont-interpreter-mode': interpreterModeVocabulary,
  'pont-dispute-raiser': disputeRaiserVocabulary,
  'pont-dispute-resolution': disputeResolutionVocabulary,
};

const BY_SYSTEM: ReadonlyMap<string, Vocabulary> = new Map(Object.entries(VOCABULARIES).map(([id, vocabulary]) => [codeSystemUrl(id), vocabulary]));

/** The pont CodeSystem ids this table covers. */
export const CODE_SYSTEMS_WITH_DISPLAYS: readonly string[] = Object.keys(VOCABULARIES);

/** The English display of a pont code, or undefined for a code or system pont does not define. */
export function pontDisplay(system: string | undefined, code: string | undefined): string | undefined {
  if (system === undefined || code === undefined) return undefined;
  const vocabulary = BY_SYSTEM.get(system);
  return vocabulary && Object.hasOwn(vocabulary, code) ? vocabulary[code]!.display : undefined;
}
