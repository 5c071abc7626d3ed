/**
 * Other rules of the English trust policies: the discharge letter's contents and the reasons an
 * episode may not be closed for (LPT SOP §6.24; PIG Table 5a), children in the household (ELFT
 * §24; LPT SOP §6.31), who may coordinate in a team and cover for a coordinator's absence (DH PIG
 * 2001 Table 4b; ELFT §14.1; LPT SOP §6.18), the first plan after assessment (PIG Table 5a),
 * allocation of urgent referrals (ELFT §11), reviews after admission, before a transfer and at
 * each review (advance statements, section 117, the GP told) (LPT CCP §3.15, SOP §6.12, §6.20;
 * ELFT §16.1, §20.1), and the joint visit on a planned change of coordinator (LPT SOP §6.25).
 */
import { z } from 'zod';
import { closureReasons, closureReasonVocabulary, dischargeLetterSections, dischargeLetterSectionVocabulary, mhaSections } from '../../record/english-vocabulary.js';
import { addDays, ageOn, datePart, dayNumberOfIsoDate, daysInMonth, type IsoDate } from '../../time/dates.js';
import { type Duration, dueDate, formatDuration } from '../../time/duration.js';
import { copyProvidedOn, copyUndated } from '../../timeline/timeline.js';
import { type Encounter, type Episode, perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate, type Emit } from '../template.js';
import { at, contactDate, dueDateAfter, firstIndexFrom, judgeDeadline, laterThanLimit } from './common.js';
import { undatedRiskAssessments, usualAppointmentsByStart } from './risk.js';
import { lowerFirst, professionName } from './wording.js';

/** The discharge letter and the closure reason are judged only on an episode's discharge. */
const discharged = () => ['episodes.discharge'] as const;

/** Rules judged at each review held of the plan (reviews), and nothing else. */
const atEachReview = () => ['reviews'] as const;

/** The discharge letter holds the sections the policy lists. */
export const dischargeLetterContents = defineTemplate({
  name: 'discharge-letter-contents',
  params: z.object({ sections: z.array(z.enum(dischargeLetterSections)).min(1) }).strict(),
  silentWithout: discharged,
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const discharge = episode.discharge;
      if (discharge?.kind !== 'full' || discharge.date > f.asOf) continue;
      const location = `${at.item(f, 'episodes', episode)}.discharge`;
      const { sections } = params(episode);
      if (discharge.letterSections === undefined) {
        emit.cannotEvaluate([`${location}.letterSections`], 'What the discharge letter holds is not recorded.', location);
        continue;
      }
      const missing = sections.filter((s) => !discharge.letterSections!.includes(s));
      if (missing.length === 0) emit.pass('The discharge letter holds every section the policy lists.', `${location}.letterSections`);
      else emit.fail(`The discharge letter lacks: ${missing.map((s) => dischargeLetterSectionVocabulary[s].display.toLowerCase()).join('; ')}.`, `${location}.letterSections`);
    }
  },
});

/**
 * An episode is not closed for a reason the policy rules out (DH PIG 2001 Table 5a: in early
 * intervention, failure to engage or the lack of a clear diagnosis does not close the case). Only
 * a full discharge closes an episode; the coded closure reason judges it, the free text does not.
 */
export const closureReasonExcluded = defineTemplate({
  name: 'closure-reason-excluded',
  params: z.object({ excluded: z.array(z.enum(closureReasons)).min(1), applies: z.boolean().default(true) }).strict(),
  silentWithout: discharged,
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const discharge = episode.discharge;
      if (discharge?.kind !== 'full' || discharge.date > f.asOf) continue;
      const { excluded, applies } = params(episode);
      if (!applies) continue;
      const location = `${at.item(f, 'episodes', episode)}.discharge`;
      const reason = discharge.closureReason;
      if (reason === undefined) emit.cannotEvaluate([`${location}.closureReason`], 'Why the episode was closed is not coded.', location);
      else if (excluded.includes(reason))
        emit.fail(`The episode was closed for a reason this team may not close on: ${closureReasonVocabulary[reason].display.toLowerCase()}.`, `${location}.closureReason`);
      else emit.pass('The episode was closed for a reason the policy allows.', `${location}.closureReason`);
    }
  },
});

