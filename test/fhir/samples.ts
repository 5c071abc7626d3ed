/**
 * Sample resources conforming to each pont profile: `minimal` carries only what the profile
 * requires, `rich` also exercises every extension of the profile.
 */
import type { Resource } from '@medplum/fhirtypes';

export const SD = 'https://fhir.pont.wales/StructureDefinition/';
export const CS = 'https://fhir.pont.wales/CodeSystem/';
export const DAR = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';

const meta = (profile: string) => ({ profile: [`${SD}${profile}`] });
const cc = (system: string, code: string) => ({ coding: [{ system, code }] });
const ref = (reference: string) => ({ reference });

export type Json = Record<string, unknown>;

/** What every Consent pont writes holds: a patient's consent of a scope, under a policy. */
const consentOf = (profile: string, id: string, scope: string, policy: string): Json => ({
  resourceType: 'Consent',
  id,
  meta: meta(profile),
  status: 'active',
  scope: cc('http://terminology.hl7.org/CodeSystem/consentscope', scope),
  category: [cc('http://loinc.org', '59284-0')],
  patient: ref('Patient/pat-1'),
  policy: [{ uri: policy }],
});

export const minimal: Record<string, Json> = {
  'pont-patient': {
    resourceType: 'Patient',
    id: 'pat-1',
    meta: meta('pont-patient'),
  },
  'pont-organization': {
    resourceType: 'Organization',
    id: 'org-1',
    meta: meta('pont-organization'),
    type: [cc(`${CS}pont-organisation-kind`, 'local-health-board')],
    name: 'Bwrdd Iechyd Prifysgol Bae Abertawe',
  },
  'pont-practitioner': {
    resourceType: 'Practitioner',
    id: 'prac-1',
    meta: meta('pont-practitioner'),
    name: [{ family: 'Evans', given: ['Siân'] }],
  },
  'pont-practitioner-role': {
    resourceType: 'PractitionerRole',
    id: 'role-1',
    meta: meta('pont-practitioner-role'),
    extension: [
      {
        url: `${SD}coordinator-appointment`,
        extension: [
          { url: 'appointingBody', valueReference: ref('Organization/org-1') },
          { url: 'temporary', valueBoolean: false },
        ],
      },
    ],
    period: { start: '2025-01-06' },
    practitioner: ref('Practitioner/prac-1'),
    code: [cc('http://snomed.info/sct', '768820003')],
  },
  'pont-related-person': {
    resourceType: 'RelatedPerson',
    id: 'rp-1',
    meta: meta('pont-related-person'),
    patient: ref('Patient/pat-1'),
    relationship: [cc(`${CS}pont-related-person-role`, 'carer')],
    name: [{ family: 'Jones', given: ['Gareth'] }],
  },
  'pont-episode-of-care': {
    resourceType: 'EpisodeOfCare',
    id: 'ep-1',
    meta: meta('pont-episode-of-care'),
    extension: [{ url: `${SD}responsible-body`, valueReference: ref('Organization/org-1') }],
    status: 'active',
    patient: ref('Patient/pat-1'),
    period: { start: '2024-11-01' },
  },
  'pont-care-team': {
    resourceType: 'CareTeam',
    id: 'ct-1',
    meta: meta('pont-care-team'),
    subject: ref('Patient/pat-1'),
  },
  'pont-condition': {
    resourceType: 'Condition',
    id: 'cond-1',
    meta: meta('pont-condition'),
    code: cc('http://hl7.org/fhir/sid/icd-10', 'F20.0'),
    subject: ref('Patient/pat-1'),
  },
  'pont-goal': {
    resourceType: 'Goal',
    id: 'goal-1',
    meta: meta('pont-goal'),
    lifecycleStatus: 'active',
    description: { text: 'Find stable accommodation' },
    subject: ref('Patient/pat-1'),
  },
  'pont-care-plan': {
    resourceType: 'CarePlan',
    id: 'cp-1',
    meta: meta('pont-care-plan'),
    extension: [
      { url: `${SD}ctp-plan-version`, valueInteger: 1 },
      { url: `${SD}ctp-change-type`, valueCode: 'initial' },
      { url: `${SD}ctp-review-by`, valueDate: '2026-01-31' },
    ],
    identifier: [{ system: 'https://fhir.pont.wales/Id/plan', value: 'plan-1' }],
    status: 'active',
    intent: 'plan',
    category: [
      {
        coding: [
          { system: 'http://snomed.info/sct', code: '718347000' },
          { system: `${CS}pont-ctp`, code: 'ctp' },
        ],
      },
    ],
    subject: ref('Patient/pat-1'),
    created: '2025-02-01',
  },
  'pont-communication': {
    resourceType: 'Communication',
    id: 'comm-1',
    meta: meta('pont-communication'),
    status: 'completed',
    category: [cc(`${CS}pont-communication-category`, 'ctp-copy')],
    subject: ref('Patient/pat-1'),
  },
  'pont-encounter': {
    resourceType: 'Encounter',
    id: 'enc-1',
    meta: meta('pont-encounter'),
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    type: [cc(`${CS}pont-encounter-kind`, 'contact')],
    subject: ref('Patient/pat-1'),
    period: { start: '2025-03-01' },
  },
  'pont-task': {
    resourceType: 'Task',
    id: 'task-1',
    meta: meta('pont-task'),
    status: 'requested',
    intent: 'order',
    code: cc(`${CS}pont-task-code`, 'ctp-review'),
    for: ref('Patient/pat-1'),
  },
  'pont-service-request': {
    resourceType: 'ServiceRequest',
    id: 'sr-1',
    meta: meta('pont-service-request'),
    extension: [{ url: `${SD}part3-status`, valueCode: 'received' }],
    status: 'active',
    intent: 'order',
    subject: ref('Patient/pat-1'),
    authoredOn: '2025-04-01T10:00:00Z',
  },
  'pont-clinical-impression': {
    resourceType: 'ClinicalImpression',
    id: 'ci-1',
    meta: meta('pont-clinical-impression'),
    status: 'completed',
    code: cc(`${CS}pont-assessment-kind`, 'initial'),
    subject: ref('Patient/pat-1'),
    date: '2025-01-15',
  },
  'pont-detected-issue': {
    resourceType: 'DetectedIssue',
    id: 'di-1',
    meta: meta('pont-detected-issue'),
    status: 'final',
    code: cc('https://fhir.pont.wales/CodeSystem/compliance-rule', 'CoP-P2-47/first-plan-within-6-weeks'),
    patient: ref('Patient/pat-1'),
    detail: 'Reasons for the departure',
    mitigation: [{ action: { text: 'Departure from the Code of Practice recorded with reasons' } }],
  },
  'pont-risk-assessment': {
    resourceType: 'RiskAssessment',
    id: 'ra-1',
    meta: meta('pont-risk-assessment'),
    status: 'final',
    subject: ref('Patient/pat-1'),
  },
  'pont-letter': {
    resourceType: 'Communication',
    id: 'letter-1',
    meta: meta('pont-letter'),
    status: 'completed',
    category: [cc('https://fhir.pont.wales/CodeSystem/pont-letter-kind', 'review-outcome')],
    subject: ref('Patient/pat-1'),
    sent: '2025-03-05',
  },
  'pont-other-plan': {
    resourceType: 'CarePlan',
    id: 'op-1',
    meta: meta('pont-other-plan'),
    status: 'unknown',
    intent: 'plan',
    category: [cc('https://fhir.pont.wales/CodeSystem/pont-plan-kind', 'safety-plan')],
    subject: ref('Patient/pat-1'),
  },
  'pont-adverse-event': {
    resourceType: 'AdverseEvent',
    id: 'ae-1',
    meta: meta('pont-adverse-event'),
    actuality: 'actual',
    event: cc('https://fhir.pont.wales/CodeSystem/pont-incident-kind', 'self-harm'),
    subject: ref('Patient/pat-1'),
  },
  'pont-referral': {
    resourceType: 'ServiceRequest',
    id: 'referral-1',
    meta: meta('pont-referral'),
    status: 'unknown',
    intent: 'order',
    code: cc(`${CS}pont-task-code`, 'referral'),
    subject: ref('Patient/pat-1'),
    authoredOn: '2025-04-01',
    requester: ref('Practitioner/prac-1'),
  },
  'pont-waiting-list': {
    resourceType: 'ServiceRequest',
    id: 'waiting-list-1',
    meta: meta('pont-waiting-list'),
    extension: [{ url: `${SD}waiting-list-place`, extension: [{ url: 'addedOn', valueDate: '2025-04-01' }] }],
    status: 'active',
    intent: 'order',
    category: [cc(`${CS}pont-waiting-list-kind`, 'cpn')],
    subject: ref('Patient/pat-1'),
  },
  'pont-flag': {
    resourceType: 'Flag',
    id: 'flag-1',
    meta: meta('pont-flag'),
    status: 'active',
    code: cc('https://fhir.pont.wales/CodeSystem/pont-flag-kind', 'high-risk'),
    subject: ref('Patient/pat-1'),
  },
  'pont-medication-statement': {
    resourceType: 'MedicationStatement',
    id: 'med-1',
    meta: meta('pont-medication-statement'),
    status: 'active',
    medicationCodeableConcept: { text: 'Testapine 10 mg' },
    subject: ref('Patient/pat-1'),
  },
  'pont-physical-health-check': {
    resourceType: 'Observation',
    id: 'obs-1',
    meta: meta('pont-physical-health-check'),
    status: 'final',
    code: cc(`${CS}pont-physical-health-check`, 'blood-pressure'),
    subject: ref('Patient/pat-1'),
    effectiveDateTime: '2025-03-01',
  },
  'pont-outcome-measure': {
    resourceType: 'Observation',
    id: 'obs-2',
    meta: meta('pont-outcome-measure'),
    status: 'final',
    code: cc(`${CS}pont-outcome-measure-tool`, 'honos'),
    subject: ref('Patient/pat-1'),
    effectiveDateTime: '2025-03-01',
  },
  'pont-consent': {
    ...consentOf('pont-consent', 'consent-1', 'patient-privacy', 'https://www.legislation.gov.uk/mwa/2010/7'),
    dateTime: '2025-03-01',
    provision: {
      type: 'deny',
      actor: [
        {
          role: cc('http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'IRCP'),
          reference: { identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'W97001' } },
        },
      ],
    },
  },
  'pont-carer-consent': {
    ...consentOf('pont-carer-consent', 'carer-consent-1', 'patient-privacy', 'https://www.legislation.gov.uk/ukpga/2018/12'),
    dateTime: '2025-03-01',
    provision: { type: 'permit' },
  },
  'pont-treatment-consent': {
    ...consentOf('pont-treatment-consent', 'treatment-consent-1', 'treatment', 'https://www.legislation.gov.uk/ukpga/2005/9'),
    extension: [{ url: `${SD}consent-to-care-decision`, valueCode: 'capacity-in-doubt' }],
  },
  'pont-provenance': {
    resourceType: 'Provenance',
    id: 'prov-1',
    meta: meta('pont-provenance'),
    target: [ref('CarePlan/cp-1')],
    recorded: '2025-04-01T10:00:00Z',
    agent: [{ who: { identifier: { system: 'https://fhir.pont.wales/Id/source-system', value: 'wpas' } } }],
    entity: [{ role: 'source', what: { identifier: { system: 'https://fhir.pont.wales/Id/source-record', value: 'rec-1' } } }],
  },
};

