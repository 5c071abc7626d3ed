/**
 * Plans of a named kind (English trust policies): a safety plan in time after acceptance,
 * assessment, triage or referral (LPT SOP §6.11, §6.17.3; ELFT §8, §9.3, §11), a best-interest
 * care plan when the person did not take part in planning (LPT SOP §6.11), what a leave plan or a
 * non-CPA plan sets out (LPT CCP §3.12; ELFT §14.1), a step-down plan's reviews (ELFT §10), the
 * parts of a risk formulation (LPT Clinical Risk Assessment Policy §5.9); and the records kept of
 * contacts, by the source system's audit times (ELFT §11, §14.1).
 */
import { z } from 'zod';
import {
  informationPackContents,
  informationPackContentVocabulary,
  planKinds,
  planKindVocabulary,
  planSections,
  planSectionVocabulary,
  riskFormulationParts,
  riskFormulationPartVocabulary,
} from '../../record/english-plans-vocabulary.js';
import type { CtpRecord } from '../../record/record.schema.js';
import { datePart, fromDayNumber, type IsoDate, toDayNumber } from '../../time/dates.js';
import { type Duration, dueDate, formatDuration } from '../../time/duration.js';
import { HOUR_MS, hasTimeOfDay, instantOfDateTime, londonDayNumberOf, londonDayNumberOfValue } from '../../time/elapsed.js';
import { type Encounter, type Episode, perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate, type Emit } from '../template.js';
import { at, encounterLocation, encounterPaths, judgeDeadline, roundedHours } from './common.js';
import { capitalise, lowerFirst } from './wording.js';

type OtherPlan = NonNullable<CtpRecord['otherPlans']>[number];
type PlanKind = (typeof planKinds)[number];

/** "a safety plan or an interim safety plan". */
function kindNames(kinds: readonly PlanKind[]): string {
  return kinds.map((k) => `${/^[aeiou]/i.test(planKindVocabulary[k].display) ? 'an' : 'a'} ${lowerFirst(planKindVocabulary[k].display)}`).join(' or ');
}

/** The day a full discharge ended the episode, when it had by the date of evaluation. */
export function leftServicesOn(f: RecordFacts, episode: Episode): IsoDate | undefined {
  const d = episode.discharge;
  return d?.kind === 'full' && d.date <= f.asOf ? d.date : undefined;
}

/** Whether a date falls within the episode, from its referral or acceptance to its discharge. */
function withinEpisode(episode: Episode, date: IsoDate): boolean {
  const start = episode.referral?.receivedOn ?? episode.acceptedOn;
  return (start === undefined || date >= start) && (episode.discharge === undefined || date <= episode.discharge.date);
}

/** The plans of the given kinds that belong to an episode: linked to it, or unlinked and made during it. */
export function plansOfEpisode(f: RecordFacts, episode: Episode, kinds: readonly PlanKind[]): OtherPlan[] {
  const single = (f.record.episodes ?? []).length === 1;
  return (f.record.otherPlans ?? []).filter(
    (p) => kinds.includes(p.kind) && (p.episode === episode.id || (p.episode === undefined && (p.madeOn === undefined ? single : withinEpisode(episode, p.madeOn)))),
  );
}

/** When the clock starts for an episode (at `location` in the record), or why it cannot start; undefined when there is nothing to start it. */
function anchorOf(
  f: RecordFacts,
  episode: Episode,
  from: 'accepted' | 'referred' | 'assessed' | 'triaged',
  location: string,
): { on: IsoDate; since: string } | { missing: string } | undefined {
  switch (from) {
    case 'accepted':
      return episode.acceptedOn !== undefined ? { on: episode.acceptedOn, since: 'the person was accepted' } : { missing: `${location}.acceptedOn` };
    case 'referred':
      return episode.referral !== undefined ? { on: episode.referral.receivedOn, since: 'the referral was received' } : { missing: `${location}.referral.receivedOn` };
    case 'triaged': {
      const triage = episode.referral?.triage;
      if (triage === undefined) return undefined;
      const on = triage.at === undefined ? undefined : f.ukDateOf(triage.at);
      return on !== undefined ? { on, since: 'the referral was triaged' } : { missing: `${location}.referral.triage.at` };
    }
    default: {
      const single = (f.record.episodes ?? []).length === 1;
      let first: IsoDate | undefined;
      for (const a of f.record.assessments ?? [])
        if ((first === undefined || a.date < first) && (a.episode === episode.id || (a.episode === undefined && (single || withinEpisode(episode, a.date))))) first = a.date;
      return first !== undefined ? { on: first, since: 'the person was assessed' } : undefined;
    }
  }
}

