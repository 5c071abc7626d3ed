/**
 * The one timeline: every dated fact that compliance rules and measures read, derived once from
 * one person's record. Each question (is the person in receipt of services on a day, which
 * appointment is the first of an episode, which plan is current, when does a review or a copy
 * fall due) is answered here and only here; the decisions behind the answers are listed in
 * `README.md` with the Code of Practice paragraphs they follow. Pure: no I/O, nothing kept
 * between calls.
 */
import type { CoordinatorAppointment, Copy, Episode, Review } from '../record/integrity.js';
import type { CtpRecord, PlanVersion } from '../record/record.schema.js';
import { addMonths, type IsoDate } from '../time/dates.js';
import { withinMeasure } from './measure-scope.js';

export type Appointment = CoordinatorAppointment;
export type HeldReview = Review & { readonly heldOn: IsoDate };

/** One episode of secondary mental health services, placed in time. */
export interface EpisodeSpan {
  readonly episode: Episode;
  readonly id: string;
  readonly acceptedOn: IsoDate | undefined;
  /** The date of a full discharge from all secondary mental health services. */
  readonly fullDischargeOn: IsoDate | undefined;
  /**
   * The first day the person is no longer in receipt of services from this episode: the full
   * discharge date (the duties cease on discharge, Code 7.7), or, for a finished episode with
   * only a partial discharge, that date. A partial discharge of an active episode leaves other
   * services running (7.10) and ends nothing.
   */
  readonly leftOn: IsoDate | undefined;
  /** Finished with no discharge date: when it ended is unknown, so it is never placed in time. */
  readonly undatedEnd: boolean;
}

/** Statuses of a plan that was made: a draft was not, and `unknown` cannot be counted as made (Code 4.86). */
const MADE_STATUSES = new Set<PlanVersion['status']>(['active', 'superseded', 'ended']);

export function isMade(plan: PlanVersion): boolean {
  return MADE_STATUSES.has(plan.status);
}

/** A made version with its date made. */
export type DatedVersion = PlanVersion & { readonly madeOn: IsoDate };

/** Whether an appointment (usual or temporary) is in force on `date`. */
export function appointmentCovers(appointment: Appointment, date: IsoDate): boolean {
  return appointment.start !== undefined && appointment.start <= date && (appointment.end === undefined || appointment.end >= date);
}

/** Copies the care coordinator may give but need not (Code 4.93, 4.95): never due. */
const OPTIONAL_COPY_ROLES = new Set<Copy['recipientRole']>(['to-facilitate-outcomes', 'patient-requested']);
/** Copies nobody is owed: declined by the recipient or withheld (Code 4.91 a–c, E-14). */
const NOT_OWED_STATUSES = new Set<Copy['status']>(['declined', 'withheld-serious-harm', 'withheld-other']);

export function isCopyDue(copy: Copy): boolean {
  return !OPTIONAL_COPY_ROLES.has(copy.recipientRole) && !NOT_OWED_STATUSES.has(copy.status);
}

/** The day a due copy was provided, in full or in part; undefined when not provided or not dated. */
export function copyProvidedOn(copy: Copy): IsoDate | undefined {
  return copy.status === 'sent' || copy.status === 'partial' ? copy.date : undefined;
}

/** Provided (in full or in part) but with no date recorded. */
export function copyUndated(copy: Copy): boolean {
  return (copy.status === 'sent' || copy.status === 'partial') && copy.date === undefined;
}

/** The clock for distributing a version's copies (Code 4.87, 4.88); minor amendments have none (6.8). */
export interface CopyClock {
  readonly kind: 'initial' | 'after-review';
  /** The day of the review (revised plans) or of completion, else the day made (other plans). */
  readonly startsOn: IsoDate | undefined;
}

export interface Timeline {
  readonly record: CtpRecord;
  /** Episodes by acceptance date (undated last), in record order otherwise. */
  readonly episodes: readonly EpisodeSpan[];
  span(episode: Episode): EpisodeSpan;
  spanById(id: string | undefined): EpisodeSpan | undefined;
  /** Whether the person was in receipt of services from this episode on `day`. */
  inReceipt(span: EpisodeSpan, day: IsoDate): boolean;
  episodesInReceiptOn(day: IsoDate): readonly EpisodeSpan[];
  /** The latest full discharge on or before `day`. */
  lastFullDischargeOnOrBefore(day: IsoDate): { episode: Episode; date: IsoDate } | undefined;

  /** Appointments of an episode: linked to it, or unlinked and in force on a day of it; by start. */
  appointmentsFor(span: EpisodeSpan): readonly Appointment[];
  /**
   * The first usual (not temporary) appointment of an episode and the day it took effect: an
   * appointment already in force when the person was accepted counts from acceptance.
   */
  firstAppointment(span: EpisodeSpan): { readonly appointment: Appointment; readonly on: IsoDate } | undefined;
  appointmentsInForceOn(day: IsoDate): readonly Appointment[];

