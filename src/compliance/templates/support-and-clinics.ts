/**
 * What must be in place before someone new joins the person's care or a clinic takes them on
 * (English trust policies: LPT SOP §5.3, §6.11, §6.16.2): a care plan setting out a support
 * worker's part and an updated risk assessment before the worker starts, and an updated risk
 * assessment and care plan before the person goes to the depot clinic.
 */
import { z } from 'zod';
import { clinicKinds, clinicKindVocabulary } from '../../record/health-vocabulary.js';
import type { Actor, CtpRecord, PlanVersion } from '../../record/record.schema.js';
import { addDays, earliest, type IsoDate } from '../../time/dates.js';
import { formatDuration } from '../../time/duration.js';
import { perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, sameActor } from './common.js';
import { appointmentsAt, heldReviews, riskAssessmentUkDates, windowBefore } from './physical-health.js';
import { capitalise } from './wording.js';

/** The latest made plan version on or before `date` (by the date it was made, then the highest version). */
function planInPlaceOn(f: RecordFacts, date: IsoDate): PlanVersion | undefined {
  let latest: PlanVersion | undefined;
  for (const p of f.madePlans) {
    if (p.madeOn === undefined || p.madeOn > date) continue;
    if (latest === undefined || p.madeOn > latest.madeOn! || (p.madeOn === latest.madeOn && p.version > latest.version)) latest = p;
  }
  return latest;
}

/** Whether an action of the plan, or of one of its outcomes, is the actor's to do. */
function givesPart(plan: PlanVersion, who: Actor): boolean {
  const byThem = (a: { whoBy?: readonly Actor[] | undefined }) => (a.whoBy ?? []).some((x) => sameActor(x, who));
  return (plan.actions ?? []).some(byThem) || (plan.outcomes ?? []).some((o) => (o.actions ?? []).some(byThem));
}

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
        if (riskAssessmentUkDates(f).some((d) => d >= from && d <= start))
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
      if (givesPart(plan, member.member)) emit.pass(`${capitalise(versionName(plan))} sets out the support worker's part before they started.`, location);
      else emit.fail(`${capitalise(versionName(plan))}, in place when the support worker started on ${start}, gives them no part.`, location);
    }
  },
});

type Clinic = (typeof clinicKinds)[number];

/**
 * The earliest appointment at a clinic (not cancelled) on or before the evaluation date, by its UK
 * date. Only those written within a day of the earliest written date can be it, so only they are
 * placed in the UK day (a depot clinic holds an appointment every few weeks for years).
 */
function firstAppointmentAt(f: RecordFacts, clinic: Clinic): { encounter: Encounter; on: IsoDate } | undefined {
  const booked = appointmentsAt(f, clinic).filter((e) => e.status !== 'cancelled' && e.start !== undefined && e.start.length >= 10);
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

/** Each clinic's first appointment (firstAppointmentAt), worked out once per person and clinic: several rules ask it of the same clinic. */
const firstAppointments = perPerson(() => new Map<Clinic, { encounter: Encounter; on: IsoDate } | undefined>());

function firstAppointmentOf(f: RecordFacts, clinic: Clinic): { encounter: Encounter; on: IsoDate } | undefined {
  const known = firstAppointments(f);
  if (known.has(clinic)) return known.get(clinic);
  const first = firstAppointmentAt(f, clinic);
  known.set(clinic, first);
  return first;
}

/** The latest review held before `date`, if any. */
function lastReviewBefore(f: RecordFacts, date: IsoDate): IsoDate | undefined {
  let last: IsoDate | undefined;
  for (const { on } of heldReviews(f)) if (on < date && (last === undefined || on > last)) last = on;
  return last;
}

/** Whether a thing of the kind (a risk assessment, a made plan version, an assessment of needs) is dated from `since` to `to`. */
function madeBetween(f: RecordFacts, of: 'care-plan' | 'risk-assessment' | 'assessment', since: IsoDate, to: IsoDate): boolean {
  const within = (d: IsoDate | undefined) => d !== undefined && d >= since && d <= to;
  if (of === 'risk-assessment') return riskAssessmentUkDates(f).some(within);
  if (of === 'care-plan') return f.madePlans.some((p) => within(p.madeOn));
  return (f.record.assessments ?? []).some((a) => within(a.date));
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
  silentWithout: () => ['encounters.clinic'],
  evaluate(f, params, emit) {
    const { clinic, of, sinceLastReview } = params();
    const first = firstAppointmentOf(f, clinic);
    if (first === undefined) {
      const undated = appointmentsAt(f, clinic).filter((e) => e.status !== 'cancelled' && (e.start === undefined || f.ukDateOf(e.start) === undefined));
      if (undated.length > 0)
        emit.cannotEvaluate(
          undated.map((e) => `${at.item(f, 'encounters', e)}.start`),
          `When the ${clinicKindVocabulary[clinic].display.toLowerCase()} appointments were is not recorded.`,
        );
      return;
    }
    const location = at.item(f, 'encounters', first.encounter);
    const lastReview = sinceLastReview ? lastReviewBefore(f, first.on) : undefined;
    const what = clinicKindVocabulary[clinic].display.toLowerCase();
    const after = lastReview === undefined ? '' : ` since the review of ${lastReview}`;
    const thing = of === 'assessment' ? 'assessment of needs' : of.replace('-', ' ');
    if (madeBetween(f, of, lastReview ?? '0000-01-01', first.on)) emit.pass(`The ${thing} was made${after} before the first ${what} appointment.`, location);
    else emit.fail(`No ${thing} was made${after} before the first ${what} appointment on ${first.on}.`, location);
  },
});

export const supportAndClinicTemplates = [beforeSupportWorkerStarts, updatedBeforeClinic];
