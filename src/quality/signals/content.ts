/** Signals on what a plan holds: areas of life, the kind of outcomes, length and detail (practice evidence §2A, §2B). */
import { z } from 'zod';
import { durationParam } from '../../compliance/params.js';
import { defineTemplate, type RuleTemplate } from '../../compliance/template.js';
import { areaOfLifeVocabulary, statutoryAreasOfLife } from '../../record/vocabulary.js';
import { addDays, addMonths } from '../../time/dates.js';
import { dueDate, formatDuration } from '../../time/duration.js';
import { planBody, staffText, wordCount, words as wordsOf } from '../plan-text.js';
import { shingleSimilarity } from '../similarity.js';
import type { WordLists } from '../word-lists.js';
import { areasOf, assessmentBefore, eachCurrentPlan, icd10Codes, isActiveDiagnosis, planSignal, plural } from './common.js';

/** Areas of life that cannot hold matters such as self-harm or falls (row 7); "other", treatment and personal care can. */
const UNRELATED_AREAS = new Set(['accommodation', 'education-training', 'finance-money', 'parenting-caring', 'social-cultural-spiritual', 'work-occupation']);

const areaName = (area: string) => areaOfLifeVocabulary[area as keyof typeof areaOfLifeVocabulary]?.display ?? area;

