/** Record-wide rules: data quality (Code 3.36(h)) and who must be known about a child (2.17). */
import { z } from 'zod';
import { meetingRoles, meetingRoleVocabulary } from '../../record/english-vocabulary.js';

type Role = (typeof meetingRoles)[number];

import { datePart, type IsoDate } from '../../time/dates.js';
import { type Duration, dueDate, formatDuration } from '../../time/duration.js';
import type { Encounter, RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline } from './common.js';

/** Dated events the record says have happened, with their locations. */
function eventDates(f: RecordFacts): { date: string; location: string }[] {
  const r = f.record;
  const out: { date: string; location: string }[] = [];
  const add = (date: string | undefined, location: string) => {
    const day = date === undefined ? undefined : datePart(date);
    if (day !== undefined) out.push({ date: day, location });
  };
  r.episodes?.forEach((e, i) => {
    add(e.acceptedOn, `episodes[${i}].acceptedOn`);
    add(e.discharge?.date, `episodes[${i}].discharge.date`);
    e.inpatientStays?.forEach((s, j) => {
      add(s.admittedOn, `episodes[${i}].inpatientStays[${j}].admittedOn`);
      add(s.dischargedOn, `episodes[${i}].inpatientStays[${j}].dischargedOn`);
    });
  });
  r.coordinatorAppointments?.forEach((a, i) => add(a.start, `coordinatorAppointments[${i}].start`));
  r.plans?.forEach((p, i) => {
    add(p.madeOn, `plans[${i}].madeOn`);
    p.copies?.forEach((c, j) => add(c.date, `plans[${i}].copies[${j}].date`));
  });
  r.reviews?.forEach((v, i) => add(v.heldOn, `reviews[${i}].heldOn`));
  r.encounters?.forEach((e, i) => {
    if (e.status === 'finished') add(e.start, `encounters[${i}].start`);
  });
  r.part3Requests?.forEach((q, i) => {
    add(q.receivedAt, `part3Requests[${i}].receivedAt`);
    add(q.report?.providedOn, `part3Requests[${i}].report.providedOn`);
  });
  return out;
}

export const noFutureEvents = defineTemplate({
  name: 'no-future-events',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    const future = eventDates(f).filter((e) => e.date > f.extractedOn);
    for (const e of future) emit.fail('An event is dated after the record was extracted; the date is probably wrong.', e.location);
    if (future.length === 0) emit.pass('No event is dated after the record was extracted.');
  },
});

export const childParentsRecorded = defineTemplate({
  name: 'child-parents-recorded',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    if (!f.isRelevantPatientOn(f.asOf)) return;
    const age = f.ageOn(f.asOf);
    if (age === undefined) return emit.cannotEvaluate(['patient.dateOfBirth'], 'The date of birth is not recorded, so it is not known whether the person is a child.');
    if (age >= 18) return;
    const parents = (f.record.relatedPeople ?? []).filter((p) => p.roles?.includes('parental-responsibility'));
    if (parents.length > 0) emit.pass('Who has parental responsibility for the child is recorded.', 'relatedPeople');
    else emit.fail('The person is a child and nobody with parental responsibility is recorded.', 'relatedPeople');
  },
});

/** After a coordinator (key worker) is allocated, the person must be seen within a time limit (English trust policies). */
export const seenAfterAllocation = defineTemplate({
  name: 'seen-after-allocation',
  params: z.object({ within: durationParam, mode: z.enum(['face-to-face', 'telephone', 'video']).optional() }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const appointment of f.record.coordinatorAppointments ?? []) {
      if (appointment.temporary || appointment.start === undefined) continue;
      const episode = f.episode(appointment.episode) ?? f.episodesActiveOn(appointment.start)[0];
      const { within, mode } = params(episode);
      const seen = f.contacts.find((c) => c.date >= appointment.start! && (mode === undefined || c.encounter.mode === mode))?.date;
      judgeDeadline(f, emit, {
        anchor: appointment.start,
        done: seen,
        limit: within,
        what: 'The person was first seen',
        notDone: 'The person has not been seen',
        since: 'the coordinator was allocated',
        location: at.item(f, 'coordinatorAppointments', appointment),
      });
    }
  },
});

