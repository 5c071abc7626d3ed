/**
 * Contacts and meetings (English trust policies): following up a missed appointment (ELFT §20.4),
 * coding missed and cancelled contacts (ELFT Appendix 1), who attends a CPA review (ELFT §16) and
 * the first contact after a referral (LPT SOP Appendix 17).
 */
import { z } from 'zod';
import { contactAttemptMethods, meetingRoles, meetingRoleVocabulary } from '../../record/english-vocabulary.js';
import type { CtpRecord } from '../../record/record.schema.js';
import { encounterKinds, referralSources } from '../../record/vocabulary.js';
import { datePart, type IsoDate } from '../../time/dates.js';
import { appointmentCovers, type Episode, perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, encounterLocation, firstContactAfter, judgeDeadline } from './common.js';

type Encounter = NonNullable<CtpRecord['encounters']>[number];
type Role = (typeof meetingRoles)[number];

interface DatedEncounter {
  readonly encounter: Encounter;
  readonly on: IsoDate;
  /** Where it is in the record, as at.item gives it. */
  readonly location: string;
}

/** The encounters the rules of this file judge, each with a date on or before the evaluation date: sorted out once per person, in one pass. */
interface DatedEncounters {
  /** Not attended (did-not-attend). */
  readonly missed: readonly DatedEncounter[];
  /** Not attended or cancelled, as the coding rules read them. */
  readonly notHeld: readonly DatedEncounter[];
  /** Review meetings held. */
  readonly reviewMeetings: readonly DatedEncounter[];
}

const datedEncounters = perPerson((f): DatedEncounters => {
  const missed: DatedEncounter[] = [];
  const notHeld: DatedEncounter[] = [];
  const reviewMeetings: DatedEncounter[] = [];
  const encounters = f.record.encounters ?? [];
  for (let i = 0; i < encounters.length; i++) {
    const encounter = encounters[i]!;
    const status = encounter.status;
    const list = status === 'did-not-attend' || status === 'cancelled' ? notHeld : status === 'finished' && encounter.kind === 'review-meeting' ? reviewMeetings : undefined;
    if (list === undefined || encounter.start === undefined) continue;
    const on = datePart(encounter.start);
    if (on === undefined || on > f.asOf) continue;
    const dated = { encounter, on, location: encounterLocation(i) };
    list.push(dated);
    if (status === 'did-not-attend') missed.push(dated);
  }
  return { missed, notHeld, reviewMeetings };
});

/** Whether the record shows the person on CPA on a day: a CPA period of the episode (or of any, when the contact names none) known to cover it. */
function onCpa(f: RecordFacts, episodeId: string | undefined, on: IsoDate): boolean {
  if (episodeId !== undefined) return cpaCovers(f.episode(episodeId), on);
  for (const episode of f.record.episodes ?? []) if (cpaCovers(episode, on)) return true;
  return false;
}

/** Whether one of an episode's CPA periods is known to cover a day. */
function cpaCovers(episode: Episode | undefined, on: IsoDate): boolean {
  for (const p of episode?.cpaPeriods ?? []) if (p.start !== undefined && p.start <= on && (p.end === undefined || p.end >= on)) return true;
  return false;
}

type ContactAttemptMethod = (typeof contactAttemptMethods)[number];

/** What a follow-up rule says, worked out once per rule when its pack is compiled. */
function followUpWording(methods: readonly ContactAttemptMethod[]): { what: string; notDone: string } {
  const means = methods.join(' or ');
  return { what: `The ${means} after the missed appointment was made`, notDone: `No ${means} after the missed appointment is recorded` };
}

/**
 * After a missed appointment, an attempt to reach the person by a given means within a time limit;
 * with `notOnCpa`, only for appointments missed while the record does not show the person on CPA.
 */
