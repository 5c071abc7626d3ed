/**
 * fast-check arbitraries of the evidence the quality signals need, added to a generated canonical
 * record so that the round-trip properties cover it: whether a related person's relationship is
 * current and its period, support offered to them as a carer, how an interpreter took part in a
 * review, requests to correct a plan, the decision on involving family, the planned frequency of
 * contact, the kind of service an action provides, a plan held only as a scanned document, whether a review's invitation said it was a
 * review, a copy's acknowledgement, carer's views given in confidence, requests to be contacted
 * and their replies, referrals to other services, and when the person was told of a cancelled contact.
 */
import fc from 'fast-check';
import {
  carerSupportKinds,
  carerSupportOutcomes,
  contactRequesters,
  disputeRaisers,
  disputeResolutions,
  familyInvolvementDecisions,
  frequencyUnits,
  interpreterModes,
  serviceTypes,
} from '../../src/record/vocabulary.js';
import { addDays } from '../../src/time/dates.js';
import { timeOn } from './english-arbitraries.js';

const day = fc.integer({ min: 0, max: 6000 }).map((days) => addDays('2010-01-01', days));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** An object without the keys whose value is undefined (the record has no nulls). */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** A period with a start, an end or both; an end is never before the start (FHIR's per-1). */
const period = day.chain((start) =>
  fc
    .record({ start: maybe(fc.constant(start)), end: maybe(fc.integer({ min: 0, max: 2000 }).map((n) => addDays(start, n))) })
    .map(defined)
    .filter((p) => Object.keys(p).length > 0),
);
const dispute = fc
  .record({ raisedOn: day, by: fc.constantFrom(...disputeRaisers), resolvedOn: maybe(day), resolution: maybe(fc.constantFrom(...disputeResolutions)) })
  .map(defined);

const carerSupport = fc.record({ kind: fc.constantFrom(...carerSupportKinds), offeredOn: day, outcome: maybe(fc.constantFrom(...carerSupportOutcomes)) }).map(defined);
const familyInvolvement = fc
  .record({ decision: fc.constantFrom(...familyInvolvementDecisions), basis: maybe(fc.stringMatching(/^[A-Za-z][A-Za-z ,.’'-]{0,40}[a-z.]$/)), decidedOn: maybe(day) })
  .map(defined);

export interface QualityEvidence {
  readonly relationship?: { active?: boolean | undefined; period?: { start?: string; end?: string } | undefined };
  readonly interpreter?: (typeof interpreterModes)[number];
  readonly disputes?: { raisedOn: string; by: string; resolvedOn?: string; resolution?: string }[];
  readonly toldOfCancellation?: string;
  readonly carerSupport?: { kind: string; offeredOn: string; outcome?: string }[];
  readonly familyInvolvement?: { decision: string; basis?: string; decidedOn?: string };
  readonly copyReceivedOn?: string;
  readonly contactFrequency?: { times: number; every: number; unit: string };
  readonly confidential?: boolean;
  readonly invitationSaidReview?: boolean;
  readonly scannedOnly?: boolean;
  readonly serviceType?: string;
  readonly contactRequests?: { at: string; from: string; byRelatedPerson: boolean; repliedAt?: string }[];
  readonly referrals?: { madeOn: string; by: 'patient' | 'practitioner' | 'organisation' | 'related-person'; toOrganisation: boolean; coordinatorInformedOn?: string }[];
}

export const qualityEvidence: fc.Arbitrary<QualityEvidence> = fc.record(
  {
    relationship: fc.record({ active: maybe(fc.boolean()), period: maybe(period) }),
    interpreter: fc.constantFrom(...interpreterModes),
    disputes: fc.array(dispute, { minLength: 1, maxLength: 3 }),
    toldOfCancellation: day.chain((d) => fc.oneof(fc.constant(d), timeOn(d))),
    carerSupport: fc.array(carerSupport, { minLength: 1, maxLength: 3 }),
    familyInvolvement,
    copyReceivedOn: day,
    contactFrequency: fc.record({ times: fc.integer({ min: 1, max: 8 }), every: fc.integer({ min: 1, max: 12 }), unit: fc.constantFrom(...frequencyUnits) }),
    confidential: fc.boolean(),
    invitationSaidReview: fc.boolean(),
    scannedOnly: fc.boolean(),
    serviceType: fc.constantFrom(...serviceTypes),
    contactRequests: fc.array(
      day.chain((asked) =>
        fc
          .record({
            at: fc.oneof(fc.constant(asked), timeOn(asked)),
            from: fc.constantFrom(...contactRequesters),
            byRelatedPerson: fc.boolean(),
            repliedAt: maybe(fc.integer({ min: 1, max: 90 }).map((n) => addDays(asked, n))),
          })
          .map(defined),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    referrals: fc.array(
      fc
        .record({
          madeOn: day,
          by: fc.constantFrom('patient' as const, 'practitioner' as const, 'organisation' as const, 'related-person' as const),
          toOrganisation: fc.boolean(),
          coordinatorInformedOn: maybe(day),
        })
        .map(defined),
      { minLength: 1, maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);

type Mutable = Record<string, unknown>;

/** Adds the evidence to the record: to its first related person, review, plan and contact, where it has them. */
export function addQualityEvidence(record: Mutable, e: QualityEvidence): void {
  const first = (list: string) => (record[list] as Mutable[] | undefined)?.[0];
  const relatedPerson = first('relatedPeople');
  if (e.relationship && relatedPerson) Object.assign(relatedPerson, defined(e.relationship));
  if (e.carerSupport && relatedPerson) relatedPerson.carerSupport = e.carerSupport;
  const review = first('reviews');
  if (e.interpreter && review) review.interpreter = e.interpreter;
  if (e.invitationSaidReview !== undefined && review) review.invitationSaidReview = e.invitationSaidReview;
  const plan = first('plans');
  if (e.disputes && plan) plan.disputes = e.disputes;
  if (e.familyInvolvement && plan) plan.familyInvolvement = e.familyInvolvement;
  if (e.contactFrequency && plan) plan.contactFrequency = e.contactFrequency;
  if (e.scannedOnly !== undefined && plan) plan.scannedOnly = e.scannedOnly;
  const action = ((plan?.outcomes as Mutable[] | undefined)?.[0]?.actions as Mutable[] | undefined)?.[0] ?? (plan?.actions as Mutable[] | undefined)?.[0];
  if (e.serviceType && action) action.serviceType = e.serviceType;
  const carerView = ((first('assessments')?.carerViews as Mutable[] | undefined) ?? [])[0];
  if (e.confidential !== undefined && carerView) carerView.confidential = e.confidential;
  const copy = (plan?.copies as Mutable[] | undefined)?.[0];
  if (e.copyReceivedOn && copy) copy.receivedOn = e.copyReceivedOn;
  if (e.contactRequests) {
    record.contactRequests = e.contactRequests.map(({ byRelatedPerson, ...r }, i) =>
      defined({ id: `quality-request-${i}`, ...r, relatedPerson: byRelatedPerson ? (relatedPerson?.id as string | undefined) : undefined }),
    );
  }
  const organisation = first('organisations');
  if (e.referrals) {
    const requesters = { patient: undefined, practitioner: first('practitioners'), organisation, 'related-person': relatedPerson };
    record.referrals = e.referrals.flatMap(({ by, toOrganisation, ...r }, i) => {
      const who = requesters[by];
      if (by !== 'patient' && who === undefined) return [];
      return [
        defined({
          id: `quality-referral-${i}`,
          ...r,
          requester: defined({ kind: by, id: who?.id as string | undefined }),
          to: toOrganisation ? (organisation?.id as string | undefined) : undefined,
        }),
      ];
    });
    if ((record.referrals as unknown[]).length === 0) delete record.referrals;
  }
  const encounter = first('encounters');
  if (e.toldOfCancellation && encounter) encounter.cancellation = { ...(encounter.cancellation as Mutable | undefined), personToldAt: e.toldOfCancellation };
}