/** What a plan-of-kind-within rule says, worked out once per rule when its pack is compiled. */
function planWording(kinds: readonly PlanKind[]): { clockNotRecorded: string; undated: string; what: string; notDone: string } {
  const names = kindNames(kinds);
  return {
    clockNotRecorded: `When the clock for ${names} starts is not recorded.`,
    undated: `${capitalise(names)} has no date, so whether it was made in time cannot be told.`,
    what: `${capitalise(names)} was made`,
    notDone: `No ${kinds.map((k) => lowerFirst(planKindVocabulary[k].display)).join(' or ')} has been made`,
  };
}

/**
 * Of plans made by `asOf`: the first made on or after `from`, and whether any was made before it;
 * and whether any plan has no date.
 */
function firstMadeFrom(plans: readonly OtherPlan[], from: IsoDate, asOf: IsoDate): { first: IsoDate | undefined; earlier: boolean; undated: boolean } {
  let first: IsoDate | undefined;
  let earlier = false;
  let undated = false;
  for (const { madeOn } of plans) {
    if (madeOn === undefined) undated = true;
    else if (madeOn > asOf) continue;
    else if (madeOn < from) earlier = true;
    else if (first === undefined || madeOn < first) first = madeOn;
  }
  return { first, earlier, undated };
}

/**
 * A plan of one of the given kinds is made within a time of the episode's acceptance, referral,
 * triage or first assessment (LPT SOP §6.11: an interim safety plan at once; §6.17.3: a safety
 * plan within 7 working days of assessment; ELFT §8, §11: a safety plan at triage and within the
 * 28-day needs assessment). With `earlierCounts`, a plan made earlier in the episode is already in
 * place on the day the clock starts.
 */
export const planOfKindWithin = defineTemplate({
  name: 'plan-of-kind-within',
  params: z
    .object({
      kinds: z.array(z.enum(planKinds)).min(1),
      from: z.enum(['accepted', 'referred', 'assessed', 'triaged']),
      within: durationParam,
      earlierCounts: z.boolean().default(false),
    })
    .strict()
    .transform((p) => ({ ...p, wording: planWording(p.kinds) })),
  tightening: { within: 'lower' },
  // The clock from the first assessment does not start without one (anchorOf).
  silentWithout: (p) => (p.from === 'assessed' ? ['assessments'] : []),
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const { kinds, from, within, earlierCounts, wording } = params(episode);
      const location = at.item(f, 'episodes', episode);
      const anchor = anchorOf(f, episode, from, location);
      if (anchor === undefined) continue;
      if ('missing' in anchor) {
        emit.cannotEvaluate([anchor.missing], wording.clockNotRecorded, location);
        continue;
      }
      if (anchor.on > f.asOf) continue;
      const plans = plansOfEpisode(f, episode, kinds);
      const made = firstMadeFrom(plans, anchor.on, f.asOf);
      const done = earlierCounts && made.earlier ? anchor.on : made.first;
      if (done === undefined && made.undated) {
        emit.cannotEvaluate(
          plans.filter((p) => p.madeOn === undefined).map((p) => `${at.item(f, 'otherPlans', p)}.madeOn`),
          wording.undated,
          location,
        );
        continue;
      }
      judgeDeadline(f, emit, {
        anchor: anchor.on,
        done,
        limit: within,
        what: wording.what,
        notDone: wording.notDone,
        since: anchor.since,
        location,
        leftServicesOn: leftServicesOn(f, episode),
      });
    }
  },
});

/**
 * When a version of the care plan records that the person did not take part in planning, a
 * best-interest care plan is written and given to them within a time of that version (LPT SOP
 * §6.11). A best-interest plan already given before counts from the version's day.
 */
