/** Care coordinator rules (Code of Practice chapter 3): in place, on time, one at a time, eligible, appointed by the right body. */
import { z } from 'zod';
import { eligibleCoordinatorProfessions } from '../../record/vocabulary.js';
import { addDays, type IsoDate } from '../../time/dates.js';
import { dueDate, formatDuration } from '../../time/duration.js';
import type { Appointment } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline, usualAppointmentDuring } from './common.js';
import { lowerFirst, organisationKindName, professionName } from './wording.js';

const within = z.object({ within: durationParam }).strict();

export const coordinatorInPlace = defineTemplate({
  name: 'coordinator-in-place',
  params: z.object({ grace: durationParam }).strict(),
  tightening: { grace: 'lower' },
  evaluate(f, params, emit) {
    const active = f.episodesActiveOn(f.asOf);
    if (active.length === 0) return emit.notApplicable('Not in receipt of secondary mental health services on the evaluation date.');
    if (f.appointmentsOn(f.asOf).length > 0) return emit.pass('A care coordinator is appointed on the evaluation date.', 'coordinatorAppointments');
    const accepted = active.map((e) => e.acceptedOn!).sort()[0]!;
    const grace = params(active[0]).grace;
    const lastEnded = (f.record.coordinatorAppointments ?? [])
      .map((a) => a.end)
      .filter((d): d is IsoDate => d !== undefined && d < f.asOf)
      .sort()
      .at(-1);
    const clockStart = lastEnded !== undefined && lastEnded > accepted ? lastEnded : accepted;
    if (f.asOf <= dueDate(clockStart, grace, f.calendar)) return emit.notApplicable(`No care coordinator yet, but ${formatDuration(grace)} have not passed.`);
    emit.fail('No care coordinator is appointed on the evaluation date, although the person is receiving secondary mental health services.', 'coordinatorAppointments');
  },
});

export const coordinatorAppointedWithin = defineTemplate({
  name: 'coordinator-appointed-within',
  params: z.object({ within: durationParam, from: z.enum(['accepted', 'referred']).default('accepted') }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    // Concurrent episodes (the health board's and the council's) share one first appointment: it is judged once.
    const judged = new Set<Appointment>();
    for (const episode of f.record.episodes ?? []) {
      const location = at.item(f, 'episodes', episode);
      const { within, from } = params(episode);
      const anchor = from === 'referred' ? episode.referral?.receivedOn : episode.acceptedOn;
      if (episode.acceptedOn === undefined || anchor === undefined) {
        const missing = episode.acceptedOn === undefined ? `${location}.acceptedOn` : `${location}.referral.receivedOn`;
        emit.cannotEvaluate([missing], 'The date the clock starts from is not recorded.', location);
        continue;
      }
      // The first usual appointment; one already in force on acceptance counts from then (timeline).
      const span = f.timeline.span(episode);
      const first = f.timeline.firstAppointment(span);
      if (first) {
        if (judged.has(first.appointment)) continue;
        judged.add(first.appointment);
      } else if (span.acceptedOn !== undefined && usualAppointmentDuring(f, span.acceptedOn, span.leftOn)) {
        // One coordinator acts for the person (3.3): one appointed under a concurrent episode is judged there.
        continue;
      }
      judgeDeadline(f, emit, {
        anchor,
        done: first?.on,
        limit: within,
        what: 'A care coordinator was appointed',
        notDone: 'No care coordinator has been appointed',
        since: from === 'referred' ? 'the referral was received' : 'the person was accepted into services',
        location: first ? at.item(f, 'coordinatorAppointments', first.appointment) : location,
        excuse: first?.appointment.delayReason,
        leftServicesOn: span.leftOn,
      });
    }
  },
});

export const coordinatorReplacedWithin = defineTemplate({
  name: 'coordinator-replaced-within',
  params: within,
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const appointments = f.record.coordinatorAppointments ?? [];
    for (const ended of appointments) {
      if (ended.temporary || ended.end === undefined) continue;
      if (ended.endReason === 'discharge' || ended.endReason === 'usual-coordinator-resumed') continue;
      const dayAfter = addDays(ended.end, 1);
      const episode = f.episodesActiveOn(dayAfter)[0];
      if (!episode) continue;
      const next = appointments
        .filter((a) => a !== ended && !a.temporary && a.start !== undefined && a.start >= ended.start! && (a.end === undefined || a.end >= ended.end!))
        .sort((a, b) => (a.start! < b.start! ? -1 : 1))[0];
      const done = next?.start !== undefined && next.start < ended.end ? ended.end : next?.start;
      judgeDeadline(f, emit, {
        anchor: ended.end,
        done,
        limit: params(episode).within,
        what: 'A new care coordinator was appointed',
        notDone: 'No new care coordinator has been appointed',
        since: 'the previous appointment ended',
        location: at.item(f, 'coordinatorAppointments', next ?? ended),
        excuse: next?.delayReason,
      });
    }
  },
});

