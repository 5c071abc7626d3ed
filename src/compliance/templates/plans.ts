/** Rules on the plan itself (Code chapter 4, Schedule 2) that need more than one part of the record. */
import { z } from 'zod';
import type { PlanVersion } from '../../record/record.schema.js';
import { dueDate, formatDuration } from '../../time/duration.js';
import type { RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, isPhone, judgeDeadline, usualAppointmentDuring } from './common.js';
import { capitalise, joinAnd, planName } from './wording.js';

const none = z.object({}).strict();

/** The latest made version of each plan. */
function latestVersions(f: RecordFacts): PlanVersion[] {
  const seen = new Map<string, PlanVersion>();
  for (const plan of f.madePlans) seen.set(plan.planId, plan);
  return [...seen.values()];
}

export const planExists = defineTemplate({
  name: 'plan-exists',
  params: z.object({ coordinatorWithin: durationParam, planWithin: durationParam }).strict(),
  evaluate(f, params, emit) {
    const active = f.episodesActiveOn(f.asOf);
    if (active.length === 0) return emit.notApplicable('Not in receipt of secondary mental health services on the evaluation date.');
    // Only a plan of the episode in receipt, or one carried into it, counts (Code 7.7, 4.86).
    const plans = f.timeline.episodesInReceiptOn(f.asOf).flatMap((s) => {
      const carried = f.timeline.carriedPlan(s);
      return [...(carried ? [carried] : []), ...f.timeline.versionsFor(s).filter((v) => v.madeOn <= f.asOf)];
    });
    if (plans.length > 0) return emit.pass('A care and treatment plan has been made.', at.plan(f, plans.at(-1)!));
    const episode = active[0]!;
    const { coordinatorWithin, planWithin } = params(episode);
    const appointed = f.timeline.firstAppointment(f.timeline.span(episode))?.on;
    const clock = appointed ?? dueDate(episode.acceptedOn!, coordinatorWithin, f.calendar);
    const due = dueDate(clock, planWithin, f.calendar);
    if (f.asOf <= due) return emit.notApplicable(`No plan yet, but the ${formatDuration(planWithin)} allowed after a coordinator's appointment have not passed.`);
    emit.fail('The person is receiving secondary mental health services but has no care and treatment plan.', 'plans', { due });
  },
});

export const firstPlanWithin = defineTemplate({
  name: 'first-plan-within',
  params: z.object({ within: durationParam, from: z.enum(['coordinator-appointed', 'accepted', 'referred']) }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    // Concurrent episodes (the health board's and the council's) share one first plan: it is judged once.
    const judged = new Set<PlanVersion>();
    for (const episode of f.record.episodes ?? []) {
      const location = at.item(f, 'episodes', episode);
      const { within, from } = params(episode);
      const span = f.timeline.span(episode);
      const anchor = from === 'accepted' ? episode.acceptedOn : from === 'referred' ? episode.referral?.receivedOn : f.timeline.firstAppointment(span)?.on;
      if (episode.acceptedOn !== undefined && anchor === undefined && from === 'coordinator-appointed' && usualAppointmentDuring(f, episode.acceptedOn, span.leftOn)) {
        // The coordinator was appointed under a concurrent episode: the first plan is judged from there.
        continue;
      }
      if (episode.acceptedOn === undefined || anchor === undefined) {
        const what =
          episode.acceptedOn === undefined || from === 'accepted'
            ? `${location}.acceptedOn`
            : from === 'referred'
              ? `${location}.referral.receivedOn`
              : 'a dated care coordinator appointment';
        if (episode.status === 'active' || from !== 'coordinator-appointed') emit.cannotEvaluate([what], 'The date the clock starts from is not recorded.', location);
        continue;
      }
      // A plan still current when the episode began (e.g. on readmission without a full discharge) carries on.
      if (f.timeline.carriedPlan(span)) {
        emit.pass('A plan made earlier was still current when the person was accepted into services.', location);
        continue;
      }
      const first = f.timeline.firstPlan(span);
      if (first) {
        if (judged.has(first.plan)) continue;
        judged.add(first.plan);
      } else if (f.timeline.datedVersions.some((v) => f.timeline.inReceipt(span, v.madeOn))) {
        // The person's plan was made during this episode but belongs to a concurrent one, where it is judged.
        continue;
      }
      judgeDeadline(f, emit, {
        anchor,
        done: first?.on,
        limit: within,
        what: first ? `The first care and treatment plan, ${planName(f, first.plan)}, was made` : 'The first care and treatment plan was made',
        notDone: 'No care and treatment plan has been made',
        since: from === 'accepted' ? 'the person was accepted into services' : from === 'referred' ? 'the referral was received' : 'the care coordinator was appointed',
        location: first ? at.plan(f, first.plan) : location,
        leftServicesOn: span.leftOn,
      });
    }
  },
});