export const missedAppointmentFollowUp = defineTemplate({
  name: 'missed-appointment-follow-up',
  params: z
    .object({ methods: z.array(z.enum(contactAttemptMethods)).min(1), within: durationParam, notOnCpa: z.boolean().default(false) })
    .strict()
    .transform((p) => ({ ...p, wording: followUpWording(p.methods) })),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const { encounter, on, location } of datedEncounters(f).missed) {
      const { methods, within, notOnCpa, wording } = params(f.episode(encounter.episode));
      if (notOnCpa && onCpa(f, encounter.episode, on)) continue;
      judgeDeadline(f, emit, {
        anchor: on,
        done: firstAttempt(encounter, methods, on),
        limit: within,
        what: wording.what,
        notDone: wording.notDone,
        since: 'the missed appointment',
        location,
      });
    }
  },
});

/** The day of the first attempt by one of the means, on or after the missed appointment's day. */
function firstAttempt(encounter: Encounter, methods: readonly ContactAttemptMethod[], on: IsoDate): IsoDate | undefined {
  const attempts = encounter.followUpAttempts;
  if (attempts === undefined) return undefined;
  // A value's text orders as its date (its first ten characters) before anything after it, so the
  // earliest value on or after the day has the earliest date; only when that is no date are the
  // values' dates read one by one.
  let earliest: string | undefined;
  for (const attempt of attempts) {
    if (methods.includes(attempt.method) && attempt.at >= on && (earliest === undefined || attempt.at < earliest)) earliest = attempt.at;
  }
  if (earliest === undefined) return undefined;
  return datePart(earliest) ?? firstDatedAttempt(attempts, methods, on);
}

/** firstAttempt read date by date, skipping values that are no date. */
function firstDatedAttempt(attempts: NonNullable<Encounter['followUpAttempts']>, methods: readonly ContactAttemptMethod[], on: IsoDate): IsoDate | undefined {
  let first: IsoDate | undefined;
  for (const attempt of attempts) {
    if (!methods.includes(attempt.method)) continue;
    const day = datePart(attempt.at);
    if (day !== undefined && day >= on && (first === undefined || day < first)) first = day;
  }
  return first;
}

/**
 * How missed contacts are coded (ELFT Appendix 1): a cancellation is not a missed appointment
 * (rule 3), and an unplanned visit that finds nobody in is a cancellation, not a missed
 * appointment (rule 4).
 */
export const missedContactCoding = defineTemplate({
  name: 'missed-contact-coding',
  params: z.object({ case: z.enum(['cancelled', 'unplanned']) }).strict(),
  evaluate(f, params, emit) {
    const { case: which } = params();
    for (const { encounter, location: encounterAt } of datedEncounters(f).notHeld) {
      if (which === 'cancelled' ? encounter.cancellation?.by === undefined : encounter.planned !== false) continue;
      const location = `${encounterAt}.status`;
      const what = which === 'cancelled' ? `cancelled by the ${encounter.cancellation?.by === 'patient' ? 'person' : 'service'}` : 'an unplanned visit or call';
      if (encounter.status === 'did-not-attend') emit.fail(`The contact was ${what} but is coded as a missed appointment (did not attend).`, location);
      else emit.pass(`The contact was ${what} and is coded as cancelled.`, location);
    }
  },
});

/** The record's practitioners who held a role at a meeting, read from a review's participants (who have no roles). */
function inferredRoles(f: RecordFacts, participants: readonly { kind: string; id?: string | undefined }[], on: IsoDate): Set<Role> {
  const roles = new Set<Role>();
  const coordinators = new Set((f.record.coordinatorAppointments ?? []).filter((a) => appointmentCovers(a, on)).map((a) => a.practitioner));
  const psychiatrists = new Set(
    (f.record.careTeam ?? []).filter((m) => (m.role === 'psychiatrist' || m.role === 'responsible-clinician') && m.member?.kind === 'practitioner').map((m) => m.member!.id!),
  );
  for (const p of participants) {
    if (p.kind === 'patient') roles.add('patient');
    if (p.kind === 'practitioner' && coordinators.has(p.id!)) roles.add('care-coordinator');
    if (p.kind === 'practitioner' && psychiatrists.has(p.id!)) roles.add('psychiatrist');
    if (p.kind === 'related-person') roles.add('carer');
  }
  return roles;
}