const withExtensions = (resource: Json, extension: Json[], more: Json = {}): Json => ({
  ...resource,
  extension: [...((resource.extension as Json[] | undefined) ?? []), ...extension],
  ...more,
});

const absent = (reason = 'unknown') => ({ extension: [{ url: DAR, valueCode: reason }] });

export const rich: Record<string, Json> = {
  'pont-patient': withExtensions(
    minimal['pont-patient']!,
    [
      { url: `${SD}local-authority-of-residence`, valueCoding: { system: 'https://fhir.pont.wales/Id/ons-area-code', code: 'W06000015' } },
      { url: `${SD}welsh-language-preference`, valueBoolean: true },
      { url: `${SD}interpreter-required`, valueBoolean: false },
      {
        url: `${SD}communication-need`,
        extension: [
          { url: 'kind', valueCode: 'bsl' },
          { url: 'detail', valueString: 'Prefers a BSL interpreter' },
        ],
      },
      { url: `${SD}communication-need`, extension: [{ url: 'kind', valueCode: 'easy-read' }] },
      {
        url: `${SD}information-sharing`,
        extension: [
          { url: 'status', valueCode: 'partly-agreed' },
          { url: 'recordedOn', valueDate: '2025-01-20' },
        ],
      },
    ],
    {
      identifier: [
        { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' },
        { system: 'https://fhir.pont.wales/Id/local/wpas', value: 'P123' },
      ],
      name: [{ family: 'Jones', given: ['Ceri'] }],
      gender: 'female',
      _birthDate: absent('asked-unknown'),
    },
  ),
  'pont-organization': { ...minimal['pont-organization']!, identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: '7A3' }] },
  'pont-practitioner': withExtensions(minimal['pont-practitioner']!, [{ url: `${SD}welsh-speaker`, valueBoolean: true }], {
    identifier: [
      {
        extension: [{ url: `${SD}register-part`, valueString: 'Sub-part 1' }],
        system: 'https://fhir.hl7.org.uk/Id/nmc-number',
        value: '12A3456B',
      },
    ],
    telecom: [{ system: 'phone', value: '01792 000000', use: 'work' }],
  }),
  'pont-practitioner-role': {
    ...minimal['pont-practitioner-role']!,
    extension: [
      {
        url: `${SD}coordinator-appointment`,
        extension: [
          { url: 'appointingBody', valueReference: ref('Organization/org-1') },
          { url: 'temporary', valueBoolean: true },
          { url: 'covers', valueReference: ref('PractitionerRole/role-0') },
          { url: 'delayReason', valueString: 'Coordinator on leave' },
          { url: 'employerConsentOn', valueDate: '2025-01-09' },
          { url: 'patientInformedOn', valueDate: '2025-01-10' },
          { url: 'delegatedBy', valueReference: ref('Organization/org-1') },
          { url: 'changeReason', valueString: 'Previous coordinator retired' },
          { url: 'changeDiscussedOn', valueDate: '2025-01-08' },
          { url: 'endReason', valueCode: 'usual-coordinator-resumed' },
          { url: 'episode', valueReference: ref('EpisodeOfCare/ep-1') },
        ],
      },
    ],
    organization: ref('Organization/org-1'),
    code: [cc('http://snomed.info/sct', '768820003'), cc(`${CS}pont-coordinator-profession`, 'nurse-mental-health')],
    period: { start: '2025-01-06', end: '2025-02-01' },
  },
  'pont-related-person': withExtensions(
    minimal['pont-related-person']!,
    [
      { url: `${SD}wishes-to-receive-copies`, _valueBoolean: absent('not-asked') },
      { url: `${SD}copies-declined-on`, valueDate: '2025-02-03' },
      { url: `${SD}paid-or-volunteer`, valueBoolean: false },
    ],
    {
      relationship: [cc(`${CS}pont-related-person-role`, 'carer'), cc('http://terminology.hl7.org/CodeSystem/v3-RoleCode', 'MTH')],
    },
  ),
  'pont-episode-of-care': withExtensions(minimal['pont-episode-of-care']!, [
    { url: `${SD}responsible-body`, valueReference: ref('Organization/la-1') },
    {
      url: `${SD}discharge`,
      extension: [
        { url: 'date', valueDate: '2025-06-30' },
        { url: 'kind', valueCode: 'full' },
        { url: 'dischargingBody', valueReference: ref('Organization/org-1') },
        { url: 'reason', _valueString: absent() },
        { url: 'furtherSupport', valueString: 'Contact the team duty worker' },
        { url: 'part3Explained', valueBoolean: true },
        { url: 'writtenInformationGivenOn', valueDate: '2025-06-30' },
        { url: 'copiedToGp', valueBoolean: true },
      ],
    },
    {
      url: `${SD}referral`,
      extension: [
        { url: 'receivedOn', valueDate: '2024-12-02' },
        { url: 'priority', valueCode: 'urgent' },
      ],
    },
    {
      url: `${SD}transfer`,
      extension: [
        { url: 'date', valueDate: '2025-04-01' },
        { url: 'from', valueReference: ref('Organization/org-1') },
        { url: 'to', valueReference: ref('Organization/la-1') },
        { url: 'team', valueString: 'West team' },
        { url: 'patientInvolved', valueBoolean: true },
        { url: 'implicationsExplained', valueBoolean: false },
      ],
    },
    {
      url: `${SD}out-of-area-placement`,
      extension: [
        { url: 'homeArea', valueCoding: { system: 'https://fhir.pont.wales/Id/ons-area-code', code: 'W06000015' } },
        { url: 'placementArea', valueCoding: { system: 'https://fhir.pont.wales/Id/ons-area-code', code: 'W06000011' } },
      ],
    },
    {
      url: `${SD}custody`,
      extension: [
        { url: 'releasedOn', valueDate: '2025-05-01' },
        { url: 'notifiedOnReleaseOn', valueDate: '2025-05-01' },
      ],
    },
  ]),
  'pont-care-team': {
    ...minimal['pont-care-team']!,
    participant: [
      {
        extension: [{ url: `${SD}wishes-to-receive-copies`, valueBoolean: true }],
        role: [cc(`${CS}pont-care-team-role`, 'psychiatrist')],
        member: ref('Practitioner/prac-2'),
      },
      {
        role: [{ ...cc(`${CS}pont-care-team-role`, 'other'), text: 'Housing officer' }],
        member: ref('Organization/org-2'),
      },
      {
        role: [cc('http://snomed.info/sct', '768820003')],
        member: ref('urn:uuid:6f1c1d2e-8d8b-5e0f-9a57-0b6a3c1e2f44'),
      },
    ],
  },
  'pont-condition': { ...minimal['pont-condition']!, clinicalStatus: cc('http://terminology.hl7.org/CodeSystem/condition-clinical', 'active') },
  'pont-goal': withExtensions(minimal['pont-goal']!, [{ url: `${SD}goal-patient-words`, valueString: 'Somewhere of my own' }], {
    category: [
      { ...cc(`${CS}pont-area-of-life`, 'accommodation'), extension: [{ url: `${SD}area-explanation`, valueString: 'Housing is the priority' }] },
      { ...cc(`${CS}pont-area-of-life`, 'finance-money'), extension: [{ url: `${SD}area-explanation`, _valueString: absent('not-asked') }] },
    ],
    target: [
      {
        extension: [{ url: `${SD}milestone-achieved`, valueDate: '2025-05-01' }],
        measure: { text: 'Tenancy signed' },
        dueDate: '2025-06-01',
      },
    ],
  }),
  'pont-care-plan': {
    ...minimal['pont-care-plan']!,
    extension: [
      { url: `${SD}ctp-plan-version`, valueInteger: 2 },
      { url: `${SD}ctp-change-type`, valueCode: 'review-revision' },
      { url: `${SD}ctp-review-by`, _valueDate: absent() },
      { url: `${SD}ctp-completed-date`, valueDate: '2025-02-10' },
      { url: `${SD}ctp-plan-language`, valueCode: 'cy+en' },
      { url: `${SD}ctp-language-communication`, valueString: 'Prefers Welsh' },
      { url: `${SD}ctp-relapse-signature`, valueString: 'Poor sleep' },
      { url: `${SD}ctp-relapse-signature`, valueString: 'Withdrawing from friends' },
      {
        url: `${SD}ctp-crisis-plan`,
        extension: [
          { url: 'action', valueString: 'Call the crisis team' },
          {
            url: 'contact',
            extension: [
              { url: 'service', valueString: 'Crisis resolution team' },
              { url: 'telephone', valueString: '01792 111111' },
              { url: 'hours', valueString: '24 hours' },
              { url: 'organization', valueReference: ref('Organization/org-1') },
            ],
          },
          { url: 'contingency', valueString: 'If the coordinator is away, contact the duty worker' },
        ],
      },
      {
        url: `${SD}ctp-patient-views`,
        extension: [
          { url: 'status', valueCode: 'recorded' },
          { url: 'text', valueString: 'Happy with the plan' },
        ],
      },
      { url: `${SD}ctp-agreement`, extension: [{ url: 'statement', valueCode: 'agreed-s18-2' }] },
      { url: `${SD}ctp-responsible-provider`, valueReference: ref('Organization/org-1') },
      {
        url: `${SD}ctp-signature`,
        extension: [
          { url: 'role', valueCode: 'care-coordinator' },
          { url: 'signer', valueReference: ref('Practitioner/prac-1') },
          { url: 'date', valueDate: '2025-02-10' },
        ],
      },
      {
        url: `${SD}ctp-signature`,
        extension: [
          { url: 'role', valueCode: 'patient' },
          { url: 'date', valueDate: '2025-02-11' },
        ],
      },
      { url: `${SD}ctp-review`, valueReference: ref('Task/task-1') },
      {
        url: `${SD}patient-involvement`,
        extension: [
          { url: 'tookPart', valueBoolean: false },
          { url: 'engagementAttempts', valueString: 'Three visits offered' },
        ],
      },
    ],
    identifier: [
      { system: 'https://fhir.pont.wales/Id/plan', value: 'plan-1' },
      { system: 'https://fhir.pont.wales/Id/local/wpas', value: 'cp-local-7' },
    ],
    title: 'Care and Treatment Plan',
    period: { start: '2025-02-01' },
    author: ref('PractitionerRole/role-1'),
    careTeam: [ref('CareTeam/ct-1')],
    addresses: [ref('Condition/cond-1')],
    goal: [ref('Goal/goal-1')],
    activity: [{ detail: { status: 'in-progress', description: 'Weekly contact', scheduledString: 'weekly from March 2025' } }],
  },
  'pont-communication': withExtensions(
    minimal['pont-communication']!,
    [
      { url: `${SD}copy-status`, valueCode: 'partial' },
      { url: `${SD}copy-recipient-role`, valueCode: 'gp' },
      { url: `${SD}copy-sections`, valueString: 'crisis plan' },
      { url: `${SD}copy-sections`, valueString: 'contacts' },
      { url: `${SD}copy-agreed-means`, valueString: 'Secure email' },
      { url: `${SD}patient-view`, valueCode: 'objects' },
      { url: `${SD}due-consideration`, valueString: 'Needed for prescribing' },
      { url: `${SD}explanation-given-on`, valueDate: '2025-02-10' },
      { url: `${SD}consultation-outcome`, valueCode: 'consulted' },
    ],
    { medium: [cc(`${CS}pont-delivery-method`, 'prepaid-post')], sent: '2025-02-12T09:00:00Z', recipient: [ref('Organization/gp-1')], about: [ref('CarePlan/cp-1')] },
  ),
  'pont-encounter': withExtensions(minimal['pont-encounter']!, [
    { url: `${SD}follow-up-contact`, valueDate: '2025-03-02' },
    { url: `${SD}contact-mode`, valueCode: 'telephone' },
    { url: `${SD}attendance`, valueCode: 'did-not-attend' },
    { url: `${SD}encounter-review`, valueReference: ref('Task/task-1') },
  ]),
  'pont-task': withExtensions(
    minimal['pont-task']!,
    [
      { url: `${SD}review-requester-role`, valueCode: 'patient' },
      { url: `${SD}review-decided-on`, valueDate: '2025-03-10' },
      { url: `${SD}part3-partner`, valueReference: ref('Organization/org-1') },
      { url: `${SD}review-patient-informed-on`, valueDate: '2025-03-05' },
      { url: `${SD}review-explanation-sent-on`, valueDate: '2025-03-11' },
      { url: `${SD}review-participant`, valueReference: ref('Patient/pat-1') },
      { url: `${SD}review-participant`, valueReference: ref('RelatedPerson/rp-1') },
      {
        url: `${SD}review-outcome-achievement`,
        extension: [
          { url: 'outcome', valueReference: ref('Goal/goal-1') },
          { url: 'achievement', valueCode: 'improving' },
        ],
      },
      { url: `${SD}review-continued-services`, valueCode: 'continue' },
      { url: `${SD}review-views-sought`, valueCode: 'child' },
    ],
    { reasonCode: cc(`${CS}pont-review-trigger`, 'request'), authoredOn: '2025-03-01', executionPeriod: { end: '2025-03-20' } },
  ),
  'pont-service-request': withExtensions(minimal['pont-service-request']!, [
    {
      url: `${SD}part3-eligibility`,
      extension: [
        { url: 'decision', valueCode: 'eligible' },
        { url: 'decidedOn', valueDate: '2025-04-02' },
        { url: 'qualifyingDischargeOn', valueDate: '2024-12-01' },
      ],
    },
    { url: `${SD}part3-local-authority`, valueReference: ref('Organization/la-1') },
    { url: `${SD}part3-residence`, extension: [{ url: 'status', valueCode: 'uncertain' }] },
    {
      url: `${SD}part3-provision`,
      extension: [
        { url: 'decision', valueCode: 'not-called-for' },
        { url: 'reason', valueString: 'R' },
        { url: 'decidedOn', valueDate: '2025-04-10' },
      ],
    },
    {
      url: `${SD}part3-referral`,
      extension: [
        { url: 'service', valueString: 'Tenancy support' },
        { url: 'kind', valueCode: 'housing' },
        { url: 'referredOn', valueDate: '2025-04-10' },
      ],
    },
  ]),
  'pont-clinical-impression': withExtensions(
    minimal['pont-clinical-impression']!,
    [
      { url: `${SD}assessment-patient-views`, valueString: 'Wants to get back to work' },
      {
        url: `${SD}assessment-carer-view`,
        extension: [
          { url: 'person', valueReference: ref('RelatedPerson/rp-1') },
          { url: 'notSoughtReason', valueString: 'The patient asked us not to' },
        ],
      },
      { url: `${SD}equality-needs-considered`, valueBoolean: true },
      {
        url: `${SD}finance-donee-deputy`,
        extension: [
          { url: 'doneeOrDeputyInPlace', valueBoolean: true },
          { url: 'powersIncludeFinance', valueBoolean: false },
        ],
      },
      {
        url: `${SD}capacity-to-take-part`,
        extension: [
          { url: 'lacksCapacity', valueBoolean: true },
          { url: 'bestInterestsRecordedOn', valueDate: '2025-01-16' },
        ],
      },
      {
        url: `${SD}capacity-decision`,
        extension: [
          { url: 'kind', valueCode: 'accommodation-change' },
          { url: 'decidedOn', valueDate: '2025-02-01' },
          { url: 'lacksCapacity', valueBoolean: true },
          { url: 'someoneToConsult', valueBoolean: false },
          { url: 'imcaInstructedOn', valueDate: '2025-01-20' },
          { url: 'urgent', valueBoolean: false },
          { url: 'underMentalHealthAct', valueBoolean: false },
          { url: 'accommodationKind', valueCode: 'care-home' },
          { url: 'expectedStayDays', valueUnsignedInt: 84 },
          { url: 'revisedStayDays', valueUnsignedInt: 120 },
          { url: 'stayRevisedOn', valueDate: '2025-03-01' },
          { url: 'dolsAuthorisedPlace', valueBoolean: false },
        ],
      },
      { url: `${SD}assessment-episode`, valueReference: ref('EpisodeOfCare/ep-1') },
      { url: `${SD}assessment-review`, valueReference: ref('Task/task-1') },
    ],
    {
      assessor: ref('Practitioner/prac-1'),
      finding: [
        {
          extension: [
            { url: `${SD}area-finding`, valueCode: 'need' },
            { url: `${SD}area-finding`, valueCode: 'strength' },
          ],
          itemCodeableConcept: cc(`${CS}pont-area-of-life`, 'accommodation'),
          basis: 'Rent arrears',
        },
        { extension: [{ url: `${SD}risk-level`, valueCode: 'low' }], itemCodeableConcept: cc(`${CS}pont-risk-category`, 'suicide') },
      ],
    },
  ),
  'pont-detected-issue': {
    ...minimal['pont-detected-issue']!,
    identifiedDateTime: '2025-03-01',
    implicated: [ref('CarePlan/cp-1')],
    mitigation: [{ action: { text: 'Departure from the Code of Practice recorded with reasons' }, date: '2025-03-01', author: ref('Practitioner/prac-1') }],
  },
  'pont-risk-assessment': withExtensions(
    minimal['pont-risk-assessment']!,
    [
      { url: `${SD}episode-link`, valueReference: ref('EpisodeOfCare/ep-1') },
      { url: `${SD}risk-formulation`, valueCode: 'predisposing' },
    ],
    {
      method: { text: 'DMH & LD Risk Assessment Form' },
      occurrenceDateTime: '2025-03-01T10:00:00Z',
      performer: ref('Practitioner/prac-1'),
      reasonCode: [cc('https://fhir.pont.wales/CodeSystem/pont-risk-review-reason', 'incident')],
      basis: [ref('AdverseEvent/ae-1')],
    },
  ),
  'pont-letter': withExtensions(
    minimal['pont-letter']!,
    [
      { url: `${SD}letter-recipient`, valueCode: 'gp' },
      { url: `${SD}letter-recipient`, valueCode: 'patient' },
      { url: `${SD}letter-medication-change`, valueBoolean: true },
    ],
    { encounter: ref('Encounter/enc-1'), about: [ref('Task/task-1')] },
  ),
  'pont-other-plan': withExtensions(
    minimal['pont-other-plan']!,
    [
      { url: `${SD}plan-section`, valueCode: 'rationale' },
      { url: `${SD}plan-section`, valueCode: 'crisis-plan' },
      {
        url: `${SD}plan-given-to`,
        extension: [
          { url: 'role', valueCode: 'patient' },
          { url: 'on', valueDate: '2025-03-02' },
        ],
      },
      { url: `${SD}plan-reviewed-on`, valueDate: '2025-06-01' },
    ],
    { created: '2025-03-01', author: ref('Practitioner/prac-1'), supportingInfo: [ref('EpisodeOfCare/ep-1')] },
  ),
  'pont-adverse-event': withExtensions(
    minimal['pont-adverse-event']!,
    [
      { url: `${SD}episode-link`, valueReference: ref('EpisodeOfCare/ep-1') },
      { url: `${SD}incident-reporting-system`, valueCode: 'datix' },
    ],
    { date: '2025-02-27T22:10:00Z', referenceDocument: [{ identifier: { system: 'https://fhir.pont.wales/Id/incident-report', value: 'DX12345' } }] },
  ),
  'pont-flag': { ...minimal['pont-flag']!, status: 'inactive', period: { start: '2025-01-01', end: '2025-06-01' } },
  'pont-medication-statement': withExtensions(
    minimal['pont-medication-statement']!,
    [
      { url: `${SD}episode-link`, valueReference: ref('EpisodeOfCare/ep-1') },
      { url: `${SD}medication-class`, valueCode: 'antipsychotic' },
      { url: `${SD}medication-high-dose`, valueBoolean: false },
      { url: `${SD}medication-depot`, valueBoolean: true },
      {
        url: `${SD}medication-review`,
        extension: [
          { url: 'on', valueDate: '2025-06-01' },
          { url: 'by', valueReference: ref('Practitioner/prac-1') },
          { url: 'nextReviewOn', valueDate: '2026-06-01' },
        ],
      },
      {
        url: `${SD}depot-administration`,
        extension: [
          { url: 'at', valueDateTime: '2025-06-15T10:00:00+01:00' },
          { url: 'by', valueReference: ref('Practitioner/prac-1') },
        ],
      },
    ],
    {
      status: 'completed',
      medicationCodeableConcept: { coding: [{ system: 'https://dmd.nhs.uk', code: '123456', display: 'Testapine depot' }], text: 'Testapine depot' },
      effectivePeriod: { start: '2025-01-10', end: '2025-09-01' },
      informationSource: ref('Practitioner/prac-1'),
    },
  ),
  'pont-physical-health-check': withExtensions(
    minimal['pont-physical-health-check']!,
    [
      { url: `${SD}episode-link`, valueReference: ref('EpisodeOfCare/ep-1') },
      { url: `${SD}gp-informed-on`, valueDate: '2025-03-05' },
    ],
    {
      performer: [ref('Practitioner/prac-1')],
      valueQuantity: { value: 162, unit: 'mmHg' },
      interpretation: [cc('http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', 'A')],
    },
  ),
  'pont-outcome-measure': withExtensions(minimal['pont-outcome-measure']!, [{ url: `${SD}episode-link`, valueReference: ref('EpisodeOfCare/ep-1') }], {
    category: [cc('http://terminology.hl7.org/CodeSystem/observation-category', 'survey')],
    code: cc(`${CS}pont-outcome-measure-tool`, 'dialog'),
    performer: [ref('Practitioner/prac-1')],
    valueQuantity: { value: 4.5 },
    component: [{ code: cc(`${CS}pont-dialog-domain`, 'physical-health'), valueInteger: 5 }],
  }),
  'pont-waiting-list': {
    ...minimal['pont-waiting-list']!,
    extension: [
      {
        url: `${SD}waiting-list-place`,
        extension: [
          { url: 'addedOn', valueDate: '2025-04-01' },
          { url: 'removedOn', valueDate: '2025-09-01' },
          { url: 'removedBecause', valueCode: 'allocated' },
          { url: 'team', valueString: 'Test Community Mental Health Team' },
          { url: 'internalReferral', valueBoolean: false },
          { url: 'assessedOn', valueDate: '2025-03-28' },
          { url: 'anticipatedWait', valueString: '12 weeks' },
          { url: 'readinessReviewOn', valueDate: '2025-07-01' },
          { url: 'lettersInsteadOfCallsFrom', valueDate: '2025-06-01' },
        ],
      },
      {
        url: `${SD}waiting-list-rating`,
        extension: [
          { url: 'rating', valueCode: 'amber' },
          { url: 'on', valueDate: '2025-03-28' },
        ],
      },
      {
        url: `${SD}waiting-list-letter`,
        extension: [
          { url: 'kind', valueCode: 'placed-on-list' },
          { url: 'sentOn', valueDate: '2025-04-02' },
          { url: 'content', valueCode: 'expected-wait' },
          { url: 'content', valueCode: 'emergency-contacts' },
        ],
      },
      {
        url: `${SD}waiting-list-review`,
        extension: [
          { url: 'at', valueDateTime: '2025-07-01T10:00:00+01:00' },
          { url: 'method', valueCode: 'telephone' },
          { url: 'reached', valueBoolean: true },
        ],
      },
    ],
    status: 'completed',
    priority: 'routine',
    authoredOn: '2025-03-10',
    requester: ref('Practitioner/prac-1'),
    replaces: [ref('ServiceRequest/waiting-list-0')],
    supportingInfo: [ref('EpisodeOfCare/ep-1')],
  },
  'pont-referral': withExtensions(minimal['pont-referral']!, [{ url: `${SD}coordinator-informed-on`, valueDate: '2025-04-03' }], { performer: [ref('Organization/la-1')] }),
  'pont-consent': {
    ...minimal['pont-consent']!,
    provision: {
      type: 'permit',
      actor: [
        {
          extension: [{ url: `${SD}sharing-recipient-kind`, valueCode: 'gp-practice' }],
          role: cc('http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'IRCP'),
          reference: { type: 'Organization', identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'W97001' } },
        },
      ],
    },
  },
  'pont-carer-consent': {
    ...minimal['pont-carer-consent']!,
    provision: {
      type: 'deny',
      actor: [{ role: cc('http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'IRCP'), reference: ref('RelatedPerson/rp-1') }],
    },
  },
  'pont-treatment-consent': {
    ...minimal['pont-treatment-consent']!,
    extension: [
      { url: `${SD}consent-to-care-decision`, valueCode: 'agreed' },
      { url: `${SD}capacity-assessed-on`, valueDate: '2025-02-28' },
      { url: `${SD}episode-link`, valueReference: ref('EpisodeOfCare/ep-1') },
    ],
    dateTime: '2025-03-01',
    provision: { type: 'permit' },
  },
  'pont-provenance': {
    ...minimal['pont-provenance']!,
    policy: ['https://fhir.pont.wales/mapping/wpas|1.0.0'],
    activity: cc('http://terminology.hl7.org/CodeSystem/v3-DataOperation', 'CREATE'),
  },
};

export const asResource = (r: Json): Resource => r as unknown as Resource;
