import { join } from 'node:path';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../profiles/tools/build-profiles.js';
import { ensureMedplumIndexed } from '../../src/fhir/r4-base.js';
import { createValidator, validateBundleEntries } from '../../src/fhir/validate.js';
import { loadProfiles } from '../../src/profiles/load-profiles.js';
import type { Json } from './samples.js';
import { asResource, CS, DAR, minimal, rich, SD } from './samples.js';

const registry = loadProfiles(join(REPO_ROOT, 'profiles'));
const validator = createValidator(registry);
ensureMedplumIndexed(); // for the comparisons with medplum's validateResource
const profileIds = registry.profiles.map((p) => p.id!);

const HL7_VS = 'http://hl7.org/fhir/ValueSet/';
const PONT_VS = 'https://fhir.pont.wales/ValueSet/';

interface Case {
  readonly name: string;
  readonly mutate: (r: Json) => void;
  readonly expression: string;
  readonly code: OperationOutcomeIssue['code'];
  readonly message?: string;
}

const format = (issues: OperationOutcomeIssue[]) => issues.map((i) => `${i.severity} ${i.code} ${i.diagnostics}`).join('\n');

/** Asserts the issue is reported, with this code and location, and the message names the rule. */
function expectIssue(resource: Json, c: Case): void {
  const issues = validator.validate(resource);
  const match = issues.find((i) => i.severity === 'error' && i.expression?.[0] === c.expression && i.code === c.code && (!c.message || i.diagnostics?.includes(c.message)));
  expect(match, `expected ${c.code} at ${c.expression}${c.message ? ` mentioning "${c.message}"` : ''}; got:\n${format(issues)}`).toBeDefined();
  expect(match!.diagnostics!.startsWith(`${c.expression}: `)).toBe(true);
}

const mutated = (base: Json, mutate: (r: Json) => void): Json => {
  const r = structuredClone(base);
  mutate(r);
  return r;
};
const exts = (r: Json) => r.extension as Json[];
const extAt = (r: Json, id: string) => exts(r).findIndex((e) => e.url === `${SD}${id}`);
const setExt = (r: Json, id: string, value: Json) => {
  exts(r)[extAt(r, id)] = { url: `${SD}${id}`, ...value };
};
const dropExt = (r: Json, id: string) => {
  r.extension = exts(r).filter((e) => e.url !== `${SD}${id}`);
};
/** One part (sub-extension) of the sample's capacity decision. */
const capacityDecisionPart = (r: Json, url: string) => (exts(r).find((e) => e.url === `${SD}capacity-decision`)!.extension as Json[]).find((e) => e.url === url)!;

