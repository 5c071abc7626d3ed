/** Hospital stays (Code 5.20–5.22): planning before discharge and contact soon after it. */
import { z } from 'zod';
import type { IsoDate } from '../../time/dates.js';
import type { Episode, RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { judgeDeadline } from './common.js';

type Stay = NonNullable<Episode['inpatientStays']>[number];

function dischargedStays(f: RecordFacts): { episode: Episode; stay: Stay & { dischargedOn: IsoDate }; path: string }[] {
  return (f.record.episodes ?? []).flatMap((episode) =>
    (episode.inpatientStays ?? [])
      .filter((s): s is Stay & { dischargedOn: IsoDate } => s.dischargedOn !== undefined && s.dischargeType !== 'transfer')
      .map((stay) => ({ episode, stay, path: `episodes[${f.indexOf(episode)}].inpatientStays[${f.indexOf(stay)}]` })),
  );
}

/** The first contact on or after `from`: the recorded follow-up date or a finished encounter, optionally of one mode. */
function firstContact(f: RecordFacts, stay: Stay, from: IsoDate, mode: string | undefined): IsoDate | undefined {
  const fromEncounters = f.contacts.find((c) => c.date >= from && (mode === undefined || c.encounter.mode === mode))?.date;
  const recorded = mode === undefined && stay.followUpContactOn !== undefined && stay.followUpContactOn >= from ? stay.followUpContactOn : undefined;
  return [fromEncounters, recorded].filter((d): d is IsoDate => d !== undefined).sort()[0];
}

export const followUpAfterDischarge = defineTemplate({
  name: 'follow-up-after-hospital-discharge',
  params: z.object({ within: durationParam, dischargeTypes: z.array(z.string()).min(1).optional(), mode: z.enum(['face-to-face', 'telephone', 'video']).optional() }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const { episode, stay, path } of dischargedStays(f)) {
      const { within, dischargeTypes, mode } = params(episode);
      if (dischargeTypes && !dischargeTypes.includes(stay.dischargeType ?? 'planned')) continue;
      // Only people who stay in secondary mental health services after leaving hospital (5.21).
      if (episode.discharge !== undefined && episode.discharge.date <= stay.dischargedOn) continue;
      judgeDeadline(f, emit, {
        anchor: stay.dischargedOn,
        done: firstContact(f, stay, stay.dischargedOn, mode),
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
  evaluate(f, _params, emit) {
    for (const { episode, stay, path } of dischargedStays(f)) {
      if (episode.discharge !== undefined && episode.discharge.date <= stay.dischargedOn) continue;
      const inStay = (d: IsoDate | undefined) => d !== undefined && d >= stay.admittedOn && d <= stay.dischargedOn;
      const planned = (f.record.reviews ?? []).some((r) => inStay(r.heldOn)) || f.madePlans.some((p) => inStay(p.madeOn));
      if (planned) emit.pass('The plan was reviewed (or first made) during the hospital stay, before discharge.', path);
      else emit.fail('The person left hospital without the plan being reviewed or made during the stay.', path);
    }
  },
});

export const hospitalTemplates = [followUpAfterDischarge, reviewBeforeHospitalDischarge];
