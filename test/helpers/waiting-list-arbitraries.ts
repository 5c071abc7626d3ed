/**
 * fast-check arbitraries of places on waiting lists (LPT SOP §6.17.3, §6.23.7, Appendix 13) and of
 * what becomes of a referral (ELFT §9.4; LPT SOP §6.5), added to a generated canonical record so
 * that the round-trip properties cover them: the list, its referral, ratings, letters and reviews,
 * a move to another team's list that names the place it replaced; a referral's route, source,
 * decision and regradings with who was told; what the duty worker's call after triage agreed, an
 * assessment discussed with a senior, and a request to be contacted taken as urgent, with call backs.
 */
import fc from 'fast-check';
import {
  contactAttemptMethods,
  onwardServices,
  ragRatings,
  referralDataItems,
  referralOutcomes,
  referralPriorities,
  referralRecipients,
  referralRoutes,
  referralSources,
  waitingListEndReasons,
  waitingListKinds,
  waitingListLetterContents,
  waitingListLetterKinds,
} from '../../src/record/vocabulary.js';
import { addDays } from '../../src/time/dates.js';
import { timeOn } from './english-arbitraries.js';

const day = fc.integer({ min: 0, max: 6000 }).map((days) => addDays('2010-01-01', days));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const nonEmpty = <T>(a: fc.Arbitrary<T>, max = 3) => fc.array(a, { minLength: 1, maxLength: max });
/** An object without the keys whose value is undefined (the record has no nulls). */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const words = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,20}[A-Za-z0-9]$/);

const entry = day.chain((addedOn) =>
  fc.record({
    list: fc.constantFrom(...waitingListKinds),
    team: maybe(words),
    referredOn: maybe(fc.integer({ min: 0, max: 200 }).map((n) => addDays(addedOn, -n))),
    referrer: maybe(fc.constantFrom('patient', 'practitioner', 'organisation')),
    priority: maybe(fc.constantFrom(...referralPriorities)),
    internalReferral: maybe(fc.boolean()),
    assessedOn: maybe(fc.integer({ min: 0, max: 30 }).map((n) => addDays(addedOn, -n))),
    addedOn: fc.constant(addedOn),
    removed: maybe(fc.record({ after: fc.integer({ min: 0, max: 700 }), because: maybe(fc.constantFrom(...waitingListEndReasons)) })),
    anticipatedWait: maybe(words),
    readinessReviewOn: maybe(day),
    lettersInsteadOfCallsFrom: maybe(day),
    ratings: maybe(nonEmpty(fc.record({ rating: fc.constantFrom(...ragRatings), on: day }))),
    letters: maybe(
      nonEmpty(
        fc.record({
          kind: fc.constantFrom(...waitingListLetterKinds),
          sentOn: day,
          contents: maybe(fc.uniqueArray(fc.constantFrom(...waitingListLetterContents), { minLength: 1, maxLength: 4 })),
        }),
      ),
    ),
    reviews: maybe(
      nonEmpty(fc.record({ at: day.chain((d) => fc.oneof(fc.constant(d), timeOn(d))), method: fc.constantFrom(...contactAttemptMethods), reached: maybe(fc.boolean()) })),
    ),
  }),
);

const told = maybe(nonEmpty(fc.record({ who: fc.constantFrom(...referralRecipients), on: day, inWriting: maybe(fc.boolean()) }).map(defined)));
const referralDecisions = fc
  .record({
    route: maybe(fc.constantFrom(...referralRoutes)),
    source: maybe(fc.constantFrom(...referralSources)),
    dataSet: maybe(
      fc
        .record({ items: maybe(fc.uniqueArray(fc.constantFrom(...referralDataItems), { minLength: 1, maxLength: 16 })), missingSoughtOn: maybe(day) })
        .map(defined)
        .filter((d) => Object.keys(d).length > 0),
    ),
    decision: maybe(
      fc
        .record({
          outcome: fc.constantFrom(...referralOutcomes),
          on: maybe(day),
          onwardService: maybe(fc.constantFrom(...onwardServices)),
          reasonsGiven: maybe(fc.boolean()),
          told,
        })
        .map(defined),
    ),
    regradings: maybe(
      nonEmpty(
        fc
          .record({ from: fc.constantFrom(...referralPriorities), to: fc.constantFrom(...referralPriorities), on: day, rationaleGiven: maybe(fc.boolean()), told })
          .map(defined),
      ),
    ),
  })
  .map(defined);