/**
 * A coordinator's absence of `from` or longer (leave or sickness) is covered by another named
 * worker: a temporary appointment that covers the absent coordinator's and overlaps the absence,
 * or the appointment ending during the absence (a transfer) (ELFT §14.1; LPT SOP §6.18.5). An absence still open counts from its start to the date of evaluation; its last
 * day is the day before the coordinator is back, `end` being the last day away.
 */
export const absenceCovered = defineTemplate({
  name: 'absence-covered',
  params: z.object({ from: durationParam, applies: z.boolean().default(true) }).strict(),
  tightening: { from: 'lower' },
  evaluate(f, params, emit) {
    const appointments = f.record.coordinatorAppointments ?? [];
    for (const appointment of appointments) {
      if (appointment.absences === undefined || appointment.absences.length === 0) continue;
      const episode = f.episode(appointment.episode) ?? (appointment.start ? f.episodesActiveOn(appointment.start)[0] : undefined);
      const { from, applies } = params(episode);
      if (!applies) continue;
      appointment.absences.forEach((absence, i) => {
        if (absence.start > f.asOf) return;
        const lastDay = absence.end !== undefined && absence.end < f.asOf ? absence.end : f.asOf;
        if (addDays(lastDay, 1) < dueDate(absence.start, from, f.calendar)) return;
        const location = `${at.item(f, 'coordinatorAppointments', appointment)}.absences[${i}]`;
        const overlaps = (a: (typeof appointments)[number]) => a.temporary === true && (a.start ?? '') <= lastDay && (a.end === undefined || a.end >= absence.start);
        if (appointments.some((a) => a.covers === appointment.id && overlaps(a))) {
          emit.pass(`Another named worker covered the coordinator’s absence of ${formatDuration(from)} or more.`, location);
          return;
        }
        if (appointment.end !== undefined && appointment.end >= absence.start && appointment.end <= lastDay) {
          emit.pass('The absent coordinator’s appointment ended during the absence, handing the person on.', location);
          return;
        }
        const unlinked = appointments.filter((a) => a.covers === undefined && a.id !== appointment.id && overlaps(a));
        if (unlinked.length > 0) {
          emit.cannotEvaluate(
            unlinked.map((a) => `${at.item(f, 'coordinatorAppointments', a)}.covers`),
            'A temporary coordinator was appointed during the absence, but whose appointment they covered is not recorded.',
            location,
          );
          return;
        }
        emit.fail(`The coordinator was away for ${formatDuration(from)} or more and no other named worker was appointed to cover.`, location);
      });
    }
  },
});

/**
 * Before a transfer of care, a review of the care plan, or of the risk assessment, no more than
 * `within` before the transfer and on its day at the latest (ELFT §20.1). An undated risk
 * assessment of the episode might be the one.
 */
export const reviewedBeforeTransfer = defineTemplate({
  name: 'reviewed-before-transfer',
  params: z.object({ within: durationParam, of: z.enum(['care-plan', 'risk-assessment']) }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      if (episode.transfers === undefined) continue;
      const { within, of } = params(episode);
      const risks = (f.record.riskAssessments ?? []).filter((ra) => ra.episode === undefined || ra.episode === episode.id);
      const dates = of === 'care-plan' ? (f.record.reviews ?? []).map((r) => r.heldOn) : risks.map((ra) => (ra.date === undefined ? undefined : datePart(ra.date)));
      const what = of === 'care-plan' ? 'review of the care plan' : 'review of the risk assessment';
      (episode.transfers ?? []).forEach((transfer, i) => {
        if (transfer.date > f.asOf) return;
        const location = `${at.item(f, 'episodes', episode)}.transfers[${i}]`;
        if (dates.some((d) => d !== undefined && d <= transfer.date && dueDate(d, within, f.calendar) >= transfer.date)) {
          emit.pass(`A ${what} in the ${formatDuration(within)} before the transfer.`, location);
          return;
        }
        const undated = of === 'risk-assessment' ? undatedRiskAssessments(f, episode) : [];
        if (undated.length > 0) {
          emit.cannotEvaluate(undated, 'A risk assessment of this episode has no date, so whether it came before the transfer cannot be told.', location);
          return;
        }
        emit.fail(`No ${what} in the ${formatDuration(within)} before the transfer.`, location, { due: transfer.date });
      });
    }
  },
});

