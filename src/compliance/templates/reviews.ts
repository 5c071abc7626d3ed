/** Reviews of the plan (Code chapter 6): how often, on request, and what follows. */
import { z } from 'zod';
import { formatDuration } from '../../time/duration.js';
import { reviewCycles } from '../../timeline/reviews.js';
import type { Review } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline } from './common.js';
import { planName, reviewRequesterName } from './wording.js';

/**
 * "At least once in any twelve month period" read as a rolling window (catalogue E-10): the
 * timeline's review cycles, from the first plan to the first review, between held reviews, and
 * from the last review to the evaluation date while the person is still in services. Full
 * discharge stops the clock (7.7); a plan's status does not, as it records no date.
 */
export const reviewInterval = defineTemplate({
  name: 'review-interval',
  params: z.object({ every: durationParam, first: durationParam.optional() }).strict(),
  tightening: { every: 'lower', first: 'lower' },
  evaluate(f, params, emit) {
    const planIds = new Set<string>();
    for (const plan of f.madePlans) planIds.add(plan.planId);
    for (const planId of planIds) {
      const versions = f.versionsOf(planId);
      const firstVersion = versions[0]!;
      if (versions.every((v) => v.madeOn === undefined)) {
        emit.cannotEvaluate([`${at.plan(f, firstVersion)}.madeOn`], `The date ${planName(f, firstVersion)} was made is not recorded.`, at.plan(f, firstVersion));
        continue;
      }
      const limits = params(f.episode(firstVersion.episode));
      const { every, first } = limits;
      const cycles = reviewCycles(f.timeline, planId, f.asOf, limits, f.calendar);
      let failures = 0;
      for (let i = 0; i < cycles.length; i++) {
        const cycle = cycles[i]!;
        const late = cycle.review !== undefined && cycle.verdict === 'late';
        const missed = cycle.review === undefined && cycle.verdict === 'not-done';
        // Most cycles pass and say nothing: the wording is made only for a failure.
        if (!late && !missed) continue;
        failures += 1;
        const limit = formatDuration(i === 0 ? (first ?? every) : every);
        const previous = cycles[i - 1]?.review;
        const since = i === 0 ? 'the plan was made' : `the previous review${previous ? ` (${at.item(f, 'reviews', previous)})` : ''}`;
        // The version in force when the review fell due names the plan.
        const current = versions.findLast((v) => v.madeOn !== undefined && v.madeOn <= cycle.due) ?? firstVersion;
        if (late) {
          const reviewPath = at.item(f, 'reviews', cycle.review!);
          emit.fail(`The review of ${planName(f, current)} at ${reviewPath} was held more than ${limit} after ${since}.`, `${reviewPath}.heldOn`, { due: cycle.due });
        } else {
          emit.fail(`No review of ${planName(f, current)} was held within ${limit} after ${since}.`, previous ? at.item(f, 'reviews', previous) : at.plan(f, firstVersion), {
            due: cycle.due,
          });
        }
      }
      if (failures === 0) emit.pass(`Reviewed at least every ${formatDuration(every)}.`, at.plan(f, versions.at(-1)!));
    }
  },
});

const reviewRequests = (reviews: readonly Review[] | undefined, requesters: readonly string[]) =>
  (reviews ?? []).filter((r) => r.request !== undefined && requesters.includes(r.request.requestedBy));

export const requestedReviewHeld = defineTemplate({
  name: 'requested-review-held',
  params: z.object({ requesters: z.array(z.string()).min(1), refusalGrounds: z.array(z.string()) }).strict(),
  evaluate(f, params, emit) {
    const { requesters, refusalGrounds } = params();
    for (const review of reviewRequests(f.record.reviews, requesters)) {
      const location = at.item(f, 'reviews', review);
      const decision = review.request!.decision;
      if (review.heldOn !== undefined) emit.pass('The requested review was held.', location);
      else if (decision?.startsWith('refused')) {
        if (refusalGrounds.includes(decision)) emit.pass('The request was refused on a ground the Code allows.', `${location}.request.decision`);
        else
          emit.fail(
            `A review requested by ${reviewRequesterName(review.request!.requestedBy)} was refused at ${location}; such a request cannot be refused on this ground.`,
            `${location}.request.decision`,
          );
      } else emit.notApplicable('The requested review has not been held yet.', location);
    }
  },
});

export const refusalExplained = defineTemplate({
  name: 'refusal-explained',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const review of f.record.reviews ?? []) {
      if (!review.request?.decision?.startsWith('refused')) continue;
      const location = `${at.item(f, 'reviews', review)}.request`;
      if (review.request.decisionReason === undefined) emit.fail(`The review request at ${location} was refused without recorded reasons.`, `${location}.decisionReason`);
      else if (review.request.explanationSentOn === undefined)
        emit.fail(
          `The reasons for refusing the review request at ${location} are recorded, but not that they were explained to the person who asked.`,
          `${location}.explanationSentOn`,
        );
      else emit.pass('The reasons for refusing the review are recorded and were explained to the person who asked.', location);
    }
  },
});

