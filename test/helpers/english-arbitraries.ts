/**
 * fast-check arbitraries of the evidence the English trust policies need, added to a generated
 * canonical record so that the round-trip properties cover it: a referral received at a time of
 * day, with the attempts to reach the person, when it was logged and its triage; a hospital stay
 * known only by its discharge, with the time of discharge and detentions; staff time; related
 * people's dates of birth, household and young-carer status, carers' assessments, the person's
 * decisions on sharing with them, what was shared and the carer's consent to their details; discharge
 * letter sections and closure reasons; periods on CPA; planned and unplanned contacts,
 * cancellations, follow-up attempts and meeting participants (with when each was in the room and
 * whether the person agreed to them), a meeting's purpose, section 117 and letter to the person; risk assessments, incidents and
 * alerts with who was told of them; an advance statement and section 117 at a review; a planned or
 * unplanned change of coordinator; consent to care in an episode; advocacy considered at an assessment,
 * and the decisions the person's capacity was assessed for there, with the IMCA and what decides the
 * Mental Capacity Act's exceptions (the place of a Deprivation of Liberty Safeguards authorisation
 * among them), and a stay later expected to be longer.
 */
import fc from 'fast-check';
import type { CtpRecord } from '../../src/record/record.schema.js';
import {
  advanceStatementDecisions,
  cancelledByCodes,
  capacityAccommodationKinds,
  capacityDecisionKinds,
  carerAssessmentResponses,
  closureReasons,
  consentToCareDecisions,
  contactAttemptMethods,
  dischargeLetterSections,
  flagKinds,
  incidentKinds,
  incidentReportingSystems,
  meetingPurposes,
  meetingRoles,
  mhaSections,
  referralPriorities,
  riskAssessmentTools,
  riskReviewReasons,
  sharingDecisionValues,
} from '../../src/record/vocabulary.js';
import { addDays } from '../../src/time/dates.js';
import { addPlansEvidence, type PlansEvidence, plansEvidence } from './english-plans-arbitraries.js';

type Episode = NonNullable<CtpRecord['episodes']>[number];

const day = fc.integer({ min: 0, max: 6000 }).map((days) => addDays('2010-01-01', days));
const two = (n: number) => String(n).padStart(2, '0');

/** A date-time on `date` (with seconds, as FHIR's dateTime requires), in UTC or with an offset (the UK's two and another). */
export const timeOn = (date: string) =>
  fc
    .record({
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      zone: fc.constantFrom('Z', '+00:00', '+01:00', '-05:00'),
    })
    .map(({ hour, minute, second, zone }) => `${date}T${two(hour)}:${two(minute)}:${two(second)}${zone}`);

const timedDay = day.chain((date) => fc.record({ on: fc.constant(date), at: fc.option(timeOn(date), { freq: 2 }) }));