/** Failing cases per profile, applied to the rich sample. */
const cases: Record<string, Case[]> = {
  'pont-patient': [
    {
      name: 'NHS number without a value',
      mutate: (r) => void (r.identifier = [{ system: 'https://fhir.nhs.uk/Id/nhs-number' }]),
      expression: 'Patient.identifier[0].value',
      code: 'required',
    },
    {
      name: 'two NHS numbers',
      mutate: (r) => (r.identifier as Json[]).push({ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765870' }),
      expression: 'Patient.identifier',
      code: 'structure',
      message: 'slice nhsNumber has too many values',
    },
    { name: 'core binding', mutate: (r) => void (r.gender = 'bogus'), expression: 'Patient.gender', code: 'code-invalid', message: `${HL7_VS}administrative-gender` },
    {
      name: 'extension value type',
      mutate: (r) => setExt(r, 'welsh-language-preference', { valueString: 'yes' }),
      expression: 'Patient.extension[1].value',
      code: 'structure',
      message: 'type string is not allowed here; expected boolean',
    },
    {
      name: 'pont binding in a complex extension',
      mutate: (r) => setExt(r, 'communication-need', { extension: [{ url: 'kind', valueCode: 'bogus' }] }),
      expression: 'Patient.extension[3].extension[0].value',
      code: 'code-invalid',
      message: `${PONT_VS}pont-communication-need`,
    },
    {
      name: 'required sub-extension missing',
      mutate: (r) => setExt(r, 'communication-need', { extension: [{ url: 'detail', valueString: 'Large print' }] }),
      expression: 'Patient.extension[3].extension',
      code: 'required',
      message: 'slice kind',
    },
    {
      name: 'Coding pattern',
      mutate: (r) => setExt(r, 'local-authority-of-residence', { valueCoding: { system: 'urn:other', code: 'W06000015' } }),
      expression: 'Patient.extension[0].value',
      code: 'value',
      message: 'pattern',
    },
    {
      name: 'extension outside its context',
      mutate: (r) => exts(r).push({ url: `${SD}ctp-plan-version`, valueInteger: 1 }),
      expression: 'Patient.extension[6]',
      code: 'extension',
      message: 'ctp-plan-version is not allowed on Patient',
    },
  ],
  'pont-organization': [
    {
      name: 'pont binding',
      mutate: (r) => void (r.type = [{ coding: [{ system: `${CS}pont-organisation-kind`, code: 'castle' }] }]),
      expression: 'Organization.type[0]',
      code: 'code-invalid',
      message: `${PONT_VS}pont-organisation-kind`,
    },
  ],
  'pont-practitioner': [
    {
      name: 'nested extension value type',
      mutate: (r) => void ((r.identifier as Json[])[0]!.extension = [{ url: `${SD}register-part`, valueInteger: 1 }]),
      expression: 'Practitioner.identifier[0].extension[0].value',
      code: 'structure',
      message: 'expected string',
    },
    {
      name: 'core binding in a data type',
      mutate: (r) => void ((r.telecom as Json[])[0]!.system = 'pigeon'),
      expression: 'Practitioner.telecom[0].system',
      code: 'code-invalid',
      message: `${HL7_VS}contact-point-system`,
    },
  ],
  'pont-practitioner-role': [
    {
      name: 'missing care coordinator code',
      mutate: (r) => void (r.code = [{ coding: [{ system: `${CS}pont-coordinator-profession`, code: 'dietitian' }] }]),
      expression: 'PractitionerRole.code',
      code: 'required',
      message: 'slice careCoordinator',
    },
    {
      name: 'pont binding on a slice',
      mutate: (r) => void ((r.code as Json[])[1] = { coding: [{ system: `${CS}pont-coordinator-profession`, code: 'wizard' }] }),
      expression: 'PractitionerRole.code[1]',
      code: 'code-invalid',
      message: `${PONT_VS}pont-coordinator-profession`,
    },
    { name: 'missing practitioner', mutate: (r) => delete r.practitioner, expression: 'PractitionerRole.practitioner', code: 'required' },
  ],
  'pont-related-person': [
    {
      name: 'pont binding on a slice',
      mutate: (r) => void ((r.relationship as Json[])[0] = { coding: [{ system: `${CS}pont-related-person-role`, code: 'butler' }] }),
      expression: 'RelatedPerson.relationship[0]',
      code: 'code-invalid',
      message: `${PONT_VS}pont-related-person-role`,
    },
    {
      name: 'extension-only value without a data-absent-reason',
      mutate: (r) => setExt(r, 'wishes-to-receive-copies', { _valueBoolean: { extension: [{ url: 'http://example.org/x', valueString: 'q' }] } }),
      expression: 'RelatedPerson.extension[0].value',
      code: 'required',
      message: 'data-absent-reason',
    },
    {
      name: 'extension value type',
      mutate: (r) => setExt(r, 'copies-declined-on', { valueString: 'March' }),
      expression: 'RelatedPerson.extension[1].value',
      code: 'structure',
      message: 'expected date',
    },
  ],
  'pont-episode-of-care': [
    { name: 'core binding', mutate: (r) => void (r.status = 'paused'), expression: 'EpisodeOfCare.status', code: 'code-invalid', message: `${HL7_VS}episode-of-care-status` },
    {
      name: 'pont binding in a complex extension',
      mutate: (r) => void ((exts(r)[2]!.extension as Json[])[1] = { url: 'kind', valueCode: 'half' }),
      expression: 'EpisodeOfCare.extension[2].extension[1].value',
      code: 'code-invalid',
      message: `${PONT_VS}pont-discharge-kind`,
    },
  ],
  'pont-care-team': [
    { name: 'participant without a role', mutate: (r) => delete (r.participant as Json[])[0]!.role, expression: 'CareTeam.participant[0].role', code: 'required' },
    {
      name: 'pont binding',
      mutate: (r) => void ((r.participant as Json[])[0]!.role = [{ coding: [{ system: `${CS}pont-care-team-role`, code: 'chef' }] }]),
      expression: 'CareTeam.participant[0].role[0]',
      code: 'code-invalid',
      message: `${PONT_VS}pont-care-team-role`,
    },
    { name: 'core binding', mutate: (r) => void (r.status = 'bogus'), expression: 'CareTeam.status', code: 'code-invalid', message: `${HL7_VS}care-team-status` },
    { name: 'missing subject', mutate: (r) => delete r.subject, expression: 'CareTeam.subject', code: 'required' },
    {
      name: 'extension value type on a backbone element',
      mutate: (r) => void ((r.participant as Json[])[0]!.extension = [{ url: `${SD}wishes-to-receive-copies`, valueCode: 'yes' }]),
      expression: 'CareTeam.participant[0].extension[0].value',
      code: 'structure',
      message: 'expected boolean',
    },
  ],
  'pont-condition': [
    { name: 'missing code', mutate: (r) => delete r.code, expression: 'Condition.code', code: 'required' },
    {
      name: 'core binding on a CodeableConcept',
      mutate: (r) => void (r.clinicalStatus = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'bogus' }] }),
      expression: 'Condition.clinicalStatus',
      code: 'code-invalid',
      message: `${HL7_VS}condition-clinical`,
    },
  ],
  'pont-goal': [
    {
      name: 'pont binding',
      mutate: (r) => void ((r.category as Json[])[0] = { coding: [{ system: `${CS}pont-area-of-life`, code: 'astrology' }] }),
      expression: 'Goal.category[0]',
      code: 'code-invalid',
      message: `${PONT_VS}pont-area-of-life`,
    },
    { name: 'core binding', mutate: (r) => void (r.lifecycleStatus = 'bogus'), expression: 'Goal.lifecycleStatus', code: 'code-invalid', message: `${HL7_VS}goal-status` },
    {
      name: 'extension value type on a data type',
      mutate: (r) => void ((r.category as Json[])[0]!.extension = [{ url: `${SD}area-explanation`, valueInteger: 3 }]),
      expression: 'Goal.category[0].extension[0].value',
      code: 'structure',
      message: 'expected string',
    },
    {
      name: 'extension outside its context',
      mutate: (r) => exts(r).push({ url: `${SD}milestone-achieved`, valueDate: '2025-01-01' }),
      expression: 'Goal.extension[1]',
      code: 'extension',
      message: 'milestone-achieved is not allowed on Goal',
    },
  ],
  'pont-care-plan': [
    {
      name: 'core binding medplum does not check',
      mutate: (r) => void (r.status = 'bogus'),
      expression: 'CarePlan.status',
      code: 'code-invalid',
      message: `CarePlan.status: code is not in the required value set ${HL7_VS}request-status`,
    },
    { name: 'wrong fixed value', mutate: (r) => void (r.intent = 'order'), expression: 'CarePlan.intent', code: 'value', message: 'fixed value "plan"' },
    {
      name: 'missing required extension',
      mutate: (r) => dropExt(r, 'ctp-plan-version'),
      expression: 'CarePlan.extension',
      code: 'required',
      message: `${SD}ctp-plan-version (slice planVersion) is missing`,
    },
    {
      name: 'pont binding',
      mutate: (r) => setExt(r, 'ctp-change-type', { valueCode: 'rewrite' }),
      expression: 'CarePlan.extension[1].value',
      code: 'code-invalid',
      message: `${PONT_VS}pont-ctp-change-type`,
    },
    {
      name: 'extension value type',
      mutate: (r) => setExt(r, 'ctp-plan-version', { valueString: '2' }),
      expression: 'CarePlan.extension[0].value',
      code: 'structure',
      message: 'type string is not allowed here; expected integer',
    },
    {
      name: 'data-absent-reason where the README does not allow it',
      mutate: (r) => setExt(r, 'ctp-plan-version', { _valueInteger: { extension: [{ url: DAR, valueCode: 'unknown' }] } }),
      expression: 'CarePlan.extension[0].value',
      code: 'required',
      message: 'must have a value',
    },
    {
      name: 'missing plan id',
      mutate: (r) => void (r.identifier = [{ system: 'https://fhir.pont.wales/Id/local/wpas', value: 'x' }]),
      expression: 'CarePlan.identifier',
      code: 'required',
      message: 'slice planId',
    },
    { name: 'plan id without a value', mutate: (r) => delete (r.identifier as Json[])[0]!.value, expression: 'CarePlan.identifier[0].value', code: 'required' },
    {
      // A plan outside the Measure has no CTP category (ctp slice 0..1), but a plan has one at most.
      name: 'CTP category given twice',
      mutate: (r) => void (r.category = [(r.category as Json[])[0]!, (r.category as Json[])[0]!]),
      expression: 'CarePlan.category',
      code: 'structure',
      message: 'slice ctp',
    },
    {
      name: 'unknown sub-extension of a complex extension',
      mutate: (r) => (exts(r)[8]!.extension as Json[]).push({ url: 'prayer', valueString: 'x' }),
      expression: 'CarePlan.extension[8].extension[3]',
      code: 'structure',
      message: 'slicing is closed',
    },
    {
      name: 'value in a complex extension',
      mutate: (r) => void (exts(r)[10]!.valueString = 'agreed'),
      expression: 'CarePlan.extension[10].value',
      code: 'structure',
      message: 'too many values',
    },
    {
      name: 'deep sub-extension value type',
      mutate: (r) => void (((exts(r)[8]!.extension as Json[])[1]!.extension as Json[])[0] = { url: 'service', valueBoolean: true }),
      expression: 'CarePlan.extension[8].extension[1].extension[0].value',
      code: 'structure',
      message: 'expected string',
    },
    {
      name: 'three signatures',
      mutate: (r) =>
        exts(r).push({
          url: `${SD}ctp-signature`,
          extension: [
            { url: 'role', valueCode: 'patient' },
            { url: 'date', valueDate: '2025-02-12' },
          ],
        }),
      expression: 'CarePlan.extension',
      code: 'structure',
      message: 'slice signature) has too many values: 3',
    },
    {
      name: 'core binding in a backbone element',
      mutate: (r) => void (((r.activity as Json[])[0]!.detail as Json).status = 'bogus'),
      expression: 'CarePlan.activity[0].detail.status',
      code: 'code-invalid',
      message: `${HL7_VS}care-plan-activity-status`,
    },
  ],
  'pont-communication': [
    { name: 'missing category', mutate: (r) => delete r.category, expression: 'Communication.category', code: 'required' },
    {
      name: 'pont binding',
      mutate: (r) => void (r.category = [{ coding: [{ system: `${CS}pont-communication-category`, code: 'postcard' }] }]),
      expression: 'Communication.category[0]',
      code: 'code-invalid',
      message: `${PONT_VS}pont-communication-category`,
    },
    {
      name: 'pont binding on medium',
      mutate: (r) => void (r.medium = [{ coding: [{ system: `${CS}pont-delivery-method`, code: 'owl' }] }]),
      expression: 'Communication.medium[0]',
      code: 'code-invalid',
      message: `${PONT_VS}pont-delivery-method`,
    },
    { name: 'core binding', mutate: (r) => void (r.status = 'bogus'), expression: 'Communication.status', code: 'code-invalid', message: `${HL7_VS}event-status` },
    {
      name: 'pont binding in an extension',
      mutate: (r) => setExt(r, 'copy-status', { valueCode: 'lost' }),
      expression: 'Communication.extension[0].value',
      code: 'code-invalid',
      message: `${PONT_VS}pont-copy-status`,
    },
  ],
  'pont-encounter': [
    {
      name: 'pont binding',
      mutate: (r) => void (r.type = [{ coding: [{ system: `${CS}pont-encounter-kind`, code: 'party' }] }]),
      expression: 'Encounter.type[0]',
      code: 'code-invalid',
      message: `${PONT_VS}pont-encounter-kind`,
    },
    { name: 'core binding', mutate: (r) => void (r.status = 'bogus'), expression: 'Encounter.status', code: 'code-invalid', message: `${HL7_VS}encounter-status` },
    {
      name: 'pont binding in an extension',
      mutate: (r) => setExt(r, 'contact-mode', { valueCode: 'telepathy' }),
      expression: 'Encounter.extension[1].value',
      code: 'code-invalid',
      message: `${PONT_VS}pont-contact-mode`,
    },
  ],
  'pont-task': [
    { name: 'missing code', mutate: (r) => delete r.code, expression: 'Task.code', code: 'required' },
    {
      name: 'pont binding',
      mutate: (r) => void (r.code = { coding: [{ system: `${CS}pont-task-code`, code: 'audit' }] }),
      expression: 'Task.code',
      code: 'code-invalid',
      message: `${PONT_VS}pont-task-code`,
    },
    { name: 'core binding', mutate: (r) => void (r.status = 'bogus'), expression: 'Task.status', code: 'code-invalid', message: `${HL7_VS}task-status` },
    {
      name: 'extension value type',
      mutate: (r) => setExt(r, 'review-decided-on', { valueDateTime: '2025-03-10T10:00:00Z' }),
      expression: 'Task.extension[1].value',
      code: 'structure',
      message: 'type dateTime is not allowed here; expected date',
    },
  ],
  'pont-service-request': [
    { name: 'missing Part 3 status', mutate: (r) => dropExt(r, 'part3-status'), expression: 'ServiceRequest.extension', code: 'required', message: `${SD}part3-status` },
    {
      name: 'pont binding',
      mutate: (r) => setExt(r, 'part3-status', { valueCode: 'lost' }),
      expression: 'ServiceRequest.extension[0].value',
      code: 'code-invalid',
      message: `${PONT_VS}pont-part3-status`,
    },
    { name: 'core binding', mutate: (r) => void (r.intent = 'wish'), expression: 'ServiceRequest.intent', code: 'code-invalid', message: `${HL7_VS}request-intent` },
    {
      name: 'required sub-extension missing',
      mutate: (r) => void (exts(r)[1]!.extension = [{ url: 'reason', valueString: 'x' }]),
      expression: 'ServiceRequest.extension[1].extension',
      code: 'required',
      message: 'slice decision',
    },
  ],
  'pont-provenance': [
    {
      name: 'no source system agent',
      mutate: (r) => void (r.agent = [{ who: { reference: 'Practitioner/prac-1' } }]),
      expression: 'Provenance.agent',
      code: 'required',
      message: 'slice sourceSystem',
    },
    {
      name: 'wrong fixed value in a slice',
      mutate: (r) => void ((r.entity as Json[])[0]!.role = 'derivation'),
      expression: 'Provenance.entity[0].role',
      code: 'value',
      message: 'fixed value "source"',
    },
    {
      name: 'source record id without a value',
      mutate: (r) => delete (((r.entity as Json[])[0]!.what as Json).identifier as Json).value,
      expression: 'Provenance.entity[0].what.identifier.value',
      code: 'required',
    },
  ],
  'pont-clinical-impression': [
    { name: 'no kind of assessment', mutate: (r) => delete r.code, expression: 'ClinicalImpression.code', code: 'required' },
    {
      name: 'an unknown kind of assessment',
      mutate: (r) => void (r.code = { coding: [{ system: `${CS}pont-assessment-kind`, code: 'informal' }] }),
      expression: 'ClinicalImpression.code',
      code: 'code-invalid',
    },
    { name: 'no date', mutate: (r) => delete r.date, expression: 'ClinicalImpression.date', code: 'required' },
    {
      name: 'a capacity decision of an unknown kind',
      mutate: (r) => void ((r.extension as Json[]).find((e) => e.url === `${SD}capacity-decision`)!.extension = [{ url: 'kind', valueCode: 'holiday' }]),
      expression: 'ClinicalImpression.extension[5].extension[0].value',
      code: 'code-invalid',
    },
    {
      name: 'a capacity decision placing the person in accommodation of an unknown kind',
      mutate: (r) => void (capacityDecisionPart(r, 'accommodationKind').valueCode = 'tent'),
      expression: 'ClinicalImpression.extension[5].extension[7].value',
      code: 'code-invalid',
    },
    {
      name: 'a capacity decision expecting a stay of fewer than no days',
      mutate: (r) => void (capacityDecisionPart(r, 'expectedStayDays').valueUnsignedInt = -1),
      expression: 'ClinicalImpression.extension[5].extension[8].value',
      code: 'value',
    },
    {
      name: 'a capacity decision revising a stay to fewer than no days',
      mutate: (r) => void (capacityDecisionPart(r, 'revisedStayDays').valueUnsignedInt = -1),
      expression: 'ClinicalImpression.extension[5].extension[9].value',
      code: 'value',
    },
    {
      name: 'a capacity decision saying whether the place is that of a Deprivation of Liberty Safeguards authorisation other than as a boolean',
      mutate: (r) => {
        const part = capacityDecisionPart(r, 'dolsAuthorisedPlace');
        delete part.valueBoolean;
        part.valueString = 'yes';
      },
      expression: 'ClinicalImpression.extension[5].extension[11].value',
      code: 'structure',
      message: 'type string is not allowed here; expected boolean',
    },
    {
      name: 'a capacity decision without its kind',
      mutate: (r) => void ((r.extension as Json[]).find((e) => e.url === `${SD}capacity-decision`)!.extension = [{ url: 'lacksCapacity', valueBoolean: true }]),
      expression: 'ClinicalImpression.extension[5].extension',
      code: 'required',
    },
  ],
  'pont-detected-issue': [
    { name: 'no reasons', mutate: (r) => delete r.detail, expression: 'DetectedIssue.detail', code: 'required' },
    { name: 'no rule', mutate: (r) => delete r.code, expression: 'DetectedIssue.code', code: 'required' },
    {
      name: 'two mitigations',
      mutate: (r) => void (r.mitigation = [...(r.mitigation as Json[]), ...(r.mitigation as Json[])]),
      expression: 'DetectedIssue.mitigation',
      code: 'structure',
    },
  ],
  'pont-risk-assessment': [
    { name: 'no subject', mutate: (r) => delete r.subject, expression: 'RiskAssessment.subject', code: 'required' },
    {
      name: 'a reason from no pont code system',
      mutate: (r) => void (r.reasonCode = [{ coding: [{ system: 'https://fhir.pont.wales/CodeSystem/pont-risk-review-reason', code: 'whim' }] }]),
      expression: 'RiskAssessment.reasonCode[0].coding[0].code',
      code: 'code-invalid',
    },
  ],
  'pont-letter': [
    { name: 'no date sent', mutate: (r) => delete r.sent, expression: 'Communication.sent', code: 'required' },
    {
      name: 'a kind pont does not define',
      mutate: (r) => void (r.category = [{ coding: [{ system: 'https://fhir.pont.wales/CodeSystem/pont-letter-kind', code: 'postcard' }] }]),
      expression: 'Communication.category[0].coding[0].code',
      code: 'code-invalid',
    },
  ],
  'pont-other-plan': [
    { name: 'no kind', mutate: (r) => delete r.category, expression: 'CarePlan.category', code: 'required' },
    {
      name: 'a kind pont does not define',
      mutate: (r) => void (r.category = [{ coding: [{ system: 'https://fhir.pont.wales/CodeSystem/pont-plan-kind', code: 'wish-list' }] }]),
      expression: 'CarePlan.category[0].coding[0].code',
      code: 'code-invalid',
    },
    {
      name: 'given to someone on no date',
      mutate: (r) => void (r.extension = [{ url: 'https://fhir.pont.wales/StructureDefinition/plan-given-to', extension: [{ url: 'role', valueCode: 'gp' }] }]),
      expression: 'CarePlan.extension[0].extension',
      code: 'required',
    },
  ],
  'pont-adverse-event': [
    { name: 'no event', mutate: (r) => delete r.event, expression: 'AdverseEvent.event', code: 'required' },
    { name: 'no subject', mutate: (r) => delete r.subject, expression: 'AdverseEvent.subject', code: 'required' },
  ],
  'pont-medication-statement': [
    { name: 'no medicine', mutate: (r) => delete r.medicationCodeableConcept, expression: 'MedicationStatement.medication', code: 'required' },
    { name: 'no subject', mutate: (r) => delete r.subject, expression: 'MedicationStatement.subject', code: 'required' },
    {
      name: 'a kind of medicine pont does not define',
      mutate: (r) => void (r.extension = [{ url: `${SD}medication-class`, valueCode: 'tonic' }]),
      expression: 'MedicationStatement.extension[0].value',
      code: 'code-invalid',
    },
    {
      name: 'a review without its date',
      mutate: (r) => void (r.extension = [{ url: `${SD}medication-review`, extension: [{ url: 'nextReviewOn', valueDate: '2026-01-01' }] }]),
      expression: 'MedicationStatement.extension[0].extension',
      code: 'required',
      message: 'slice on is missing',
    },
  ],
  'pont-physical-health-check': [
    { name: 'no subject', mutate: (r) => delete r.subject, expression: 'Observation.subject', code: 'required' },
    { name: 'no date', mutate: (r) => delete r.effectiveDateTime, expression: 'Observation.effective', code: 'required' },
    {
      name: 'a value beside a refusal',
      mutate: (r) => void (r.dataAbsentReason = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'asked-declined' }] }),
      expression: 'Observation',
      code: 'invariant',
      message: 'obs-6',
    },
  ],
  'pont-outcome-measure': [
    { name: 'no date', mutate: (r) => delete r.effectiveDateTime, expression: 'Observation.effective', code: 'required' },
    { name: 'a component without a code', mutate: (r) => void (r.component = [{ valueInteger: 3 }]), expression: 'Observation.component[0].code', code: 'required' },
  ],
  'pont-referral': [
    { name: 'no date it was made', mutate: (r) => delete r.authoredOn, expression: 'ServiceRequest.authoredOn', code: 'required' },
    {
      name: 'a code pont does not define',
      mutate: (r) => void (r.code = { coding: [{ system: 'https://fhir.pont.wales/CodeSystem/pont-task-code', code: 'nonsense' }] }),
      expression: 'ServiceRequest.code.coding[0].code',
      code: 'code-invalid',
    },
  ],
  'pont-waiting-list': [
    { name: 'no list', mutate: (r) => delete r.category, expression: 'ServiceRequest.category', code: 'required' },
    {
      name: 'a list pont does not define',
      mutate: (r) => void (r.category = [{ coding: [{ system: 'https://fhir.pont.wales/CodeSystem/pont-waiting-list-kind', code: 'nonsense' }] }]),
      expression: 'ServiceRequest.category[0].coding[0].code',
      code: 'code-invalid',
    },
    { name: 'no place', mutate: (r) => dropExt(r, 'waiting-list-place'), expression: 'ServiceRequest.extension', code: 'required', message: `${SD}waiting-list-place` },
    {
      name: 'a place with no date added',
      mutate: (r) => void (exts(r)[0]!.extension = [{ url: 'team', valueString: 'x' }]),
      expression: 'ServiceRequest.extension[0].extension',
      code: 'required',
      message: 'slice addedOn',
    },
    {
      name: 'a RAG rating pont does not define',
      mutate: (r) =>
        void (exts(r)[1]!.extension = [
          { url: 'rating', valueCode: 'purple' },
          { url: 'on', valueDate: '2025-03-28' },
        ]),
      expression: 'ServiceRequest.extension[1].extension[0].value',
      code: 'code-invalid',
      message: `${PONT_VS}pont-rag-rating`,
    },
  ],
  'pont-flag': [
    { name: 'no code', mutate: (r) => delete r.code, expression: 'Flag.code', code: 'required' },
    {
      name: 'an alert kind pont does not define',
      mutate: (r) => void (r.code = { coding: [{ system: 'https://fhir.pont.wales/CodeSystem/pont-flag-kind', code: 'nonsense' }] }),
      expression: 'Flag.code.coding[0].code',
      code: 'code-invalid',
    },
  ],
  'pont-consent': [
    { name: 'no date of the decision', mutate: (r) => delete r.dateTime, expression: 'Consent.dateTime', code: 'required' },
    { name: 'no provision', mutate: (r) => delete r.provision, expression: 'Consent.provision', code: 'required' },
    {
      name: 'a scope other than privacy',
      mutate: (r) => void (r.scope = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'treatment' }] }),
      expression: 'Consent.scope',
      code: 'value',
    },
    {
      name: 'a recipient named by another identifier system',
      mutate: (r) => void ((((r.provision as Json).actor as Json[])[0]!.reference as Json).identifier = { system: 'https://example.org/org', value: 'W97001' }),
      expression: 'Consent.provision.actor[0].reference.identifier.system',
      code: 'value',
    },
    {
      name: 'an unknown recipient kind',
      mutate: (r) => void (((r.provision as Json).actor as Json[])[0]!.extension = [{ url: `${SD}sharing-recipient-kind`, valueCode: 'pharmacy' }]),
      expression: 'Consent.provision.actor[0].extension[0].value',
      code: 'code-invalid',
    },
  ],
  'pont-carer-consent': [
    { name: 'no date of the decision', mutate: (r) => delete r.dateTime, expression: 'Consent.dateTime', code: 'required' },
    {
      name: 'two related people',
      mutate: (r) => void ((r.provision as Json).actor = [...((r.provision as Json).actor as Json[]), ...((r.provision as Json).actor as Json[])]),
      expression: 'Consent.provision.actor',
      code: 'structure',
    },
    {
      name: 'a scope other than privacy',
      mutate: (r) => void (r.scope = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'treatment' }] }),
      expression: 'Consent.scope',
      code: 'value',
    },
  ],
  'pont-treatment-consent': [
    {
      name: 'no answer',
      mutate: (r) => void (r.extension = (r.extension as Json[]).filter((e) => e.url !== `${SD}consent-to-care-decision`)),
      expression: 'Consent.extension',
      code: 'required',
    },
    {
      name: 'an unknown answer',
      mutate: (r) => void (r.extension = [{ url: `${SD}consent-to-care-decision`, valueCode: 'maybe' }, ...(r.extension as Json[]).slice(1)]),
      expression: 'Consent.extension[0].value',
      code: 'code-invalid',
    },
    {
      name: 'a scope other than treatment',
      mutate: (r) => void (r.scope = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] }),
      expression: 'Consent.scope',
      code: 'value',
    },
  ],
};