export const bestInterestPlanWhenNotInvolved = defineTemplate({
  name: 'best-interest-plan-when-not-involved',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const plan of f.record.plans ?? []) {
      if (plan.involvement?.tookPart !== false) continue;
      const episode = f.episode(plan.episode);
      const { within } = params(episode);
      const location = `${at.plan(f, plan)}.involvement`;
      if (plan.madeOn === undefined) {
        emit.cannotEvaluate([`${at.plan(f, plan)}.madeOn`], 'When the care plan the person did not take part in was made is not recorded.', location);
        continue;
      }
      if (plan.madeOn > f.asOf) continue;
      const madeOn = plan.madeOn;
      let written = false;
      let first: IsoDate | undefined;
      for (const p of f.record.otherPlans ?? []) {
        if (p.kind !== 'best-interest-care-plan' || (plan.episode !== undefined && p.episode !== undefined && p.episode !== plan.episode)) continue;
        written = true;
        for (const g of p.givenTo ?? []) if (g.role === 'patient' && g.on <= f.asOf && (first === undefined || g.on < first)) first = g.on;
      }
      // A copy given before this version was already with the person on the version's day.
      const given = first !== undefined && first < madeOn ? madeOn : first;
      judgeDeadline(f, emit, {
        anchor: madeOn,
        done: given,
        limit: within,
        what: 'A best-interest care plan was given to the person',
        notDone: written
          ? 'A best-interest care plan is recorded but no copy given to the person'
          : 'No best-interest care plan has been written for the person who did not take part in planning',
        since: `version ${plan.version} of the care plan recorded that the person did not take part`,
        location,
        leftServicesOn: episode ? leftServicesOn(f, episode) : undefined,
      });
    }
  },
});

const sectionParam = z.union([z.enum(planSections), z.array(z.enum(planSections)).min(2)]);
type SectionParam = z.infer<typeof sectionParam>;

function sectionName(s: SectionParam): string {
  return (Array.isArray(s) ? s : [s]).map((x) => lowerFirst(planSectionVocabulary[x].display)).join(' or ');
}

/**
 * A plan of one of the given kinds sets out the sections the policy lists (LPT CCP §3.12: a leave
 * plan's rationale, timescale and crisis and contingency plan; ELFT §14.1: the non-CPA plan). A
 * list in `sections` is met by any one of its codes.
 */
export const planOfKindContents = defineTemplate({
  name: 'plan-of-kind-contents',
  params: z.object({ kinds: z.array(z.enum(planKinds)).min(1), sections: z.array(sectionParam).min(1) }).strict(),
  silentWithout: () => ['otherPlans'],
  evaluate(f, params, emit) {
    for (const plan of f.record.otherPlans ?? []) {
      const { kinds, sections } = params(f.episode(plan.episode));
      if (!kinds.includes(plan.kind) || (plan.madeOn !== undefined && plan.madeOn > f.asOf)) continue;
      const location = at.item(f, 'otherPlans', plan);
      const what = `The ${lowerFirst(planKindVocabulary[plan.kind].display)}`;
      if (plan.contents === undefined) {
        emit.cannotEvaluate([`${location}.contents`], `What ${lowerFirst(what)} sets out is not recorded.`, location);
        continue;
      }
      const held = plan.contents;
      const missing = sections.filter((s) => !(Array.isArray(s) ? s : [s]).some((x) => held.includes(x)));
      if (missing.length === 0) emit.pass(`${what} sets out every section the policy lists.`, location);
      else emit.fail(`${what} does not set out: ${missing.map(sectionName).join('; ')}.`, location);
    }
  },
});

/**
 * A plan of one of the given kinds is reviewed at least `every`, for `for` from when it was made
 * (ELFT §10: a primary care step-down plan every three months for up to 18 months). Each review is
 * judged against the one before; a full discharge ends the duty.
 */
export const planOfKindReviewed = defineTemplate({
  name: 'plan-of-kind-reviewed',
  params: z.object({ kinds: z.array(z.enum(planKinds)).min(1), every: durationParam, for: durationParam }).strict(),
  tightening: { every: 'lower' },
  silentWithout: () => ['otherPlans'],
  evaluate(f, params, emit) {
    for (const plan of f.record.otherPlans ?? []) {
      const episode = f.episode(plan.episode);
      const { kinds, every, for: lasting } = params(episode);
      if (!kinds.includes(plan.kind)) continue;
      const location = at.item(f, 'otherPlans', plan);
      if (plan.madeOn === undefined) {
        emit.cannotEvaluate([`${location}.madeOn`], `When the ${lowerFirst(planKindVocabulary[plan.kind].display)} was made is not recorded.`, location);
        continue;
      }
      if (plan.madeOn > f.asOf) continue;
      judgeReviews(f, emit, plan, plan.madeOn, { every, ends: dueDate(plan.madeOn, lasting, f.calendar), left: episode ? leftServicesOn(f, episode) : undefined });
    }
  },
});

