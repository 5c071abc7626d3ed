/**
 * fast-check arbitraries of the English kinds of plan, discharge, ward and transfer evidence,
 * joined to the English evidence (english-arbitraries.ts) so that the round-trip properties cover
 * it: plans of a named kind (with their sections, who was given them and their reviews), the
 * parts of a risk formulation, a contact's audit times, and on a hospital stay its time of
 * admission, when the community team was told, contacts with the ward, discharge summaries and
 * Care and Treatment Reviews; discharge checklists, and a discharge's steps and destination;
 * letters, with whom they went to and the contact or review they follow; whether the person was
 * in crisis at a transfer and its introductory meeting; a rehabilitation admission's referral back;
 * an information pack.
 */
import fc from 'fast-check';
import {
  careAndTreatmentReviewKinds,
  type dischargeDestinations,
  type dischargeSteps,
  dischargeSummaryContents,
  type informationPackContents,
  letterKinds,
  meetingRoles,
  planKinds,
  planSections,
  riskFormulationParts,
  summaryRecipients,
} from '../../src/record/vocabulary.js';
import { addDays } from '../../src/time/dates.js';

const day = fc.integer({ min: 0, max: 6000 }).map((days) => addDays('2010-01-01', days));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const nonEmpty = <T>(a: fc.Arbitrary<T>, max = 3) => fc.array(a, { minLength: 1, maxLength: max });
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const otherPlan = fc.record({
  kind: fc.constantFrom(...planKinds),
  episode: fc.boolean(),
  madeOn: maybe(day),
  author: fc.boolean(),
  contents: maybe(fc.uniqueArray(fc.constantFrom(...planSections), { minLength: 1, maxLength: 4 })),
  givenTo: maybe(nonEmpty(fc.record({ role: fc.constantFrom(...meetingRoles), on: day }))),
  reviewedOn: maybe(nonEmpty(day)),
});

export interface PlansEvidence {
  readonly otherPlans?: (typeof otherPlan extends fc.Arbitrary<infer P> ? P : never)[] | undefined;
  readonly formulation?: (typeof riskFormulationParts)[number][] | undefined;
  readonly auditTimes?: { noteRecordedAt?: string | undefined; outcomedAt?: string | undefined } | undefined;
  readonly stay?: StayEvidence | undefined;
  readonly dischargeChecklists?: { completedOn: string; uploaded?: boolean | undefined; referencedInNotes?: boolean | undefined }[] | undefined;
  readonly dischargeSteps?: (typeof dischargeSteps)[number][] | undefined;
  readonly dischargeDestination?: (typeof dischargeDestinations)[number] | undefined;
  readonly letters?: (typeof letter extends fc.Arbitrary<infer L> ? L : never)[] | undefined;
  readonly informationPack?: { givenOn?: string | undefined; contents?: (typeof informationPackContents)[number][] | undefined } | undefined;
  readonly transfer?: { date: string; personInCrisis?: boolean | undefined; introductoryMeetingOn?: string | undefined } | undefined;
}

const letter = fc.record({
  kind: fc.constantFrom(...letterKinds),
  sentOn: day,
  to: maybe(fc.uniqueArray(fc.constantFrom(...summaryRecipients), { minLength: 1, maxLength: 3 })),
  encounter: fc.boolean(),
  review: fc.boolean(),
  medicationChanged: maybe(fc.boolean()),
});

interface StayEvidence {
  readonly timedAdmission?: boolean | undefined;
  readonly communityTeamToldAt?: string | undefined;
  readonly outOfArea?: boolean | undefined;
  readonly wardContacts?: { at: string; by?: (typeof meetingRoles)[number] | undefined; wardRound?: boolean | undefined }[] | undefined;
  readonly dischargeSummaries?: { to: (typeof summaryRecipients)[number]; sentOn: string; contents?: (typeof dischargeSummaryContents)[number][] | undefined }[] | undefined;
  readonly careAndTreatmentReviews?: { kind: (typeof careAndTreatmentReviewKinds)[number]; on: string }[] | undefined;
  readonly rehabilitation?: boolean | undefined;
  readonly referredBackOn?: string | undefined;
}