/** A date of birth that may be only a year or a year and month, as the latest day it could be. */
function latestBirthday(dob: string): IsoDate | undefined {
  if (dob.length === 10) return dob;
  if (dob.length === 7) return `${dob}-${String(daysInMonth(Number(dob.slice(0, 4)), Number(dob.slice(5, 7)))).padStart(2, '0')}`;
  return dob.length === 4 ? `${dob}-12-31` : undefined;
}

/**
 * Children in the household are recorded with their date of birth, and whether each is a carer is
 * clarified (ELFT §24; LPT SOP §6.31). A household member without a date of birth cannot be told
 * to be a child or not.
 */
export const childrenInHouseholdRecorded = defineTemplate({
  name: 'children-in-household-recorded',
  params: z.object({}).strict(),
  silentWithout: () => ['relatedPeople'],
  evaluate(f, _params, emit) {
    for (const person of f.record.relatedPeople ?? []) {
      if (person.inHousehold !== true) continue;
      const location = at.item(f, 'relatedPeople', person);
      if (person.dateOfBirth === undefined) {
        emit.cannotEvaluate([`${location}.dateOfBirth`], 'A member of the household has no date of birth, so whether they are a child cannot be told.', location);
        continue;
      }
      const born = latestBirthday(person.dateOfBirth)!;
      if (born > f.asOf) {
        emit.pass('An unborn child in the household is recorded with the expected date of birth.', location);
        continue;
      }
      if (ageOn(born, f.asOf) >= 18) continue;
      if (person.youngCarer === undefined) emit.fail('A child in the household is recorded without saying whether they care for the person.', `${location}.youngCarer`);
      else emit.pass('A child in the household is recorded with their date of birth and whether they are a carer.', location);
    }
  },
});

/** Some professions may not coordinate in some teams (DH PIG 2001 Table 4b: not medical staff or support workers in assertive outreach). */
export const coordinatorProfessionExcluded = defineTemplate({
  name: 'coordinator-profession-excluded',
  params: z.object({ excluded: z.array(z.string().min(1)).min(1), applies: z.boolean().default(true) }).strict(),
  evaluate(f, params, emit) {
    for (const appointment of f.record.coordinatorAppointments ?? []) {
      const episode = f.episode(appointment.episode) ?? (appointment.start ? f.episodesActiveOn(appointment.start)[0] : undefined);
      const { excluded, applies } = params(episode);
      if (!applies || episode === undefined) continue;
      const location = at.item(f, 'coordinatorAppointments', appointment);
      const profession = appointment.profession;
      if (typeof profession !== 'string') emit.cannotEvaluate([`${location}.profession`], 'The coordinator’s profession is not recorded.', location);
      else if (excluded.includes(profession))
        emit.fail(`A coordinator of this profession (${lowerFirst(professionName(profession))}) may not coordinate care in this team.`, `${location}.profession`);
      else emit.pass(`The coordinator’s profession (${lowerFirst(professionName(profession))}) may coordinate care in this team.`, location);
    }
  },
});

