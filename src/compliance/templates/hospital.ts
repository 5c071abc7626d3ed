/** Hospital stays (Code 5.20–5.22): planning before discharge and contact soon after it. */
import { z } from 'zod';
import type { IsoDate } from '../../time/dates.js';
import type { Episode, RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { firstContactAfter, judgeDeadline, type TimedValue } from './common.js';

type Stay = NonNullable<Episode['inpatientStays']>[number];
type DischargedStay = Stay & { dischargedOn: IsoDate };

/** The stays that ended in a discharge (not a transfer), with where each is; episodes without a stay are passed over first, as most have none. */
function dischargedStays(f: RecordFacts): { episode: Episode; stay: DischargedStay; path: string }[] {
  const discharged: { episode: Episode; stay: DischargedStay; path: string }[] = [];
  for (const episode of f.record.episodes ?? []) {
    const stays = episode.inpatientStays;
    if (stays === undefined || stays.length === 0) continue;
    for (const stay of stays) {
      if (stay.dischargedOn === undefined || stay.dischargeType === 'transfer') continue;
      discharged.push({ episode, stay: stay as DischargedStay, path: `episodes[${f.indexOf(episode)}].inpatientStays[${f.indexOf(stay)}]` });
    }
  }
  return discharged;
}

/**
 * The first contact after discharge: a finished encounter (optionally of one mode) or the recorded
 * follow-up date, whichever came first.
 */
function firstContact(f: RecordFacts, stay: DischargedStay, path: string, mode: string | undefined): { date: IsoDate; at: TimedValue } | undefined {
  const encounter = firstContactAfter(f, { on: stay.dischargedOn, at: stay.dischargedAt }, (e) => mode === undefined || e.mode === mode);
  const recorded = mode === undefined && stay.followUpContactOn !== undefined && stay.followUpContactOn >= stay.dischargedOn ? stay.followUpContactOn : undefined;
  if (recorded === undefined || (encounter !== undefined && encounter.date <= recorded)) return encounter;
  return { date: recorded, at: { value: recorded, path: `${path}.followUpContactOn` } };
}

/** Whether a high-risk alert was in force when the person was admitted (or, for a stay known only by its discharge, then). */
function highRiskWhenAdmitted(f: RecordFacts, stay: DischargedStay): boolean {
  const on = stay.admittedOn ?? stay.dischargedOn;
  return (f.record.flags ?? []).some((flag) => flag.kind === 'high-risk' && (flag.start === undefined || flag.start <= on) && (flag.end === undefined || flag.end >= on));
}

export const followUpAfterDischarge = defineTemplate({
  name: 'follow-up-after-hospital-discharge',
  params: z
    .object({
      within: durationParam,
      dischargeTypes: z.array(z.string()).min(1).optional(),
      mode: z.enum(['face-to-face', 'telephone', 'video']).optional(),
      highRisk: durationParam.optional().describe('The shorter limit for someone with a high-risk alert in force when admitted (ELFT §14.1).'),
    })
    .strict(),
  tightening: { within: 'lower', highRisk: 'lower' },
  silentWithout: () => ['episodes.inpatientStays'],
  evaluate(f, params, emit) {
    for (const { episode, stay, path } of dischargedStays(f)) {
      const { within: usual, dischargeTypes, mode, highRisk } = params(episode);
      const within = highRisk !== undefined && highRiskWhenAdmitted(f, stay) ? highRisk : usual;
      if (dischargeTypes && !dischargeTypes.includes(stay.dischargeType ?? 'planned')) continue;
      // Only people who stay in secondary mental health services after leaving hospital (5.21).
      if (episode.discharge !== undefined && episode.discharge.date <= stay.dischargedOn) continue;
      const contact = firstContact(f, stay, path, mode);
      judgeDeadline(f, emit, {
        anchor: stay.dischargedOn,
        anchorAt: { value: stay.dischargedAt ?? stay.dischargedOn, path: `${path}.dischargedAt` },
        done: contact?.date,
        doneAt: contact?.at,
        limit: within,
        what: mode ? `The first ${mode} contact was made` : 'The first contact was made',
        notDone: 'No contact is recorded',
        since: 'discharge from hospital',
        location: path,
      });
    }
  },
});

export const reviewBeforeHospitalDischarge = defineTemplate({
  name: 'review-before-hospital-discharge',
  params: z.object({}).strict(),
  silentWithout: () => ['episodes.inpatientStays'],
  evaluate(f, _params, emit) {
    for (const { episode, stay, path } of dischargedStays(f)) {
      if (episode.discharge !== undefined && episode.discharge.date <= stay.dischargedOn) continue;
      const admittedOn = stay.admittedOn;
      if (admittedOn === undefined) {
        emit.cannotEvaluate([`${path}.admittedOn`], 'The stay is known only by its discharge, so whether the plan was reviewed during it cannot be told.', path);
        continue;
      }
      const inStay = (d: IsoDate | undefined) => d !== undefined && d >= admittedOn && d <= stay.dischargedOn;
      const planned = (f.record.reviews ?? []).some((r) => inStay(r.heldOn)) || f.madePlans.some((p) => inStay(p.madeOn));
      if (planned) emit.pass('The plan was reviewed (or first made) during the hospital stay, before discharge.', path);
      else emit.fail('The person left hospital without the plan being reviewed or made during the stay.', path);
    }
  },
});

export const hospitalTemplates = [followUpAfterDischarge, reviewBeforeHospitalDischarge];