function judgeReviews(f: RecordFacts, emit: Emit, plan: OtherPlan, madeOn: IsoDate, c: { every: Duration; ends: IsoDate; left: IsoDate | undefined }): void {
  const location = at.item(f, 'otherPlans', plan);
  const reviews: { on: IsoDate; location: string }[] = [];
  const reviewedOn = plan.reviewedOn ?? [];
  for (let i = 0; i < reviewedOn.length; i++) {
    const on = reviewedOn[i]!;
    if (on > madeOn && on <= f.asOf) reviews.push({ on, location: `${location}.reviewedOn[${i}]` });
  }
  reviews.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  judgeEvery(f, emit, {
    start: madeOn,
    events: reviews,
    every: c.every,
    stop: (due, last) => due > c.ends || (c.left !== undefined && last >= c.left),
    left: c.left,
    location,
    what: 'The plan was reviewed',
    notDone: 'The plan has not been reviewed',
    since: ['it was made', 'its last review'],
  });
}

export interface EveryCase {
  /** The day the first interval starts. */
  readonly start: IsoDate;
  /** What meets the duty, in date order, each with where it is. */
  readonly events: readonly { readonly on: IsoDate; readonly location: string }[];
  readonly every: Duration;
  /** Whether something on the start day itself meets the first interval. */
  readonly sameDayCounts?: boolean;
  /** Whether no interval is due any more, given its due date and the day it runs from; without it, none runs from the day the person left (`left`). */
  readonly stop?: (due: IsoDate, last: IsoDate) => boolean;
  readonly onlyFirst?: boolean;
  readonly left?: IsoDate | undefined;
  /** Where a missing event is reported. */
  readonly location: string;
  readonly what: string;
  readonly notDone: string;
  /** Plain words for the start of the first interval, and of the others. */
  readonly since: readonly [string, string];
}

/**
 * Judges "at least every N": each interval from the start, then from each event that met the
 * one before, is judged on the first event after it (at that event's location), until `stop`
 * says nothing more is due or one is missing (reported at `location`).
 */
export function judgeEvery(f: RecordFacts, emit: Emit, c: EveryCase): void {
  const events = c.events;
  let last = c.start;
  // Events before the one that met the last interval cannot meet a later one: the search goes on from it.
  let searchFrom = 0;
  for (;;) {
    if (c.stop === undefined ? c.left !== undefined && last >= c.left : c.stop(dueDate(last, c.every, f.calendar), last)) return;
    const from = last;
    const sameDayCounts = c.sameDayCounts === true && from === c.start;
    while (searchFrom < events.length && !(events[searchFrom]!.on > from || (sameDayCounts && events[searchFrom]!.on === from))) searchFrom += 1;
    const next = events[searchFrom];
    judgeDeadline(f, emit, {
      anchor: last,
      done: next?.on,
      limit: c.every,
      what: c.what,
      notDone: c.notDone,
      since: last === c.start ? c.since[0] : c.since[1],
      location: next?.location ?? c.location,
      leftServicesOn: c.left,
    });
    if (next === undefined || c.onlyFirst === true) return;
    last = next.on;
  }
}

/**
 * Each risk assessment's formulation sets out the parts the policy lists (LPT Clinical Risk
 * Assessment Policy §5.9: the 5 P's). One dated after the date of evaluation is not judged.
 */
