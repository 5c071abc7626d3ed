/**
 * One record per quality signal built to make it fire, and controls that differ from the good
 * record (helpers.ts) only in what a signal needs to apply at all: the specification of each
 * signal in signals.test.ts, and, in the quality benchmark, records on which every signal is
 * judged. Every person and every word of text here is invented.
 */
import type { CtpRecord } from '../../src/record/record.schema.js';
import { variant } from './helpers.js';

type Plan = NonNullable<CtpRecord['plans']>[number];
const plan = (change: (p: Plan) => void) => variant((r) => change(r.plans![0]!));
const outcome0 = (change: (o: NonNullable<Plan['outcomes']>[number]) => void) => plan((p) => change(p.outcomes![0]!));

/** Views a carer gave in confidence (invented). */
const CONFIDED = 'Please do not tell her, but she has been drinking heavily again since her brother left';

/** The good plan made a second time, a month on, as version 2. */
function revised(change: (v2: Plan) => void) {
  return variant((r) => {
    const v1 = r.plans![0]!;
    v1.outcomes![0]!.actions![0]!.serviceType = 'respite';
    const v2 = structuredClone(v1);
    Object.assign(v2, { id: 'plan-v2', version: 2, madeOn: '2025-03-01', changeType: 'minor-amendment' as const });
    v1.status = 'superseded';
    change(v2);
    r.plans!.push(v2);
  });
}

/** A review meeting on 15 May 2025 (BST), from 14:00: the person and their carer join at `personFrom`, the coordinator and psychiatrist at 14:00. */
function meeting(personFrom: string, agreed?: { psychiatrist?: boolean; tutor?: boolean }) {
  return variant((r) => {
    const at = (hm: string) => `2025-05-15T${hm}:00+01:00`;
    r.encounters!.push({
      id: 'review-meeting',
      kind: 'review-meeting',
      status: 'finished',
      start: at('14:00'),
      end: at('15:00'),
      participants: [
        { role: 'patient', attended: true, period: { start: at(personFrom), end: at('15:00') } },
        {
          role: 'carer',
          relatedPerson: 'carer',
          attended: true,
          period: { start: at(personFrom), end: at('15:00') },
          ...(agreed === undefined ? {} : { patientAgreed: true }),
        },
        { role: 'care-coordinator', practitioner: 'cc', attended: true, period: { start: at('14:00'), end: at('15:00') } },
        {
          role: 'psychiatrist',
          invited: true,
          attended: true,
          period: { start: at('14:00'), end: at('15:00') },
          ...(agreed?.psychiatrist === undefined ? {} : { patientAgreed: agreed.psychiatrist }),
        },
        ...(agreed?.tutor === undefined ? [] : [{ role: 'other' as const, invited: true, patientAgreed: agreed.tutor }]),
      ],
    });
  });
}