/** The roles no participant who attended the meeting held, in the order given. */
function rolesNotAttending(roles: readonly Role[], participants: NonNullable<Encounter['participants']>): Role[] {
  const missing: Role[] = [];
  for (const role of roles) if (!participants.some((p) => p.attended === true && p.role === role)) missing.push(role);
  return missing;
}

/** The roles not among those present, in the order given. */
function rolesNotIn(roles: readonly Role[], present: ReadonlySet<Role>): Role[] {
  return roles.filter((r) => !present.has(r));
}

/** "care coordinator and psychiatrist", as the vocabulary names the roles. */
function roleNames(roles: readonly Role[]): string {
  return roles.map((r) => meetingRoleVocabulary[r].display.toLowerCase()).join(' and ');
}

/**
 * Who must be present at a review meeting (ELFT §16: the care coordinator and the psychiatrist).
 * Read from a review meeting's participants and their attendance, or, for a held review with no
 * meeting recorded, from the review's participants, whose roles come from the coordinator
 * appointment and the care team.
 */
export const reviewAttendance = defineTemplate({
  name: 'review-attendance',
  params: z
    .object({ roles: z.array(z.enum(meetingRoles)).min(1) })
    .strict()
    .transform((p) => ({ ...p, allAttended: `The ${roleNames(p.roles)} attended the review.` })),
  evaluate(f, params, emit) {
    const { roles, allAttended } = params();
    const judge = (missing: readonly Role[], location: string) => {
      if (missing.length === 0) emit.pass(allAttended, location);
      else emit.fail(`The review was held without the ${roleNames(missing)}.`, location);
    };
    const meetings = datedEncounters(f).reviewMeetings;
    const withMeeting = new Set<string | undefined>();
    for (const { encounter, location } of meetings) {
      const participants = encounter.participants;
      if (participants === undefined) {
        if (encounter.review === undefined) emit.cannotEvaluate([`${location}.participants`], 'Who attended the review meeting is not recorded.', location);
        continue;
      }
      withMeeting.add(encounter.review);
      judge(rolesNotAttending(roles, participants), location);
    }
    for (const review of f.record.reviews ?? []) {
      if (review.heldOn === undefined || review.heldOn > f.asOf || withMeeting.has(review.id)) continue;
      const location = at.item(f, 'reviews', review);
      if (review.participants === undefined) emit.cannotEvaluate([`${location}.participants`], 'Who took part in the review is not recorded.', location);
      else judge(rolesNotIn(roles, inferredRoles(f, review.participants, review.heldOn)), location);
    }
  },
});

/**
 * The first contact after a referral, of any kind or of one, from any source or from those given
 * (LPT SOP Appendix 17: any contact within 3 working days; §6.8: a referral from a crisis team
 * within 7 days; DH PIG 2001 Table 3a: a crisis team's assessment within an hour, counted from the
 * time of referral).
 */
export const firstContactAfterReferral = defineTemplate({
  name: 'first-contact-after-referral',
  params: z
    .object({
      within: durationParam,
      kind: z.enum(encounterKinds).optional(),
      sources: z.array(z.enum(referralSources)).min(1).optional(),
      applies: z.boolean().default(true),
    })
    .strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (referral === undefined) continue;
      const { within, kind, sources, applies } = params(episode);
      if (!applies || (sources !== undefined && (referral.source === undefined || !sources.includes(referral.source)))) continue;
      const location = `${at.item(f, 'episodes', episode)}.referral`;
      const first = firstContactAfter(f, { on: referral.receivedOn, at: referral.receivedAt }, (e) => kind === undefined || e.kind === kind);
      judgeDeadline(f, emit, {
        anchor: referral.receivedOn,
        // Only a limit in hours reads the time of referral.
        anchorAt: within.unit === 'hours' ? { value: referral.receivedAt ?? referral.receivedOn, path: `${location}.receivedAt` } : undefined,
        done: first?.date,
        doneAt: first?.at,
        limit: within,
        what: kind === undefined ? 'The first contact was made' : `The first ${kind} contact was made`,
        notDone: 'No contact is recorded',
        since: 'the referral was received',
        location,
      });
    }
  },
});

export const contactTemplates = [missedAppointmentFollowUp, missedContactCoding, reviewAttendance, firstContactAfterReferral];