export function contentSignals(words: WordLists): RuleTemplate<unknown>[] {
  return [
    defineTemplate({
      name: 'quality-few-areas',
      params: z.object({ atMost: z.number().int().min(0) }).strict(),
      evaluate(f, params, emit) {
        const { atMost } = params();
        eachCurrentPlan(f, emit, 'The plan has outcomes in several areas of life.', (plan) => {
          const n = [...areasOf(plan)].filter((a) => a !== 'other').length;
          return n <= atMost ? `The plan has outcomes in ${plural(n, 'area')} of life; the signal fires at ${atMost} or fewer.` : undefined;
        });
      },
    }),
    planSignal('quality-medication-only', 'The plan has outcomes beyond medication and appointments.', (_f, plan) => {
      const outcomes = plan.outcomes ?? [];
      if (outcomes.length === 0) return { skip: 'The plan has no outcomes.' };
      const treatmentOnly = outcomes.every((o) => (o.areas ?? []).length > 0 && (o.areas ?? []).every((a) => a.area === 'medical-treatment'));
      const processOnly = outcomes.every((o) => o.description !== undefined && words.processOutcomes.has(o.description));
      if (treatmentOnly) return 'Every outcome of the plan is in the area of medical treatment.';
      if (processOnly) return 'Every outcome of the plan restates a process (taking medication, attending appointments) rather than a change in the person’s life.';
      return undefined;
    }),
    planSignal('quality-process-outcome', 'No outcome restates a process.', (_f, plan) => {
      const found = (plan.outcomes ?? []).flatMap((o, i) => (o.description !== undefined && words.processOutcomes.has(o.description) ? [i + 1] : []));
      return found.length > 0
        ? `Outcome ${found.join(', ')} restates a process (such as taking medication or attending appointments) rather than what the person wants to change.`
        : undefined;
    }),
    defineTemplate({
      name: 'quality-physical-health-omitted',
      params: z.object({ mentalHealthChapters: z.array(z.string().regex(/^[A-Z]$/)).min(1) }).strict(),
      evaluate(f, params, emit) {
        const chapters = new Set(params().mentalHealthChapters);
        const physical = (f.record.diagnoses ?? []).filter((d) => isActiveDiagnosis(d) && icd10Codes(d).some((c) => !chapters.has(c[0]!)));
        eachCurrentPlan(f, emit, 'The plan has content on physical well-being, or no physical condition is recorded.', (plan) => {
          if (physical.length === 0) return { skip: 'No active physical health condition is recorded.' };
          return areasOf(plan).has('personal-care-physical-wellbeing')
            ? undefined
            : `${plural(physical.length, 'active physical health condition')} recorded, but no outcome in the area of personal care and physical well-being.`;
        });
      },
    }),
    defineTemplate({
      name: 'quality-risk-not-in-plan',
      params: z.object({ level: z.enum(['medium', 'high']) }).strict(),
      evaluate(f, params, emit) {
        const levels = params().level === 'high' ? ['high'] : ['medium', 'high'];
        eachCurrentPlan(f, emit, 'Risks found at assessment have a crisis plan to answer them, or none was found.', (plan) => {
          const assessment = assessmentBefore(f.record, plan.madeOn!);
          const risks = (assessment?.risks ?? []).filter((r) => levels.includes(r.level));
          if (risks.length === 0) return { skip: 'No risk at that level at the latest assessment before the plan.' };
          const answered = (plan.crisisPlan?.contingencies?.length ?? 0) + (plan.crisisPlan?.actions?.length ?? 0) > 0;
          return answered
            ? undefined
            : `The assessment before the plan found ${plural(risks.length, 'risk')} at ${params().level} level or above, but the plan has no crisis actions or contingencies.`;
        });
      },
    }),
    planSignal('quality-assessed-need-not-in-plan', 'Every area with a need at assessment has an outcome in the plan.', (f, plan) => {
      const assessment = assessmentBefore(f.record, plan.madeOn!);
      if (!assessment?.areas) return { skip: 'No assessment of areas of life before the plan.' };
      const inPlan = areasOf(plan);
      const missed = assessment.areas.filter((a) => a.findings.includes('need') && !inPlan.has(a.area)).map((a) => areaName(a.area));
      return missed.length > 0 ? `A need found at assessment has no outcome in the plan: ${missed.join('; ')}.` : undefined;
    }),
    planSignal('quality-misfiled-matter', 'Sensitive matters are filed where they belong.', (_f, plan) => {
      const misfiled = (plan.outcomes ?? []).flatMap((o, i) => {
        const text = [o.description, o.inPatientsWords, ...(o.areas ?? []).map((a) => (typeof a.explanation === 'string' ? a.explanation : undefined))]
          .filter((t) => t !== undefined)
          .join('\n');
        const areas = (o.areas ?? []).map((a) => a.area);
        return areas.length > 0 && areas.every((a) => UNRELATED_AREAS.has(a)) && words.noObviousPlace.has(text) ? [i + 1] : [];
      });
      return misfiled.length > 0
        ? `Outcome ${misfiled.join(', ')} deals with a matter such as self-harm, an eating disorder or falls but is filed only under an unrelated area of life; consider an "other" area.`
        : undefined;
    }),
    defineTemplate({
      name: 'quality-record-not-plan',
      params: z.object({ maxPastShare: z.number().gt(0).max(1), minWords: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { maxPastShare, minWords } = params();
        eachCurrentPlan(f, emit, 'The plan looks ahead rather than reporting what happened.', (plan) => {
          const all = staffText(plan).flatMap((p) => wordsOf(p.text));
          if (all.length < minWords) return { skip: `Fewer than ${minWords} words to judge.` };
          const share = all.filter((w) => words.isPastTense(w)).length / all.length;
          return share > maxPastShare
            ? `${Math.round(share * 100)}% of the plan’s words report the past (the signal fires above ${Math.round(maxPastShare * 100)}%): it may be used as a record rather than a plan.`
            : undefined;
        });
      },
    }),
    defineTemplate({
      name: 'quality-plan-kind-switching',
      params: z.object({ maxSwitches: z.number().int().min(0), months: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { maxSwitches, months } = params();
        const since = addMonths(f.asOf, -months);
        const kinds = (f.whole.plans ?? [])
          .filter((p) => p.madeOn !== undefined && p.madeOn > since && p.madeOn <= f.asOf && p.status !== 'draft')
          .sort((a, b) => (a.madeOn! < b.madeOn! ? -1 : a.madeOn! > b.madeOn! ? 1 : 0))
          .map((p) => p.kind ?? 'ctp');
        if (kinds.length < 2) return emit.notApplicable(`Fewer than two plan versions made in the last ${months} months.`);
        const switches = kinds.filter((k, i) => i > 0 && k !== kinds[i - 1]).length;
        if (switches > maxSwitches)
          emit.fail(`The person’s plans switched ${switches} times between a Care and Treatment Plan and another kind of plan in the last ${months} months.`, 'plans');
        else emit.pass('The kind of plan has been steady.', 'plans');
      },
    }),
    planSignal('quality-areas-not-discussed', 'Every area of life was either planned for or considered at assessment.', (f, plan) => {
      const considered = new Set((assessmentBefore(f.record, plan.madeOn!)?.areas ?? []).map((a) => a.area));
      const inPlan = areasOf(plan);
      const silent = statutoryAreasOfLife.filter((a) => !inPlan.has(a) && !considered.has(a)).map(areaName);
      return silent.length > 0 ? `${plural(silent.length, 'area')} of life neither in the plan nor considered at assessment: ${silent.join('; ')}.` : undefined;
    }),
    defineTemplate({
      name: 'quality-sparse-plan',
      params: z.object({ minWords: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { minWords } = params();
        eachCurrentPlan(f, emit, 'Outcomes and actions are described in some detail, with who and when.', (plan) => {
          let short = 0;
          let unassigned = 0;
          for (const o of plan.outcomes ?? []) {
            if (o.description === undefined || wordCount(o.description) < minWords) short += 1;
            for (const a of o.actions ?? []) {
              if (a.description === undefined || wordCount(a.description) < minWords) short += 1;
              if (a.whoBy === undefined || (a.when === undefined && a.start === undefined)) unassigned += 1;
            }
          }
          if (short + unassigned === 0) return undefined;
          return `${plural(short, 'outcome or action')} described in fewer than ${minWords} words; ${plural(unassigned, 'action')} without who or when.`;
        });
      },
    }),
    defineTemplate({
      name: 'quality-long-plan',
      params: z.object({ maxWords: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { maxWords } = params();
        eachCurrentPlan(f, emit, 'The plan is of a readable length.', (plan) => {
          const n = staffText(plan).reduce((sum, p) => sum + wordCount(p.text), 0);
          return n > maxWords ? `The plan runs to ${n} words, more than ${maxWords}.` : undefined;
        });
      },
    }),
    planSignal('quality-vague-outcome', 'Outcomes say something that can be judged, with a step and a date.', (_f, plan) => {
      const vague = (plan.outcomes ?? []).flatMap((o, i) => {
        const generic = o.description !== undefined && words.vagueOutcomes.has(o.description);
        const undated = !(o.milestones ?? []).some((m) => m.targetDate !== undefined);
        return generic || undated ? [i + 1] : [];
      });
      return vague.length > 0 ? `Outcome ${vague.join(', ')} is generic (such as "stay well") or has no dated step, so it is hard to judge at review.` : undefined;
    }),
    defineTemplate({
      name: 'quality-no-short-term-steps',
      params: z.object({ within: durationParam }).strict(),
      evaluate(f, params, emit) {
        const { within } = params();
        eachCurrentPlan(f, emit, 'The plan has a short-term step.', (plan) => {
          if ((plan.outcomes ?? []).length === 0) return { skip: 'The plan has no outcomes.' };
          const horizon = dueDate(plan.madeOn!, within, f.calendar);
          const soon = (plan.outcomes ?? []).some((o) => (o.milestones ?? []).some((m) => m.targetDate !== undefined && m.targetDate <= horizon));
          return soon ? undefined : `No outcome has a step due within ${formatDuration(within)} of the plan being made.`;
        });
      },
    }),
    defineTemplate({
      name: 'quality-steps-overdue',
      params: z.object({ graceDays: z.number().int().min(0) }).strict(),
      evaluate(f, params, emit) {
        const { graceDays } = params();
        eachCurrentPlan(f, emit, 'No step is past its date without being marked achieved.', (plan) => {
          let overdue = 0;
          for (const o of plan.outcomes ?? []) {
            if (o.achievement === 'achieved') continue;
            for (const m of o.milestones ?? []) if (m.targetDate !== undefined && m.achievedOn === undefined && addDays(m.targetDate, graceDays) < f.asOf) overdue += 1;
          }
          return overdue > 0 ? `${plural(overdue, 'step')} past its target date by more than ${graceDays} days with no record of being achieved.` : undefined;
        });
      },
    }),
    planSignal('quality-work-goal-not-own', 'Work and education outcomes are in the person’s own words.', (_f, plan) => {
      const found = (plan.outcomes ?? []).flatMap((o, i) =>
        (o.areas ?? []).some((a) => a.area === 'work-occupation' || a.area === 'education-training') && o.inPatientsWords === undefined ? [i + 1] : [],
      );
      if (found.length === 0) return undefined;
      return `Outcome ${found.join(', ')} is about work or education but is not recorded in the person’s own words.`;
    }),
    defineTemplate({
      name: 'quality-text-from-assessment',
      params: z.object({ similarity: z.number().gt(0).max(1), minWords: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { similarity, minWords } = params();
        eachCurrentPlan(f, emit, 'The plan is not a copy of the assessment.', (plan) => {
          const assessment = assessmentBefore(f.record, plan.madeOn!);
          const details = (assessment?.areas ?? []).flatMap((a) => (a.detail !== undefined && wordCount(a.detail) >= minWords ? [a.detail] : []));
          if (details.length === 0) return { skip: 'No written assessment detail to compare with.' };
          const copied = (plan.outcomes ?? []).flatMap((o, i) =>
            o.description !== undefined && wordCount(o.description) >= minWords && details.some((d) => shingleSimilarity(d, o.description!) >= similarity) ? [i + 1] : [],
          );
          return copied.length > 0 ? `Outcome ${copied.join(', ')} repeats the assessment’s text rather than planning from it.` : undefined;
        });
      },
    }),
    defineTemplate({
      name: 'quality-placement-sparse',
      params: z.object({ minWords: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { minWords } = params();
        eachCurrentPlan(f, emit, 'A plan for an out-of-area placement has substance.', (plan) => {
          const episode = f.episode(plan.episode);
          if (!episode?.placement) return { skip: 'Not an out-of-area placement.' };
          const n = wordCount(planBody(plan));
          return n < minWords ? `The plan for an out-of-area placement has ${n} words of outcomes and actions, fewer than ${minWords}.` : undefined;
        });
      },
    }),
  ];
}
