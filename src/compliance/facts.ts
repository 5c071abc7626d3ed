/**
 * One person's record, indexed once for rule evaluation: look-ups by local id, positions for
 * locations, and the timeline (`src/timeline/`) that answers every dated question (episodes in
 * receipt of services, appointments, plans made, reviews, discharges) for rules and measures
 * alike.
 */
import type { Encounter, Episode, Organisation, Part3Request, Practitioner, RelatedPerson, Review } from '../record/integrity.js';
import type { CtpRecord, PlanVersion } from '../record/record.schema.js';
import { ageOn, datePart, type IsoDate } from '../time/dates.js';
import { londonDateOfValue } from '../time/elapsed.js';
import type { WorkingDayCalendar } from '../time/working-days.js';
import { type Appointment, appointmentCovers, buildTimeline, isMade, type Timeline } from '../timeline/timeline.js';
import type { Force } from './finding.js';
import { heldParts } from './record-parts.js';

export type { Appointment, Encounter, Episode, Organisation, Part3Request, Practitioner, RelatedPerson, Review };
export { appointmentCovers, isMade };

export interface RecordFacts {
  readonly record: CtpRecord;
  /** The record as sent, plans outside the Measure included: only for rules about what lies outside it (a plan's kind over time). */
  readonly whole: CtpRecord;
  readonly asOf: IsoDate;
  readonly calendar: WorkingDayCalendar;
  /** The dated facts shared with the measures. */
  readonly timeline: Timeline;
  readonly dateOfBirth: IsoDate | undefined;
  /** The date the source produced the record: nothing should be dated after it. */
  readonly extractedOn: IsoDate;
  organisation(id: string | undefined): Organisation | undefined;
  practitioner(id: string | undefined): Practitioner | undefined;
  episode(id: string | undefined): Episode | undefined;
  appointment(id: string | undefined): Appointment | undefined;
  /** Index of an item in its record list, for locations. */
  indexOf(item: object): number;
  /** Made plan versions (not drafts), by plan, in version order. */
  readonly madePlans: readonly PlanVersion[];
  /** Made versions of the given plan in version order. */
  versionsOf(planId: string): readonly PlanVersion[];
  previousVersion(plan: PlanVersion): PlanVersion | undefined;
  reviewsOf(planId: string): readonly Review[];
  ageOn(date: IsoDate): number | undefined;
  /** Episodes in receipt of services on `date` (accepted on or before it, not yet left; see the timeline). */
  episodesActiveOn(date: IsoDate): readonly Episode[];
  /** Whether the person was in receipt of secondary mental health services on `date`. */
  isRelevantPatientOn(date: IsoDate): boolean;
  /** Non-temporary and temporary appointments covering `date`. */
  appointmentsOn(date: IsoDate): readonly Appointment[];
  /** The latest full discharge from services on or before `date`. */
  lastFullDischargeOnOrBefore(date: IsoDate): { episode: Episode; date: IsoDate } | undefined;
  /** Finished encounters, by start date. */
  readonly contacts: readonly { encounter: Encounter; date: IsoDate }[];
  /**
   * The UK date a record value falls on (londonDateOfValue), worked out once per person and value:
   * several checks read the same contact's times.
   */
  ukDateOf(value: string): IsoDate | undefined;
  /**
   * A value worked out at most once for this person and evaluation, under a key the caller owns
   * (see perPerson): indexes that several checks share live here, with the facts, and go with them.
   */
  memo<T>(key: object, make: (facts: RecordFacts) => T): T;
  /** The parts of the record (record-parts.ts) it holds, a bit each: rules whose templates need a part it lacks are not run. */
  readonly heldParts: number;
  /** The rules of the pack being run (id, check, force), for rules about rules. */
  readonly packRules: readonly { readonly id: string; readonly check: string; readonly force: Force }[];
}