const dayOrTime = day.chain((d) => fc.oneof(fc.constant(d), timeOn(d)));
const duty = fc.record({
  call: fc.record({ riskAssessed: maybe(fc.boolean()), safetyPlanAgreed: maybe(fc.boolean()), timescaleAgreed: maybe(fc.boolean()) }).map(defined),
  seniorDiscussedAt: maybe(dayOrTime),
  request: fc.record({
    at: dayOrTime,
    urgent: maybe(fc.boolean()),
    callBacks: maybe(nonEmpty(fc.record({ at: dayOrTime, method: fc.constantFrom(...contactAttemptMethods), reached: maybe(fc.boolean()) }).map(defined))),
  }),
});

export type WaitingListEvidence = {
  entries: (typeof entry extends fc.Arbitrary<infer E> ? E : never)[];
  episode: boolean;
  moved: boolean;
  referral: typeof referralDecisions extends fc.Arbitrary<infer R> ? R : never;
  duty: typeof duty extends fc.Arbitrary<infer D> ? D : never;
};

export const waitingListEvidence: fc.Arbitrary<WaitingListEvidence> = fc.record({
  entries: nonEmpty(entry, 2),
  episode: fc.boolean(),
  moved: fc.boolean(),
  referral: referralDecisions,
  duty,
});

type Mutable = Record<string, unknown>;

/** Adds the places to the record, linked to its first episode and practitioner or organisation where it has them. */
export function addWaitingListEvidence(record: Mutable, e: WaitingListEvidence): void {
  const firstId = (list: string) => (record[list] as Mutable[] | undefined)?.[0]?.id as string | undefined;
  const episode = e.episode ? firstId('episodes') : undefined;
  const actorOf = (kind: string | undefined) => {
    if (kind === 'patient') return { kind: 'patient' };
    const id = kind === 'practitioner' ? firstId('practitioners') : kind === 'organisation' ? firstId('organisations') : undefined;
    return id === undefined ? undefined : { kind, id };
  };
  const referral = (record.episodes as Mutable[] | undefined)?.[0]?.referral as Mutable | undefined;
  if (referral) Object.assign(referral, e.referral);
  const attempt = (referral?.contactAttempts as Mutable[] | undefined)?.[0];
  if (attempt) Object.assign(attempt, e.duty.call);
  const encounter = (record.encounters as Mutable[] | undefined)?.[0];
  if (encounter && e.duty.seniorDiscussedAt) encounter.seniorDiscussedAt = e.duty.seniorDiscussedAt;
  const { at, urgent, callBacks } = e.duty.request;
  const request = (record.contactRequests as Mutable[] | undefined)?.[0];
  if (request) Object.assign(request, defined({ urgent, callBacks }));
  else record.contactRequests = [defined({ id: 'eng-request', at, from: 'patient', urgent, callBacks })];
  record.waitingListEntries = e.entries.map(({ removed, referrer, letters, ...x }, i) =>
    defined({
      id: `eng-wait-${i}`,
      ...x,
      episode,
      referrer: actorOf(referrer),
      removedOn: removed && addDays(x.addedOn, removed.after),
      removedBecause: removed?.because,
      transferredFrom: i > 0 && e.moved ? 'eng-wait-0' : undefined,
      letters: letters?.map(defined),
      reviews: x.reviews?.map(defined),
    }),
  );
}
