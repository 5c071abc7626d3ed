/**
 * Meetings about the person (English trust policies: LPT SOP §6.24, §6.25.16, App 17; ELFT
 * §20.3): multidisciplinary team meetings, case conferences on a refused discharge, the discussion
 * before a discharge, and the Ministry of Justice's case worker before a restricted patient's.
 */
import { z } from 'zod';
import { meetingPurposes, meetingRoles, mhaSections } from '../../record/english-vocabulary.js';
import { encounterKinds } from '../../record/vocabulary.js';
import { addDays, type IsoDate } from '../../time/dates.js';
import { dueDate, formatDuration } from '../../time/duration.js';
import { hasTimeOfDay, judgeByDeadline, londonDateOf, londonMidnight, momentOf } from '../../time/elapsed.js';
import { type Encounter, type Episode, perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { meetingPart, type RecordPart } from '../record-parts.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline, roundedHours } from './common.js';

const HOUR_MS = 3_600_000;
const kindName: Record<string, string> = { 'mdt-meeting': 'multidisciplinary team meeting', 'case-conference': 'case conference' };

/** Finished encounters with a start of one kind, in record order: found once per person and kind, and shared by the meeting rules. */
const finishedOfKind = perPerson((f) => {
  const byKind = new Map<string, readonly Encounter[]>();
  return (kind: string): readonly Encounter[] => {
    let list = byKind.get(kind);
    if (list === undefined) {
      list = (f.record.encounters ?? []).filter((e) => e.kind === kind && e.status === 'finished' && e.start !== undefined);
      byKind.set(kind, list);
    }
    return list;
  };
});

/** Meetings of the given kinds (and purposes, when given) held by the evaluation date, in record order. */
function meetingsHeld(f: RecordFacts, kinds: readonly string[], purposes?: readonly string[]): readonly Encounter[] {
  const ofKind = finishedOfKind(f);
  const held: Encounter[] = [];
  for (const kind of kinds.length > 1 ? new Set(kinds) : kinds) {
    for (const e of ofKind(kind)) {
      if (purposes !== undefined && (e.purpose === undefined || !purposes.includes(e.purpose))) continue;
      if ((f.ukDateOf(e.start!) ?? '9999') <= f.asOf) held.push(e);
    }
  }
  return kinds.length > 1 ? held.sort((a, b) => f.indexOf(a) - f.indexOf(b)) : held;
}

const MDT_MEETING = ['mdt-meeting'];

/** A rule about meetings of one kind judges those meetings and nothing else; one about several kinds needs none of them in particular. */
const meetingsOfKind = <P extends { readonly kinds: readonly string[] }>({ kinds }: P): readonly RecordPart[] => {
  const part = kinds.length === 1 ? meetingPart(kinds[0]!) : undefined;
  return part === undefined ? [] : [part];
};

const meetingName = (e: Encounter) => `The ${kindName[e.kind ?? ''] ?? 'meeting'}`;

/**
 * Who attended a meeting is listed: at least one participant not recorded as absent (LPT SOP
 * App 17). The plans, actions and responsibilities the policy also asks for are free text.
 */
export const meetingAttendeesListed = defineTemplate({
  name: 'meeting-attendees-listed',
  params: z.object({ kinds: z.array(z.enum(encounterKinds)).min(1) }).strict(),
  silentWithout: meetingsOfKind,
  evaluate(f, params, emit) {
    const { kinds } = params();
    for (const meeting of meetingsHeld(f, kinds)) {
      const location = at.item(f, 'encounters', meeting);
      let attendees = 0;
      for (const p of meeting.participants ?? []) if (p.attended !== false) attendees += 1;
      if (attendees > 0) emit.pass(`${meetingName(meeting)} lists ${attendees === 1 ? 'one attendee' : `${attendees} attendees`}.`, location);
      else emit.fail(`${meetingName(meeting)} lists no attendees.`, location);
    }
  },
});

/**
 * A referral discussed at a hub and spoke MDT meeting is opened on the system within a number of
 * hours of the meeting, or by the end of the next working day when those hours end on a day that
 * is not a working day (LPT SOP App 17). The referral is the one of the episode the meeting names.
 */
export const referralOpenedAfterMeeting = defineTemplate({
  name: 'referral-opened-after-meeting',
  params: z.object({ purposes: z.array(z.enum(meetingPurposes)).min(1), hours: z.number().int().positive() }).strict(),
  tightening: { hours: 'lower' },
  silentWithout: () => ['encounters.kind=mdt-meeting'],
  evaluate(f, params, emit) {
    const { purposes, hours } = params();
    const meetings = meetingsHeld(f, MDT_MEETING, purposes);
    if (meetings.length === 0) return;
    const limit = `${hours} hours of the meeting (or by the end of the next working day when they end on a day that is not one)`;
    for (const meeting of meetings) {
      const location = at.item(f, 'encounters', meeting);
      const episode = f.episode(meeting.episode);
      if (episode === undefined) {
        emit.cannotEvaluate([`${location}.episode`], 'The meeting does not say which episode’s referral it discussed.', location);
        continue;
      }
      const referralAt = `${at.item(f, 'episodes', episode)}.referral`;
      const logged = episode.referral?.loggedAt;
      if (logged === undefined) {
        emit.cannotEvaluate([episode.referral ? `${referralAt}.loggedAt` : referralAt], 'When the referral was opened on the system is not recorded.', location);
        continue;
      }
      const dueOf = (startMs: number) => {
        const end = startMs + hours * HOUR_MS;
        const day = londonDateOf(end);
        return f.calendar.isWorkingDay(day) ? end : londonMidnight(addDays(f.calendar.addWorkingDays(day, 1), 1)) - 1;
      };
      const j = judgeByDeadline(momentOf(meeting.start!)!, momentOf(logged), dueOf, f.asOf);
      const took = j.elapsedHours === undefined ? 'The referral was opened' : `The referral was opened ${roundedHours(j.elapsedHours)} hours after the meeting`;
      if (j.verdict === 'on-time') emit.pass(`${took}, within ${limit}.`, location);
      else if (j.verdict === 'late') emit.fail(`${took}; it is due within ${limit}.`, location, { due: j.due });
      else if (j.verdict === 'unknown') {
        const missing = [...(hasTimeOfDay(meeting.start!) ? [] : [`${location}.start`]), ...(hasTimeOfDay(logged) ? [] : [`${referralAt}.loggedAt`])];
        emit.cannotEvaluate(missing, `Whether the referral was opened within ${limit} depends on times of day the record does not hold.`, location);
      } else emit.notApplicable('Not yet due.', location);
    }
  },
});

/** The chair writes to the person within a number of hours of a case conference (LPT SOP §6.25.16.1), counted from its end. */
export const letterAfterMeeting = defineTemplate({
  name: 'letter-after-meeting',
  params: z.object({ kinds: z.array(z.enum(encounterKinds)).min(1), purposes: z.array(z.enum(meetingPurposes)).min(1), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  silentWithout: meetingsOfKind,
  evaluate(f, params, emit) {
    const { kinds, purposes, within } = params();
    for (const meeting of meetingsHeld(f, kinds, purposes)) {
      const location = at.item(f, 'encounters', meeting);
      // Without its end, the meeting stands for the whole of the day it started.
      const ended = meeting.end ?? f.ukDateOf(meeting.start!)!;
      const letter = meeting.letterToPersonAt;
      judgeDeadline(f, emit, {
        anchor: f.ukDateOf(ended)!,
        anchorAt: { value: ended, path: `${location}.end` },
        done: letter === undefined ? undefined : f.ukDateOf(letter),
        doneAt: letter === undefined ? undefined : { value: letter, path: `${location}.letterToPersonAt` },
        limit: within,
        what: 'The person was written to',
        notDone: 'No letter to the person is recorded',
        since: 'the meeting',
        location,
      });
    }
  },
});

/** The person, or their representative, is invited to a case conference on a discharge they refuse (LPT SOP §6.25.16.1). */
export const personInvitedToMeeting = defineTemplate({
  name: 'person-invited-to-meeting',
  params: z.object({ kinds: z.array(z.enum(encounterKinds)).min(1), purposes: z.array(z.enum(meetingPurposes)).min(1), roles: z.array(z.enum(meetingRoles)).min(1) }).strict(),
  silentWithout: meetingsOfKind,
  evaluate(f, params, emit) {
    const { kinds, purposes, roles } = params();
    for (const meeting of meetingsHeld(f, kinds, purposes)) {
      const location = at.item(f, 'encounters', meeting);
      const participants = (meeting.participants ?? []).map((p, i) => ({ p, i })).filter(({ p }) => roles.includes(p.role));
      if (participants.some(({ p }) => p.invited === true)) emit.pass('The person or their representative was invited.', location);
      else if (participants.some(({ p }) => p.invited === undefined))
        emit.cannotEvaluate(
          participants.filter(({ p }) => p.invited === undefined).map(({ i }) => `${location}.participants[${i}].invited`),
          'Whether the person or their representative was invited is not recorded.',
          location,
        );
      else emit.fail('Neither the person nor a representative is recorded as invited.', location);
    }
  },
});

type Stay = NonNullable<Episode['inpatientStays']>[number];
type Detention = NonNullable<Stay['detentions']>[number];

/** Detentions under the given sections, with the day each began (or the stay's), or undefined when the record holds neither. */
export function detentionsUnder(f: RecordFacts, sections: readonly string[]): { d: Detention; from: IsoDate | undefined; path: string }[] {
  const found: { d: Detention; from: IsoDate | undefined; path: string }[] = [];
  for (const episode of f.record.episodes ?? []) {
    for (const stay of episode.inpatientStays ?? []) {
      (stay.detentions ?? []).forEach((d, i) => {
        if (sections.includes(d.section))
          found.push({ d, from: d.start ?? stay.admittedOn, path: `${at.item(f, 'episodes', episode)}.inpatientStays[${f.indexOf(stay)}].detentions[${i}].start` });
      });
    }
  }
  return found;
}

/** Full discharges from the team on or before the evaluation date. */
const discharges = (f: RecordFacts) => (f.record.episodes ?? []).filter((e) => e.discharge?.kind === 'full' && e.discharge.date <= f.asOf);

/**
 * A discharge from the team is discussed beforehand, at a meeting or an outpatient contact held
 * for it, within a time before the discharge (LPT SOP §6.24); and where the person had been
 * detained under a section that brings section 117 aftercare, the discussion considered ending it.
 */
export const dischargeDiscussed = defineTemplate({
  name: 'discharge-discussed',
  params: z.object({ check: z.enum(['discussed', 'section-117']), within: durationParam, sections: z.array(z.enum(mhaSections)).min(1) }).strict(),
  tightening: { within: 'lower' },
  // The section 117 check asks only about detentions, which are held on hospital stays.
  silentWithout: (p) => (p.check === 'section-117' ? ['episodes.discharge', 'episodes.inpatientStays'] : ['episodes.discharge']),
  evaluate(f, params, emit) {
    const { check, within, sections } = params();
    for (const episode of discharges(f)) {
      const on = episode.discharge!.date;
      const location = `${at.item(f, 'episodes', episode)}.discharge`;
      const discusses = (e: Encounter) => {
        if (e.purpose !== 'discharge' || e.status !== 'finished' || (e.episode !== undefined && e.episode !== episode.id)) return false;
        const day = e.start === undefined ? undefined : f.ukDateOf(e.start);
        return day !== undefined && day <= on && dueDate(day, within, f.calendar) >= on;
      };
      if (check === 'discussed') {
        if ((f.record.encounters ?? []).some(discusses)) emit.pass('The discharge was discussed beforehand.', location);
        else emit.fail(`No discussion of the discharge is recorded in the ${formatDuration(within)} before it.`, location);
        continue;
      }
      // Most people were never detained under the sections: that is found before the encounters are read.
      const eligible = detentionsUnder(f, sections).filter((x) => x.from === undefined || x.from <= on);
      if (eligible.length === 0) continue;
      const discussions = (f.record.encounters ?? []).filter(discusses);
      if (discussions.length === 0) continue;
      if (eligible.every((x) => x.from === undefined)) {
        emit.cannotEvaluate(
          eligible.map((x) => x.path),
          'A detention that brings section 117 aftercare has no start date, so whether it came before the discharge cannot be told.',
          location,
        );
        continue;
      }
      const considered = discussions.map((e) => e.section117Considered);
      if (considered.includes(true)) emit.pass('The discussion of the discharge considered ending section 117 aftercare.', location);
      else if (considered.includes(false)) emit.fail('The discussion of the discharge did not consider ending section 117 aftercare.', location);
      else
        emit.cannotEvaluate(
          discussions.map((e) => `${at.item(f, 'encounters', e)}.section117Considered`),
          'Whether the discussion of the discharge considered section 117 aftercare is not recorded.',
          location,
        );
    }
  },
});

/**
 * Someone ever detained under the given sections (restriction orders) is discharged from the team
 * only after a discussion with someone in the given role (ELFT §20.3: the Ministry of Justice case
 * worker): a finished contact or meeting they took part in, from the detention to the discharge.
 */
export const discussedBeforeDischarge = defineTemplate({
  name: 'discussed-before-discharge',
  params: z.object({ sections: z.array(z.enum(mhaSections)).min(1), role: z.enum(meetingRoles) }).strict(),
  // Detentions are held on hospital stays.
  silentWithout: () => ['episodes.discharge', 'episodes.inpatientStays'],
  evaluate(f, params, emit) {
    const { sections, role } = params();
    const restricted = detentionsUnder(f, sections);
    if (restricted.length === 0) return;
    const roleName = role.replace(/-/g, ' ');
    for (const episode of discharges(f)) {
      const on = episode.discharge!.date;
      const location = `${at.item(f, 'episodes', episode)}.discharge`;
      const before = restricted.filter((x) => x.from !== undefined && x.from <= on).map((x) => x.from!);
      if (before.length === 0) {
        const undated = restricted.filter((x) => x.from === undefined).map((x) => x.path);
        if (undated.length > 0) emit.cannotEvaluate(undated, 'A restricted detention has no start date, so whether it came before the discharge cannot be told.', location);
        continue;
      }
      const since = before.sort()[0]!;
      const discussed = (f.record.encounters ?? []).some((e) => {
        if (e.status !== 'finished' || !(e.participants ?? []).some((p) => p.role === role && p.attended !== false)) return false;
        const day = e.start === undefined ? undefined : f.ukDateOf(e.start);
        return day !== undefined && day >= since && day <= on;
      });
      if (discussed) emit.pass(`The discharge was discussed with the ${roleName} beforehand.`, location);
      else emit.fail(`No discussion with the ${roleName} is recorded before the discharge of a person under a restriction order.`, location);
    }
  },
});

export const meetingTemplates = [meetingAttendeesListed, referralOpenedAfterMeeting, letterAfterMeeting, personInvitedToMeeting, dischargeDiscussed, discussedBeforeDischarge];
