/** Discharge from secondary mental health services (Code chapter 7). */
import { z } from 'zod';
import { birthdayOfAge, type IsoDate } from '../../time/dates.js';
import { dueDate } from '../../time/duration.js';
import type { Episode, RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline } from './common.js';
import { joinAnd } from './wording.js';

type Discharge = NonNullable<Episode['discharge']>;

function fullDischarges(f: RecordFacts): { episode: Episode; discharge: Discharge; path: string }[] {
  return (f.record.episodes ?? []).flatMap((episode) =>
    episode.discharge?.kind === 'full' ? [{ episode, discharge: episode.discharge, path: `${at.item(f, 'episodes', episode)}.discharge` }] : [],
  );
}

/** Every rule here judges only full discharges. */
const discharged = () => ['episodes.discharge'] as const;

export const fullDischargeConsistent = defineTemplate({
  name: 'full-discharge-consistent',
  params: z.object({}).strict(),
  silentWithout: discharged,
  evaluate(f, _params, emit) {
    for (const { episode, discharge, path } of fullDischarges(f)) {
      const others = (f.record.episodes ?? []).filter(
        (e) =>
          e !== episode &&
          e.acceptedOn !== undefined &&
          e.acceptedOn <= discharge.date &&
          (e.discharge === undefined ? e.status === 'active' : e.discharge.date > discharge.date),
      );
      if (others.length === 0) emit.pass('No other secondary mental health service continues past the full discharge.', path);
      else emit.fail('Recorded as a full discharge while another secondary mental health service episode continues; that is a partial discharge.', `${path}.kind`);
    }
  },
});

export const dischargeWrittenInformation = defineTemplate({
  name: 'discharge-written-information',
  params: z.object({}).strict(),
  silentWithout: discharged,
  evaluate(f, _params, emit) {
    for (const { discharge, path } of fullDischarges(f)) {
      const missing = [
        typeof discharge.reason !== 'string' ? ['the reason for discharge', `${path}.reason`] : undefined,
        discharge.furtherSupport === undefined ? ['what to do if further support is needed', `${path}.furtherSupport`] : undefined,
        discharge.writtenInformationGivenOn === undefined ? ['when the written information was given', `${path}.writtenInformationGivenOn`] : undefined,
      ].filter((m): m is string[] => m !== undefined);
      if (missing.length === 0) emit.pass('Written information on the reason for discharge and where to get further support was given.', path);
      else emit.fail(`The written discharge information at ${path} does not record ${joinAnd(missing.map(([words]) => words!))}.`, missing[0]![1]);
    }
  },
});

/** Adults (7.14), and children who turn 18 within the 3 years (7.15), must be told in writing of their Part 3 right. */
export const dischargePart3Information = defineTemplate({
  name: 'discharge-part3-information',
  params: z.object({ ages: z.enum(['adult', 'child']), window: durationParam }).strict(),
  silentWithout: discharged,
  evaluate(f, params, emit) {
    for (const { discharge, path } of fullDischarges(f)) {
      const { ages, window } = params();
      if (f.dateOfBirth === undefined) {
        emit.cannotEvaluate(['patient.dateOfBirth'], 'The date of birth is not recorded, so the Part 3 information duty cannot be worked out.', path);
        continue;
      }
      const adult = (f.ageOn(discharge.date) ?? 0) >= 18;
      if ((ages === 'adult') !== adult) continue;
      if (!adult) {
        // "Within 3 years" is read inclusively: a child discharged on their 15th birthday is covered (catalogue E-18).
        const windowEnd = dueDate(discharge.date, window, f.calendar);
        if (birthdayOfAge(f.dateOfBirth, 18) > windowEnd) {
          emit.notApplicable('The child will not turn 18 within the Part 3 period, so no Part 3 information is owed.', path);
          continue;
        }
      }
      if (discharge.part3Explained === true) emit.pass('Written information on the right to ask for a Part 3 assessment was given.', `${path}.part3Explained`);
      else if (discharge.part3Explained === false)
        emit.fail('The person was not told in writing of their right to ask for an assessment under Part 3.', `${path}.part3Explained`);
      else emit.cannotEvaluate([`${path}.part3Explained`], 'Whether the Part 3 right was explained in writing is not recorded.', path);
    }
  },
});

export const coordinatorEndedAtDischarge = defineTemplate({
  name: 'coordinator-ended-at-discharge',
  params: z.object({}).strict(),
  silentWithout: discharged,
  evaluate(f, _params, emit) {
    for (const { discharge, path } of fullDischarges(f)) {
      if (f.episodesActiveOn(discharge.date).some((e) => e.discharge?.date !== discharge.date)) continue;
      const open = (f.record.coordinatorAppointments ?? []).filter(
        (a) => a.start !== undefined && a.start <= discharge.date && (a.end === undefined || a.end > discharge.date),
      );
      if (open.length === 0) emit.pass('The coordinator’s appointment ended with the discharge.', path);
      else emit.fail('A care coordinator appointment is still open after full discharge from services.', `${at.item(f, 'coordinatorAppointments', open[0]!)}.end`);
    }
  },
});

export const dischargeAtReview = defineTemplate({
  name: 'discharge-at-review',
  params: z.object({}).strict(),
  silentWithout: discharged,
  evaluate(f, _params, emit) {
    for (const { discharge, path } of fullDischarges(f)) {
      const lastPlan =
        f.madePlans
          .map((p) => p.madeOn)
          .filter((d): d is IsoDate => d !== undefined && d <= discharge.date)
          .sort()
          .at(-1) ?? '0000-01-01';
      const reviewed = (f.record.reviews ?? []).some((r) => r.heldOn !== undefined && r.heldOn >= lastPlan && r.heldOn <= discharge.date);
      if (reviewed) emit.pass('The discharge followed a review of the plan.', path);
      else emit.fail('The person was discharged without a review of the plan since it was last made.', path);
    }
  },
});

export const dischargeCopiedToGp = defineTemplate({
  name: 'discharge-copied-to-gp',
  params: z.object({ within: durationParam.optional() }).strict(),
  tightening: { within: 'lower' },
  silentWithout: discharged,
  evaluate(f, params, emit) {
    for (const { episode, discharge, path } of fullDischarges(f)) {
      const { within } = params(episode);
      if (discharge.copiedToGp === true) {
        if (within === undefined) emit.pass('The discharge information was copied to the GP.', `${path}.copiedToGp`);
        else if (discharge.writtenInformationGivenOn === undefined)
          emit.cannotEvaluate([`${path}.writtenInformationGivenOn`], 'The date of the discharge letter is not recorded.', path);
        else
          judgeDeadline(f, emit, {
            anchor: discharge.date,
            done: discharge.writtenInformationGivenOn,
            limit: within,
            what: 'The discharge letter was sent',
            since: 'discharge',
            location: `${path}.writtenInformationGivenOn`,
          });
      } else if (discharge.copiedToGp === false && within !== undefined) {
        emit.fail('No discharge letter was sent to the GP.', `${path}.copiedToGp`);
      } else {
        emit.cannotEvaluate(
          discharge.copiedToGp === false ? ['the patient’s consent to copying the GP'] : [`${path}.copiedToGp`],
          discharge.copiedToGp === false
            ? 'Not copied to the GP; whether the patient consented to that is not held in the record.'
            : 'Whether the GP was sent the discharge information is not recorded.',
          path,
        );
      }
    }
  },
});

export const dischargeTemplates = [
  fullDischargeConsistent,
  dischargeWrittenInformation,
  dischargePart3Information,
  coordinatorEndedAtDischarge,
  dischargeAtReview,
  dischargeCopiedToGp,
];