export function buildFacts(record: CtpRecord, asOf: IsoDate, calendar: WorkingDayCalendar, packRules: RecordFacts['packRules'] = [], whole: CtpRecord = record): RecordFacts {
  const byId = <T extends { id: string }>(items: readonly T[] | undefined) => new Map((items ?? []).map((i) => [i.id, i] as const));
  const organisations = byId(record.organisations);
  const practitioners = byId(record.practitioners);
  const episodes = byId(record.episodes);
  const appointments = byId(record.coordinatorAppointments);

  const positions = new Map<object, number>();
  for (const list of [
    record.organisations,
    record.practitioners,
    record.relatedPeople,
    record.careTeam,
    record.episodes,
    record.coordinatorAppointments,
    record.diagnoses,
    record.plans,
    record.reviews,
    record.encounters,
    record.part3Requests,
    record.riskAssessments,
    record.incidents,
    record.flags,
    record.medications,
    record.physicalHealthChecks,
    record.outcomeMeasures,
    record.otherPlans,
    record.letters,
  ]) {
    list?.forEach((item, i) => positions.set(item, i));
  }
  for (const plan of record.plans ?? []) {
    plan.copies?.forEach((c, i) => positions.set(c, i));
    plan.outcomes?.forEach((o, i) => {
      positions.set(o, i);
      o.actions?.forEach((a, j) => positions.set(a, j));
      o.areas?.forEach((a, j) => positions.set(a, j));
    });
    plan.actions?.forEach((a, i) => positions.set(a, i));
    plan.crisisPlan?.contacts?.forEach((c, i) => positions.set(c, i));
  }
  for (const episode of record.episodes ?? []) episode.inpatientStays?.forEach((s, i) => positions.set(s, i));

  const timeline = buildTimeline(record);

  const dob = record.patient?.dateOfBirth;
  const dateOfBirth = typeof dob === 'string' ? dob : undefined;

  const contacts = (record.encounters ?? [])
    // A multidisciplinary team meeting is about the person, not with them.
    .filter((e) => e.status === 'finished' && e.kind !== 'mdt-meeting' && e.start !== undefined && datePart(e.start) !== undefined)
    .map((encounter) => ({ encounter, date: datePart(encounter.start!)! }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // Only date-times are kept: a plain date is its own UK date, read without a look-up.
  const ukDates = new Map<string, IsoDate | undefined>();
  const ukDateOf = (value: string): IsoDate | undefined => {
    if (value.length <= 10) return londonDateOfValue(value);
    const known = ukDates.get(value);
    if (known !== undefined || ukDates.has(value)) return known;
    const date = londonDateOfValue(value);
    ukDates.set(value, date);
    return date;
  };

  const memos = new Map<object, unknown>();
  const memo = <T>(key: object, make: (facts: RecordFacts) => T): T => {
    const known = memos.get(key);
    if (known !== undefined || memos.has(key)) return known as T;
    const value = make(facts);
    memos.set(key, value);
    return value;
  };

  const episodesActiveOn = (date: IsoDate) => timeline.episodesInReceiptOn(date).map((s) => s.episode);

  const facts: RecordFacts = {
    record,
    whole,
    asOf,
    calendar,
    timeline,
    dateOfBirth,
    extractedOn: record.source.extractedAt.slice(0, 10),
    organisation: (id) => (id === undefined ? undefined : organisations.get(id)),
    practitioner: (id) => (id === undefined ? undefined : practitioners.get(id)),
    episode: (id) => (id === undefined ? undefined : episodes.get(id)),
    appointment: (id) => (id === undefined ? undefined : appointments.get(id)),
    indexOf: (item) => positions.get(item) ?? 0,
    madePlans: timeline.madePlans,
    versionsOf: (planId) => timeline.versionsOf(planId),
    previousVersion: (plan) => timeline.previousVersion(plan),
    reviewsOf: (planId) => timeline.reviewsOf(planId),
    ageOn: (date) => (dateOfBirth === undefined ? undefined : ageOn(dateOfBirth, date)),
    episodesActiveOn,
    isRelevantPatientOn: (date) => episodesActiveOn(date).length > 0,
    appointmentsOn: (date) => timeline.appointmentsInForceOn(date),
    lastFullDischargeOnOrBefore: (date) => timeline.lastFullDischargeOnOrBefore(date),
    contacts,
    ukDateOf,
    memo,
    heldParts: heldParts(record),
    packRules,
  };
  return facts;
}

/**
 * An index of one person's record that several checks share, worked out on first use and kept
 * with that person's facts (never between evaluations). Whoever uses it must not change it.
 */
export function perPerson<T>(make: (f: RecordFacts) => T): (f: RecordFacts) => T {
  // The key only names the index; the values live in each evaluation's facts.
  const key = {};
  // make itself is what the facts call on a miss: a hit allocates nothing.
  return (f) => f.memo(key, make);
}
