/**
 * Places on waiting lists for the synthetic English histories (LPT SOP §6.17.3, §6.23.7,
 * Appendix 13): some people wait on the CPN list after their assessment, RAG-rated, with the
 * letter on joining, the letter arranging a telephone review and the reviews themselves (some
 * missed), a few re-rated, moved to another team's list or written to instead of telephoned, and
 * some wait for community psychology. Referrals say how they came and from whom, and carry the
 * decision with who was told, and now and then an urgent referral re-graded to routine; the duty
 * worker's call says what it agreed, urgent assessments are discussed with a senior, and people
 * ring duty and are called back. Deterministic, from its own seeded stream.
 */
import type { CtpRecord } from '../../src/record/record.schema.js';
import { referralDataItems } from '../../src/record/vocabulary.js';
import { addDays, addMonths, earliest, type IsoDate } from '../../src/time/dates.js';
import { londonOffsetMinutes } from '../../src/time/elapsed.js';
import { seededRandom } from './generate-histories.js';

type Entry = NonNullable<CtpRecord['waitingListEntries']>[number];

/** The referral data set, as a referral may hold it. */
const DATA_SET = referralDataItems.filter((i) => i !== 'other');

/** A UK local time on a date, written with the offset then in force. */
function ukTime(date: IsoDate, hour: number): string {
  const offset = londonOffsetMinutes(Date.parse(`${date}T12:00:00Z`));
  return `${date}T${String(hour).padStart(2, '0')}:00:00${offset === 60 ? '+01:00' : 'Z'}`;
}

