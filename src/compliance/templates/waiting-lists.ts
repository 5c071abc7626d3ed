/**
 * Waiting lists (LPT Adult CMHT SOP §6.17.3, §6.23.7 and Appendix 13): the letter on joining, the
 * RAG rating, the letter arranging the first telephone review and the second one after a missed
 * call, letters in place of calls, reviews as often as the rating asks, re-rating after a long
 * wait, the risk assessment before an internal referral joins, the place kept on moving team, and
 * the psychology list's data set.
 */
import { z } from 'zod';
import type { CtpRecord } from '../../record/record.schema.js';
import { ragRatings, ragRatingVocabulary, waitingListKinds, waitingListLetterContents, waitingListLetterContentVocabulary } from '../../record/waiting-list-vocabulary.js';
import { datePart, type IsoDate, latest } from '../../time/dates.js';
import { type Duration, dueDate, formatDuration } from '../../time/duration.js';
import { perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate, type Emit } from '../template.js';
import { at, judgeDeadline } from './common.js';

type Entry = NonNullable<CtpRecord['waitingListEntries']>[number];
type Letter = NonNullable<Entry['letters']>[number];
type Rating = NonNullable<Entry['ratings']>[number];

const listsParam = z.array(z.enum(waitingListKinds)).min(1);

interface Place {
  readonly entry: Entry;
  readonly location: string;
}

/** Every waiting-list rule judges places on the list, and nothing else. */
const onTheList = () => ['waitingListEntries'] as const;

/** Places that had begun by the evaluation date, each with its location (facts index no positions in this list): shared by the waiting-list rules. */
const placesBegun = perPerson((f): readonly Place[] => {
  const places: Place[] = [];
  (f.record.waitingListEntries ?? []).forEach((entry, i) => {
    if (entry.addedOn <= f.asOf) places.push({ entry, location: `waitingListEntries[${i}]` });
  });
  return places;
});

/** The places on the given lists that had begun by the evaluation date. */
function placesOn(f: RecordFacts, lists: readonly string[]): readonly Place[] {
  if ((f.record.waitingListEntries?.length ?? 0) === 0) return [];
  const begun = placesBegun(f);
  // Most people wait on the lists a rule names, or on none: then the shared list serves as it is.
  for (const p of begun) if (!lists.includes(p.entry.list)) return begun.filter((q) => lists.includes(q.entry.list));
  return begun;
}

/** Where an item of one of a place's lists (its letters, ratings) is. */
const itemAt = <T>(location: string, field: string, items: readonly T[] | undefined, item: T) => `${location}.${field}[${items?.indexOf(item) ?? 0}]`;

/** The last day the person was on the list by the evaluation date, and whether the place has ended by then. */
function lastDayOn(f: RecordFacts, entry: Entry): { to: IsoDate; ended: boolean } {
  return entry.removedOn !== undefined && entry.removedOn <= f.asOf ? { to: entry.removedOn, ended: true } : { to: f.asOf, ended: false };
}

/** Letters of a kind, by date. */
function lettersOf(entry: Entry, kinds: readonly string[]): Letter[] {
  return (entry.letters ?? []).filter((l) => kinds.includes(l.kind)).sort((a, b) => (a.sentOn < b.sentOn ? -1 : a.sentOn > b.sentOn ? 1 : 0));
}

/** The earliest letter of a kind (the first recorded among those of its day). */
function firstLetter(entry: Entry, kind: string): Letter | undefined {
  let first: Letter | undefined;
  for (const l of entry.letters ?? []) if (l.kind === kind && (first === undefined || l.sentOn < first.sentOn)) first = l;
  return first;
}

/** The earliest day a letter of a kind was sent on or after `day`: the first such letter by date, found without sorting the letters. */
function firstSentFrom(entry: Entry, kind: string, day: IsoDate): IsoDate | undefined {
  let first: IsoDate | undefined;
  for (const l of entry.letters ?? []) if (l.kind === kind && l.sentOn >= day && (first === undefined || l.sentOn < first)) first = l.sentOn;
  return first;
}