describe('createValidator', () => {
  it('compiles every pont profile', () => {
    expect(profileIds).toHaveLength(30);
    expect([...validator.profiles].sort()).toEqual(profileIds.map((id) => `${SD}${id}`).sort());
    for (const id of profileIds) expect(cases[id]?.length, `failing cases for ${id}`).toBeGreaterThan(0);
  });

  describe.each(profileIds)('%s', (id) => {
    const type = registry.profiles.find((p) => p.id === id)!.type;
    const sd = registry.structureDefinitions.get(`${SD}${id}`)!;

    it('accepts the minimal and the rich sample with no issues', () => {
      expect(format(validator.validate(minimal[id]!))).toBe('');
      expect(format(validator.validate(rich[id]!))).toBe('');
    });

    it("agrees with medplum's validateResource(r, { profile }) on the samples", () => {
      for (const sample of [minimal[id]!, rich[id]!]) {
        let issues: OperationOutcomeIssue[];
        try {
          issues = validateResource(asResource(sample), { profile: sd });
        } catch (e) {
          issues = e instanceof OperationOutcomeError ? (e.outcome.issue ?? []) : [{ severity: 'fatal', code: 'exception', diagnostics: String(e) }];
        }
        expect(issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
      }
    });

    it.each((cases[id] ?? []).map((c) => [c.name, c] as const))('reports %s', (_name, c) => {
      expectIssue(mutated(rich[id]!, c.mutate), c);
    });

    const generic: Case[] = [
      { name: 'a bad id', mutate: (r) => void (r.id = 'no_underscores'), expression: `${type}.id`, code: 'value', message: '[A-Za-z0-9\\-\\.]{1,64}' },
      { name: 'an id too long', mutate: (r) => void (r.id = 'x'.repeat(65)), expression: `${type}.id`, code: 'value' },
      {
        name: 'meta.profile naming another profile',
        mutate: (r) => void (r.meta = { profile: ['http://example.org/StructureDefinition/other'] }),
        expression: `${type}.meta.profile[0]`,
        code: 'value',
        message: 'is not a pont profile',
      },
      {
        name: 'meta.profile for another type',
        mutate: (r) => void (r.meta = { profile: [`${SD}${id === 'pont-task' ? 'pont-goal' : 'pont-task'}`] }),
        expression: `${type}.meta.profile[0]`,
        code: 'value',
        message: 'is for',
      },
      { name: 'no meta.profile', mutate: (r) => delete r.meta, expression: `${type}.meta.profile`, code: 'required' },
      { name: 'an empty string', mutate: (r) => void (r.language = '  '), expression: `${type}.language`, code: 'value', message: 'string is empty' },
      {
        name: 'an empty array',
        mutate: (r) => void (r.meta = { ...(r.meta as Json), tag: [] }),
        expression: `${type}.meta.tag`,
        code: 'structure',
        message: 'array is empty',
      },
      { name: 'an empty object', mutate: (r) => void (r.text = {}), expression: `${type}.text`, code: 'structure', message: 'object is empty' },
      {
        name: 'an unknown extension URL under the pont base',
        mutate: (r) => void (r.extension = [...((r.extension as Json[] | undefined) ?? []), { url: `${SD}no-such-extension`, valueString: 'x' }]),
        expression: `${type}.extension[${((rich[id]!.extension as Json[] | undefined) ?? []).length}]`,
        code: 'extension',
        message: 'unknown extension',
      },
      {
        name: 'an invalid data-absent-reason code',
        mutate: (r) => void (r._language = { extension: [{ url: DAR, valueCode: 'forgot' }] }),
        expression: `${type}.language.extension[0].value`,
        code: 'code-invalid',
        message: `${HL7_VS}data-absent-reason`,
      },
    ];
    it.each(generic.map((c) => [c.name, c] as const))('reports %s', (_name, c) => {
      expectIssue(mutated(rich[id]!, c.mutate), c);
    });
  });

  it('accepts an inpatient stay (no Encounter.type) and bundle-internal urn:uuid references', () => {
    const stay = mutated(minimal['pont-encounter']!, (x) => {
      delete x.type;
      x.class = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' };
      x.subject = { reference: 'urn:uuid:53fe036c-a35d-56b9-b053-611fdbbd75b5' };
      x.extension = [{ url: `${SD}follow-up-contact`, valueDate: '2025-03-09' }];
    });
    expect(format(validator.validate(stay))).toBe('');
  });

  it('still checks the base rules when the profile is unknown', () => {
    const r = mutated(rich['pont-care-plan']!, (x) => {
      x.meta = { profile: ['http://example.org/x'] };
      x.status = 'bogus';
    });
    const expressions = validator.validate(r).map((i) => i.expression?.[0]);
    expect(expressions).toEqual(expect.arrayContaining(['CarePlan.meta.profile[0]', 'CarePlan.status']));
  });

  it('reports R4 base errors itself, with FHIRPath expressions', () => {
    const r = mutated(minimal['pont-patient']!, (x) => {
      x.birthDate = '2020-02-30';
      x.colour = 'blue';
    });
    const issues = validator.validate(r);
    expect(issues.find((i) => i.expression?.[0] === 'Patient.birthDate')?.diagnostics).toBe('Patient.birthDate: invalid date: no such day in that month');
    // An unknown key is located by its object and position, never named: it may be patient data.
    const keys = Object.keys(r);
    const unknown = issues.find((i) => i.expression?.[0] === 'Patient' && i.diagnostics?.includes('not an element of Patient'));
    expect(unknown?.diagnostics).toBe(
      `Patient: key ${keys.indexOf('colour') + 1} of ${keys.length} is not an element of Patient (the key is not shown: it may hold patient data)`,
    );
    expect(JSON.stringify(issues)).not.toContain('colour');
    const missing = validator.validate(mutated(minimal['pont-care-plan']!, (x) => delete x.status));
    expect(missing.map((i) => i.expression?.[0])).toContain('CarePlan.status');
  });

  it('adds medplum as a second layer with baseValidation: true', () => {
    const layered = createValidator(registry, { baseValidation: true });
    for (const id of profileIds) expect(format(layered.validate(rich[id]!))).toBe('');
    // Where both report the same location, only pont's issue is kept.
    const issues = layered.validate(mutated(minimal['pont-patient']!, (x) => void (x.birthDate = '2020-02-30')));
    expect(issues.map((i) => i.diagnostics)).toEqual(['Patient.birthDate: invalid date: no such day in that month']);
  });

  it('never throws, whatever it is given', () => {
    const junk: unknown[] = [
      null,
      42,
      'CarePlan',
      [],
      {},
      { resourceType: 'NoSuchThing' },
      { resourceType: 'CarePlan', meta: { profile: [7] }, status: 5, extension: 'x', subject: [], category: [null], identifier: [{ system: 3 }] },
      {
        resourceType: 'Patient',
        meta: { profile: [`${SD}pont-patient`] },
        extension: [null, 1, { url: 5 }, { url: `${SD}communication-need`, extension: {} }],
        _birthDate: 'x',
      },
      { resourceType: 'CarePlan', meta: { profile: [`${SD}pont-care-plan`] }, contained: [{ resourceType: 'Patient', id: 'bad id', gender: 'bogus' }] },
    ];
    for (const j of junk) {
      const issues = validator.validate(j);
      expect(Array.isArray(issues)).toBe(true);
      expect(issues.length).toBeGreaterThan(0);
      for (const i of issues) expect(i.expression?.length).toBe(1);
    }
  });

  it('keeps resource values out of its messages', () => {
    const secret = 'Zyxwv';
    const r = mutated(rich['pont-patient']!, (x) => {
      x.id = `${secret}_1`;
      x.gender = secret;
      x.identifier = [
        { system: 'https://fhir.nhs.uk/Id/nhs-number', value: secret },
        { system: 'https://fhir.nhs.uk/Id/nhs-number', value: secret },
      ];
      x.extension = [
        { url: `${SD}welsh-language-preference`, valueString: secret },
        { url: `${SD}${secret}`, valueString: secret },
        {
          url: `${SD}communication-need`,
          extension: [
            { url: 'kind', valueCode: secret },
            { url: secret, valueString: secret },
          ],
        },
      ];
      x.birthDate = secret;
      x.name = [{ family: secret, use: secret }];
      x.managingOrganization = { reference: `Practitioner/${secret}` };
      x.generalPractitioner = [{ reference: `${secret}/1` }];
    });
    const issues = validator.validate(r);
    expect(issues.length).toBeGreaterThan(6);
    expect(issues.map((i) => i.expression?.[0])).toContain('Patient.managingOrganization');
    for (const i of issues) expect(i.diagnostics).not.toContain(secret);
  });
});

describe('validateBundleEntries', () => {
  it('prefixes expressions with Bundle.entry[i].resource', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: rich['pont-care-plan'] },
        { resource: mutated(rich['pont-patient']!, (x) => void (x.gender = 'bogus')) },
        { resource: mutated(rich['pont-care-plan']!, (x) => void (((x.extension as Json[])[8]!.extension as Json[])[0] = { url: 'action', valueInteger: 1 })) },
        { request: { method: 'DELETE', url: 'Patient/x' } },
      ],
    };
    const issues = validateBundleEntries(validator, bundle);
    expect(issues.map((i) => i.expression?.[0])).toEqual([
      'Bundle.entry[1].resource.gender',
      'Bundle.entry[2].resource.extension[8].extension[0].value',
      'Bundle.entry[3].resource',
    ]);
    expect(issues[0]!.diagnostics).toBe(`Bundle.entry[1].resource.gender: code is not in the required value set ${HL7_VS}administrative-gender`);
  });
});