export const singleActingCoordinator = defineTemplate({
  name: 'single-acting-coordinator',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    const list = (f.record.coordinatorAppointments ?? []).filter((a) => a.start !== undefined);
    if (list.length === 0) return;
    let clashes = 0;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i]!, list[j]!];
        if (!overlap(a, b)) continue;
        // A temporary coordinator stands in while the usual one's appointment is suspended (Code 3.13–3.15).
        if ((a.temporary && !b.temporary && (a.covers === undefined || a.covers === b.id)) || (b.temporary && !a.temporary && (b.covers === undefined || b.covers === a.id)))
          continue;
        clashes += 1;
        emit.fail('Two care coordinator appointments overlap, and neither is a temporary cover for the other.', at.item(f, 'coordinatorAppointments', b));
      }
    }
    if (clashes === 0) emit.pass('At most one care coordinator acts at any time.', 'coordinatorAppointments');
  },
});

function overlap(a: Appointment, b: Appointment): boolean {
  const aEnd = a.end ?? '9999-12-31';
  const bEnd = b.end ?? '9999-12-31';
  return a.start! <= bEnd && b.start! <= aEnd;
}

/** The register each eligible profession must be on (Code 3.26); the other professions are not eligible at all. */
const registerFor: Readonly<Record<string, readonly string[]>> = {
  'social-worker': ['social-care-wales', 'social-work-england'],
  'nurse-mental-health': ['nmc'],
  'nurse-learning-disabilities': ['nmc'],
  'occupational-therapist': ['hcpc'],
  'practitioner-psychologist': ['hcpc'],
  'medical-practitioner': ['gmc'],
  dietitian: ['hcpc'],
  physiotherapist: ['hcpc'],
  'speech-language-therapist': ['hcpc'],
};

export const coordinatorEligible = defineTemplate({
  name: 'coordinator-eligible',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const appointment of f.record.coordinatorAppointments ?? []) {
      const location = at.item(f, 'coordinatorAppointments', appointment);
      const profession = appointment.profession;
      if (profession === undefined || typeof profession !== 'string') {
        emit.cannotEvaluate([`${location}.profession`], `The profession of the coordinator appointed at ${location} is not recorded.`, `${location}.profession`);
        continue;
      }
      const kind = appointment.temporary ? 'temporary care coordinator' : 'care coordinator';
      if (!eligibleCoordinatorProfessions.includes(profession)) {
        emit.fail(
          `The ${kind} appointed at ${location} is recorded as ${lowerFirst(professionName(profession))}, which is not a profession eligible to act as care coordinator.`,
          `${location}.profession`,
        );
        continue;
      }
      const practitioner = f.practitioner(appointment.practitioner);
      const registration = practitioner?.registration;
      const pPath = practitioner ? `${at.item(f, 'practitioners', practitioner)}.registration` : `${location}.practitioner`;
      // One practitioner may hold several appointments: the appointment is the subject, the registration the place.
      const about = { subject: location };
      if (!registration) {
        emit.cannotEvaluate([pPath], `The professional registration of the ${kind} appointed at ${location} is not recorded.`, pPath, about);
      } else if (!registerFor[profession]!.includes(registration.body)) {
        emit.fail(
          `The registration of the ${kind} appointed at ${location} is not on the register for the profession recorded (${lowerFirst(professionName(profession))}).`,
          pPath,
          about,
        );
      } else {
        emit.pass(`An eligible profession (${lowerFirst(professionName(profession))}) with a matching registration.`, location);
      }
    }
  },
});

export const coordinatorEmployerConsent = defineTemplate({
  name: 'coordinator-employer-consent',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const appointment of f.record.coordinatorAppointments ?? []) {
      if (appointment.employer === undefined || appointment.appointingBody === undefined) continue;
      const location = at.item(f, 'coordinatorAppointments', appointment);
      if (appointment.employer === appointment.appointingBody) emit.pass('The coordinator is employed by the appointing body.', location);
      else if (appointment.employerConsentOn !== undefined)
        emit.pass('The coordinator works for another organisation, which consented to the appointment.', `${location}.employerConsentOn`);
      else
        emit.cannotEvaluate(
          [`${location}.employerConsentOn`],
          'The coordinator works for another organisation; its consent to the appointment is not recorded.',
          `${location}.employer`,
        );
    }
  },
});