  /** Made versions (status active, superseded or ended), grouped by plan, in version order. */
  readonly madePlans: readonly PlanVersion[];
  /** Made versions with a date made, by date made then version. */
  readonly datedVersions: readonly DatedVersion[];
  versionsOf(planId: string): readonly PlanVersion[];
  previousVersion(plan: PlanVersion): PlanVersion | undefined;
  /** The day the next version (by version number) of the same plan was made. */
  supersededOn(plan: PlanVersion): IsoDate | undefined;
  /** The episode a version belongs to: linked, or unlinked and made while an episode was in receipt. */
  episodeOfVersion(plan: PlanVersion): EpisodeSpan | undefined;
  /** Dated made versions belonging to an episode, by date made. */
  versionsFor(span: EpisodeSpan): readonly DatedVersion[];
  /** A plan made before acceptance, still current then, with no full discharge since (Code 7.7). */
  carriedPlan(span: EpisodeSpan): DatedVersion | undefined;
  /** The episode's first plan and the day it counts from: a carried plan counts from acceptance. */
  firstPlan(span: EpisodeSpan): { readonly plan: DatedVersion; readonly on: IsoDate } | undefined;
  /** The plan in force on `day` and whether it makes the person's plan valid (ctp-valid). */
  planOn(day: IsoDate): { readonly plan?: DatedVersion; readonly valid: boolean; readonly reason: string };

  review(id: string | undefined): Review | undefined;
  reviewsOf(planId: string): readonly Review[];
  /** Reviews of a plan held, by date held. */
  heldReviewsOf(planId: string): readonly HeldReview[];
  /** The first day after which a plan no longer needs reviewing: when its episode's services ended. */
  planLeftServicesOn(planId: string): IsoDate | undefined;

  copyClock(plan: PlanVersion): CopyClock | undefined;
}

const byDate = (a: IsoDate, b: IsoDate) => (a < b ? -1 : a > b ? 1 : 0);

/** The timeline of the record's Care and Treatment Plans: other plans are outside the Measure (measure-scope.ts). */
export function buildTimeline(record: CtpRecord): Timeline {
  return new RecordTimeline(withinMeasure(record));
}

/** The timeline of one record: built once, with answers cached for the life of the record. */
class RecordTimeline implements Timeline {
  readonly episodes: readonly EpisodeSpan[];
  readonly madePlans: readonly PlanVersion[];
  readonly datedVersions: readonly DatedVersion[];
  private readonly spans: readonly EpisodeSpan[];
  private readonly spanOf: Map<Episode, EpisodeSpan>;
  private readonly spanByIdMap: Map<string, EpisodeSpan>;
  private readonly fullDischarges: readonly { readonly episode: Episode; readonly date: IsoDate }[];
  private readonly appointments: readonly Appointment[];
  private readonly versions = new Map<string, PlanVersion[]>();
  private readonly reviews = new Map<string, Review[]>();
  // Built on first use: many rule packs never ask.
  private heldCache?: Map<string, HeldReview[]>;
  private appointmentsCache?: Map<EpisodeSpan, Appointment[]>;
  private episodeOfVersionCache?: Map<PlanVersion, EpisodeSpan | undefined>;
  private versionsForCache?: Map<EpisodeSpan, DatedVersion[]>;
  private carriedCache?: Map<EpisodeSpan, DatedVersion | undefined>;
  private leftCache?: Map<string, IsoDate | undefined>;

  constructor(readonly record: CtpRecord) {
    this.spans = (record.episodes ?? []).map(toSpan);
    this.spanOf = new Map();
    this.spanByIdMap = new Map();
    const discharges: { episode: Episode; date: IsoDate }[] = [];
    for (const s of this.spans) {
      this.spanOf.set(s.episode, s);
      this.spanByIdMap.set(s.id, s);
      if (s.fullDischargeOn !== undefined) discharges.push({ episode: s.episode, date: s.fullDischargeOn });
    }
    this.episodes = this.spans.length < 2 ? this.spans : [...this.spans].sort((a, b) => byDate(a.acceptedOn ?? '\uffff', b.acceptedOn ?? '\uffff'));
    this.fullDischarges = discharges.length < 2 ? discharges : discharges.sort((a, b) => byDate(a.date, b.date));
    this.appointments = record.coordinatorAppointments ?? [];

    for (const plan of record.plans ?? []) {
      if (!isMade(plan)) continue;
      const list = this.versions.get(plan.planId);
      if (list) list.push(plan);
      else this.versions.set(plan.planId, [plan]);
    }
    for (const list of this.versions.values()) list.sort((a, b) => a.version - b.version);
    this.madePlans = [...this.versions.values()].flat();
    this.datedVersions = this.madePlans.filter((p): p is DatedVersion => p.madeOn !== undefined).sort((a, b) => byDate(a.madeOn, b.madeOn) || a.version - b.version);

    for (const review of record.reviews ?? []) {
      const list = this.reviews.get(review.plan);
      if (list) list.push(review);
      else this.reviews.set(review.plan, [review]);
    }
  }

