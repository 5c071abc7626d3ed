/**
 * Capacity decisions for the synthetic English histories (LPT Care Coordination Policy App 1;
 * Mental Capacity Act 2005 ss.37–39): now and then a person in an episode has their capacity
 * assessed for a decision (an assessment of kind other, since the histories hold no assessments of
 * their own), usually a move or serious treatment; some lack capacity with no one to consult, and
 * most of those have an IMCA, a few only after the decision. Some decisions hold what decides the
 * Act's exceptions (urgency, the Mental Health Act 1983, where a move places the person and for how
 * long, often at the Act's limits of 28 and 56 days), drawn from a second stream so that the
 * decisions themselves are those drawn before. Some moves first expected to be short are later
 * expected to last longer, each side of the limits, mostly with the day that came to be expected,
 * drawn from a third stream so that all the rest is as drawn before. Some moves to a hospital or
 * care home whose stay was not revised are to the place of a Deprivation of Liberty Safeguards
 * standard authorisation, drawn from a fourth stream likewise. Deterministic, from its own seeded streams.
 */
import type { CtpRecord } from '../../src/record/record.schema.js';
import { addDays, daysBetween } from '../../src/time/dates.js';
import { seededRandom } from './generate-histories.js';

type Assessment = NonNullable<CtpRecord['assessments']>[number];
type CapacityDecision = NonNullable<Assessment['capacityDecisions']>[number];

const KINDS = ['accommodation-change', 'accommodation-change', 'serious-medical-treatment', 'other'] as const;
const PLACES = ['hospital', 'hospital', 'care-home', 'care-home', 'other'] as const;
/** Expected stays in days, each side of the Act's limits and well beyond them. */
const STAYS = [3, 14, 27, 28, 29, 42, 55, 56, 57, 90, 182, 365] as const;

/** Revised stays in days, each side of the Act's limits and beyond them. */
const REVISED_STAYS = [27, 28, 40, 55, 56, 90, 182] as const;

/** What decides the Act's exceptions for a decision, as far as the source holds it. */
function exceptionFacts(kind: CapacityDecision['kind'], random: () => number): Partial<CapacityDecision> {
  if (kind === 'other') return {};
  const below = (p: number) => random() < p;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const facts: Partial<CapacityDecision> = {};
  if (below(0.5)) facts.urgent = below(0.2);
  if (below(0.4)) facts.underMentalHealthAct = below(0.15);
  if (kind === 'accommodation-change') {
    if (below(0.8)) facts.accommodationKind = pick(PLACES);
    if (below(0.7)) facts.expectedStayDays = pick(STAYS);
  }
  return facts;
}

/** A move expected to be short that the body later expects to last longer (ss.38(4), 39(5)), now and then. */
function revisionFacts(decision: CapacityDecision, decidedOn: string, random: () => number): Partial<CapacityDecision> {
  if (decision.kind !== 'accommodation-change' || decision.expectedStayDays === undefined || decision.expectedStayDays >= 56) return {};
  const below = (p: number) => random() < p;
  if (!below(0.8)) return {};
  const revisedStayDays = REVISED_STAYS[Math.floor(random() * REVISED_STAYS.length)]!;
  return below(0.7) ? { revisedStayDays, stayRevisedOn: addDays(decidedOn, 1 + Math.floor(random() * 40)) } : { revisedStayDays };
}

/**
 * Whether a move to a hospital or care home is to the place of a Deprivation of Liberty Safeguards
 * standard authorisation (ss.38(2A), 39(3A)), now and then. Moves whose stay was revised are left
 * alone, so that the revisions still reach each outcome.
 */
function dolsFacts(decision: CapacityDecision, random: () => number): Partial<CapacityDecision> {
  if (decision.kind !== 'accommodation-change' || decision.accommodationKind === 'other' || decision.revisedStayDays !== undefined) return {};
  const below = (p: number) => random() < p;
  if (!below(0.3)) return {};
  return { dolsAuthorisedPlace: below(0.5) };
}

export function withCapacityDecisions(records: readonly CtpRecord[], seed = 20260512): CtpRecord[] {
  const random = seededRandom(seed);
  const exceptionRandom = seededRandom(seed + 1);
  const revisionRandom = seededRandom(seed + 2);
  const dolsRandom = seededRandom(seed + 3);
  const below = (p: number) => random() < p;
  return records.map((base) => {
    const r = structuredClone(base);
    const episode = r.episodes?.at(-1);
    if (episode?.acceptedOn === undefined || !below(0.2)) return r;
    const span = daysBetween(episode.acceptedOn, r.source.extractedAt.slice(0, 10)) - 60;
    if (span < 0) return r;
    const date = addDays(episode.acceptedOn, Math.floor(random() * span));
    const decidedOn = addDays(date, Math.floor(random() * 60));
    const lacksCapacity = below(0.6);
    const alone = lacksCapacity && below(0.5);
    const imcaInstructedOn = alone && below(0.8) ? addDays(decidedOn, below(0.85) ? -Math.floor(random() * 14) : 3) : undefined;
    const kind = KINDS[Math.floor(random() * KINDS.length)]!;
    const decision: CapacityDecision = {
      kind,
      ...(below(0.9) ? { decidedOn } : {}),
      lacksCapacity,
      ...(lacksCapacity && below(0.95) ? { someoneToConsult: !alone } : {}),
      ...(imcaInstructedOn === undefined ? {} : { imcaInstructedOn }),
      ...exceptionFacts(kind, exceptionRandom),
    };
    Object.assign(decision, revisionFacts(decision, decidedOn, revisionRandom));
    Object.assign(decision, dolsFacts(decision, dolsRandom));
    const assessment: Assessment = { id: 'capacity-assessment', kind: 'other', date, episode: episode.id, advocacyConsidered: true, capacityDecisions: [decision] };
    r.assessments = [...(r.assessments ?? []), assessment];
    return r;
  });
}