/**
 * Regular contact (English trust policies, e.g. face to face at least monthly): from the
 * coordinator's allocation, no gap between contacts longer than `every`, up to the evaluation
 * date or the end of services.
 */
export const contactInterval = defineTemplate({
  name: 'contact-interval',
  params: z
    .object({
      every: durationParam,
      mode: z.enum(['face-to-face', 'telephone', 'video']).optional(),
      attendedBy: z.enum(meetingRoles).optional().describe('Count only contacts this participant attended (e.g. a carer).'),
      applies: z.boolean().default(true),
    })
    .strict(),
  tightening: { every: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      if (!params(episode).applies) continue;
      const start = firstAllocation(f, episode.id);
      if (start === undefined) continue;
      const { every, mode, attendedBy } = params(episode);
      const attended = (e: Encounter) => attendedBy === undefined || (e.participants ?? []).some((p) => p.role === attendedBy && p.attended === true);
      const end = episode.discharge !== undefined && episode.discharge.date < f.asOf ? episode.discharge.date : f.asOf;
      const episodeAt = at.item(f, 'episodes', episode);
      const failure = gapFailures(every, mode, attendedBy, episode.discharge?.date === end ? 'the discharge' : 'the evaluation date');
      let from = start;
      let gaps = 0;
      // A contact after too long a gap fails where it is; a gap still open at the end fails at the episode, so no two findings share a location.
      const judge = (date: IsoDate, encounter: Encounter | undefined) => {
        const due = dueDate(from, every, f.calendar);
        if (date > due) {
          gaps += 1;
          // Locations are named only for the contacts that fail.
          if (encounter === undefined) emit.fail(failure.open, episodeAt, { due });
          else emit.fail(failure.late, at.item(f, 'encounters', encounter), { due });
        }
        from = date;
      };
      // The contacts are in date order.
      for (const c of f.contacts) {
        if (c.date > end) break;
        if (c.date >= start && (mode === undefined || c.encounter.mode === mode) && attended(c.encounter)) judge(c.date, c.encounter);
      }
      judge(end, undefined);
      if (gaps === 0) emit.pass(`Contact at least every ${formatDuration(every)}.`, episodeAt);
    }
  },
});

/** The day a coordinator was first allocated for an episode (by an appointment naming it, or naming none). */
function firstAllocation(f: RecordFacts, episodeId: string): IsoDate | undefined {
  let first: IsoDate | undefined;
  for (const a of f.record.coordinatorAppointments ?? []) {
    if (a.start !== undefined && (a.episode === undefined || a.episode === episodeId) && (first === undefined || a.start < first)) first = a.start;
  }
  return first;
}

/** The two failures of contact-interval, which depend only on the rule's parameters and how the episode ends: worded once per episode. */
function gapFailures(every: Duration, mode: string | undefined, attendedBy: Role | undefined, until: string): { late: string; open: string } {
  const kind = attendedBy === undefined ? `${mode ?? ''} contact` : `contact with the ${meetingRoleVocabulary[attendedBy].display.toLowerCase()}`;
  const sentence = (what: string) => `${what.replace('  ', ' ')}.`;
  return {
    late: sentence(`This ${kind} came more than ${formatDuration(every)} after the previous one`),
    open: sentence(`No ${kind} for more than ${formatDuration(every)} up to ${until}`),
  };
}

/** A departure may explain a failure of guidance, never of a statutory duty, and must name a rule of the pack. */
export const departuresFromGuidanceOnly = defineTemplate({
  name: 'departures-from-guidance-only',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    (f.record.departures ?? []).forEach((d, i) => {
      const location = `departures[${i}].rule`;
      const named = f.packRules.filter((r) => d.rule === r.id || d.rule === `${r.id}/${r.check}`);
      if (named.length === 0) emit.fail('The departure names no rule of this pack.', location);
      else if (named.every((r) => r.force === 'must'))
        emit.fail('A departure is recorded from a statutory duty; only the Code’s guidance ("should") allows departures.', location);
      else emit.pass('The departure is from guidance, with reasons recorded.', location);
    });
  },
});

export const generalTemplates = [noFutureEvents, childParentsRecorded, seenAfterAllocation, contactInterval, departuresFromGuidanceOnly];
