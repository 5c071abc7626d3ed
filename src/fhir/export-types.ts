/**
 * The resource types a Bulk Data export gives: every type pont writes for a record (the
 * ctp-to-fhir mapping's; a test keeps this list complete) and every type the facade serves. A
 * person-linked type's resources belong to one person; the others (organisations and staff) are
 * exported beside the person resources that refer to them.
 */
import { isAboutAPerson } from './served-resources.js';

export const EXPORT_TYPES: readonly string[] = [
  'Patient',
  'CarePlan',
  'CareTeam',
  'ClinicalImpression',
  'Communication',
  'Condition',
  'Consent',
  'DetectedIssue',
  'Encounter',
  'EpisodeOfCare',
  'Goal',
  'MeasureReport',
  'Provenance',
  'RelatedPerson',
  'ServiceRequest',
  'Task',
  'RiskAssessment',
  'AdverseEvent',
  'Flag',
  'MedicationStatement',
  'Observation',
  'Organization',
  'Practitioner',
  'PractitionerRole',
];

export const PERSON_TYPES: readonly string[] = EXPORT_TYPES.filter(isAboutAPerson);
export const SUPPORTING_TYPES: readonly string[] = EXPORT_TYPES.filter((t) => !isAboutAPerson(t));

export const isExportType = (type: string): boolean => EXPORT_TYPES.includes(type);