  span(episode: Episode): EpisodeSpan {
    return this.spanOf.get(episode) ?? toSpan(episode);
  }

  spanById(id: string | undefined): EpisodeSpan | undefined {
    return id === undefined ? undefined : this.spanByIdMap.get(id);
  }

  inReceipt(s: EpisodeSpan, day: IsoDate): boolean {
    return s.acceptedOn !== undefined && s.acceptedOn <= day && !s.undatedEnd && (s.leftOn === undefined || day < s.leftOn);
  }

  episodesInReceiptOn(day: IsoDate): readonly EpisodeSpan[] {
    return this.spans.filter((s) => this.inReceipt(s, day));
  }

  lastFullDischargeOnOrBefore(day: IsoDate): { episode: Episode; date: IsoDate } | undefined {
    let found: { episode: Episode; date: IsoDate } | undefined;
    for (const d of this.fullDischarges) if (d.date <= day) found = d;
    return found;
  }

  appointmentsFor(s: EpisodeSpan): readonly Appointment[] {
    const cache = (this.appointmentsCache ??= new Map());
    let list = cache.get(s);
    if (!list) {
      list = this.appointments
        .filter((a) => a.episode === s.id || (a.episode === undefined && a.start !== undefined && overlaps(a, s)))
        .sort((a, b) => byDate(a.start ?? '', b.start ?? ''));
      cache.set(s, list);
    }
    return list;
  }

  firstAppointment(s: EpisodeSpan): { readonly appointment: Appointment; readonly on: IsoDate } | undefined {
    const first = this.appointmentsFor(s).find((a) => a.start !== undefined && !a.temporary);
    if (!first) return undefined;
    const on = s.acceptedOn !== undefined && first.start! < s.acceptedOn ? s.acceptedOn : first.start!;
    return { appointment: first, on };
  }

  appointmentsInForceOn(day: IsoDate): readonly Appointment[] {
    return this.appointments.filter((a) => appointmentCovers(a, day));
  }

  versionsOf(planId: string): readonly PlanVersion[] {
    return this.versions.get(planId) ?? [];
  }

  previousVersion(plan: PlanVersion): PlanVersion | undefined {
    let previous: PlanVersion | undefined;
    for (const v of this.versions.get(plan.planId) ?? []) if (v.version < plan.version) previous = v;
    return previous;
  }

  supersededOn(plan: PlanVersion): IsoDate | undefined {
    return this.nextVersion(plan)?.madeOn;
  }

  episodeOfVersion(plan: PlanVersion): EpisodeSpan | undefined {
    const cache = (this.episodeOfVersionCache ??= new Map());
    if (cache.has(plan)) return cache.get(plan);
    const linked = this.spanByIdMap.get(plan.episode ?? '');
    const made = plan.madeOn;
    const span = linked || plan.episode !== undefined || made === undefined ? linked : this.episodes.find((s) => this.inReceipt(s, made));
    cache.set(plan, span);
    return span;
  }

  versionsFor(s: EpisodeSpan): readonly DatedVersion[] {
    const cache = (this.versionsForCache ??= new Map());
    let list = cache.get(s);
    if (!list) {
      list = this.datedVersions.filter((v) => this.episodeOfVersion(v) === s);
      cache.set(s, list);
    }
    return list;
  }

  carriedPlan(s: EpisodeSpan): DatedVersion | undefined {
    const cache = (this.carriedCache ??= new Map());
    if (cache.has(s)) return cache.get(s);
    let carried: DatedVersion | undefined;
    const accepted = s.acceptedOn;
    const earliest = this.datedVersions[0]?.madeOn;
    if (accepted !== undefined && earliest !== undefined && earliest < accepted) {
      const before = latestByPlan(this.datedVersions.filter((v) => v.madeOn < accepted));
      carried = before.filter((v) => typeof v.reviewBy === 'string' && v.reviewBy >= accepted && !this.fullDischargeBetween(v.madeOn, accepted)).at(-1);
    }
    cache.set(s, carried);
    return carried;
  }

  firstPlan(s: EpisodeSpan): { readonly plan: DatedVersion; readonly on: IsoDate } | undefined {
    const carried = this.carriedPlan(s);
    if (carried && s.acceptedOn !== undefined) return { plan: carried, on: s.acceptedOn };
    const first = this.versionsFor(s).find((v) => s.acceptedOn === undefined || v.madeOn >= s.acceptedOn);
    return first ? { plan: first, on: first.madeOn } : undefined;
  }

