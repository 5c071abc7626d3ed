/** Signals on whose plan it is: the person's part, voice, views, signature and agreement (practice evidence §2C). */
import { z } from 'zod';
import { defineTemplate, type RuleTemplate } from '../../compliance/template.js';
import { addDays, daysBetween } from '../../time/dates.js';
import type { WordLists } from '../word-lists.js';
import { assessmentBefore, eachCurrentPlan, isActiveDiagnosis, noParams, planSignal, plural } from './common.js';

export function voiceSignals(words: WordLists): RuleTemplate<unknown>[] {
  return [
    planSignal('quality-review-without-person', 'The person took part in the review that produced the plan.', (f, plan) => {
      const review = f.timeline.review(plan.review);
      if (review?.participants === undefined) return { skip: 'The plan records no review meeting with its participants.' };
      return review.participants.some((p) => p.kind === 'patient') ? undefined : 'The plan was revised at a review meeting the person is not recorded as attending.';
    }),
    planSignal('quality-not-own-words', 'Some outcomes are recorded in the person’s own words.', (_f, plan) => {
      if ((plan.outcomes ?? []).length === 0) return { skip: 'The plan has no outcomes.' };
      return plan.outcomes!.some((o) => o.inPatientsWords !== undefined) ? undefined : 'No outcome of the plan is recorded in the person’s own words.';
    }),
    planSignal('quality-third-person', 'Outcomes are not written about the person in the third person.', (_f, plan) => {
      const third = (plan.outcomes ?? []).flatMap((o, i) =>
        o.description !== undefined && words.thirdPerson.has(o.description) && !words.firstPerson.has(o.description) ? [i + 1] : [],
      );
      return third.length > 0 ? `Outcome ${third.join(', ')} is written about the person ("he", "she", "the patient") rather than in their voice.` : undefined;
    }),
    planSignal('quality-views-not-applicable', 'The person’s views say something.', (_f, plan) => {
      const text = plan.patientViews?.text;
      if (text === undefined) return { skip: 'No views text recorded.' };
      return words.isNotApplicable(text) ? 'The person’s views are recorded as "not applicable" or an empty word.' : undefined;
    }),
    planSignal('quality-unsigned-by-person', 'The person signed the plan.', (_f, plan) =>
      plan.signatures?.patient ? undefined : 'The person has not signed the plan, and the record holds no reason (not asked, declined or unable).',
    ),
    planSignal('quality-views-copied-forward', 'The person’s views were taken afresh for this version.', (f, plan) => {
      const previous = f.previousVersion(plan);
      const now = plan.patientViews?.text;
      if (previous === undefined || now === undefined || previous.patientViews?.text === undefined) return { skip: 'No earlier version’s views to compare with.' };
      return previous.patientViews.text.trim() === now.trim() ? 'The person’s views are word for word those of the previous version.' : undefined;
    }),
    planSignal('quality-agreed-without-taking-part', 'Agreement is recorded alongside the person’s part in planning.', (f, plan) => {
      if (plan.agreement?.statement !== 'agreed-s18-2') return { skip: 'The plan does not record agreement.' };
      const review = f.timeline.review(plan.review);
      const absent = plan.involvement?.tookPart === false || (review?.participants !== undefined && !review.participants.some((p) => p.kind === 'patient'));
      return absent ? 'The plan says it was agreed with the person, but the person is not recorded as taking part.' : undefined;
    }),
    defineTemplate({
      name: 'quality-signed-late',
      params: z.object({ afterDays: z.number().int().min(0) }).strict(),
      evaluate(f, params, emit) {
        const { afterDays } = params();
        eachCurrentPlan(f, emit, 'The person signed the plan around the time it was made.', (plan) => {
          const signed = plan.signatures?.patient?.signedOn;
          if (signed === undefined) return { skip: 'Not signed by the person.' };
          if (typeof plan.reviewBy === 'string' && plan.reviewBy < signed) return 'The person signed the plan after its review date.';
          return signed > addDays(plan.madeOn!, afterDays) ? `The person signed the plan ${daysBetween(plan.madeOn!, signed)} days after it was made.` : undefined;
        });
      },
    }),
    defineTemplate({
      name: 'quality-signed-without-capacity',
      params: z.object({ minAge: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { minAge } = params();
        eachCurrentPlan(f, emit, 'The person who signed could be expected to understand what they signed.', (plan) => {
          const signed = plan.signatures?.patient?.signedOn;
          if (signed === undefined) return { skip: 'Not signed by the person.' };
          if (assessmentBefore(f.record, signed)?.capacity?.lacksCapacity === true)
            return 'The person signed while the latest assessment records that they lack capacity to take part in planning.';
          const age = f.ageOn(signed);
          return age !== undefined && age < minAge ? `The person signed aged under ${minAge}; a parent’s or carer’s part is not recorded on the plan.` : undefined;
        });
      },
    }),
    defineTemplate({
      name: 'quality-diagnosis-not-addressed',
      params: noParams,
      evaluate(f, _params, emit) {
        const active = (f.record.diagnoses ?? []).filter(isActiveDiagnosis);
        eachCurrentPlan(f, emit, 'The plan addresses every active diagnosis.', (plan) => {
          if (active.length === 0) return { skip: 'No active diagnosis recorded.' };
          const addressed = new Set(plan.addresses ?? []);
          const left = active.filter((d) => !addressed.has(d.id)).length;
          return left > 0 ? `${plural(left, 'active diagnosis', 'active diagnoses')} not among those the plan addresses.` : undefined;
        });
      },
    }),
    planSignal('quality-relapse-signs-crisis-only', 'Relapse signs include early signs, not only crisis.', (_f, plan) => {
      if (!Array.isArray(plan.relapseSignatures)) return { skip: 'No relapse signs recorded.' };
      return plan.relapseSignatures.every((s) => words.crisisOnlySigns.has(s))
        ? 'Every relapse sign describes a crisis (self-harm, admission, suicidal thoughts) rather than an early sign the person would notice.'
        : undefined;
    }),
  ];
}