/** The evidence, with date-times from the English evidence's own arbitrary (a date, or a time on it in one of several zones). */
export const plansEvidence = (dateOrTime: fc.Arbitrary<string>): fc.Arbitrary<PlansEvidence> =>
  fc.record(
    {
      otherPlans: nonEmpty(otherPlan),
      formulation: fc.uniqueArray(fc.constantFrom(...riskFormulationParts), { minLength: 1, maxLength: 6 }),
      auditTimes: fc
        .record({ noteRecordedAt: maybe(dateOrTime), outcomedAt: maybe(dateOrTime) })
        .map(defined)
        .filter((a) => Object.keys(a).length > 0),
      stay: fc.record(
        {
          timedAdmission: fc.boolean(),
          communityTeamToldAt: dateOrTime,
          outOfArea: fc.boolean(),
          wardContacts: nonEmpty(fc.record({ at: dateOrTime, by: maybe(fc.constantFrom(...meetingRoles)), wardRound: maybe(fc.boolean()) })),
          dischargeSummaries: nonEmpty(
            fc.record({
              to: fc.constantFrom(...summaryRecipients),
              sentOn: day,
              contents: maybe(fc.uniqueArray(fc.constantFrom(...dischargeSummaryContents), { minLength: 1, maxLength: 4 })),
            }),
          ),
          careAndTreatmentReviews: nonEmpty(fc.record({ kind: fc.constantFrom(...careAndTreatmentReviewKinds), on: day })),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  );

type Mutable = Record<string, unknown>;

/** Adds the evidence to the record: plans of its first episode and by its first practitioner, a formulation on its first risk assessment, audit times on its first contact, a stay's evidence on the first stay of its first episode with an admission date. */
export function addPlansEvidence(record: Mutable, e: PlansEvidence): void {
  const first = (list: string) => (record[list] as Mutable[] | undefined)?.[0];
  const episodeId = first('episodes')?.id as string | undefined;
  const practitionerId = first('practitioners')?.id as string | undefined;
  if (e.otherPlans) {
    record.otherPlans = e.otherPlans.map((p, i) =>
      defined({ ...p, id: `eng-plan-${i}`, episode: p.episode ? episodeId : undefined, author: p.author ? practitionerId : undefined }),
    );
  }
  const risk = first('riskAssessments');
  if (e.formulation && risk) risk.formulation = e.formulation;
  const encounter = first('encounters');
  if (e.auditTimes && encounter) encounter.auditTimes = e.auditTimes;
  const stay = ((first('episodes')?.inpatientStays as Mutable[] | undefined) ?? []).find((s) => typeof s.admittedOn === 'string');
  if (e.stay && stay) {
    const { timedAdmission, wardContacts, dischargeSummaries, careAndTreatmentReviews, ...rest } = e.stay;
    Object.assign(stay, defined(rest));
    // A time of admission is written on the day of admission, at noon UK time in winter.
    if (timedAdmission) stay.admittedAt = `${stay.admittedOn as string}T12:00:00Z`;
    if (wardContacts) stay.wardContacts = wardContacts.map(defined);
    if (dischargeSummaries) stay.dischargeSummaries = dischargeSummaries.map(defined);
    if (careAndTreatmentReviews) stay.careAndTreatmentReviews = careAndTreatmentReviews;
  }
  const episode = first('episodes');
  if (e.dischargeChecklists && episode) episode.dischargeChecklists = e.dischargeChecklists.map(defined);
  const discharge = episode?.discharge as Mutable | undefined;
  if (e.dischargeSteps && discharge) discharge.steps = e.dischargeSteps;
  if (e.dischargeDestination && discharge) discharge.destination = e.dischargeDestination;
  if (e.informationPack && episode) episode.informationPack = e.informationPack;
  if (e.transfer && episode) {
    // A transfer the record already holds keeps its own date; otherwise the episode gains one.
    const { date, ...rest } = e.transfer;
    const held = (episode.transfers as Mutable[] | undefined)?.[0];
    if (held) Object.assign(held, defined(rest));
    else episode.transfers = [defined({ date, ...rest })];
  }
  const review = first('reviews');
  if (e.letters) {
    record.letters = e.letters.map((l, i) =>
      defined({
        ...l,
        id: `eng-letter-${i}`,
        encounter: l.encounter ? (encounter?.id as string | undefined) : undefined,
        review: l.review ? (review?.id as string | undefined) : undefined,
      }),
    );
  }
}