export const riskFormulationComplete = defineTemplate({
  name: 'risk-formulation-complete',
  params: z.object({ parts: z.array(z.enum(riskFormulationParts)).min(1) }).strict(),
  silentWithout: () => ['riskAssessments'],
  evaluate(f, params, emit) {
    const assessments = f.record.riskAssessments ?? [];
    if (assessments.length === 0) return;
    const base = params();
    // Assessments are many and episodes few: the parameters differ between episodes only when the pack sets them by team type.
    const byEpisode = (f.record.episodes ?? []).some((e) => params(e) !== base);
    for (let i = 0; i < assessments.length; i++) {
      const ra = assessments[i]!;
      // A date written no later than the evaluation date has its day no later either: only a later one is parsed.
      if (ra.date !== undefined && ra.date > f.asOf && (datePart(ra.date) ?? f.asOf) > f.asOf) continue;
      const { parts } = byEpisode ? params(f.episode(ra.episode)) : base;
      // The position in the list is the assessment's index (at.item), without a look-up.
      const location = `riskAssessments[${i}]`;
      const held = ra.formulation;
      if (held === undefined) {
        emit.cannotEvaluate([`${location}.formulation`], 'The parts of the risk formulation are not recorded.', location);
        continue;
      }
      const missing = missingPartsNamed(held, parts);
      if (missing === undefined) emit.pass('The risk formulation sets out every part the policy lists.', location);
      else emit.fail(`The risk formulation does not set out: ${missing}.`, location);
    }
  },
});

/** Whether a short list holds a value: a plain loop, cheaper than includes on lists of a few strings. */
function holds<T>(list: readonly T[], value: T): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}

type RiskFormulationPart = (typeof riskFormulationParts)[number];

/** Each part of a risk formulation in words, as a list of them in a message names it; written once when the module loads. */
const FORMULATION_PART_NAMES = Object.freeze(
  Object.fromEntries(riskFormulationParts.map((p) => [p, lowerFirst(riskFormulationPartVocabulary[p].display)])) as Record<RiskFormulationPart, string>,
);

/** The parts a formulation lacks, named and joined by "; " in the order wanted; undefined when it holds them all, without building a list. */
function missingPartsNamed(held: readonly RiskFormulationPart[], wanted: readonly RiskFormulationPart[]): string | undefined {
  let named: string | undefined;
  for (const p of wanted) {
    if (holds(held, p)) continue;
    named = named === undefined ? FORMULATION_PART_NAMES[p] : `${named}; ${FORMULATION_PART_NAMES[p]}`;
  }
  return named;
}

/** An audit time as recorded, read once for every rule: its instant (NaN without a time of day) and its UK day number (NaN without a date). */
interface Entry {
  readonly value: string;
  readonly at: number;
  readonly day: number;
}

/** A contact that had taken place, or was not attended, by the date of evaluation: what every record-keeping rule reads of it. */
interface RecordableContact {
  readonly contact: Encounter;
  readonly attended: boolean;
  /** The day number of the UK date of its start. */
  readonly day: number;
  /** The instant hours run from: its end, or its start when no end is held; NaN without a time of day. */
  readonly fromAt: number;
  /** Its position in the list of encounters. */
  readonly index: number;
  readonly location: string;
  readonly note: Entry | undefined;
  readonly outcome: Entry | undefined;
}

/** No other check reads the times of all contacts, so their dates are not kept in the facts' cache (ukDateOf): a map entry each costs more than it saves. */
const recordableContacts = perPerson((f): readonly RecordableContact[] => {
  const found: RecordableContact[] = [];
  const asOfDay = toDayNumber(f.asOf);
  const encounters = f.record.encounters ?? [];
  for (let i = 0; i < encounters.length; i++) {
    const contact = encounters[i]!;
    const status = contact.status;
    const start = contact.start;
    if ((status !== 'finished' && status !== 'did-not-attend') || start === undefined) continue;
    // The start as entryOf reads it, without keeping an entry for it.
    const startAt = instantOrNaN(start);
    const day = dayOfEntry(start, startAt);
    // NaN (no UK date) is never on or before the evaluation date.
    if (!(day <= asOfDay)) continue;
    const end = contact.end;
    const auditTimes = contact.auditTimes;
    const note = auditTimes?.noteRecordedAt;
    const outcome = auditTimes?.outcomedAt;
    found.push({
      contact,
      attended: status === 'finished',
      day,
      fromAt: end === undefined ? startAt : instantOrNaN(end),
      index: i,
      location: encounterLocation(i),
      note: note === undefined ? undefined : entryOf(note),
      outcome: outcome === undefined ? undefined : entryOf(outcome),
    });
  }
  return found;
});