export function withWaitingLists(records: readonly CtpRecord[], seed = 20260207): CtpRecord[] {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const chance = (p: number) => random() < p;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  return records.map((base) => {
    const r = structuredClone(base);
    const to = r.source.extractedAt.slice(0, 10);
    const entries: Entry[] = [];
    for (const episode of r.episodes ?? []) {
      const referral = episode.referral;
      if (referral !== undefined && episode.acceptedOn !== undefined) {
        referral.route = pick([
          'central-access',
          'central-access',
          'central-access',
          'central-access',
          'central-access',
          'central-access',
          'internal',
          'internal',
          'neighbourhood-mdt',
        ] as const);
        referral.source =
          referral.route === 'internal' ? pick(['crisis-team', 'inpatient', 'mental-health-team'] as const) : pick(['gp', 'gp', 'self', 'social-services'] as const);
        const items = DATA_SET.filter(() => chance(0.95));
        referral.dataSet = {
          items: items.length > 0 ? items : ['reason-and-why-now'],
          ...(items.length < DATA_SET.length && chance(0.8) ? { missingSoughtOn: addDays(referral.receivedOn, int(1, 8)) } : {}),
        };
        const decidedOn = addDays(referral.receivedOn, int(0, 10));
        referral.decision = {
          outcome: 'accepted',
          on: decidedOn,
          ...(chance(0.9) ? { told: [{ who: 'referrer', on: addDays(decidedOn, int(0, 8)), inWriting: true }] } : {}),
        };
        const triaged = referral.triage?.at?.slice(0, 10);
        if (triaged !== undefined && chance(0.9)) {
          const reached = chance(0.85);
          const call: NonNullable<typeof referral.contactAttempts>[number] = { at: ukTime(addDays(triaged, pick([0, 0, 1, 3])), 15), method: 'telephone', reached };
          if (reached) Object.assign(call, { riskAssessed: true, safetyPlanAgreed: chance(0.9), ...(chance(0.8) ? { timescaleAgreed: true } : {}) });
          referral.contactAttempts = [...(referral.contactAttempts ?? []), call];
        }
        const assessment = r.encounters?.find((e) => e.id === `${episode.id}-assess`);
        if (assessment?.start !== undefined && referral.priority === 'urgent' && chance(0.85)) {
          assessment.seniorDiscussedAt = ukTime(addDays(assessment.start.slice(0, 10), chance(0.9) ? 0 : 1), 16);
        }
        if (referral.priority === 'urgent' && chance(0.2)) {
          const on = addDays(referral.receivedOn, 1);
          referral.regradings = [
            {
              from: 'urgent',
              to: 'routine',
              on,
              rationaleGiven: chance(0.8),
              told: [
                { who: 'gp', on: addDays(on, int(0, 7)) },
                { who: 'patient', on: addDays(on, int(0, 7)) },
              ],
            },
          ];
        }
      }
      if (episode.acceptedOn === undefined || !chance(0.4)) continue;
      const assessedOn = episode.acceptedOn;
      const addedOn = addDays(assessedOn, int(0, 2));
      const allocatedOn = addDays(addedOn, int(20, 300));
      const ends = earliest([allocatedOn, to])!;
      const rating = pick(['red', 'amber', 'amber', 'green'] as const);
      const id = `${episode.id}-wait`;
      const every = { red: 14, amber: 28, green: 91 }[rating];
      const reviews: NonNullable<Entry['reviews']> = [];
      for (let on = addDays(addedOn, 84 + int(3, 10)); on <= ends; on = addDays(on, every + int(-2, 3))) {
        reviews.push({ at: ukTime(on, int(9, 16)), method: 'telephone', reached: chance(0.8) });
      }
      const letters: NonNullable<Entry['letters']> = [
        { kind: 'placed-on-list', sentOn: addDays(addedOn, int(0, 7)), contents: chance(0.9) ? ['expected-wait', 'emergency-contacts'] : ['expected-wait'] },
      ];
      const reviewLetter = addDays(addMonths(assessedOn, 3), int(-10, 5));
      if (reviewLetter <= ends) letters.push({ kind: 'review-arranged', sentOn: reviewLetter, contents: ['review-date'] });
      for (const review of reviews)
        if (review.reached === false) letters.push({ kind: 'review-arranged', sentOn: addDays(review.at.slice(0, 10), int(1, 8)), contents: ['review-date'] });
      const ratings: NonNullable<Entry['ratings']> = [{ rating, on: chance(0.9) ? assessedOn : addDays(addedOn, 1) }];
      if (rating !== 'red' && chance(0.3)) ratings.push({ rating: rating === 'amber' ? 'red' : 'amber', on: addDays(addedOn, int(60, 200)) });
      const moved = chance(0.05) && allocatedOn < to;
      entries.push({
        id,
        list: 'cpn',
        episode: episode.id,
        team: episode.team ?? 'Community Mental Health Team',
        referredOn: episode.referral?.receivedOn ?? addDays(assessedOn, -int(5, 30)),
        referrer: { kind: 'organisation', id: r.organisations?.[0]?.id ?? 'gp' },
        priority: 'routine',
        ...(chance(0.3) ? { internalReferral: true } : {}),
        assessedOn,
        addedOn,
        ...(allocatedOn <= to ? { removedOn: allocatedOn, removedBecause: moved ? 'moved-team' : 'allocated' } : {}),
        ...(chance(0.1) ? { lettersInsteadOfCallsFrom: addDays(addedOn, int(30, 90)) } : {}),
        ratings: ratings.filter((x) => x.on <= to),
        letters: letters.filter((l) => l.sentOn <= to),
        ...(reviews.length > 0 ? { reviews } : {}),
      });
      if (moved) {
        const next = addDays(allocatedOn, int(0, 3));
        if (next <= to)
          entries.push({
            id: `${id}-moved`,
            list: 'cpn',
            episode: episode.id,
            team: 'Neighbouring Community Mental Health Team',
            referredOn: entries.at(-1)!.referredOn!,
            addedOn: next,
            transferredFrom: id,
            ratings: [{ rating, on: next }],
          });
      }
      if (chance(0.2)) {
        entries.push({
          id: `${episode.id}-psychology`,
          list: 'psychology',
          episode: episode.id,
          referredOn: addDays(assessedOn, int(10, 60)),
          ...(chance(0.9) ? { referrer: { kind: 'organisation' as const, id: r.organisations?.[0]?.id ?? 'gp' } } : {}),
          priority: pick(['routine', 'urgent'] as const),
          addedOn: addDays(assessedOn, int(60, 90)),
          ...(chance(0.8) ? { anticipatedWait: pick(['12 weeks', '18 weeks', '6 months']) } : {}),
        });
      }
    }
    const requests: NonNullable<CtpRecord['contactRequests']> = [];
    for (let n = 0, count = int(0, 3); n < count; n++) {
      const on = addDays(to, -int(5, 600));
      const urgent = chance(0.3);
      const reached = chance(0.7);
      const back = addDays(on, int(1, 2));
      requests.push({
        id: `duty-${n}`,
        at: ukTime(on, int(9, 16)),
        from: pick(['patient', 'patient', 'carer'] as const),
        ...(urgent ? { urgent } : {}),
        ...(reached ? { repliedAt: ukTime(back, int(9, 16)) } : {}),
        callBacks: [{ at: ukTime(back, 10), method: 'telephone', reached }, ...(!reached && chance(0.8) ? [{ at: ukTime(back, 11), method: 'sms' as const }] : [])],
      });
    }
    if (requests.length > 0) r.contactRequests = [...(r.contactRequests ?? []), ...requests];
    const current = entries.filter((e) => e.addedOn <= to);
    for (const e of current) for (const key of ['ratings', 'letters', 'reviews'] as const) if (e[key]?.length === 0) delete e[key];
    if (current.length > 0) r.waitingListEntries = current;
    return r;
  });
}