export const planHeader = defineTemplate({
  name: 'plan-header',
  params: none,
  evaluate(f, _params, emit) {
    const patient = f.record.patient;
    for (const plan of f.madePlans) {
      const location = at.plan(f, plan);
      // What is missing, in words, each with the place in the record where it belongs.
      const missing: [words: string, path: string][] = [];
      if (!patient?.names) missing.push(['the person’s name', 'patient.names']);
      if (!patient?.usualAddress || 'notRecorded' in patient.usualAddress) missing.push(['the person’s usual address', 'patient.usualAddress']);
      const appointment = f.appointment(plan.coordinatorAppointment);
      if (!appointment) {
        missing.push(['the care coordinator', `${location}.coordinatorAppointment`]);
      } else {
        const practitioner = f.practitioner(appointment.practitioner);
        const pPath = practitioner ? at.item(f, 'practitioners', practitioner) : `${location}.coordinatorAppointment`;
        if (!practitioner?.name) missing.push(['the coordinator’s name', `${pPath}.name`]);
        if (!practitioner?.telecom?.some(isPhone)) missing.push(['the coordinator’s telephone number', `${pPath}.telecom`]);
        if (!practitioner?.address) missing.push(['the coordinator’s postal address', `${pPath}.address`]);
        const body = f.organisation(appointment.appointingBody);
        if (!body) missing.push(['the body that appointed the coordinator', `${at.item(f, 'coordinatorAppointments', appointment)}.appointingBody`]);
        else if (!body.name) missing.push(['the name of the body that appointed the coordinator', `${at.item(f, 'organisations', body)}.name`]);
      }
      if (missing.length === 0) emit.pass('The plan names the person, their address, the coordinator with telephone and postal address, and the appointing body.', location);
      // The place is the first missing element; the plan is the subject, since every version lacks the same person's details.
      else
        emit.fail(`The opening statement of ${planName(f, plan)} lacks ${joinAnd(missing.map(([words, path]) => `${words} (${path})`))}.`, missing[0]![1], {
          subject: location,
        });
    }
  },
});

export const planSignedByCoordinator = defineTemplate({
  name: 'plan-signed-by-coordinator',
  params: none,
  evaluate(f, _params, emit) {
    for (const plan of f.madePlans) {
      const location = `${at.plan(f, plan)}.signatures.careCoordinator`;
      const signature = plan.signatures?.careCoordinator;
      if (!signature) {
        emit.fail(`The care coordinator has not signed ${planName(f, plan)}.`, location);
        continue;
      }
      const own = f.appointment(plan.coordinatorAppointment)?.practitioner;
      const acting = f.appointmentsOn(plan.madeOn ?? signature.signedOn).map((a) => a.practitioner);
      if (signature.practitioner === own || acting.includes(signature.practitioner)) emit.pass('Signed by the acting care coordinator.', location);
      else emit.fail(`${capitalise(planName(f, plan))} was signed by someone who was not the acting care coordinator when it was made.`, `${location}.practitioner`);
    }
  },
});

const PROVIDER_KINDS = new Set(['local-health-board', 'local-authority', 'welsh-ministers']);

export const planResponsibleProviders = defineTemplate({
  name: 'plan-responsible-providers',
  params: none,
  evaluate(f, _params, emit) {
    for (const plan of f.madePlans) {
      const location = `${at.plan(f, plan)}.responsibleProviders`;
      const kinds = (plan.responsibleProviders ?? []).map((id) => f.organisation(id)?.kind);
      if (kinds.some((k) => k !== undefined && PROVIDER_KINDS.has(k))) emit.pass('Names the health board or local authority that must provide the services.', location);
      else if (kinds.length > 0 && kinds.some((k) => k === undefined))
        emit.cannotEvaluate(['the kind of each responsible provider'], `The kind of the responsible providers named by ${planName(f, plan)} is not recorded.`, location);
      else emit.fail(`${capitalise(planName(f, plan))} does not name a health board or local authority as responsible for providing the services.`, location);
    }
  },
});