const AUDIT_TIME_PATHS: Readonly<Record<AuditField, readonly string[]>> = {
  noteRecordedAt: encounterPaths('.auditTimes.noteRecordedAt'),
  outcomedAt: encounterPaths('.auditTimes.outcomedAt'),
};

/** The path of an audit time of the encounter at a position in the list. */
function auditTimePath(i: number, field: AuditField): string {
  return AUDIT_TIME_PATHS[field][i] ?? `encounters[${i}].auditTimes.${field}`;
}

function entryOf(value: string): Entry {
  const at = instantOrNaN(value);
  return { value, at, day: dayOfEntry(value, at) };
}

/** The UK day number of a value whose instant is `at` (NaN without a time of day), as londonDayNumberOfValue gives it, without reading the value twice. */
function dayOfEntry(value: string, at: number): number {
  return Number.isNaN(at) ? londonDayNumberOfValue(value) : londonDayNumberOf(at);
}

function instantOrNaN(value: string): number {
  return hasTimeOfDay(value) ? instantOfDateTime(value) : Number.NaN;
}

type AuditField = 'noteRecordedAt' | 'outcomedAt';

/** The wording of one rule, worked out when its pack is compiled. */
interface EntryWording {
  readonly field: AuditField;
  readonly what: string;
  readonly notRecorded: string;
  readonly sameDay: string;
  /** "24 hours", as judgeDeadline writes the limit. */
  readonly limit: string;
  /** For a limit in hours, what an entry on time a whole number of hours after the contact says, by that number. */
  readonly afterHours: readonly string[];
}

function entryWording({ entry, within }: { entry: 'note' | 'outcome'; within: Duration }): EntryWording {
  const what = entry === 'note' ? 'The progress note was entered' : 'The contact was outcomed';
  const limit = formatDuration(within);
  return {
    field: entry === 'note' ? 'noteRecordedAt' : 'outcomedAt',
    what,
    notRecorded: `When ${lowerFirst(what)} is not recorded.`,
    sameDay: `${what} on the day of the contact, within ${limit}.`,
    limit,
    afterHours: within.unit === 'hours' ? Array.from({ length: within.value + 1 }, (_, hours) => onTimeAfterHours(what, hours, limit)) : [],
  };
}

/** What judgeDeadline says of an entry made `hours` after the contact, within the limit. */
function onTimeAfterHours(what: string, hours: number, limit: string): string {
  return `${what} ${roundedHours(hours)} hours after the contact, within ${limit}.`;
}

const entryParams = z
  .object({ entry: z.enum(['note', 'outcome']), within: durationParam })
  .strict()
  .transform((p) => ({ ...p, wording: entryWording(p) }));
type EntryParams = z.infer<typeof entryParams>;

/**
 * Each contact's progress note, or its outcome, is entered on the source system within a time of
 * the contact (ELFT §11: a working day each; §14.1: key data within 24 hours), judged on the
 * system's audit times. Hours run from the contact's end, or its start when no end is held. A
 * note is for a contact that took place; an outcome also for one the person did not attend.
 */
export const contactRecordedWithin = defineTemplate({
  name: 'contact-recorded-within',
  params: entryParams,
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const base = params();
    // Contacts are many and episodes few: the parameters differ between episodes only when the pack sets them by team type.
    const byEpisode = (f.record.episodes ?? []).some((e) => params(e) !== base);
    const asOfDay = toDayNumber(f.asOf);
    for (const c of recordableContacts(f)) {
      const p = byEpisode ? params(f.episode(c.contact.episode)) : base;
      if (p.entry === 'note' && !c.attended) continue;
      const entry = p.entry === 'note' ? c.note : c.outcome;
      if (entry === undefined) {
        emit.cannotEvaluate([auditTimePath(c.index, p.wording.field)], p.wording.notRecorded, c.location);
        continue;
      }
      if (p.within.unit === 'hours') {
        judgeHoursEntry(f, emit, c, entry, p, asOfDay);
        continue;
      }
      // Most entries are made the same day: in time for any limit in days, without the calendar or the entry's date.
      if (entry.day === c.day) emit.pass(p.wording.sameDay, c.location);
      else judgeEntry(f, emit, c, entry, p);
    }
  },
});

/**
 * Most entries are timed, as their contacts are, and made in time: that is said from the two
 * instants alone, in judgeDeadline's words (the pack's whole hours worded once); the rest,
 * late ones included, are judgeDeadline's.
 */