/** The first assessment of an episode: an assessment record or a finished assessment contact, from acceptance (or referral). */
function firstAssessment(f: RecordFacts, episode: Episode): IsoDate | undefined {
  const from = episode.referral?.receivedOn ?? episode.acceptedOn;
  if (from === undefined) return undefined;
  let first: IsoDate | undefined;
  for (const a of f.record.assessments ?? []) {
    if (a.date >= from && (first === undefined || a.date < first) && (a.episode === undefined || a.episode === episode.id)) first = a.date;
  }
  // Contacts are by date: the first that fits is the earliest.
  for (const c of f.contacts) {
    if (first !== undefined && c.date >= first) break;
    if (c.date >= from && c.encounter.kind === 'assessment' && (c.encounter.episode === undefined || c.encounter.episode === episode.id)) return c.date;
  }
  return first;
}

/** The first plan within a time of the first assessment (DH PIG 2001 Table 5a: within a week, early intervention). */
export const firstPlanAfterAssessment = defineTemplate({
  name: 'first-plan-after-assessment',
  params: z.object({ within: durationParam, applies: z.boolean().default(true) }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const { within, applies } = params(episode);
      if (!applies) continue;
      const location = at.item(f, 'episodes', episode);
      const assessed = firstAssessment(f, episode);
      if (assessed === undefined) {
        emit.cannotEvaluate([`${location}.referral.receivedOn`, 'assessments'], 'No dated assessment of this episode is recorded, so the clock has no start.', location);
        continue;
      }
      const span = f.timeline.span(episode);
      const first = f.timeline.firstPlan(span);
      judgeDeadline(f, emit, {
        anchor: assessed,
        done: first?.on,
        limit: within,
        what: 'The first plan was made',
        notDone: 'No plan has been made',
        since: 'the assessment',
        location: first ? at.plan(f, first.plan) : location,
        leftServicesOn: span.leftOn,
      });
    }
  },
});

/** A referral of a priority is allocated a coordinator within a time (ELFT §11: urgent referrals on the day of referral). */
export const allocatedByPriority = defineTemplate({
  name: 'allocated-by-priority',
  params: z.object({ urgent: durationParam }).strict(),
  tightening: { urgent: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (referral?.priority !== 'urgent') continue;
      const { urgent } = params(episode);
      const allocated = (f.record.coordinatorAppointments ?? [])
        .filter((a) => !a.temporary && a.start !== undefined && a.start >= referral.receivedOn && (a.episode === undefined || a.episode === episode.id))
        .map((a) => a.start!)
        .sort()[0];
      judgeDeadline(f, emit, {
        anchor: referral.receivedOn,
        done: allocated,
        limit: urgent,
        what: 'The urgent referral was allocated a care coordinator',
        notDone: 'No care coordinator has been allocated to the urgent referral',
        since: 'the referral was received',
        location: `${at.item(f, 'episodes', episode)}.referral`,
      });
    }
  },
});

/** Each review held offers an advance statement of wishes and records the decision (LPT SOP §6.20). */
export const advanceStatementOffered = defineTemplate({
  name: 'advance-statement-offered',
  params: z.object({}).strict(),
  silentWithout: atEachReview,
  evaluate(f, _params, emit) {
    for (const review of f.record.reviews ?? []) {
      if (review.heldOn === undefined || review.heldOn > f.asOf) continue;
      const location = at.item(f, 'reviews', review);
      const offer = review.advanceStatement;
      if (offer === undefined) emit.cannotEvaluate([`${location}.advanceStatement`], 'Whether the review offered an advance statement is not recorded.', location);
      else if (!offer.offered) emit.fail('The review did not offer an advance statement of wishes.', `${location}.advanceStatement`);
      else if (offer.decision === undefined) emit.fail('The review offered an advance statement but does not record the decision.', `${location}.advanceStatement`);
      else emit.pass('The review offered an advance statement and recorded the decision.', `${location}.advanceStatement`);
    }
  },
});

/**
 * Whether a finished contact no more than `within` before `start`, or on or before `until`, had
 * both practitioners present. Contacts are by date and the deadline grows with the date, so the walk
 * goes back from the last contact on or before `until` and stops at the first contact too early.
 */
