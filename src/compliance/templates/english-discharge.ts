/**
 * Discharge from the team under the English trust policies: the discharge checklist reviewed every
 * six months and kept on the record (LPT SOP §6.25.3), the steps of the discharge pathway (LPT SOP
 * §6.25.6; DH PIG 2001 Tables 3a and 5a), the contingency plan for re-referral of someone with a
 * long-term psychotic or bipolar illness (ELFT §20), and a safety plan before leaving CPA (ELFT
 * §20.1).
 */
import { z } from 'zod';
import { dischargeDestinationVocabulary, dischargeSteps, dischargeStepVocabulary, planKinds, planKindVocabulary } from '../../record/english-plans-vocabulary.js';
import type { IsoDate } from '../../time/dates.js';
import { dueDate, formatDuration } from '../../time/duration.js';
import { type Episode, perPerson } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at } from './common.js';
import { judgeEvery, leftServicesOn, plansOfEpisode } from './english-plans.js';
import { lowerFirst } from './wording.js';

type Discharge = NonNullable<Episode['discharge']>;

interface FullDischarge {
  readonly episode: Episode;
  readonly discharge: Discharge;
  readonly location: string;
}

/** The discharge rules judge only full discharges. */
const discharged = () => ['episodes.discharge'] as const;

/** Full discharges by the date of evaluation, with where each is in the record: shared by the discharge rules. */
const fullDischarges = perPerson((f): readonly FullDischarge[] => {
  const all: FullDischarge[] = [];
  for (const episode of f.record.episodes ?? []) {
    const discharge = episode.discharge;
    if (discharge?.kind === 'full' && discharge.date <= f.asOf) all.push({ episode, discharge, location: `${at.item(f, 'episodes', episode)}.discharge` });
  }
  return all;
});

/** The discharge checklists completed by a day, by date, each with its location. */
function checklistsBy(episode: Episode, day: IsoDate, location: string): { on: IsoDate; location: string }[] {
  const checklists = episode.dischargeChecklists;
  if (checklists === undefined || checklists.length === 0) return [];
  const done: { on: IsoDate; location: string }[] = [];
  for (let i = 0; i < checklists.length; i++) {
    const on = checklists[i]!.completedOn;
    if (on <= day) done.push({ on, location: `${location}.dischargeChecklists[${i}]` });
  }
  return done.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

/**
 * Whether the person is ready for discharge is reviewed on the discharge checklist at least
 * `every`, from acceptance to discharge (LPT SOP §6.25.3: at least every six months).
 */
export const dischargeChecklistInterval = defineTemplate({
  name: 'discharge-checklist-interval',
  params: z.object({ every: durationParam }).strict(),
  tightening: { every: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      if (episode.acceptedOn === undefined) {
        if (episode.dischargeChecklists !== undefined) {
          const location = at.item(f, 'episodes', episode);
          emit.cannotEvaluate([`${location}.acceptedOn`], 'When the person was accepted is not recorded.', location);
        }
        continue;
      }
      if (episode.acceptedOn > f.asOf) continue;
      const { every } = params(episode);
      const location = at.item(f, 'episodes', episode);
      const left = leftServicesOn(f, episode);
      judgeEvery(f, emit, {
        start: episode.acceptedOn,
        events: checklistsBy(episode, f.asOf, location),
        every,
        left,
        location,
        what: 'The discharge checklist was completed',
        notDone: 'The discharge checklist has not been completed',
        since: ['the person was accepted', 'the one before'],
      });
    }
  },
});

/** Each discharge checklist is uploaded to the electronic record and referred to in the progress notes (LPT SOP §6.25.3). */
export const dischargeChecklistOnRecord = defineTemplate({
  name: 'discharge-checklist-on-record',
  params: z.object({}).strict(),
  silentWithout: () => ['episodes.dischargeChecklists'],
  evaluate(f, _params, emit) {
    for (const episode of f.record.episodes ?? []) {
      (episode.dischargeChecklists ?? []).forEach((checklist, i) => {
        if (checklist.completedOn > f.asOf) return;
        const location = `${at.item(f, 'episodes', episode)}.dischargeChecklists[${i}]`;
        if (checklist.uploaded === false) emit.fail('The discharge checklist was not uploaded to the electronic record.', location);
        else if (checklist.referencedInNotes === false) emit.fail('The progress notes do not refer to the discharge checklist.', location);
        else if (checklist.uploaded === undefined || checklist.referencedInNotes === undefined)
          emit.cannotEvaluate(
            (['uploaded', 'referencedInNotes'] as const).filter((k) => checklist[k] === undefined).map((k) => `${location}.${k}`),
            'Whether the discharge checklist was uploaded and referred to in the notes is not recorded.',
            location,
          );
        else emit.pass('The discharge checklist was uploaded and the progress notes refer to it.', location);
      });
    }
  },
});