/**
 * "Within N of the anchor, while the person waits": as judgeDeadline, except that a place that
 * ended before the deadline without it ends the duty (the person was allocated, moved or left).
 */
function judgeWhileWaiting(
  f: RecordFacts,
  emit: Emit,
  entry: Entry,
  c: { anchor: IsoDate; done: IsoDate | undefined; limit: Duration; what: string; notDone: string; since: string; location: string },
): void {
  const removed = entry.removedOn;
  // The deadline is worked out only for a place that ended without it done.
  if ((c.done === undefined || c.done > f.asOf) && removed !== undefined && removed <= f.asOf && removed <= dueDate(c.anchor, c.limit, f.calendar)) {
    emit.notApplicable(`The place on the waiting list ended before ${formatDuration(c.limit)} from ${c.since} had passed.`, c.location);
    return;
  }
  // The place, not the person's time in services, bounds the duty: no leftServicesOn.
  judgeDeadline(f, emit, c);
}

/**
 * A letter to the person on joining the list, within a time of being added (LPT SOP §6.17.3,
 * Appendix 5): `sent` judges that it went; `contents` that it told them what the policy names
 * (the expected wait and how to get help in an emergency).
 */
export const waitingListLetterOnJoining = defineTemplate({
  name: 'waiting-list-letter-on-joining',
  silentWithout: onTheList,
  params: z.object({ lists: listsParam, judge: z.enum(['sent', 'contents']), within: durationParam, contents: z.array(z.enum(waitingListLetterContents)).min(1) }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const { lists, judge, within, contents } = params();
    for (const { entry, location } of placesOn(f, lists)) {
      const letter = firstLetter(entry, 'placed-on-list');
      if (judge === 'sent') {
        judgeWhileWaiting(f, emit, entry, {
          anchor: entry.addedOn,
          done: letter?.sentOn,
          limit: within,
          what: 'The letter explaining the waiting list was sent',
          notDone: 'No letter explaining the waiting list has been sent',
          since: 'the person was added to the list',
          location,
        });
        continue;
      }
      if (letter === undefined || letter.sentOn > f.asOf) continue;
      const letterAt = itemAt(location, 'letters', entry.letters, letter);
      if (letter.contents === undefined) {
        emit.cannotEvaluate([`${letterAt}.contents`], 'What the letter explaining the waiting list told the person is not recorded.', letterAt);
        continue;
      }
      const missing = contents.filter((c) => !letter.contents!.includes(c));
      if (missing.length === 0) emit.pass('The letter explaining the waiting list said everything the policy names.', letterAt);
      else
        emit.fail(
          `The letter explaining the waiting list did not say: ${missing.map((c) => waitingListLetterContentVocabulary[c].display.toLowerCase()).join('; ')}.`,
          letterAt,
        );
    }
  },
});

/** The person is RAG-rated by the day they join the list (LPT SOP §6.17.3, Appendix 13: rated at assessment, then added). */
export const ragRatedOnJoining = defineTemplate({
  name: 'rag-rated-on-joining',
  silentWithout: onTheList,
  params: z.object({ lists: listsParam }).strict(),
  evaluate(f, params, emit) {
    const { lists } = params();
    for (const { entry, location } of placesOn(f, lists)) {
      let first: Rating | undefined;
      for (const r of entry.ratings ?? []) if (r.on <= f.asOf && (first === undefined || r.on < first.on)) first = r;
      if (first === undefined) emit.fail('No RAG rating is recorded for the person on the waiting list.', location);
      else if (first.on <= entry.addedOn) emit.pass('The person was RAG-rated by the day they joined the waiting list.', location);
      else emit.fail(`The person was first RAG-rated after joining the waiting list, not by the day they joined.`, itemAt(location, 'ratings', entry.ratings, first));
    }
  },
});

/**
 * Letters about telephone reviews (LPT SOP §6.17.3): `first`, a letter arranging the first
 * telephone review by a time after the assessment; `after-missed-call`, another letter with a new
 * date within a time of a call that did not reach the person. Neither is asked of a place where it
 * was agreed to write instead of telephoning (from the day agreed).
 */