function jointContactBetween(f: RecordFacts, start: IsoDate, until: IsoDate, within: Duration, both: readonly [string | undefined, string | undefined]): boolean {
  const startDay = dayNumberOfIsoDate(start);
  for (let i = firstIndexFrom(f.contacts, contactDate, until, true) - 1; i >= 0; i--) {
    const { encounter, date } = f.contacts[i]!;
    // Too early: `within` after the contact falls before `start`.
    if (laterThanLimit(f, start, startDay, date, dayNumberOfIsoDate(date), within)) return false;
    if (tookPart(encounter, both[0]) && tookPart(encounter, both[1])) return true;
  }
  return false;
}

/** Whether a practitioner (or, for none, someone unnamed) led a contact or attended it (an attendance not denied). */
function tookPart(encounter: Encounter, practitioner: string | undefined): boolean {
  if (encounter.practitioner === practitioner) return true;
  for (const p of encounter.participants ?? []) if (p.attended !== false && p.practitioner === practitioner) return true;
  return false;
}

/**
 * A planned change of coordinator brings a joint visit: a finished contact that both the outgoing
 * and the incoming coordinator took part in, no more than `within` either side of the change
 * (LPT SOP §6.25).
 */
export const jointVisitOnPlannedChange = defineTemplate({
  name: 'joint-visit-on-planned-change',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const { within } = params();
    const usual = usualAppointmentsByStart(f);
    for (let i = 1; i < usual.length; i++) {
      const previous = usual[i - 1]!;
      const next = usual[i]!;
      if (previous.end === undefined || previous.practitioner === next.practitioner || next.start! > f.asOf) continue;
      const location = at.item(f, 'coordinatorAppointments', next);
      if (next.changePlanned === undefined) {
        emit.cannotEvaluate([`${location}.changePlanned`], 'Whether the change of coordinator was planned is not recorded.', location);
        continue;
      }
      if (!next.changePlanned) continue;
      const until = dueDate(next.start!, within, f.calendar);
      const joint = jointContactBetween(f, next.start!, until, within, [previous.practitioner, next.practitioner]);
      if (joint) emit.pass('The outgoing and incoming coordinators made a joint visit around the planned change.', location);
      else if (until >= f.asOf) emit.notApplicable(`Not yet due: ${formatDuration(within)} from the change have not passed.`, location);
      else emit.fail(`No joint visit by the outgoing and incoming coordinators within ${formatDuration(within)} of the planned change.`, location, { due: until });
    }
  },
});

/** The first day the person was detained under one of the sections (the stay's admission when the detention has no start). */
function firstDetention(f: RecordFacts, sections: readonly string[]): IsoDate | undefined {
  let first: IsoDate | undefined;
  for (const episode of f.record.episodes ?? []) {
    for (const stay of episode.inpatientStays ?? []) {
      for (const d of stay.detentions ?? []) {
        const from = d.start ?? stay.admittedOn;
        if (from !== undefined && (first === undefined || from < first) && sections.includes(d.section)) first = from;
      }
    }
  }
  return first;
}

/**
 * A review held after the person was detained under a section that brings section 117 aftercare
 * considers their eligibility for it (ELFT §16.1; LPT Care Coordination Policy §3.15).
 */
export const section117Reviewed = defineTemplate({
  name: 'section-117-reviewed',
  params: z.object({ sections: z.array(z.enum(mhaSections)).min(1) }).strict(),
  // Detentions are recorded only on inpatient stays.
  silentWithout: () => ['reviews', 'episodes.inpatientStays'],
  evaluate(f, params, emit) {
    if (f.record.reviews === undefined || f.record.reviews.length === 0) return;
    const detained = firstDetention(f, params().sections);
    if (detained === undefined) return;
    for (const review of f.record.reviews ?? []) {
      if (review.heldOn === undefined || review.heldOn > f.asOf || review.heldOn < detained) continue;
      const location = at.item(f, 'reviews', review);
      if (review.section117Reviewed === undefined)
        emit.cannotEvaluate([`${location}.section117Reviewed`], 'Whether the review considered section 117 aftercare is not recorded.', location);
      else if (review.section117Reviewed) emit.pass('The review considered eligibility for section 117 aftercare.', `${location}.section117Reviewed`);
      else emit.fail('The review did not consider eligibility for section 117 aftercare, after a detention that brings it.', `${location}.section117Reviewed`);
    }
  },
});