/** One case per signal: the change that makes it fire. */
export const signalCases: Record<string, () => CtpRecord> = {
  'PE-1/areas-not-discussed': () => variant((r) => r.assessments![0]!.areas!.splice(3, 1)),
  'PE-2/few-areas': () => plan((p) => p.outcomes!.splice(1, 1)),
  'PE-3/medication-only': () => plan((p) => p.outcomes!.forEach((o) => (o.areas = [{ area: 'medical-treatment', explanation: 'Treatment helps me stay settled' }]))),
  'PE-3/process-outcome': () => outcome0((o) => (o.description = 'To take medication as prescribed every day')),
  'PE-4/physical-health-omitted': () =>
    variant((r) => {
      r.diagnoses = [{ id: 'dm', code: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11.9' }], status: 'active' }];
      r.plans![0]!.addresses = ['dm'];
      r.plans![0]!.outcomes![1]!.areas = [{ area: 'social-cultural-spiritual', explanation: 'Time with my neighbour' }];
    }),
  'PE-5/risk-not-in-plan': () =>
    variant((r) => {
      r.assessments![0]!.risks![0]!.level = 'high';
      delete r.plans![0]!.crisisPlan!.actions;
    }),
  'PE-6/assessed-need-not-in-plan': () => variant((r) => (r.assessments![0]!.areas!.find((a) => a.area === 'finance-money')!.findings = ['need'])),
  'PE-7/misfiled-matter': () => outcome0((o) => (o.areas = [{ area: 'education-training', explanation: 'I want to stop self-harm before college' }])),
  'PE-9/respite-withdrawn': () => revised((v2) => delete v2.outcomes![0]!.actions![0]!.serviceType),
  'PE-10/sparse-plan': () => outcome0((o) => (o.actions![0]!.description = 'Housing')),
  'PE-11/long-plan': () => outcome0((o) => (o.areas![0]!.explanation = 'word '.repeat(3100).trim())),
  'PE-13/vague-outcome': () => outcome0((o) => (o.description = 'I will stay well and keep out of trouble')),
  'PE-14/no-short-term-steps': () => plan((p) => p.outcomes!.forEach((o) => (o.milestones = [{ description: 'Look again at how things are', targetDate: '2026-01-15' }]))),
  'PE-15/steps-overdue': () => outcome0((o) => (o.milestones = [...o.milestones!, { description: 'Fill in the housing form together', targetDate: '2025-03-01' }])),
  'PE-17/work-goal-not-own': () => plan((p) => (p.outcomes![1]!.areas = [{ area: 'work-occupation', explanation: 'Volunteering two days a week' }])),
  'PE-20/review-without-person': () =>
    variant((r) => {
      r.reviews = [{ id: 'rv', plan: 'plan', planVersion: 1, trigger: 'scheduled', heldOn: '2025-01-30', participants: [{ kind: 'practitioner', id: 'cc' }] }];
      r.plans![0]!.review = 'rv';
    }),
  'PE-21/not-own-words': () => outcome0((o) => delete o.inPatientsWords),
  'PE-21/third-person': () => outcome0((o) => (o.description = 'He will move into a flat near his sister')),
  'PE-22/views-not-applicable': () => plan((p) => (p.patientViews = { status: 'recorded', text: 'N/A' })),
  'PE-23/views-copied-forward': () =>
    variant((r) => {
      const v1 = r.plans![0]!;
      v1.status = 'superseded';
      r.plans!.push({ ...structuredClone(v1), id: 'plan-v2', version: 2, status: 'active', changeType: 'minor-amendment', madeOn: '2025-04-01', copies: undefined });
      delete r.plans![1]!.copies;
    }),
  'PE-24/agreed-without-taking-part': () => plan((p) => (p.involvement = { tookPart: false, engagementAttempts: 'Three letters and two visits' })),
  'PE-25/signed-late': () => plan((p) => (p.signatures!.patient = { signedOn: '2025-05-20' })),
  'PE-26/signed-without-capacity': () => variant((r) => (r.assessments![0]!.capacity = { lacksCapacity: true, bestInterestsRecordedOn: '2025-01-15' })),
  'PE-27/unsigned-by-person': () => plan((p) => delete p.signatures!.patient),
  'PE-29/placeholder-left': () => outcome0((o) => (o.actions![0]!.description = 'Housing officer to help him/her view two flats')),
  'PE-30/unexplained-abbreviation': () => outcome0((o) => (o.actions![0]!.description = 'Arrange an OPA and tell the CMHT the date')),
  'PE-30/jargon': () => outcome0((o) => (o.actions![0]!.description = 'Signpost to the housing team and check concordance')),
  'PE-33/diagnosis-not-addressed': () => variant((r) => (r.diagnoses = [{ id: 'dx', code: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'F32.1' }], status: 'active' }])),
  'PE-34/relapse-signs-crisis-only': () => plan((p) => (p.relapseSignatures = ['Self-harm', 'Suicidal thoughts'])),
  'PE-42/crisis-contacts-services-only': () => plan((p) => (p.crisisPlan!.contacts![0]!.organisation = 'lhb')),
  'PE-43/no-round-the-clock-contact': () => plan((p) => (p.crisisPlan!.contacts![0]!.hours = 'Mon–Fri 09:00–17:00')),
  'PE-45/no-review-after-change': () =>
    variant((r) => (r.episodes![0]!.inpatientStays = [{ id: 'stay', admittedOn: '2025-03-01', dischargedOn: '2025-03-10', followUpContactOn: '2025-03-12' }])),
  'PE-46/review-request-refused': () =>
    variant(
      (r) =>
        (r.reviews = [
          {
            id: 'rq',
            plan: 'plan',
            trigger: 'request',
            request: { receivedOn: '2025-04-01', requestedBy: 'patient', decision: 'refused-no-change', decisionReason: 'Reviewed in February', decidedOn: '2025-04-03' },
          },
        ]),
    ),
  'PE-47/review-not-named': () =>
    variant((r) => {
      r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-05-15', invitationSaidReview: false }];
    }),
  'PE-48/late-notice-of-review': () => variant((r) => (r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', patientInformedOn: '2025-05-10', heldOn: '2025-05-15' }])),
  'PE-51/large-meeting-young-person': () =>
    variant((r) => {
      r.patient!.dateOfBirth = '2009-01-01';
      r.practitioners!.push(...['p3', 'p4', 'p5', 'p6', 'p7'].map((id) => ({ id })));
      r.reviews = [
        {
          id: 'rv',
          plan: 'plan',
          trigger: 'scheduled',
          heldOn: '2025-05-15',
          participants: ['cc', 'cc2', 'p3', 'p4', 'p5', 'p6'].map((id) => ({ kind: 'practitioner' as const, id })),
        },
      ];
    }),
  'PE-55/coordinator-turnover': () =>
    variant((r) => {
      const first = r.coordinatorAppointments![0]!;
      first.end = '2025-02-28';
      r.coordinatorAppointments!.push(
        { ...first, id: 'appt2', practitioner: 'cc2', start: '2025-03-01', end: '2025-04-15', changeReason: 'Left the team' },
        { ...first, id: 'appt3', practitioner: 'cc', start: '2025-04-16', end: '2025-05-10', changeReason: 'Returned' },
        { ...first, id: 'appt4', practitioner: 'cc2', start: '2025-05-11', changeReason: 'Moved team' },
      );
      delete r.coordinatorAppointments![3]!.end;
    }),
  'PE-57/no-contact-no-cover': () => variant((r) => r.encounters!.pop()),
  'PE-32/dispute-unresolved': () => plan((p) => (p.disputes = [{ raisedOn: '2025-03-01', by: 'patient' }])),
  'PE-41/contact-no-longer-current': () => variant((r) => (r.relatedPeople![0]!.period = { start: '2019-06-01', end: '2025-04-01' })),
  'PE-75/no-interpreter-at-review': () =>
    variant((r) => {
      r.patient!.interpreterRequired = true;
      r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-05-15', participants: [{ kind: 'patient' }, { kind: 'practitioner', id: 'cc' }] }];
    }),
  'PE-36/copy-not-acknowledged': () => plan((p) => delete p.copies!.find((c) => c.recipientRole === 'patient')!.receivedOn),
  'PE-70/carer-confidence-in-plan': () =>
    variant((r) => {
      r.assessments![0]!.carerViews = [{ person: 'carer', views: CONFIDED, confidential: true }];
      r.plans![0]!.outcomes![1]!.areas![0]!.explanation = 'She has been drinking heavily again since her brother left';
    }),
  'PE-71/carer-support-not-offered': () => variant((r) => delete r.relatedPeople![0]!.carerAssessment),
  'PE-73/family-involvement-undecided': () => plan((p) => delete p.familyInvolvement),
  'PE-58/contact-below-plan': () => plan((p) => (p.contactFrequency = { times: 1, every: 2, unit: 'week' })),
  'PE-59/request-unanswered': () => variant((r) => (r.contactRequests = [{ id: 'call', at: '2025-05-02T09:15:00+01:00', from: 'carer', relatedPerson: 'carer' }])),
  'PE-60/cancelled-without-notice': () =>
    variant((r) => {
      r.encounters!.push({
        id: 'off',
        kind: 'contact',
        status: 'cancelled',
        start: '2025-05-12T10:00:00+01:00',
        practitioner: 'cc',
        episode: 'ep',
        cancellation: { by: 'service' },
      });
    }),
  'PE-61/discharge-after-missed-appointment': () =>
    variant((r) => {
      r.encounters!.push({ id: 'dna', kind: 'contact', status: 'did-not-attend', start: '2025-05-25', practitioner: 'cc', episode: 'ep' });
      r.episodes![0]!.status = 'finished';
      r.episodes![0]!.discharge = { date: '2025-05-28', kind: 'full' };
    }),
  'PE-62/discharge-on-custody': () =>
    variant((r) => {
      r.episodes![0]!.status = 'finished';
      r.episodes![0]!.custody = [{ enteredOn: '2025-05-10' }];
      r.episodes![0]!.discharge = { date: '2025-05-20', kind: 'full' };
    }),
  'PE-64/placement-sparse': () =>
    variant((r) => {
      r.episodes![0]!.placement = { homeArea: 'W06000015', placementArea: 'E06000023' };
      r.plans![0]!.outcomes!.splice(1, 1);
    }),
  'PE-65/referral-without-coordinator': () => variant((r) => (r.referrals = [{ id: 'ref', madeOn: '2025-04-10', requester: { kind: 'organisation', id: 'gp' } }])),
  'PE-66/coordinator-not-seen': () =>
    variant((r) => {
      r.coordinatorAppointments![0]!.start = '2024-06-01';
      r.encounters = r.encounters!.map((e) => ({ ...e, practitioner: 'cc2' }));
    }),
  'PE-68/carer-not-involved': () =>
    plan((p) => {
      delete p.consultations;
      p.copies = p.copies!.filter((c) => c.recipientRole !== 'carer');
    }),
  'PE-72/transition-at-18': () =>
    variant((r) => {
      r.patient!.dateOfBirth = '2007-08-01';
      delete r.patient!.informationSharing;
    }),
  'PE-74/welsh-plan': () => variant((r) => (r.patient!.prefersWelsh = true)),
  'PE-74/welsh-review': () =>
    variant((r) => {
      r.patient!.prefersWelsh = true;
      r.plans![0]!.language = 'cy+en';
      r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-05-15', participants: [{ kind: 'patient' }, { kind: 'practitioner', id: 'cc' }] }];
    }),
  'PE-76/accessible-version': () => variant((r) => (r.patient!.dateOfBirth = '2012-01-01')),
  'PE-77/hard-to-read': () =>
    outcome0(
      (o) =>
        (o.areas![0]!.explanation =
          'Comprehensive accommodation reassessment incorporating multidisciplinary recommendations regarding independent residential arrangements '.repeat(3)),
    ),
  'PE-78/text-from-assessment': () =>
    variant((r) => {
      const detail = 'Lives alone in a damp flat with no heating and wants to move nearer family';
      r.assessments![0]!.areas![0]!.detail = detail;
      r.plans![0]!.outcomes![0]!.description = detail;
    }),
  'PE-79/record-not-plan': () =>
    outcome0(
      (o) =>
        (o.areas![0]!.explanation =
          'She was seen at home and said she had been unwell. She was admitted in March and was discharged in April. Her sister was told and visited. The team discussed her housing and noted she went to stay with friends.'),
    ),
  'PE-80/plan-kind-switching': () =>
    variant((r) => {
      const ctp = r.plans![0]!;
      const other = (id: string, madeOn: string) => ({ id, planId: `uap-${id}`, version: 1, kind: 'other' as const, status: 'ended' as const, madeOn });
      r.plans = [other('u1', '2024-10-01'), ctp, other('u2', '2025-04-01')];
    }),
  'PE-81/scanned-plan': () => plan((p) => (p.scannedOnly = true)),
  'PE-85/cross-border': () => variant((r) => (r.patient!.localAuthorityOfResidence = 'E06000023')),
  'PE-49/part-without-person': () => meeting('14:45'),
  'PE-50/invitee-not-agreed': () => meeting('14:00', { psychiatrist: true, tutor: false }),
};

/** Controls that differ from the good record only in what a signal needs to apply at all, so that silence means "looked and found nothing". */
export const signalControls: Record<string, () => CtpRecord> = {
  'PE-80/plan-kind-switching': () =>
    variant((r) => {
      r.plans!.unshift({ id: 'u1', planId: 'uap', version: 1, kind: 'other', status: 'ended', madeOn: '2024-10-01' });
    }),
  'PE-64/placement-sparse': () => variant((r) => (r.episodes![0]!.placement = { homeArea: 'W06000015', placementArea: 'E06000023' })),
  'PE-4/physical-health-omitted': () =>
    variant((r) => {
      r.diagnoses = [{ id: 'dm', code: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11.9' }], status: 'active' }];
      r.plans![0]!.addresses = ['dm'];
    }),
  'PE-9/respite-withdrawn': () => revised(() => undefined),
  'PE-20/review-without-person': () =>
    variant((r) => {
      r.reviews = [
        { id: 'rv', plan: 'plan', planVersion: 1, trigger: 'scheduled', heldOn: '2025-01-30', participants: [{ kind: 'patient' }, { kind: 'practitioner', id: 'cc' }] },
      ];
      r.plans![0]!.review = 'rv';
    }),
  'PE-45/no-review-after-change': () =>
    variant((r) => {
      r.episodes![0]!.inpatientStays = [{ id: 'stay', admittedOn: '2025-01-20', dischargedOn: '2025-01-25', followUpContactOn: '2025-01-27' }];
    }),
  'PE-47/review-not-named': () =>
    variant((r) => {
      r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-05-15', invitationSaidReview: true }];
    }),
  'PE-81/scanned-plan': () => plan((p) => (p.scannedOnly = false)),
  'PE-48/late-notice-of-review': () => variant((r) => (r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', patientInformedOn: '2025-04-10', heldOn: '2025-05-15' }])),
  'PE-32/dispute-unresolved': () => plan((p) => (p.disputes = [{ raisedOn: '2025-03-01', by: 'patient', resolvedOn: '2025-03-20', resolution: 'corrected' }])),
  'PE-41/contact-no-longer-current': () =>
    variant((r) => {
      r.relatedPeople![0]!.active = true;
      r.relatedPeople![0]!.period = { start: '2019-06-01' };
    }),
  'PE-75/no-interpreter-at-review': () =>
    variant((r) => {
      r.patient!.interpreterRequired = true;
      r.reviews = [
        {
          id: 'rv',
          plan: 'plan',
          trigger: 'scheduled',
          heldOn: '2025-05-15',
          participants: [{ kind: 'patient' }, { kind: 'practitioner', id: 'cc' }],
          interpreter: 'in-person',
        },
      ];
    }),
  'PE-58/contact-below-plan': () =>
    variant((r) => {
      r.plans![0]!.contactFrequency = { times: 1, every: 2, unit: 'week' };
      for (const [id, start] of [
        ['enc3', '2025-04-25'],
        ['enc4', '2025-05-10'],
      ] as const)
        r.encounters!.push({ id, kind: 'contact', status: 'finished', start, mode: 'face-to-face', practitioner: 'cc', episode: 'ep' });
    }),
  'PE-70/carer-confidence-in-plan': () => variant((r) => (r.assessments![0]!.carerViews = [{ person: 'carer', views: CONFIDED, confidential: true }])),
  'PE-59/request-unanswered': () =>
    variant((r) => (r.contactRequests = [{ id: 'call', at: '2025-05-02T09:15:00+01:00', from: 'carer', relatedPerson: 'carer', repliedAt: '2025-05-05' }])),
  'PE-60/cancelled-without-notice': () =>
    variant((r) => {
      const cancellation = { by: 'service' as const, personToldAt: '2025-05-11T16:30:00+01:00' };
      r.encounters!.push({ id: 'off', kind: 'contact', status: 'cancelled', start: '2025-05-12T10:00:00+01:00', practitioner: 'cc', episode: 'ep', cancellation });
    }),
  'PE-61/discharge-after-missed-appointment': () =>
    variant((r) => {
      r.encounters!.push({ id: 'dna', kind: 'contact', status: 'did-not-attend', start: '2025-05-10', practitioner: 'cc', episode: 'ep' });
      r.episodes![0]!.status = 'finished';
      r.episodes![0]!.discharge = { date: '2025-05-28', kind: 'full' };
    }),
  'PE-65/referral-without-coordinator': () =>
    variant((r) => (r.referrals = [{ id: 'ref', madeOn: '2025-04-10', requester: { kind: 'organisation', id: 'gp' }, coordinatorInformedOn: '2025-04-11' }])),
  'PE-74/welsh-plan': () =>
    variant((r) => {
      r.patient!.prefersWelsh = true;
      r.plans![0]!.language = 'cy';
    }),
  'PE-74/welsh-review': () =>
    variant((r) => {
      r.patient!.prefersWelsh = true;
      r.plans![0]!.language = 'cy+en';
      r.practitioners![0]!.speaksWelsh = true;
      r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-05-15', participants: [{ kind: 'patient' }, { kind: 'practitioner', id: 'cc' }] }];
    }),
  'PE-78/text-from-assessment': () =>
    variant((r) => {
      r.assessments![0]!.areas![0]!.detail = 'Lives alone in a damp flat with no heating and wants to move nearer family';
    }),
  'PE-85/cross-border': () => variant((r) => (r.patient!.localAuthorityOfResidence = 'W06000015')),
  'PE-49/part-without-person': () => meeting('14:00'),
  'PE-50/invitee-not-agreed': () => meeting('14:00', { psychiatrist: true, tutor: true }),
};
