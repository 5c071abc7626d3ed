/**
 * Moving the person's care under the English trust policies: no transfer in crisis (ELFT §20.1),
 * an introductory meeting with the new team (LPT SOP §6.19.2), a rehabilitation admission's
 * discharge from the community team and its referral back (LPT CCP §3.10), and what must be in
 * place before a psychologist becomes the lead professional (LPT SOP §6.23.6).
 */
import { z } from 'zod';
import { coordinatorProfessions } from '../../record/vocabulary.js';
import { addDays, datePart, type IsoDate } from '../../time/dates.js';
import { type Duration, dueDate, formatDuration } from '../../time/duration.js';
import type { Episode, RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline } from './common.js';
import { plansOfEpisode } from './english-plans.js';

type Stay = NonNullable<Episode['inpatientStays']>[number];

type Transfer = NonNullable<Episode['transfers']>[number];

/** Each transfer by the date of evaluation, with its episode and where it is; episodes without a transfer (most) are passed over first. */
function transfers(f: RecordFacts): { episode: Episode; transfer: Transfer; location: string }[] {
  const found: { episode: Episode; transfer: Transfer; location: string }[] = [];
  for (const episode of f.record.episodes ?? []) {
    const list = episode.transfers;
    if (list === undefined || list.length === 0) continue;
    list.forEach((transfer, i) => {
      if (transfer.date <= f.asOf) found.push({ episode, transfer, location: `${at.item(f, 'episodes', episode)}.transfers[${i}]` });
    });
  }
  return found;
}

/** A transfer of care does not take place while the person is in crisis (ELFT §20.1). */
export const transferNotInCrisis = defineTemplate({
  name: 'transfer-not-in-crisis',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const { transfer, location } of transfers(f)) {
      if (transfer.personInCrisis === undefined)
        emit.cannotEvaluate([`${location}.personInCrisis`], 'Whether the person was in crisis at the transfer is not recorded.', location);
      else if (transfer.personInCrisis) emit.fail('Care was transferred while the person was in crisis.', location);
      else emit.pass('The person was not in crisis when care was transferred.', location);
    }
  },
});

/**
 * A transfer and introductory meeting with the new team is held no earlier than `within` before
 * the transfer and no later than `within` after it (LPT SOP §6.19.2, which sets no time). A
 * meeting before the transfer meets it on the transfer's day.
 */
export const introductoryMeetingAtTransfer = defineTemplate({
  name: 'introductory-meeting-at-transfer',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const { episode, transfer, location } of transfers(f)) {
      const { within } = params(episode);
      const met = transfer.introductoryMeetingOn;
      const inWindow = met !== undefined && met <= f.asOf && dueDate(met, within, f.calendar) >= transfer.date;
      // A meeting before the transfer has met the duty by the transfer's day.
      const counted = inWindow ? [met, transfer.date].sort()[1] : undefined;
      judgeDeadline(f, emit, {
        anchor: transfer.date,
        done: counted,
        limit: within,
        what: 'The introductory meeting with the new team was held',
        notDone: `No introductory meeting with the new team is recorded in the ${formatDuration(within)} either side of the transfer`,
        since: 'the transfer',
        location,
      });
    }
  },
});

/** Rehabilitation stays that had lasted more than `over` by the date of evaluation (or their discharge). */
function longRehabStays(f: RecordFacts, over: Duration): { episode: Episode; stay: Stay; location: string }[] {
  const found: { episode: Episode; stay: Stay; location: string }[] = [];
  for (const episode of f.record.episodes ?? []) {
    const stays = episode.inpatientStays;
    if (stays === undefined || stays.length === 0) continue;
    for (const stay of stays) {
      if (stay.rehabilitation !== true || stay.admittedOn === undefined) continue;
      const passed = addDays(dueDate(stay.admittedOn, over, f.calendar), 1);
      const last = stay.dischargedOn ?? f.asOf;
      if (passed <= last && passed <= f.asOf) found.push({ episode, stay, location: `${at.item(f, 'episodes', episode)}.inpatientStays[${f.indexOf(stay)}]` });
    }
  }
  return found;
}