/** Text such as a form's name or an alert's detail. */
const freeTextish = fc.stringMatching(/^[A-Za-z][A-Za-z &'’-]{0,30}[A-Za-z]$/);
const dateOrTime = day.chain((date) => fc.oneof(fc.constant(date), timeOn(date)));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** An object without the keys whose value is undefined (the record has no nulls). */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const nonEmpty = <T>(a: fc.Arbitrary<T>, max = 3) => fc.array(a, { minLength: 1, maxLength: max });

const staff = fc.record({
  wholeTimeEquivalent: maybe(fc.integer({ min: 1, max: 150 }).map((n) => n / 100)),
  amhpRotaDays: maybe(fc.constantFrom(0.5, 1, 2, 2.5)),
});
const relative = fc.record({
  dateOfBirth: maybe(day),
  inHousehold: maybe(fc.boolean()),
  youngCarer: maybe(fc.boolean()),
  carerAssessment: maybe(
    fc
      .record({ offeredOn: maybe(day), response: maybe(fc.constantFrom(...carerAssessmentResponses)), referredOn: maybe(day) })
      .map(defined)
      .filter((a) => Object.keys(a).length > 0),
  ),
  sharingConsent: maybe(
    fc.uniqueArray(fc.record({ decision: fc.constantFrom(...sharingDecisionValues), recordedOn: day }), {
      minLength: 1,
      maxLength: 3,
      selector: (c) => `${c.recordedOn}|${c.decision}`,
    }),
  ),
  informationShared: maybe(
    fc
      .array(fc.record({ on: day, atDischarge: maybe(fc.boolean()), withoutConsentRationale: maybe(freeTextish) }), { minLength: 1, maxLength: 3 })
      .map((list) => list.map((x, i) => defined({ id: `shared-${i}`, ...x }))),
  ),
  detailsConsent: maybe(fc.record({ agreed: fc.boolean(), recordedOn: maybe(day) }).map(defined)),
  carerPlan: maybe(
    day.chain((madeOn) =>
      fc
        .record({
          madeOn: fc.constant(madeOn),
          reviewedOn: maybe(
            fc.array(
              fc.integer({ min: 30, max: 900 }).map((n) => addDays(madeOn, n)),
              { minLength: 1, maxLength: 3 },
            ),
          ),
        })
        .map(defined),
    ),
  ),
});
const contact = fc.record({
  planned: maybe(fc.boolean()),
  cancelledBy: maybe(fc.constantFrom(...cancelledByCodes)),
  participants: maybe(
    nonEmpty(
      fc.record({
        role: fc.constantFrom(...meetingRoles),
        who: fc.constantFrom('practitioner', 'relatedPerson', 'nobody'),
        invited: maybe(fc.boolean()),
        attended: maybe(fc.boolean()),
        period: maybe(
          day.chain((on) =>
            fc
              .record({ start: maybe(timeOn(on)), end: maybe(fc.oneof(timeOn(addDays(on, 2)), fc.constant(addDays(on, 2)))) })
              .map(defined)
              .filter((p) => Object.keys(p).length > 0),
          ),
        ),
        patientAgreed: maybe(fc.boolean()),
      }),
    ),
  ),
  purpose: maybe(fc.constantFrom(...meetingPurposes)),
  section117Considered: maybe(fc.boolean()),
  letterToPersonAt: maybe(dateOrTime),
  followUpAttempts: maybe(nonEmpty(fc.record({ at: dateOrTime, method: fc.constantFrom(...contactAttemptMethods), reached: maybe(fc.boolean()) }))),
});
const risk = fc.record({
  date: dateOrTime,
  reason: maybe(fc.constantFrom(...riskReviewReasons)),
  reviewer: fc.boolean(),
  episode: fc.boolean(),
  incident: fc.boolean(),
  method: maybe(freeTextish),
  tool: maybe(fc.constantFrom(...riskAssessmentTools)),
  patientInvolved: maybe(fc.boolean()),
  notInvolvedReason: maybe(freeTextish),
});
const capacityDecision = fc.record({
  kind: fc.constantFrom(...capacityDecisionKinds),
  decidedOn: maybe(day),
  lacksCapacity: maybe(fc.boolean()),
  someoneToConsult: maybe(fc.boolean()),
  imcaInstructedOn: maybe(day),
  urgent: maybe(fc.boolean()),
  underMentalHealthAct: maybe(fc.boolean()),
  accommodationKind: maybe(fc.constantFrom(...capacityAccommodationKinds)),
  expectedStayDays: maybe(fc.oneof(fc.constantFrom(0, 27, 28, 29, 55, 56, 57), fc.integer({ min: 0, max: 400 }))),
  revisedStayDays: maybe(fc.oneof(fc.constantFrom(0, 27, 28, 55, 56), fc.integer({ min: 0, max: 400 }))),
  stayRevisedOn: maybe(day),
  dolsAuthorisedPlace: maybe(fc.boolean()),
});

const incident = fc.record({
  date: dateOrTime,
  kind: fc.constantFrom(...incidentKinds),
  reportedOn: maybe(fc.record({ system: fc.constantFrom(...incidentReportingSystems), reference: maybe(fc.stringMatching(/^[A-Z]{2}[0-9]{4,8}$/)) })),
  episode: fc.boolean(),
});
const flag = day.chain((start) =>
  fc.record({
    kind: fc.constantFrom(...flagKinds),
    start: maybe(fc.constant(start)),
    end: maybe(fc.integer({ min: 0, max: 400 }).map((n) => addDays(start, n))),
    detail: maybe(freeTextish),
    notified: maybe(nonEmpty(fc.record({ role: fc.constantFrom(...meetingRoles), practitioner: fc.boolean(), at: dateOrTime }))),
  }),
);

export interface EnglishEvidence {
  readonly referral?: {
    on: string;
    at: string | null;
    priority: (typeof referralPriorities)[number] | null;
    contactAttempts?: { at: string; method: (typeof contactAttemptMethods)[number]; reached?: boolean | undefined }[] | undefined;
    loggedAt?: string | undefined;
    triage?: { at?: string | undefined; by?: (typeof meetingRoles)[number][] | undefined; rationaleRecordedAt?: string | undefined } | undefined;
  };
  readonly dischargeOnly?: { on: string; at: string | null };
  readonly staff?: { wholeTimeEquivalent?: number | undefined; amhpRotaDays?: number | undefined };
  readonly relative?: typeof relative extends fc.Arbitrary<infer R> ? R : never;
  readonly letterSections?: (typeof dischargeLetterSections)[number][];
  readonly closureReason?: (typeof closureReasons)[number];
  readonly changePlanned?: boolean;
  readonly section117Reviewed?: boolean;
  readonly consentToCare?: { decision: (typeof consentToCareDecisions)[number]; recordedOn?: string | undefined; capacityAssessedOn?: string | undefined };
  readonly advocacyConsidered?: boolean;
  readonly capacityDecisions?: typeof capacityDecision extends fc.Arbitrary<infer D> ? D[] : never;
  readonly section117Action?: boolean;
  readonly advanceStatement?: { offered: boolean; decision?: (typeof advanceStatementDecisions)[number] | undefined };
  readonly detentions?: { section: (typeof mhaSections)[number]; start?: string | undefined; end?: string | undefined }[];
  readonly cpaPeriods?: { start?: string | undefined; end?: string | undefined }[];
  readonly contact?: typeof contact extends fc.Arbitrary<infer C> ? C : never;
  readonly risks?: (typeof risk extends fc.Arbitrary<infer R> ? R : never)[];
  readonly incidents?: (typeof incident extends fc.Arbitrary<infer I> ? I : never)[];
  readonly flags?: (typeof flag extends fc.Arbitrary<infer F> ? F : never)[];
  readonly plans?: PlansEvidence;
}

export const englishEvidence: fc.Arbitrary<EnglishEvidence> = fc.record(
  {
    referral: fc
      .record({
        on: day,
        at: fc.constant(null as string | null),
        priority: fc.option(fc.constantFrom(...referralPriorities)),
        contactAttempts: maybe(nonEmpty(fc.record({ at: dateOrTime, method: fc.constantFrom(...contactAttemptMethods), reached: maybe(fc.boolean()) }))),
        loggedAt: maybe(dateOrTime),
        triage: maybe(
          fc
            .record({
              at: maybe(dateOrTime),
              by: maybe(fc.uniqueArray(fc.constantFrom(...meetingRoles), { minLength: 1, maxLength: 3 })),
              rationaleRecordedAt: maybe(dateOrTime),
            })
            .map(defined)
            .filter((t) => Object.keys(t).length > 0),
        ),
      })
      .chain((r) => fc.option(timeOn(r.on), { freq: 2 }).map((at) => ({ ...r, at }))),
    dischargeOnly: timedDay,
    staff,
    relative,
    letterSections: fc.uniqueArray(fc.constantFrom(...dischargeLetterSections), { minLength: 1, maxLength: 7 }),
    closureReason: fc.constantFrom(...closureReasons),
    changePlanned: fc.boolean(),
    section117Reviewed: fc.boolean(),
    consentToCare: fc.record({ decision: fc.constantFrom(...consentToCareDecisions), recordedOn: maybe(day), capacityAssessedOn: maybe(day) }),
    advocacyConsidered: fc.boolean(),
    capacityDecisions: nonEmpty(capacityDecision),
    section117Action: fc.boolean(),
    advanceStatement: fc.record({ offered: fc.boolean(), decision: maybe(fc.constantFrom(...advanceStatementDecisions)) }),
    detentions: nonEmpty(fc.record({ section: fc.constantFrom(...mhaSections), start: maybe(day), end: maybe(day) })),
    cpaPeriods: nonEmpty(
      fc.oneof(
        fc
          .record({ start: day, length: maybe(fc.integer({ min: 0, max: 2000 })) })
          .map(({ start, length }) => ({ start, end: length === undefined ? undefined : addDays(start, length) })),
        day.map((end) => ({ end })),
      ),
    ),
    contact,
    risks: nonEmpty(risk),
    incidents: nonEmpty(incident),
    flags: nonEmpty(flag),
    plans: plansEvidence(dateOrTime),
  },
  { requiredKeys: [] },
);

type Mutable = Record<string, unknown>;

/** Adds the evidence to the record: to its first episode, practitioner, related person and contact, where it has them. */
export function addEnglishEvidence(record: Mutable, e: EnglishEvidence): void {
  const first = (list: string) => (record[list] as Mutable[] | undefined)?.[0];
  const practitioner = first('practitioners');
  const relatedPerson = first('relatedPeople');
  const episodeId = first('episodes')?.id as string | undefined;
  if (e.staff && practitioner) Object.assign(practitioner, defined(e.staff));
  if (e.relative && relatedPerson) Object.assign(relatedPerson, defined(e.relative));
  const encounter = first('encounters');
  if (e.contact && encounter) {
    const { participants, followUpAttempts, cancelledBy, ...rest } = e.contact;
    Object.assign(encounter, defined(rest));
    if (cancelledBy) encounter.cancellation = { by: cancelledBy };
    if (followUpAttempts) encounter.followUpAttempts = followUpAttempts.map(defined);
    if (participants) {
      encounter.participants = participants.map(({ who, ...p }) =>
        defined({
          ...p,
          practitioner: who === 'practitioner' ? (practitioner?.id as string | undefined) : undefined,
          relatedPerson: who === 'relatedPerson' ? (relatedPerson?.id as string | undefined) : undefined,
        }),
      );
    }
  }
  if (e.incidents) {
    record.incidents = e.incidents.map((x, i) =>
      defined({ id: `eng-incident-${i}`, date: x.date, kind: x.kind, reportedOn: x.reportedOn && defined(x.reportedOn), episode: x.episode ? episodeId : undefined }),
    );
  }
  if (e.risks) {
    record.riskAssessments = e.risks.map((r, i) =>
      defined({
        id: `eng-risk-${i}`,
        date: r.date,
        reason: r.reason,
        reviewer: r.reviewer ? (practitioner?.id as string | undefined) : undefined,
        episode: r.episode ? episodeId : undefined,
        incident: r.incident && e.incidents ? 'eng-incident-0' : undefined,
        method: r.method,
        tool: r.tool,
        patientInvolved: r.patientInvolved,
        notInvolvedReason: r.notInvolvedReason,
      }),
    );
  }
  const appointment = first('coordinatorAppointments');
  if (e.changePlanned !== undefined && appointment) appointment.changePlanned = e.changePlanned;
  const review = first('reviews');
  if (e.advanceStatement && review) review.advanceStatement = defined(e.advanceStatement);
  if (e.section117Reviewed !== undefined && review) review.section117Reviewed = e.section117Reviewed;
  const action = (first('plans')?.outcomes as Mutable[] | undefined)?.[0]?.actions as Mutable[] | undefined;
  if (e.section117Action !== undefined && action?.[0]) action[0].section117 = e.section117Action;
  const assessment = first('assessments');
  if (e.advocacyConsidered !== undefined && assessment) assessment.advocacyConsidered = e.advocacyConsidered;
  if (e.capacityDecisions && assessment) assessment.capacityDecisions = e.capacityDecisions.map(defined);
  if (e.flags) {
    record.flags = e.flags.map(({ notified, ...f }, i) =>
      defined({
        id: `eng-flag-${i}`,
        ...f,
        notified: notified?.map((n) => defined({ ...n, practitioner: n.practitioner ? (practitioner?.id as string | undefined) : undefined })),
      }),
    );
  }
  if (e.plans) addPlansEvidence(record, e.plans);
  const episode = (record.episodes as Episode[] | undefined)?.[0];
  if (episode === undefined) return;
  if (e.letterSections && episode.discharge) episode.discharge.letterSections = e.letterSections;
  if (e.closureReason && episode.discharge) episode.discharge.closureReason = e.closureReason;
  if (e.cpaPeriods) episode.cpaPeriods = e.cpaPeriods.map(defined);
  if (e.consentToCare) episode.consentToCare = defined(e.consentToCare);
  if (e.referral) {
    episode.referral = {
      receivedOn: e.referral.on,
      ...(e.referral.at !== null ? { receivedAt: e.referral.at } : {}),
      ...(e.referral.priority !== null ? { priority: e.referral.priority } : {}),
      ...(e.referral.contactAttempts ? { contactAttempts: e.referral.contactAttempts.map(defined) } : {}),
      ...(e.referral.loggedAt ? { loggedAt: e.referral.loggedAt } : {}),
      ...(e.referral.triage ? { triage: e.referral.triage } : {}),
    };
  }
  if (e.dischargeOnly) {
    const stay = {
      id: 'eng-discharge-only',
      dischargedOn: e.dischargeOnly.on,
      ...(e.dischargeOnly.at !== null ? { dischargedAt: e.dischargeOnly.at } : {}),
      ...(e.detentions ? { detentions: e.detentions.map(defined) } : {}),
    };
    episode.inpatientStays = [...(episode.inpatientStays ?? []), stay];
  }
}
