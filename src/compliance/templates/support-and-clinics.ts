/**
 * What must be in place before someone new joins the person's care or a clinic takes them on
 * (English trust policies: LPT SOP §5.3, §6.11, §6.16.2): a care plan setting out a support
 * worker's part and an updated risk assessment before the worker starts, and an updated risk
 * assessment and care plan before the person goes to the depot clinic.
 */
import { z } from 'zod';
import { clinicKinds, clinicKindVocabulary } from '../../record/health-vocabulary.js';
import type { CtpRecord, PlanVersion } from '../../record/record.schema.js';
import { addDays, earliest, type IsoDate } from '../../time/dates.js';
import { formatDuration } from '../../time/duration.js';
import type { RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, sameActor } from './common.js';
import { heldReviews, windowBefore } from './physical-health.js';

/** The latest made plan version on or before `date` (by the date it was made). */
function planInPlaceOn(f: RecordFacts, date: IsoDate): PlanVersion | undefined {
  return f.madePlans
    .filter((p) => p.madeOn !== undefined && p.madeOn <= date)
    .sort((a, b) => (a.madeOn! < b.madeOn! ? 1 : a.madeOn! > b.madeOn! ? -1 : b.version - a.version))[0];
}

/** UK dates of the risk assessments, by date; one dated by month or year alone is left out. */
const riskAssessmentDates = (f: RecordFacts): IsoDate[] =>
  (f.record.riskAssessments ?? [])
    .map((r) => (r.date === undefined ? undefined : f.ukDateOf(r.date)))
    .filter((d): d is IsoDate => d !== undefined)
    .sort();

type Encounter = NonNullable<CtpRecord['encounters']>[number];

const versionName = (plan: PlanVersion) => `version ${plan.version} of the care plan`;

/**
 * Before a support worker starts with the person: a care plan that sets out their part (an action
 * of the plan in place by them), and a risk assessment within `within` up to the day (LPT SOP §5.3,
 * §6.11). Judged on care team members with the role support-worker.
 */
export const beforeSupportWorkerStarts = defineTemplate({
  name: 'before-support-worker-starts',
  params: z.discriminatedUnion('of', [z.object({ of: z.literal('care-plan') }).strict(), z.object({ of: z.literal('risk-assessment'), within: durationParam }).strict()]),
  evaluate(f, params, emit) {
    const p = params();
    const risks = riskAssessmentDates(f);
    for (const member of f.record.careTeam ?? []) {
      if (member.role !== 'support-worker') continue;
      const location = at.item(f, 'careTeam', member);
      if (member.start === undefined) {
        emit.cannotEvaluate([`${location}.start`], 'When the support worker started is not recorded.', location);
        continue;
      }
      const start = member.start;
      if (start > f.asOf) continue;
      if (p.of === 'risk-assessment') {
        const from = windowBefore(f, start, p.within);
        if (risks.some((d) => d >= from && d <= start))
          emit.pass(`The risk assessment was updated in the ${formatDuration(p.within)} before the support worker started.`, location);
        else emit.fail(`No risk assessment in the ${formatDuration(p.within)} before the support worker started on ${start}.`, location);
        continue;
      }
      const plan = planInPlaceOn(f, start);
      if (plan === undefined) {
        emit.fail(`No care plan had been made when the support worker started on ${start}.`, location);
        continue;
      }
      if (member.member === undefined) {
        emit.cannotEvaluate([`${location}.member`], 'Who the support worker is is not recorded, so their part in the plan cannot be found.', location);
        continue;
      }
      const who = member.member;
      const actions = [...(plan.actions ?? []), ...(plan.outcomes ?? []).flatMap((o) => o.actions ?? [])];
      if (actions.some((a) => (a.whoBy ?? []).some((x) => sameActor(x, who))))
        emit.pass(`${capital(versionName(plan))} sets out the support worker's part before they started.`, location);
      else emit.fail(`${capital(versionName(plan))}, in place when the support worker started on ${start}, gives them no part.`, location);
    }
  },
});

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The earliest appointment at a clinic (not cancelled) on or before the evaluation date, by its UK
 * date. Only those written within a day of the earliest written date can be it, so only they are
 * placed in the UK day (a depot clinic holds an appointment every few weeks for years).
 */
function firstAppointmentAt(f: RecordFacts, clinic: (typeof clinicKinds)[number]): { encounter: Encounter; on: IsoDate } | undefined {
  const booked = (f.record.encounters ?? []).filter((e) => e.clinic === clinic && e.status !== 'cancelled' && e.start !== undefined && e.start.length >= 10);
  if (booked.length === 0) return undefined;
  const near = addDays(earliest(booked.map((e) => e.start!.slice(0, 10)))!, 1);
  let first: { encounter: Encounter; on: IsoDate } | undefined;
  for (const encounter of booked) {
    if (encounter.start!.slice(0, 10) > near) continue;
    const on = f.ukDateOf(encounter.start!);
    if (on !== undefined && on <= f.asOf && (first === undefined || on < first.on)) first = { encounter, on };
  }
  return first;
}

/**
 * Before the person is first seen at a clinic: a risk assessment, a made care plan version or an
 * assessment of needs, since the last review held when `sinceLastReview` (LPT SOP §6.16.2:
 * "updated following the last review" before referral to the depot clinic), or at all (§6.14.1:
 * nurse-led clinic patients "must have" them). The referral's own date is not held, so the first
 * appointment at the clinic stands for the latest it can have been.
 */
export const updatedBeforeClinic = defineTemplate({
  name: 'updated-before-clinic',
  params: z.object({ clinic: z.enum(clinicKinds), of: z.enum(['care-plan', 'risk-assessment', 'assessment']), sinceLastReview: z.boolean().default(true) }).strict(),
  evaluate(f, params, emit) {
    const { clinic, of, sinceLastReview } = params();
    const first = firstAppointmentAt(f, clinic);
    if (first === undefined) {
      const undated = (f.record.encounters ?? []).filter(
        (e) => e.clinic === clinic && e.status !== 'cancelled' && (e.start === undefined || f.ukDateOf(e.start) === undefined),
      );
      if (undated.length > 0)
        emit.cannotEvaluate(
          undated.map((e) => `${at.item(f, 'encounters', e)}.start`),
          `When the ${clinicKindVocabulary[clinic].display.toLowerCase()} appointments were is not recorded.`,
        );
      return;
    }
    const location = at.item(f, 'encounters', first.encounter);
    const lastReview = sinceLastReview
      ? heldReviews(f)
          .map((r) => r.on)
          .filter((d) => d < first.on)
          .sort()
          .at(-1)
      : undefined;
    const since = lastReview ?? '0000-01-01';
    const what = clinicKindVocabulary[clinic].display.toLowerCase();
    const after = lastReview === undefined ? '' : ` since the review of ${lastReview}`;
    const dates =
      of === 'risk-assessment'
        ? riskAssessmentDates(f)
        : (of === 'care-plan' ? f.madePlans.map((p) => p.madeOn) : (f.record.assessments ?? []).map((a) => a.date)).filter((d): d is IsoDate => d !== undefined);
    const thing = of === 'assessment' ? 'assessment of needs' : of.replace('-', ' ');
    if (dates.some((d) => d >= since && d <= first.on)) emit.pass(`The ${thing} was made${after} before the first ${what} appointment.`, location);
    else emit.fail(`No ${thing} was made${after} before the first ${what} appointment on ${first.on}.`, location);
  },
});

export const supportAndClinicTemplates = [beforeSupportWorkerStarts, updatedBeforeClinic];
