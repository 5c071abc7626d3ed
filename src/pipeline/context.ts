/**
 * Notes what a record lacks that the Measure's rules will need. These are warnings about the
 * input, not compliance findings: they tell the sender which context is missing (typical for
 * FHIR from systems that know nothing of the Measure), so nothing is silently assumed.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { CtpRecord } from '../record/record.schema.js';
import { isCareAndTreatmentPlan } from '../timeline/measure-scope.js';

function missing(expression: string, what: string): OperationOutcomeIssue {
  return { severity: 'warning', code: 'incomplete', diagnostics: `Missing Measure context: ${what}.`, expression: [expression] };
}

export function missingContext(record: CtpRecord): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const patient = record.patient;
  if (!patient) issues.push(missing('patient', 'no details of the person (a Patient resource)'));
  else {
    if (patient.nhsNumber === undefined) issues.push(missing('patient.nhsNumber', 'no NHS number'));
    if (patient.dateOfBirth === undefined) issues.push(missing('patient.dateOfBirth', 'no date of birth (needed for the under-18 and Part 3 rules)'));
    if (patient.usualAddress === undefined) issues.push(missing('patient.usualAddress', 'no usual address (printed on the CTP)'));
  }
  if (!record.episodes) issues.push(missing('episodes', 'no secondary mental health episode'));
  record.episodes?.forEach((e, i) => {
    if (e.acceptedOn === undefined) issues.push(missing(`episodes[${i}].acceptedOn`, 'the date the person was accepted into services is not recorded'));
    if (e.responsibleBodies === undefined) issues.push(missing(`episodes[${i}].responsibleBodies`, 'no responsible health board or local authority'));
  });
  const ctps = record.plans?.filter(isCareAndTreatmentPlan) ?? [];
  if (ctps.length > 0 && !record.coordinatorAppointments) issues.push(missing('coordinatorAppointments', 'no care coordinator appointment'));
  record.plans?.forEach((p, i) => {
    const at = `plans[${i}]`;
    if (!isCareAndTreatmentPlan(p)) {
      issues.push({
        severity: 'information',
        code: 'informational',
        diagnostics:
          'Outside the Measure: this care plan is not a Care and Treatment Plan (neither pont’s CTP profile nor the CTP category), so no Measure rule or figure applies to it.',
        expression: [at],
      });
      return;
    }
    if (p.madeOn === undefined) issues.push(missing(`${at}.madeOn`, 'the date the plan was made'));
    if (p.reviewBy === undefined) issues.push(missing(`${at}.reviewBy`, 'the date by which the plan must be reviewed'));
    if (p.agreement === undefined) issues.push(missing(`${at}.agreement`, 'the agreement statement (section 18(2) or 18(6))'));
    if (p.outcomes === undefined) issues.push(missing(`${at}.outcomes`, 'no outcomes linked to the areas of life'));
    if (p.coordinatorAppointment === undefined) issues.push(missing(`${at}.coordinatorAppointment`, 'the care coordinator who prepared the plan'));
  });
  return issues;
}