export const reviewHeldWithinOfRequest = defineTemplate({
  name: 'review-held-within-of-request',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const review of f.record.reviews ?? []) {
      const request = review.request;
      if (!request || request.decision?.startsWith('refused')) continue;
      judgeDeadline(f, emit, {
        anchor: request.receivedOn,
        done: review.heldOn,
        limit: params().within,
        what: 'The review was held',
        notDone: 'The requested review has not been held',
        since: 'the request was received',
        location: at.item(f, 'reviews', review),
      });
    }
  },
});

export const revisedPlanWithin = defineTemplate({
  name: 'revised-plan-within',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const plan of f.madePlans) {
      if (plan.review === undefined) continue;
      const review = f.timeline.review(plan.review);
      if (review?.heldOn === undefined) continue;
      const location = at.plan(f, plan);
      if (plan.madeOn === undefined) {
        emit.cannotEvaluate([`${location}.madeOn`], 'The date the revised plan was made is not recorded.', location);
        continue;
      }
      judgeDeadline(f, emit, {
        anchor: review.heldOn,
        done: plan.madeOn,
        limit: params(f.episode(plan.episode)).within,
        what: 'The revised plan was made',
        since: 'the review',
        location: `${location}.madeOn`,
      });
    }
  },
});

/** After a transfer of care the plan should usually be reviewed (Code 5.15); the Code sets no time, so the pack does. */
export const transferReview = defineTemplate({
  name: 'transfer-review',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      (episode.transfers ?? []).forEach((transfer, i) => {
        const after = (f.record.reviews ?? [])
          .map((r) => r.heldOn ?? r.request?.receivedOn)
          .filter((d): d is string => d !== undefined && d >= transfer.date)
          .sort()[0];
        judgeDeadline(f, emit, {
          anchor: transfer.date,
          done: after,
          limit: params(episode).within,
          what: 'A review was held or requested',
          notDone: 'No review has been held or requested',
          since: 'the transfer',
          location: `${at.item(f, 'episodes', episode)}.transfers[${i}]`,
        });
      });
    }
  },
});

/** A formal review judges each outcome and decides whether the person stays in services (Code 6.9). */
export const reviewOutcomesAssessed = defineTemplate({
  name: 'review-outcomes-assessed',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const review of f.record.reviews ?? []) {
      if (review.heldOn === undefined) continue;
      const versions = f.versionsOf(review.plan);
      const reviewed = versions.find((v) => v.version === review.planVersion) ?? versions.findLast((v) => v.madeOn !== undefined && v.madeOn <= review.heldOn!);
      const location = at.item(f, 'reviews', review);
      const judged = new Set((review.outcomeAchievements ?? []).map((a) => a.outcome));
      const unjudged = (reviewed?.outcomes ?? []).filter((o) => !judged.has(o.id));
      if (unjudged.length > 0) emit.fail(`The review records no judgement on ${unjudged.length} of the plan's outcomes.`, `${location}.outcomeAchievements`);
      else if (review.continuedServices === undefined)
        emit.fail('The review does not record whether the person stays in secondary mental health services.', `${location}.continuedServices`);
      else emit.pass('The review judged every outcome and decided on continuing in services.', location);
    }
  },
});

/** For an out-of-area placement, services from the home area take part in planning (Code 4.26). */
export const homeAreaAtReview = defineTemplate({
  name: 'home-area-at-review',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const placement = episode.placement;
      if (!placement || placement.homeArea === placement.placementArea) continue;
      for (const review of f.record.reviews ?? []) {
        if (review.heldOn === undefined || (episode.acceptedOn !== undefined && review.heldOn < episode.acceptedOn)) continue;
        if (episode.discharge !== undefined && review.heldOn > episode.discharge.date) continue;
        const location = `${at.item(f, 'reviews', review)}.participants`;
        if (!review.participants) {
          emit.cannotEvaluate([location], 'The review does not record who took part.', location);
          continue;
        }
        const home = review.participants.some((p) => p.kind === 'organisation' && f.organisation(p.id)?.onsCode === placement.homeArea);
        if (home) emit.pass('Services from the person’s home area took part in the review.', location);
        else emit.fail('The person is placed out of area and no service from their home area took part in the review.', location);
      }
    }
  },
});

/** Reviews of a child's plan seek the child's and the family's views (Code 6.21). */
export const childReviewViews = defineTemplate({
  name: 'child-review-views',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const review of f.record.reviews ?? []) {
      if (review.heldOn === undefined) continue;
      const age = f.ageOn(review.heldOn);
      const location = `${at.item(f, 'reviews', review)}.viewsSought`;
      if (age === undefined) emit.cannotEvaluate(['patient.dateOfBirth'], 'The date of birth is not recorded, so it is not known whether this is a child’s review.', location);
      else if (age >= 18) continue;
      else if (review.viewsSought?.includes('child') && review.viewsSought.includes('family')) emit.pass('The child’s and the family’s views were sought.', location);
      else emit.fail('The review of a child’s plan does not record seeking both the child’s and the family’s views.', location);
    }
  },
});

export const reviewTemplates = [
  reviewInterval,
  requestedReviewHeld,
  refusalExplained,
  reviewHeldWithinOfRequest,
  revisedPlanWithin,
  transferReview,
  reviewOutcomesAssessed,
  homeAreaAtReview,
  childReviewViews,
];