const stepParam = z.union([z.enum(dischargeSteps), z.array(z.enum(dischargeSteps)).min(2)]);

type StepParam = z.infer<typeof stepParam>;

/** The steps (or lists of steps, any one of which will do) not taken; undefined when all were, without building a list. */
function stepsMissing(steps: readonly StepParam[], taken: readonly string[]): StepParam[] | undefined {
  let missing: StepParam[] | undefined;
  for (const step of steps) {
    if (typeof step === 'string' ? taken.includes(step) : step.some((x) => taken.includes(x))) continue;
    (missing ??= []).push(step);
  }
  return missing;
}

/**
 * A full discharge from the team took the steps the policy lists (LPT SOP §6.25.6: the checklist,
 * workbook, relapse plan with the Central Access Point's details and signposting; DH PIG 2001
 * Table 3a: a crisis team's discharge). A list in `steps` is met by any one of its codes.
 */
export const dischargeStepsTaken = defineTemplate({
  name: 'discharge-steps-taken',
  params: z.object({ steps: z.array(stepParam).min(1), applies: z.boolean().default(true) }).strict(),
  silentWithout: discharged,
  evaluate(f, params, emit) {
    for (const { episode, discharge, location } of fullDischarges(f)) {
      const { steps, applies } = params(episode);
      if (!applies) continue;
      if (discharge.steps === undefined) {
        emit.cannotEvaluate([`${location}.steps`], 'What was done at the discharge is not recorded.', location);
        continue;
      }
      const taken = discharge.steps;
      const missing = stepsMissing(steps, taken);
      if (missing === undefined) emit.pass('The discharge took every step the policy lists.', location);
      else
        emit.fail(
          `The discharge is not recorded as having: ${missing.map((s) => (Array.isArray(s) ? s : [s]).map((x) => lowerFirst(dischargeStepVocabulary[x].display)).join(' or ')).join('; ')}.`,
          location,
        );
    }
  },
});

/**
 * Early intervention does not let go until the person's next care is in place (DH PIG 2001 Table
 * 5a): a discharge to primary care arranges the yearly joint review; one elsewhere establishes
 * contact with the next service.
 */
export const dischargeOnwardArranged = defineTemplate({
  name: 'discharge-onward-arranged',
  params: z.object({ applies: z.boolean().default(true) }).strict(),
  silentWithout: discharged,
  evaluate(f, params, emit) {
    for (const { episode, discharge, location } of fullDischarges(f)) {
      if (!params(episode).applies) continue;
      const missing = (['destination', 'steps'] as const).filter((k) => discharge[k] === undefined).map((k) => `${location}.${k}`);
      if (missing.length > 0) {
        emit.cannotEvaluate(missing, 'Where the person went on discharge, and what was arranged, is not recorded.', location);
        continue;
      }
      const needed = discharge.destination === 'primary-care' ? 'yearly-joint-review' : 'next-service-engaged';
      const where = lowerFirst(dischargeDestinationVocabulary[discharge.destination!].display);
      if (discharge.steps!.includes(needed)) emit.pass(`Discharged to ${where}, with ${lowerFirst(dischargeStepVocabulary[needed].display)}.`, location);
      else emit.fail(`Discharged to ${where} without ${lowerFirst(dischargeStepVocabulary[needed].display)}.`, location);
    }
  },
});

/** Whether a diagnosis is coded in ICD-10 (or a national edition of it) under one of the given codes: F20 takes F20.0 and F200. */
function codedUnder(codes: readonly string[]) {
  return (coding: { system: string; code: string }) => /icd-?10/i.test(coding.system) && codes.some((c) => coding.code.toUpperCase().startsWith(c));
}

