/**
 * Code lists for physical health, medication and outcome measures in the English trust policies
 * (ELFT CMHT Operational Policy §11, §15, §16; LPT SOP §6.12, §6.16, App 4; LPT Care
 * Coordination Policy §3.17). Re-exported by vocabulary.ts, so that the FHIR CodeSystems are
 * generated from them like every other list. The lists say what a value means; the rules judge.
 */
import type { Vocabulary } from './vocabulary-entry.js';

const codes = <T extends Vocabulary>(vocabulary: T): [keyof T & string, ...(keyof T & string)[]] => Object.keys(vocabulary) as [keyof T & string, ...(keyof T & string)[]];

/** The kind of medicine, as far as the policies tell kinds apart. */
export const medicationClassVocabulary = {
  antipsychotic: { display: 'Antipsychotic' },
  antidepressant: { display: 'Antidepressant' },
  'mood-stabiliser': { display: 'Mood stabiliser' },
  other: { display: 'Other medicine' },
} as const satisfies Vocabulary;
export const medicationClasses = codes(medicationClassVocabulary);

/** A physical health check or measurement (ELFT §15; LPT SOP App 4, forms 1 and 2). */
export const physicalHealthCheckVocabulary = {
  weight: { display: 'Weight' },
  bmi: { display: 'Body mass index' },
  'waist-circumference': { display: 'Waist circumference' },
  'blood-pressure': { display: 'Blood pressure' },
  glucose: { display: 'Blood glucose' },
  hba1c: { display: 'HbA1c' },
  lipids: { display: 'Lipids' },
  prolactin: { display: 'Prolactin' },
  ecg: { display: 'ECG' },
  'physical-examination': { display: 'Physical examination' },
  'smoking-status': { display: 'Smoking status' },
  'alcohol-intake': { display: 'Alcohol intake' },
  'substance-use': { display: 'Substance use' },
  'physical-health-review': { display: 'Physical health review (cardio-metabolic risk factors)' },
  other: { display: 'Other physical health check' },
} as const satisfies Vocabulary;
export const physicalHealthChecks = codes(physicalHealthCheckVocabulary);

/** A rated outcome measure (ELFT §11, §16; LPT Care Coordination Policy §3.17; LPT SOP App 17). */
export const outcomeMeasureToolVocabulary = {
  honos: { display: 'Health of the Nation Outcome Scales (HoNOS)' },
  dialog: { display: 'DIALOG' },
  'dialog-plus': { display: 'DIALOG+' },
  'core-10': { display: 'CORE-10' },
  reqol: { display: 'Recovering Quality of Life (ReQoL)' },
  other: { display: 'Other outcome measure' },
} as const satisfies Vocabulary;
export const outcomeMeasureTools = codes(outcomeMeasureToolVocabulary);

/** The eleven domains DIALOG rates: eight of life satisfaction and three of treatment. */
export const dialogDomainVocabulary = {
  'mental-health': { display: 'Mental health' },
  'physical-health': { display: 'Physical health' },
  'job-situation': { display: 'Job situation (employment or training)' },
  accommodation: { display: 'Accommodation' },
  'leisure-activities': { display: 'Leisure activities' },
  'partner-family': { display: 'Relationship with partner or family' },
  friendships: { display: 'Friendships' },
  'personal-safety': { display: 'Personal safety' },
  medication: { display: 'Medication' },
  'practical-help': { display: 'Practical help received' },
  'meetings-with-professionals': { display: 'Meetings with mental health professionals' },
} as const satisfies Vocabulary;
export const dialogDomains = codes(dialogDomainVocabulary);

/** The clinic an appointment was in (LPT SOP §6.12, §6.16, App 4; ELFT §15). */
export const clinicKindVocabulary = {
  depot: { display: 'Depot clinic' },
  'physical-health': { display: 'Physical health clinic' },
  'nurse-led': { display: 'Nurse-led clinic' },
  other: { display: 'Other clinic' },
} as const satisfies Vocabulary;
export const clinicKinds = codes(clinicKindVocabulary);