/** The days reviews were held: held reviews of the plan and finished review meetings, in order. */
export const heldReviewDates = perPerson((f): readonly IsoDate[] => {
  const dates: IsoDate[] = [];
  for (const r of f.record.reviews ?? []) if (r.heldOn !== undefined) dates.push(r.heldOn);
  for (const c of f.contacts) if (c.encounter.kind === 'review-meeting') dates.push(c.date);
  return dates.sort();
});

/** The days copies of a care plan to the GP were provided, and whether any was provided with no date. */
interface GpCopies {
  readonly provided: readonly IsoDate[];
  readonly anyUndated: boolean;
}

function gpCopies(f: RecordFacts): GpCopies {
  const provided: IsoDate[] = [];
  let anyUndated = false;
  for (const plan of f.record.plans ?? []) {
    for (const copy of plan.copies ?? []) {
      if (copy.recipientRole !== 'gp') continue;
      const on = copyProvidedOn(copy);
      if (on !== undefined) provided.push(on);
      else if (copyUndated(copy)) anyUndated = true;
    }
  }
  return { provided, anyUndated };
}

/** Where the GP copies provided with no date are. */
function undatedGpCopies(f: RecordFacts): string[] {
  const paths: string[] = [];
  for (const plan of f.record.plans ?? []) {
    for (const copy of plan.copies ?? []) if (copy.recipientRole === 'gp' && copyUndated(copy)) paths.push(`${at.plan(f, plan)}.copies[${f.indexOf(copy)}].date`);
  }
  return paths;
}

/** The earliest of the dates on or after a day. */
function firstOnOrAfter(dates: readonly IsoDate[], day: IsoDate): IsoDate | undefined {
  let first: IsoDate | undefined;
  for (const d of dates) if (d >= day && (first === undefined || d < first)) first = d;
  return first;
}

/**
 * The GP hears of each review: a copy of a care plan to the GP provided within a time of the review
 * (LPT SOP §6.12). A GP copy provided with no date might be it.
 */
export const gpToldAfterReview = defineTemplate({
  name: 'gp-told-after-review',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  silentWithout: atEachReview,
  evaluate(f, params, emit) {
    const { within } = params();
    let copies: GpCopies | undefined;
    for (const review of f.record.reviews ?? []) {
      const heldOn = review.heldOn;
      if (heldOn === undefined || heldOn > f.asOf) continue;
      copies ??= gpCopies(f);
      const location = at.item(f, 'reviews', review);
      const done = firstOnOrAfter(copies.provided, heldOn);
      if (done === undefined && copies.anyUndated) {
        emit.cannotEvaluate(undatedGpCopies(f), 'A copy of a care plan to the GP has no date, so whether it followed the review cannot be told.', location);
        continue;
      }
      judgeDeadline(f, emit, {
        anchor: heldOn,
        done,
        limit: within,
        what: 'The GP was sent the care plan',
        notDone: 'The GP has not been sent the care plan',
        since: 'the review',
        location,
      });
    }
  },
});