/**
 * A rehabilitation admission of more than `over` (LPT CCP §3.10: 3 months): the community team
 * discharges the person by the time it has lasted that long, and the unit refers them back at
 * least `notice` before they leave it.
 */
export const rehabilitationAdmission = defineTemplate({
  name: 'rehabilitation-admission',
  params: z.object({ over: durationParam, notice: durationParam, check: z.enum(['community-discharge', 'referral-notice']) }).strict(),
  evaluate(f, params, emit) {
    const { over, notice, check } = params();
    for (const { episode, stay, location } of longRehabStays(f, over)) {
      if (check === 'community-discharge') {
        const discharge = episode.discharge?.kind === 'full' && episode.discharge.date <= f.asOf ? episode.discharge.date : undefined;
        judgeDeadline(f, emit, {
          anchor: stay.admittedOn!,
          done: discharge,
          limit: over,
          what: 'The community team discharged the person',
          notDone: 'The community team has not discharged the person',
          since: 'the rehabilitation admission',
          location,
        });
        continue;
      }
      if (stay.dischargedOn === undefined || stay.dischargedOn > f.asOf) continue;
      if (stay.referredBackOn === undefined)
        emit.cannotEvaluate([`${location}.referredBackOn`], 'When the unit referred the person back to the community team is not recorded.', location);
      else if (dueDate(stay.referredBackOn, notice, f.calendar) <= stay.dischargedOn)
        emit.pass(`The unit referred the person back at least ${formatDuration(notice)} before they left it.`, location);
      else emit.fail(`The unit referred the person back less than ${formatDuration(notice)} before they left it.`, location);
    }
  },
});

/**
 * Before a practitioner of the given profession becomes the person's coordinator or lead
 * professional, the assessment, a risk assessment, a care plan and a safety plan are in place
 * (LPT SOP §6.23.6, for psychologists). Each counts if dated on or before the appointment's start.
 */
export const inPlaceBeforeLeadProfessional = defineTemplate({
  name: 'in-place-before-lead-professional',
  params: z.object({ profession: z.enum(coordinatorProfessions) }).strict(),
  evaluate(f, params, emit) {
    for (const appointment of f.record.coordinatorAppointments ?? []) {
      const episode = f.episode(appointment.episode);
      const { profession } = params(episode);
      if (appointment.profession !== profession) continue;
      const location = at.item(f, 'coordinatorAppointments', appointment);
      if (appointment.start === undefined) {
        emit.cannotEvaluate([`${location}.start`], 'When the appointment began is not recorded.', location);
        continue;
      }
      if (appointment.start > f.asOf) continue;
      const start: IsoDate = appointment.start;
      const ofEpisode = (id: string | undefined) => episode === undefined || id === undefined || id === episode.id;
      const inPlace = {
        assessment: (f.record.assessments ?? []).some((a) => ofEpisode(a.episode) && a.date <= start),
        'risk assessment': (f.record.riskAssessments ?? []).some((ra) => ofEpisode(ra.episode) && ra.date !== undefined && (datePart(ra.date) ?? start) <= start),
        'care plan': (f.record.plans ?? []).some((p) => ofEpisode(p.episode) && p.madeOn !== undefined && p.madeOn <= start),
        'safety plan':
          episode === undefined
            ? (f.record.otherPlans ?? []).some((p) => p.kind === 'safety-plan' && p.madeOn !== undefined && p.madeOn <= start)
            : plansOfEpisode(f, episode, ['safety-plan']).some((p) => p.madeOn !== undefined && p.madeOn <= start),
      };
      const missing = Object.entries(inPlace)
        .filter(([, held]) => !held)
        .map(([what]) => what);
      if (missing.length === 0) emit.pass('The assessment, a risk assessment, a care plan and a safety plan were in place before the appointment.', location);
      else emit.fail(`Before the appointment the record holds no ${missing.join(', no ')}.`, location);
    }
  },
});

export const englishTransferTemplates = [transferNotInCrisis, introductoryMeetingAtTransfer, rehabilitationAdmission, inPlaceBeforeLeadProfessional];