export const reviewLetters = defineTemplate({
  name: 'waiting-list-review-letters',
  silentWithout: onTheList,
  params: z.object({ lists: listsParam, letter: z.enum(['first', 'after-missed-call']), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const { lists, letter, within } = params();
    for (const { entry, location } of placesOn(f, lists)) {
      const writing = entry.lettersInsteadOfCallsFrom;
      if (letter === 'first') {
        if (entry.assessedOn === undefined) {
          emit.cannotEvaluate(
            [`${location}.assessedOn`],
            'When the person was assessed is not recorded, so when the first telephone review was due cannot be told.',
            location,
          );
          continue;
        }
        if (writing !== undefined && writing <= dueDate(entry.assessedOn, within, f.calendar)) {
          emit.notApplicable('It was agreed to write to the person instead of telephoning them.', location);
          continue;
        }
        judgeWhileWaiting(f, emit, entry, {
          anchor: entry.assessedOn,
          done: firstSentFrom(entry, 'review-arranged', entry.assessedOn),
          limit: within,
          what: 'The letter arranging the first telephone review was sent',
          notDone: 'No letter arranging a telephone review has been sent',
          since: 'the assessment',
          location,
        });
        continue;
      }
      (entry.reviews ?? []).forEach((review, i) => {
        if (review.method !== 'telephone' || review.reached === true) return;
        const on = f.ukDateOf(review.at);
        if (on === undefined || on > f.asOf) return;
        if (writing !== undefined && writing <= on) return;
        const reviewAt = `${location}.reviews[${i}]`;
        if (review.reached === undefined) {
          emit.cannotEvaluate([`${reviewAt}.reached`], 'Whether the telephone review reached the person is not recorded.', reviewAt);
          return;
        }
        judgeWhileWaiting(f, emit, entry, {
          anchor: on,
          done: firstSentFrom(entry, 'review-arranged', on),
          limit: within,
          what: 'A letter with a new date for the telephone review was sent',
          notDone: 'No letter with a new date has been sent',
          since: 'the call that did not reach the person',
          location: reviewAt,
        });
      });
    }
  },
});

/** A date in the record with its location. */
interface Dated {
  readonly on: IsoDate;
  readonly location: string;
}

/**
 * Walks the gaps from `from` through each event to `to`: an event later than its deadline fails
 * at its location, and so does a gap still open at `to` once its deadline has passed. `dueAfter`
 * gives the deadline of the gap that starts on a day. Passes once when no gap was too long.
 */
function judgeGaps(
  emit: Emit,
  c: { from: IsoDate; to: IsoDate; open: boolean; events: readonly Dated[]; dueAfter: (start: IsoDate) => IsoDate; what: string; since: string; location: string },
): void {
  let previous = c.from;
  let failures = 0;
  for (const event of c.events) {
    if (event.on < previous || event.on > c.to) continue;
    const due = c.dueAfter(previous);
    if (event.on > due) {
      failures += 1;
      emit.fail(`${c.what} came later than due after ${previous === c.from ? c.since : 'the one before'}.`, event.location, { due });
    }
    previous = event.on;
  }
  const due = c.dueAfter(previous);
  if (c.to > due) {
    failures += 1;
    emit.fail(`${c.what} was overdue since ${previous === c.from ? c.since : 'the last one'}${c.open ? '' : ', up to the end of the wait'}.`, c.location, { due });
  }
  if (failures > 0) return;
  if (c.events.some((e) => e.on >= c.from && e.on <= c.to)) emit.pass(`${c.what} came as often as the policy asks.`, c.location);
  else emit.notApplicable(c.open ? `Not yet due since ${c.since}.` : 'None was due before the wait ended.', c.location);
}

/**
 * Where it was agreed not to telephone the person, a letter of the expected wait at least every
 * `every` from the day agreed, while they wait (LPT SOP §6.17.3).
 */
export const lettersInsteadOfCalls = defineTemplate({
  name: 'waiting-list-letters-instead-of-calls',
  silentWithout: onTheList,
  params: z.object({ lists: listsParam, every: durationParam }).strict(),
  tightening: { every: 'lower' },
  evaluate(f, params, emit) {
    const { lists, every } = params();
    for (const { entry, location } of placesOn(f, lists)) {
      const from = entry.lettersInsteadOfCallsFrom;
      if (from === undefined || from > f.asOf) continue;
      const { to, ended } = lastDayOn(f, entry);
      if (from > to) continue;
      const letters = lettersOf(entry, ['expected-wait']).map((l) => ({ on: l.sentOn, location: itemAt(location, 'letters', entry.letters, l) }));
      judgeGaps(emit, {
        from,
        to,
        open: !ended,
        events: letters,
        dueAfter: (start) => dueDate(start, every, f.calendar),
        what: 'A letter giving the expected wait',
        since: 'it was agreed to write instead of telephoning',
        location,
      });
    }
  },
});

/** How a review while waiting may be made; for an internal referral, an email to the care team as well. */
const REVIEW_METHODS: readonly string[] = ['telephone', 'visit'];
const INTERNAL_REVIEW_METHODS: readonly string[] = ['telephone', 'visit', 'email'];

const ratingIntervals = z.object({ red: durationParam, amber: durationParam, green: durationParam }).strict();

/**
 * Reviews while waiting as often as the RAG rating asks (LPT SOP Appendix 13): from `first` after
 * joining, each review within the interval of the rating in force (a re-rating starts its own
 * interval); a telephone call or visit, or for an internal referral an email to the care team.
 * Not asked once it was agreed to write instead of telephoning.
 */
export const reviewedByRating = defineTemplate({
  name: 'waiting-list-reviewed-by-rating',
  silentWithout: onTheList,
  params: z.object({ lists: listsParam, first: durationParam, every: ratingIntervals }).strict(),
  tightening: { first: 'lower' },
  evaluate(f, params, emit) {
    const { lists, first, every } = params();
    for (const { entry, location } of placesOn(f, lists)) {
      const from = dueDate(entry.addedOn, first, f.calendar);
      const last = lastDayOn(f, entry);
      const writing = entry.lettersInsteadOfCallsFrom;
      const to = writing !== undefined && writing < last.to ? writing : last.to;
      if (from > to) {
        if (!last.ended && (writing === undefined || writing > f.asOf))
          emit.notApplicable(`Not yet due: ${formatDuration(first)} on the waiting list have not passed.`, location);
        continue;
      }
      const ratings = [...(entry.ratings ?? [])].sort((a, b) => (a.on < b.on ? -1 : 1));
      const other = ratings.filter((r) => !(r.rating in every));
      if (ratings.length === 0 || other.length > 0) {
        const missing = ratings.length === 0 ? [`${location}.ratings`] : other.map((r) => `${itemAt(location, 'ratings', entry.ratings, r)}.rating`);
        emit.cannotEvaluate(missing, 'Without a red, amber or green rating, how often the person should be reviewed cannot be told.', location);
        continue;
      }
      const interval = (r: Rating) => every[r.rating as keyof typeof every];
      // The earliest of the due date under the rating in force at `start` and those of re-ratings after it (ratings are by date).
      const dueAfter = (start: IsoDate): IsoDate => {
        let inForce = ratings[0]!;
        for (const r of ratings) if (r.on <= start) inForce = r;
        let due = dueDate(start, interval(inForce), f.calendar);
        for (const r of ratings) {
          if (r.on <= start || r.on > to) continue;
          const reRated = dueDate(r.on, interval(r), f.calendar);
          if (reRated < due) due = reRated;
        }
        return due;
      };
      const methods = entry.internalReferral === true ? INTERNAL_REVIEW_METHODS : REVIEW_METHODS;
      judgeGaps(emit, {
        from,
        to,
        open: to === f.asOf,
        events: reviewsBy(f, entry, location, methods),
        dueAfter,
        what: 'A review of the person waiting',
        since: `${formatDuration(first)} on the waiting list`,
        location,
      });
    }
  },
});

/** The reviews of a place made by one of `methods`, by date, each with its location. */
function reviewsBy(f: RecordFacts, entry: Entry, location: string, methods: readonly string[]): Dated[] {
  const reviews: Dated[] = [];
  const all = entry.reviews ?? [];
  for (let i = 0; i < all.length; i++) {
    const r = all[i]!;
    const on = f.ukDateOf(r.at);
    if (on !== undefined && methods.includes(r.method)) reviews.push({ on, location: `${location}.reviews[${i}]` });
  }
  return reviews.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

/** The first of the ratings from index `start` that is not `rating`. */
function nextRatingOtherThan(ratings: readonly Rating[], start: number, rating: string): Rating | undefined {
  for (let i = start; i < ratings.length; i++) if (ratings[i]!.rating !== rating) return ratings[i];
  return undefined;
}

/**
 * A rating held too long is raised (LPT SOP Appendix 13, RAG grid): someone rated `from` for more
 * than `after` is re-rated by then (amber for 3 months calls for red, green for 6 months for amber).
 */
export const reRatedAfterWaiting = defineTemplate({
  name: 'waiting-list-re-rated',
  silentWithout: onTheList,
  params: z.object({ lists: listsParam, from: z.enum(ragRatings), after: durationParam }).strict(),
  tightening: { after: 'lower' },
  evaluate(f, params, emit) {
    const { lists, from, after } = params();
    const places = placesOn(f, lists);
    // Most people wait on no list: the rating's name is written only for those who do.
    if (places.length === 0) return;
    const name = ragRatingVocabulary[from].display.toLowerCase();
    for (const { entry, location } of places) {
      const ratings = (entry.ratings ?? []).filter((r) => r.on <= f.asOf).sort((a, b) => (a.on < b.on ? -1 : 1));
      const { to } = lastDayOn(f, entry);
      ratings.forEach((rating, i) => {
        if (rating.rating !== from || (i > 0 && ratings[i - 1]!.rating === from)) return;
        const start = latest([rating.on, entry.addedOn])!;
        const next = nextRatingOtherThan(ratings, i + 1, from);
        if (next === undefined && start > to) return;
        const ratingAt = itemAt(location, 'ratings', entry.ratings, rating);
        judgeWhileWaiting(f, emit, entry, {
          anchor: start,
          done: next?.on,
          limit: after,
          what: `The person rated ${name} was re-rated`,
          notDone: `The person is still rated ${name}`,
          since: `they were rated ${name} on the waiting list`,
          location: ratingAt,
        });
      });
    }
  },
});

/**
 * An internal referral joins the list only after the referring clinician has updated the risk
 * assessment (LPT SOP §6.17.3): one within `within` up to the day added, made by the referrer when
 * the referrer is a practitioner the record names.
 */
export const riskUpdatedBeforeJoining = defineTemplate({
  name: 'risk-updated-before-waiting-list',
  silentWithout: onTheList,
  params: z.object({ lists: listsParam, within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const { lists, within } = params();
    for (const { entry, location } of placesOn(f, lists)) {
      if (entry.internalReferral !== true) continue;
      const all = f.record.riskAssessments ?? [];
      const dated = all.map((ra) => ({ ra, on: ra.date === undefined ? undefined : datePart(ra.date) }));
      const before = dated.filter((x) => x.on !== undefined && x.on <= entry.addedOn && dueDate(x.on, within, f.calendar) >= entry.addedOn);
      const clinician = entry.referrer?.kind === 'practitioner' ? entry.referrer.id : undefined;
      const byReferrer = clinician === undefined ? before : before.filter((x) => x.ra.reviewer === clinician);
      if (byReferrer.length > 0) {
        emit.pass(`The risk assessment was updated${clinician === undefined ? '' : ' by the referring clinician'} before the person joined the waiting list.`, location);
        continue;
      }
      const unknownWho = clinician === undefined ? [] : before.filter((x) => x.ra.reviewer === undefined).map((x) => `${at.item(f, 'riskAssessments', x.ra)}.reviewer`);
      const undated = dated.filter((x) => x.on === undefined).map((x) => `${at.item(f, 'riskAssessments', x.ra)}.date`);
      if (unknownWho.length > 0 || undated.length > 0) {
        emit.cannotEvaluate(
          [...unknownWho, ...undated],
          'A risk assessment has no date or does not say who made it, so whether the referring clinician updated it before the person joined the waiting list cannot be told.',
          location,
        );
        continue;
      }
      emit.fail(
        before.length > 0
          ? `The risk assessment was updated in the ${formatDuration(within)} before the person joined the waiting list, but not by the referring clinician.`
          : `No risk assessment in the ${formatDuration(within)} before the person joined the waiting list.`,
        location,
        { due: entry.addedOn },
      );
    }
  },
});

/**
 * A person moved to another team's list keeps their place by the date of referral (LPT SOP
 * §6.17.3): the new place names the one it replaced and carries the same date of referral, and a
 * place ended by a move is followed by one.
 */
export const placeKeptOnMovingTeam = defineTemplate({
  name: 'waiting-list-place-kept-on-moving',
  silentWithout: onTheList,
  params: z.object({ lists: listsParam }).strict(),
  evaluate(f, params, emit) {
    const { lists } = params();
    const entries = f.record.waitingListEntries ?? [];
    for (const { entry, location } of placesOn(f, lists)) {
      const successor = entries.find((e) => e.transferredFrom === entry.id);
      if (entry.removedBecause === 'moved-team' && successor === undefined && entry.removedOn !== undefined && entry.removedOn <= f.asOf) {
        emit.fail('The person left the waiting list to move team, but no place on the new team’s list is recorded.', location);
      }
      const previous = entry.transferredFrom === undefined ? undefined : entries.find((e) => e.id === entry.transferredFrom);
      if (previous === undefined) continue;
      const missing = [
        ...(previous.referredOn === undefined ? [`waitingListEntries[${entries.indexOf(previous)}].referredOn`] : []),
        ...(entry.referredOn === undefined ? [`${location}.referredOn`] : []),
      ];
      // At the link to the earlier place: the place itself may also be left by a move (above).
      const link = `${location}.transferredFrom`;
      if (missing.length > 0) emit.cannotEvaluate(missing, 'The date of referral the place is based on is not recorded.', link);
      else if (entry.referredOn === previous.referredOn) emit.pass('The person kept their place on the new team’s list by the date of referral.', link);
      else emit.fail('The place on the new team’s list is based on a different date of referral from the place it replaced.', `${location}.referredOn`);
    }
  },
});

/** What the psychology waiting list records as a minimum (LPT SOP §6.23.7), where the record has a field for it. */
const dataSetFields = {
  referredOn: 'the date of referral',
  referrer: 'the referrer',
  priority: 'the referral’s priority',
  anticipatedWait: 'the anticipated time to an appointment',
} as const;

/** A place on the list holds the data set the policy names (LPT SOP §6.23.7). */
export const waitingListDataSet = defineTemplate({
  name: 'waiting-list-data-set',
  silentWithout: onTheList,
  params: z.object({ lists: listsParam }).strict(),
  evaluate(f, params, emit) {
    const { lists } = params();
    for (const { entry, location } of placesOn(f, lists)) {
      const missing = (Object.keys(dataSetFields) as (keyof typeof dataSetFields)[]).filter((k) => entry[k] === undefined);
      if (missing.length === 0) emit.pass('The place on the waiting list holds the minimum data set.', location);
      else emit.fail(`The place on the waiting list does not record: ${missing.map((k) => dataSetFields[k]).join('; ')}.`, location);
    }
  },
});

export const waitingListTemplates = [
  waitingListLetterOnJoining,
  ragRatedOnJoining,
  reviewLetters,
  lettersInsteadOfCalls,
  reviewedByRating,
  reRatedAfterWaiting,
  riskUpdatedBeforeJoining,
  placeKeptOnMovingTeam,
  waitingListDataSet,
];