/** A review within a time of admission to hospital (LPT Care Coordination Policy §3.15: within the first 2 weeks). */
export const reviewAfterAdmission = defineTemplate({
  name: 'review-after-admission',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  silentWithout: () => ['episodes.inpatientStays'],
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      if (episode.inpatientStays === undefined || episode.inpatientStays.length === 0) continue;
      const { within } = params(episode);
      for (const stay of episode.inpatientStays) {
        const location = `${at.item(f, 'episodes', episode)}.inpatientStays[${f.indexOf(stay)}]`;
        if (stay.admittedOn === undefined) {
          emit.cannotEvaluate([`${location}.admittedOn`], 'The stay is known only by its discharge, so the weeks after admission cannot be counted.', location);
          continue;
        }
        if (stay.admittedOn > f.asOf) continue;
        const done = heldReviewDates(f).find((d) => d >= stay.admittedOn!);
        const due = dueDate(stay.admittedOn, within, f.calendar);
        if ((done === undefined || done > due) && stay.dischargedOn !== undefined && stay.dischargedOn < due && stay.dischargedOn <= f.asOf) {
          emit.notApplicable(`The person left hospital before ${formatDuration(within)} had passed.`, location);
          continue;
        }
        judgeDeadline(f, emit, {
          anchor: stay.admittedOn,
          done,
          limit: within,
          what: 'The plan was reviewed',
          notDone: 'No review is recorded',
          since: 'admission',
          location,
        });
      }
    }
  },
});

/** The practitioners who are the person's psychiatrists: the care team's psychiatrists and responsible clinicians. */
function psychiatrists(f: RecordFacts): Set<string> {
  const doctors = new Set<string>();
  for (const m of f.record.careTeam ?? [])
    if ((m.role === 'psychiatrist' || m.role === 'responsible-clinician') && m.member?.kind === 'practitioner') doctors.add(m.member.id!);
  return doctors;
}

/** Whether any medical review is recorded: a finished contact with a psychiatrist, or a meeting a psychiatrist attended. */
function anyMedicalReview(f: RecordFacts, doctors: ReadonlySet<string>): boolean {
  for (const c of f.contacts) if (withPsychiatrist(c.encounter, doctors)) return true;
  return false;
}

/**
 * The index in the contacts of the first medical review from the one at `i` up to (not including)
 * the one at `stop`; -1 when there is none.
 */
function nextMedicalReview(f: RecordFacts, doctors: ReadonlySet<string>, i: number, stop: number): number {
  for (; i < stop; i++) if (withPsychiatrist(f.contacts[i]!.encounter, doctors)) return i;
  return -1;
}

/** One past the index of the last contact dated on or before `end`: the contacts are by date. */
function endOfContactsTo(f: RecordFacts, end: IsoDate): number {
  return firstIndexFrom(f.contacts, contactDate, end, true);
}

/** The day of the first medical review from `start` to `end`. */
function firstMedicalReview(f: RecordFacts, doctors: ReadonlySet<string>, start: IsoDate, end: IsoDate): IsoDate | undefined {
  const i = nextMedicalReview(f, doctors, firstIndexFrom(f.contacts, contactDate, start), endOfContactsTo(f, end));
  return i < 0 ? undefined : f.contacts[i]!.date;
}

function withPsychiatrist(e: Encounter, doctors: ReadonlySet<string>): boolean {
  if (e.practitioner !== undefined && doctors.size > 0 && doctors.has(e.practitioner)) return true;
  const participants = e.participants;
  if (participants === undefined) return false;
  for (const p of participants) if (p.role === 'psychiatrist' && p.attended === true) return true;
  return false;
}

/**
 * Medical review (ELFT §16: offered within two months of referral; LPT SOP §6.14.5: at least
 * annually): contacts with the care team's psychiatrist, from the referral (`first`) and then
 * between reviews (`every`), up to discharge or the evaluation date.
 */