/**
 * The body that should appoint, from the kinds of body providing services (Code 3.10). The rows
 * for guardianship and the four groups of children cared for by a local authority cannot be told
 * from the record, so a mismatch is reported as a warning (catalogue edge case E-07).
 */
export const coordinatorAppointingBody = defineTemplate({
  name: 'coordinator-appointing-body',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const appointment of f.record.coordinatorAppointments ?? []) {
      const location = at.item(f, 'coordinatorAppointments', appointment);
      const episode = f.episode(appointment.episode) ?? (f.record.episodes?.length === 1 ? f.record.episodes[0] : undefined);
      const bodies = (episode?.responsibleBodies ?? []).map((id) => f.organisation(id)).filter((o) => o !== undefined);
      if (appointment.appointingBody === undefined || bodies.length === 0 || bodies.some((b) => b.kind === undefined)) {
        emit.cannotEvaluate(
          [appointment.appointingBody === undefined ? `${location}.appointingBody` : 'the kind of each responsible body'],
          'Not enough is recorded to tell which body should appoint the coordinator.',
          location,
        );
        continue;
      }
      const pick = (kind: string) => bodies.find((b) => b.kind === kind);
      const expected = pick('welsh-ministers') ?? pick('local-health-board') ?? pick('local-authority');
      if (!expected) continue;
      if (appointment.appointingBody === expected.id) emit.pass(`Appointed by the body the Code’s table points to (${organisationKindName(expected.kind)}).`, location);
      else if (appointment.delegatedBy === expected.id)
        emit.pass(`Appointed under delegation from the body the Code’s table points to (${organisationKindName(expected.kind)}).`, location);
      else
        emit.fail(
          `The coordinator at ${location} was appointed by a body other than the one the Code’s table points to (${organisationKindName(expected.kind)}), and no delegation is recorded.`,
          `${location}.appointingBody`,
        );
    }
  },
});

/** The appointing function may be delegated only to a health board or local authority (Code 3.11). */
export const coordinatorDelegation = defineTemplate({
  name: 'coordinator-delegation',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const appointment of f.record.coordinatorAppointments ?? []) {
      if (appointment.delegatedBy === undefined) continue;
      const location = `${at.item(f, 'coordinatorAppointments', appointment)}.appointingBody`;
      const kind = f.organisation(appointment.appointingBody)?.kind;
      if (kind === undefined) emit.cannotEvaluate([location], 'The kind of body that appointed under delegation is not recorded.', location);
      else if (kind === 'local-health-board' || kind === 'local-authority') emit.pass('Appointed under delegation by a health board or local authority.', location);
      else
        emit.fail(
          `The appointing function was delegated to a body recorded as ${lowerFirst(organisationKindName(kind))}; only a health board or local authority may take it on.`,
          location,
        );
    }
  },
});

/** A change of coordinator is explained and discussed with the person (Code 3.18, 3.20). */
export const coordinatorChangeRecorded = defineTemplate({
  name: 'coordinator-change-recorded',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    const usual = (f.record.coordinatorAppointments ?? []).filter((a) => !a.temporary && a.start !== undefined).sort((a, b) => (a.start! < b.start! ? -1 : 1));
    for (let i = 1; i < usual.length; i++) {
      const previous = usual[i - 1]!;
      const next = usual[i]!;
      if (previous.end === undefined || previous.endReason === 'discharge' || previous.endReason === 'usual-coordinator-resumed') continue;
      if (f.episodesActiveOn(previous.end).length === 0) continue;
      const location = at.item(f, 'coordinatorAppointments', next);
      if (next.changeReason === undefined) emit.fail('The coordinator changed without a recorded reason.', `${location}.changeReason`);
      else if (next.changeDiscussedOn === undefined)
        emit.fail('The coordinator changed without a record that the change was discussed with the person.', `${location}.changeDiscussedOn`);
      else emit.pass('The reason for the change of coordinator is recorded and was discussed with the person.', location);
    }
  },
});

export const coordinatorTemplates = [
  coordinatorInPlace,
  coordinatorAppointedWithin,
  coordinatorReplacedWithin,
  singleActingCoordinator,
  coordinatorEligible,
  coordinatorEmployerConsent,
  coordinatorAppointingBody,
  coordinatorDelegation,
  coordinatorChangeRecorded,
];