  planOn(day: IsoDate): { readonly plan?: DatedVersion; readonly valid: boolean; readonly reason: string } {
    const discharged = this.lastFullDischargeOnOrBefore(day)?.date;
    // A plan made before a full discharge ended with the duties to plan (Code 7.7, 4.86).
    const candidates = this.datedVersions.filter((v) => v.madeOn <= day && (discharged === undefined || v.madeOn > discharged));
    const plan = latestByPlan(candidates).at(-1);
    if (!plan) return { valid: false, reason: discharged === undefined ? 'no plan made by the census day' : 'no plan made since the last full discharge' };
    const next = this.nextVersion(plan)?.madeOn;
    if (plan.status === 'superseded' && (next === undefined || next <= day)) return { plan, valid: false, reason: 'latest plan is superseded' };
    if (typeof plan.reviewBy !== 'string') return { plan, valid: false, reason: 'latest plan has no review-by date' };
    if (plan.reviewBy < day) return { plan, valid: false, reason: 'latest plan is past its review-by date' };
    if (plan.reviewBy > addMonths(plan.madeOn, 12)) return { plan, valid: false, reason: 'review-by date is more than 12 months after the plan was made' };
    return { plan, valid: true, reason: 'valid plan' };
  }

  review(id: string | undefined): Review | undefined {
    return id === undefined ? undefined : this.record.reviews?.find((r) => r.id === id);
  }

  reviewsOf(planId: string): readonly Review[] {
    return this.reviews.get(planId) ?? [];
  }

  heldReviewsOf(planId: string): readonly HeldReview[] {
    const cache = (this.heldCache ??= new Map());
    let list = cache.get(planId);
    if (!list) {
      list = (this.reviews.get(planId) ?? []).filter((r): r is HeldReview => r.heldOn !== undefined).sort((a, b) => byDate(a.heldOn, b.heldOn));
      cache.set(planId, list);
    }
    return list;
  }

  planLeftServicesOn(planId: string): IsoDate | undefined {
    const cache = (this.leftCache ??= new Map());
    if (cache.has(planId)) return cache.get(planId);
    let first: DatedVersion | undefined;
    for (const v of this.versions.get(planId) ?? []) if (v.madeOn !== undefined && (first === undefined || v.madeOn < first.madeOn)) first = v as DatedVersion;
    let left: IsoDate | undefined;
    if (first) {
      const span = this.episodeOfVersion(first);
      const made = first.madeOn;
      left = span ? span.leftOn : this.fullDischarges.find((d) => d.date >= made)?.date;
    }
    cache.set(planId, left);
    return left;
  }

  copyClock(plan: PlanVersion): CopyClock | undefined {
    if (plan.changeType === 'minor-amendment') return undefined;
    const heldOn = this.review(plan.review)?.heldOn;
    if (plan.review !== undefined && heldOn !== undefined) return { kind: 'after-review', startsOn: heldOn };
    return { kind: 'initial', startsOn: plan.completedOn ?? plan.madeOn };
  }

  private nextVersion(plan: PlanVersion): PlanVersion | undefined {
    return (this.versions.get(plan.planId) ?? []).find((v) => v.version > plan.version);
  }

  private fullDischargeBetween(from: IsoDate, to: IsoDate): boolean {
    return this.fullDischarges.some((d) => d.date >= from && d.date <= to);
  }
}

function toSpan(episode: Episode): EpisodeSpan {
  const discharge = episode.discharge;
  const fullDischargeOn = discharge?.kind === 'full' ? discharge.date : undefined;
  const finished = episode.status === 'finished';
  const leftOn = fullDischargeOn ?? (finished ? discharge?.date : undefined);
  return { episode, id: episode.id, acceptedOn: episode.acceptedOn, fullDischargeOn, leftOn, undatedEnd: finished && leftOn === undefined };
}

/** Whether an appointment is in force on some day the episode is open. */
function overlaps(a: Appointment, s: EpisodeSpan): boolean {
  if (s.acceptedOn === undefined) return false;
  if (a.end !== undefined && a.end < s.acceptedOn) return false;
  return s.leftOn === undefined || a.start! < s.leftOn;
}

/**
 * Of versions ordered by date made, the latest version (by version number) of each plan, ordered
 * by the day that version was made: the last element is the person's latest plan.
 */
function latestByPlan(ordered: readonly DatedVersion[]): DatedVersion[] {
  if (ordered.length < 2) return [...ordered];
  const latest = new Map<string, DatedVersion>();
  for (const v of ordered) {
    const seen = latest.get(v.planId);
    if (!seen || v.version > seen.version) latest.set(v.planId, v);
  }
  return [...latest.values()].sort((a, b) => byDate(a.madeOn, b.madeOn) || a.version - b.version);
}