export const medicalReview = defineTemplate({
  name: 'medical-review',
  params: z.object({ first: durationParam.optional(), every: durationParam.optional() }).strict(),
  tightening: { first: 'lower', every: 'lower' },
  evaluate(f, params, emit) {
    const doctors = psychiatrists(f);
    let anyReview: boolean | undefined;
    for (const episode of f.record.episodes ?? []) {
      const { first, every } = params(episode);
      const location = at.item(f, 'episodes', episode);
      const start = first !== undefined ? episode.referral?.receivedOn : episode.acceptedOn;
      if (start === undefined || start > f.asOf) {
        if (start === undefined)
          emit.cannotEvaluate(
            [first !== undefined ? `${location}.referral.receivedOn` : `${location}.acceptedOn`],
            'The date the clock starts from is not recorded.',
            location,
          );
        continue;
      }
      if (doctors.size === 0 && !(anyReview ??= anyMedicalReview(f, doctors))) {
        emit.cannotEvaluate(['careTeam (psychiatrist)'], 'No psychiatrist is recorded in the care team, so medical reviews cannot be told from other contacts.', location);
        continue;
      }
      const left = episode.discharge?.kind === 'full' && episode.discharge.date <= f.asOf ? episode.discharge.date : undefined;
      const end = left ?? f.asOf;
      if (first !== undefined) {
        judgeDeadline(f, emit, {
          anchor: start,
          done: firstMedicalReview(f, doctors, start, end),
          limit: first,
          what: 'The first medical review was held',
          notDone: 'No medical review is recorded',
          since: 'the referral was received',
          location,
          leftServicesOn: left,
        });
      }
      if (every !== undefined) judgeMedicalReviewGaps(f, emit, doctors, every, start, end, location);
    }
  },
});

/**
 * Medical reviews at least every `every` from `start` to `end`: a late review fails where it is; a
 * gap still open at the end fails at the episode (`location`).
 */
function judgeMedicalReviewGaps(f: RecordFacts, emit: Emit, doctors: ReadonlySet<string>, every: Duration, start: IsoDate, end: IsoDate, location: string): void {
  let from = start;
  let fromDay = dayNumberOfIsoDate(start);
  let gaps = 0;
  const stop = endOfContactsTo(f, end);
  for (let i = firstIndexFrom(f.contacts, contactDate, start); ; i++) {
    i = nextMedicalReview(f, doctors, i, stop);
    // Past the last review in the window, the end closes the open gap.
    const review = i < 0 ? undefined : f.contacts[i]!;
    const date = review?.date ?? end;
    const day = dayNumberOfIsoDate(date);
    if (laterThanLimit(f, date, day, from, fromDay, every)) {
      gaps += 1;
      const since = from === start ? 'the person was accepted into services' : 'the previous one';
      emit.fail(
        `${review === undefined ? 'No medical review' : 'This medical review came'} more than ${formatDuration(every)} after ${since}.`,
        review === undefined ? location : at.item(f, 'encounters', review.encounter),
        { due: dueDateAfter(f, from, fromDay, every) },
      );
    }
    if (review === undefined) break;
    from = date;
    fromDay = day;
  }
  if (gaps === 0) emit.pass(`A medical review at least every ${formatDuration(every)}.`, location);
}

/** The first review of the plan within a time of the referral (ELFT §16: the first CPA review within 3 months). */
export const firstReviewAfterReferral = defineTemplate({
  name: 'first-review-after-referral',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const held = heldReviewDates(f);
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (referral === undefined) continue;
      const span = f.timeline.span(episode);
      judgeDeadline(f, emit, {
        anchor: referral.receivedOn,
        done: held.find((d) => d >= referral.receivedOn),
        limit: params(episode).within,
        what: 'The first review was held',
        notDone: 'No review has been held',
        since: 'the referral was received',
        location: `${at.item(f, 'episodes', episode)}.referral`,
        leftServicesOn: span.leftOn,
      });
    }
  },
});

export const englishTemplates = [
  medicalReview,
  firstReviewAfterReferral,
  dischargeLetterContents,
  closureReasonExcluded,
  absenceCovered,
  reviewedBeforeTransfer,
  gpToldAfterReview,
  advanceStatementOffered,
  jointVisitOnPlannedChange,
  section117Reviewed,
  childrenInHouseholdRecorded,
  coordinatorProfessionExcluded,
  firstPlanAfterAssessment,
  allocatedByPriority,
  reviewAfterAdmission,
];