/**
 * Someone with a long-term illness of the given ICD-10 codes (ELFT §20: schizophrenia, bipolar
 * disorder) is discharged with a contingency plan for re-referral in the letter, which goes to the
 * GP as well. A diagnosis refuted or entered in error, or recorded after the discharge, is not counted.
 */
export const contingencyPlanOnDischarge = defineTemplate({
  name: 'contingency-plan-on-discharge',
  params: z.object({ diagnoses: z.array(z.string().regex(/^[A-Z]\d{2}(\.\d+)?$/)).min(1) }).strict(),
  silentWithout: () => ['episodes.discharge', 'diagnoses'],
  evaluate(f, params, emit) {
    for (const { episode, discharge, location } of fullDischarges(f)) {
      const { diagnoses } = params(episode);
      const matches = codedUnder(diagnoses);
      const ill = (f.record.diagnoses ?? []).some(
        (d) =>
          d.status !== 'refuted' &&
          d.status !== 'entered-in-error' &&
          (d.recordedOn === undefined || d.recordedOn <= discharge.date) &&
          (d.episode === undefined || d.episode === episode.id) &&
          (d.code ?? []).some(matches),
      );
      if (!ill) continue;
      const missing = [
        discharge.letterSections === undefined ? `${location}.letterSections` : undefined,
        discharge.copiedToGp === undefined ? `${location}.copiedToGp` : undefined,
      ];
      if (discharge.letterSections !== undefined && !discharge.letterSections.includes('contingency-plan'))
        emit.fail('The discharge letter holds no contingency plan for re-referral.', location);
      else if (discharge.copiedToGp === false) emit.fail('The discharge letter with the contingency plan was not copied to the GP.', location);
      else if (missing.some((m) => m !== undefined))
        emit.cannotEvaluate(
          missing.filter((m): m is string => m !== undefined),
          'Whether the discharge letter holds a contingency plan for re-referral and went to the GP is not recorded.',
          location,
        );
      else emit.pass('The discharge letter holds a contingency plan for re-referral and was copied to the GP.', location);
    }
  },
});

/**
 * Before the person leaves CPA, a safety plan is updated: one of the given kinds made no more than
 * `within` before the end of a period on CPA, and by its last day (ELFT §20.1).
 */
export const planBeforeLeavingCpa = defineTemplate({
  name: 'plan-before-leaving-cpa',
  params: z.object({ kinds: z.array(z.enum(planKinds)).min(1), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  silentWithout: () => ['episodes.cpaPeriods'],
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const periods = episode.cpaPeriods;
      if (periods === undefined || !periods.some((period) => period.end !== undefined && period.end <= f.asOf)) continue;
      const { kinds, within } = params(episode);
      const plans = plansOfEpisode(f, episode, kinds);
      const name = kinds.map((k) => lowerFirst(planKindVocabulary[k].display)).join(' or ');
      periods.forEach((period, i) => {
        const end: IsoDate | undefined = period.end;
        if (end === undefined || end > f.asOf) return;
        const location = `${at.item(f, 'episodes', episode)}.cpaPeriods[${i}]`;
        if (plans.some((p) => p.madeOn !== undefined && p.madeOn <= end && dueDate(p.madeOn, within, f.calendar) >= end)) {
          emit.pass(`A ${name} was made in the ${formatDuration(within)} before the person left CPA.`, location);
          return;
        }
        const undated = plans.filter((p) => p.madeOn === undefined).map((p) => `${at.item(f, 'otherPlans', p)}.madeOn`);
        if (undated.length > 0) {
          emit.cannotEvaluate(undated, `A ${name} of this episode has no date, so whether it came before the person left CPA cannot be told.`, location);
          return;
        }
        emit.fail(`No ${name} was made in the ${formatDuration(within)} before the person left CPA.`, location, { due: end });
      });
    }
  },
});

export const englishDischargeTemplates = [
  dischargeChecklistInterval,
  dischargeChecklistOnRecord,
  dischargeStepsTaken,
  dischargeOnwardArranged,
  contingencyPlanOnDischarge,
  planBeforeLeavingCpa,
];