export const reviewByWithin = defineTemplate({
  name: 'review-by-within',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const plan of f.madePlans) {
      const location = `${at.plan(f, plan)}.reviewBy`;
      if (plan.madeOn === undefined || typeof plan.reviewBy !== 'string') {
        emit.cannotEvaluate(
          [plan.madeOn === undefined ? `${at.plan(f, plan)}.madeOn` : location],
          `The date ${planName(f, plan)} was made, or its review-by date, is not recorded.`,
          location,
        );
        continue;
      }
      const within = params(f.episode(plan.episode)).within;
      const latest = dueDate(plan.madeOn, within, f.calendar);
      if (plan.reviewBy <= latest) emit.pass(`The review-by date is within ${formatDuration(within)} of the date made.`, location);
      else emit.fail(`The review-by date of ${planName(f, plan)} is more than ${formatDuration(within)} after the date it was made.`, location, { due: latest });
    }
  },
});

/** Minor amendments need no review or new copies (Code 6.7–6.8), but changes to statutory content deserve a look (catalogue E-13). */
export const minorAmendmentChanges = defineTemplate({
  name: 'minor-amendment-changes',
  params: none,
  evaluate(f, _params, emit) {
    for (const plan of f.madePlans) {
      if (plan.changeType !== 'minor-amendment') continue;
      const previous = f.previousVersion(plan);
      if (!previous) continue;
      const changed: string[] = [];
      const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
      if (!same(plan.agreement?.statement, previous.agreement?.statement)) changed.push('agreement statement');
      // Versions give outcomes their own ids, so compare what the outcomes say.
      const outcomes = (p: typeof plan) => p.outcomes?.map((o) => [o.description, o.areas?.map((a) => a.area)]);
      if (!same(outcomes(plan), outcomes(previous))) changed.push('outcomes');
      if (!same(plan.crisisPlan, previous.crisisPlan)) changed.push('crisis plan');
      if (!same(plan.responsibleProviders, previous.responsibleProviders)) changed.push('responsible providers');
      const location = `${at.plan(f, plan)}.changeType`;
      if (changed.length === 0) emit.pass('The minor amendment leaves the statutory content unchanged.', location);
      else emit.fail(`${capitalise(planName(f, plan))} is recorded as a minor amendment but changes the ${joinAnd(changed)}; a formal review may be needed.`, location);
    }
  },
});

const DONE = new Set(['completed', 'cancelled']);

export const overdueActions = defineTemplate({
  name: 'overdue-actions',
  params: none,
  evaluate(f, _params, emit) {
    for (const plan of latestVersions(f)) {
      if (plan.status !== 'active') continue;
      const actions = [
        ...(plan.outcomes ?? []).flatMap((o) => (o.actions ?? []).map((a) => ({ a, path: `${at.plan(f, plan)}.outcomes[${f.indexOf(o)}].actions[${f.indexOf(a)}]` }))),
        ...(plan.actions ?? []).map((a) => ({ a, path: `${at.plan(f, plan)}.actions[${f.indexOf(a)}]` })),
      ];
      for (const { a, path } of actions) {
        if (a.end === undefined) continue;
        if (a.status !== undefined && DONE.has(a.status)) emit.pass('The action is recorded as completed or cancelled.', path);
        else if (a.end < f.asOf)
          emit.fail(
            `The end date of the action at ${path} in ${planName(f, plan)} has passed and it is not recorded as completed; the responsible provider should be asked.`,
            `${path}.status`,
          );
        else emit.notApplicable('The action is not yet due.', path);
      }
    }
  },
});

export const undeliverableActionReview = defineTemplate({
  name: 'undeliverable-action-review',
  params: none,
  evaluate(f, _params, emit) {
    for (const plan of latestVersions(f)) {
      const stuck = [...(plan.outcomes ?? []).flatMap((o) => o.actions ?? []), ...(plan.actions ?? [])].filter((a) => a.status === 'cannot-be-delivered');
      if (stuck.length === 0) continue;
      const since = plan.madeOn ?? '0000-01-01';
      const reviewed = f.reviewsOf(plan.planId).some((r) => (r.heldOn ?? r.request?.receivedOn ?? '') >= since);
      const location = at.plan(f, plan);
      if (reviewed) emit.pass('Services that cannot be delivered have led to a review.', location);
      else emit.fail(`Some services in ${planName(f, plan)} cannot be delivered and no review has been requested or held since.`, location);
    }
  },
});

export const planTemplates = [
  planExists,
  firstPlanWithin,
  planHeader,
  planSignedByCoordinator,
  planResponsibleProviders,
  reviewByWithin,
  minorAmendmentChanges,
  overdueActions,
  undeliverableActionReview,
];