function judgeHoursEntry(f: RecordFacts, emit: Emit, c: RecordableContact, entry: Entry, p: EntryParams, asOfDay: number): void {
  // An entry made after the date of evaluation had not happened yet on it; NaN (no time of day) fails every comparison.
  if (entry.day <= asOfDay && c.fromAt <= entry.at && entry.at <= c.fromAt + p.within.value * HOUR_MS) {
    const hours = (entry.at - c.fromAt) / HOUR_MS;
    emit.pass((Number.isInteger(hours) ? p.wording.afterHours[hours] : undefined) ?? onTimeAfterHours(p.wording.what, hours, p.wording.limit), c.location);
  } else judgeEntry(f, emit, c, entry, p);
}

/** An entry judgeDeadline judges: its audit time as recorded, and its UK date for a limit in days. */
function judgeEntry(f: RecordFacts, emit: Emit, c: RecordableContact, entry: Entry, p: EntryParams): void {
  const { contact, location } = c;
  const hours = p.within.unit === 'hours';
  judgeDeadline(f, emit, {
    // The UK dates of day numbers, as londonDateOfValue gives them.
    anchor: fromDayNumber(c.day),
    // Only a limit in hours reads the times as recorded and where they are, and a limit in days the entry's date.
    anchorAt: hours ? { value: contact.end ?? contact.start!, path: `${location}.${contact.end !== undefined ? 'end' : 'start'}` } : undefined,
    done: hours || Number.isNaN(entry.day) ? undefined : fromDayNumber(entry.day),
    doneAt: hours ? { value: entry.value, path: `${location}.auditTimes.${p.wording.field}` } : undefined,
    limit: p.within,
    what: p.wording.what,
    since: 'the contact',
    location,
  });
}

/**
 * The person is given an information pack within a time of acceptance, holding what the policy
 * lists (DH PIG 2001 §3.4, §4.4, §5.4: crisis, assertive outreach and early intervention teams).
 * With `contents`, only what an information pack given holds is judged.
 */
export const informationPackGiven = defineTemplate({
  name: 'information-pack-given',
  params: z.object({ within: durationParam, contents: z.array(z.enum(informationPackContents)).min(1).optional(), applies: z.boolean().default(true) }).strict(),
  tightening: { within: 'lower' },
  // Judging the contents needs a pack given; judging that one was given does not.
  silentWithout: (p) => (p.contents !== undefined ? ['episodes.informationPack'] : []),
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const { within, contents, applies } = params(episode);
      if (!applies) continue;
      const location = at.item(f, 'episodes', episode);
      const pack = episode.informationPack;
      if (contents !== undefined) {
        if (pack?.givenOn === undefined || pack.givenOn > f.asOf) continue;
        if (pack.contents === undefined) {
          emit.cannotEvaluate([`${location}.informationPack.contents`], 'What the information pack held is not recorded.', location);
          continue;
        }
        const missing = contents.filter((c) => !pack.contents!.includes(c));
        if (missing.length === 0) emit.pass('The information pack holds everything the policy lists.', `${location}.informationPack`);
        else
          emit.fail(`The information pack lacks: ${missing.map((c) => lowerFirst(informationPackContentVocabulary[c].display)).join('; ')}.`, `${location}.informationPack`);
        continue;
      }
      if (episode.acceptedOn === undefined) {
        emit.cannotEvaluate([`${location}.acceptedOn`], 'When the person was accepted is not recorded.', location);
        continue;
      }
      if (episode.acceptedOn > f.asOf) continue;
      const given = pack?.givenOn !== undefined && pack.givenOn <= f.asOf ? [pack.givenOn, episode.acceptedOn].sort()[1] : undefined;
      judgeDeadline(f, emit, {
        anchor: episode.acceptedOn,
        done: given,
        limit: within,
        what: 'The information pack was given',
        notDone: 'No information pack is recorded as given',
        since: 'the person was accepted',
        location,
        leftServicesOn: leftServicesOn(f, episode),
      });
    }
  },
});

export const englishPlanTemplates = [
  informationPackGiven,
  planOfKindWithin,
  bestInterestPlanWhenNotInvolved,
  planOfKindContents,
  planOfKindReviewed,
  riskFormulationComplete,
  contactRecordedWithin,
];
