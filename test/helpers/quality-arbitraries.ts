/**
 * fast-check arbitraries of the evidence the quality signals need, added to a generated canonical
 * record so that the round-trip properties cover it: whether a related person's relationship is
 * current and its period, how an interpreter took part in a review, requests to correct a plan,
 * and when the person was told of a cancelled contact.
 */
import fc from 'fast-check';
import { disputeRaisers, disputeResolutions, interpreterModes } from '../../src/record/vocabulary.js';
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

export interface QualityEvidence {
  readonly relationship?: { active?: boolean | undefined; period?: { start?: string; end?: string } | undefined };
  readonly interpreter?: (typeof interpreterModes)[number];
  readonly disputes?: { raisedOn: string; by: string; resolvedOn?: string; resolution?: string }[];
  readonly toldOfCancellation?: string;
}

export const qualityEvidence: fc.Arbitrary<QualityEvidence> = fc.record(
  {
    relationship: fc.record({ active: maybe(fc.boolean()), period: maybe(period) }),
    interpreter: fc.constantFrom(...interpreterModes),
    disputes: fc.array(dispute, { minLength: 1, maxLength: 3 }),
    toldOfCancellation: day.chain((d) => fc.oneof(fc.constant(d), timeOn(d))),
  },
  { requiredKeys: [] },
);

type Mutable = Record<string, unknown>;

/** Adds the evidence to the record: to its first related person, review, plan and contact, where it has them. */
export function addQualityEvidence(record: Mutable, e: QualityEvidence): void {
  const first = (list: string) => (record[list] as Mutable[] | undefined)?.[0];
  const relatedPerson = first('relatedPeople');
  if (e.relationship && relatedPerson) Object.assign(relatedPerson, defined(e.relationship));
  const review = first('reviews');
  if (e.interpreter && review) review.interpreter = e.interpreter;
  const plan = first('plans');
  if (e.disputes && plan) plan.disputes = e.disputes;
  const encounter = first('encounters');
  if (e.toldOfCancellation && encounter) encounter.cancellation = { ...(encounter.cancellation as Mutable | undefined), personToldAt: e.toldOfCancellation };
}
