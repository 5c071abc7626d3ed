/**
 * Signals on keeping the person and their carers informed and involved that rest on evidence the
 * record gained for them (practice evidence §2 rows 9, 32, 36, 41, 47, 58, 59, 60, 65, 70, 71, 73,
 * 75, 81): respite dropped between versions, requests to be contacted left unanswered, referrals
 * the coordinator was not told of, cancellations, interpreters, contacts whose relationship has ended, disputed plans, copies never
 * acknowledged, reviews not named as such, contact less often than planned, a carer's confidence in
 * the person's plan, carers offered no support of their own, no recorded decision on involving
 * family, and plans held only as scans.
 */
import { z } from 'zod';
import type { RecordFacts } from '../../compliance/facts.js';
import { defineTemplate, type RuleTemplate } from '../../compliance/template.js';
import type { CtpRecord, PlanVersion } from '../../record/record.schema.js';
import { interpreterModes } from '../../record/vocabulary.js';
import { addDays, addMonths, datePart, daysBetween, type IsoDate } from '../../time/dates.js';
import { londonMidnight, momentOf } from '../../time/elapsed.js';
import { staffText, wordCount } from '../plan-text.js';
import { containment, shingles } from '../similarity.js';
import { currentPlans, eachCurrentPlan, noParams, planAt, planSignal, plural } from './common.js';

const HOUR_MS = 3_600_000;
type RelatedPerson = NonNullable<CtpRecord['relatedPeople']>[number];

/** Carers in law: unpaid carers and adult placement carers, not those who care under a contract or as volunteers. */
const isCarer = (p: RelatedPerson) => p.isPaidOrVolunteer !== true && p.roles?.some((r) => r === 'carer' || r === 'adult-placement-carer') === true;

/** Family or carers: a carer, or anyone recorded with a family relationship or a family role in law. */
const isFamilyOrCarer = (p: RelatedPerson) =>
  isCarer(p) || p.relationship !== undefined || p.roles?.some((r) => r === 'parental-responsibility' || r === 'nearest-relative') === true;

/** The related people a plan names: as recipients of its copies or as people consulted on it. */
function peopleNamedIn(plan: PlanVersion): Set<string> {
  const actors = [...(plan.copies ?? []).map((c) => c.recipient), ...(plan.consultations ?? []).map((c) => c.consultee)];
  return new Set(actors.flatMap((a) => (a.kind === 'related-person' && a.id !== undefined ? [a.id] : [])));
}

/** Whether a relationship has ended by a day, and on which day when the record says. */
function ended(person: RelatedPerson, asOf: IsoDate): { on: IsoDate | undefined } | undefined {
  const end = person.period?.end === undefined ? undefined : datePart(person.period.end);
  if (end !== undefined && end <= asOf) return { on: end };
  return person.active === false ? { on: undefined } : undefined;
}

type Frequency = NonNullable<PlanVersion['contactFrequency']>;

/** The day a number of the frequency's periods before (negative) or after a day. */
function periodsFrom(day: IsoDate, frequency: Frequency, n: number): IsoDate {
  const units = frequency.every * n;
  if (frequency.unit === 'month') return addMonths(day, units);
  return addDays(day, frequency.unit === 'week' ? 7 * units : units);
}

/** The kinds of service a plan's actions provide, as the source codes them. */
const serviceTypesOf = (plan: PlanVersion) =>
  new Set([...(plan.outcomes ?? []).flatMap((o) => o.actions ?? []), ...(plan.actions ?? [])].flatMap((a) => (a.serviceType === undefined ? [] : [a.serviceType])));

/** The next made version of a plan, made by a day. */
function nextVersion(f: RecordFacts, plan: PlanVersion): PlanVersion | undefined {
  return f.versionsOf(plan.planId).find((v) => v.version > plan.version && v.madeOn !== undefined && v.madeOn <= f.asOf);
}

export function involvementSignals(): RuleTemplate<unknown>[] {
  return [
    defineTemplate({
      name: 'quality-copy-not-acknowledged',
      params: z.object({ days: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { days } = params();
        for (const plan of currentPlans(f)) {
          (plan.copies ?? []).forEach((copy, i) => {
            if (copy.recipientRole !== 'patient' || (copy.status !== 'sent' && copy.status !== 'partial') || copy.date === undefined) return;
            const location = `${planAt(f, plan)}.copies[${i}]`;
            if (copy.receivedOn !== undefined && copy.receivedOn <= f.asOf) emit.pass('The person acknowledged receiving their copy.', location);
            else if (daysBetween(copy.date, f.asOf) > days)
              emit.fail(`No acknowledgement that the person received their copy of the plan, ${days} days after it was sent.`, location);
            else emit.notApplicable(`Sent less than ${days} days ago.`, location);
          });
        }
      },
    }),
    defineTemplate({
      name: 'quality-carer-support-not-offered',
      params: noParams,
      evaluate(f, _params, emit) {
        for (const person of f.record.relatedPeople ?? []) {
          if (!isCarer(person)) continue;
          const location = `relatedPeople[${f.indexOf(person)}]`;
          const assessmentOffered = person.carerAssessment?.offeredOn; // an assessment is support; the record holds its offer apart from other support
          if ((person.carerSupport ?? []).some((s) => s.offeredOn <= f.asOf) || (assessmentOffered !== undefined && assessmentOffered <= f.asOf))
            emit.pass('Support was offered to the carer in their own right.', location);
          else emit.fail('No support or carer’s assessment is recorded as offered to this carer.', location);
        }
      },
    }),
    planSignal('quality-family-involvement-undecided', 'The plan records a decision on involving family and carers, with its basis.', (f, plan) => {
      if (!(f.record.relatedPeople ?? []).some(isFamilyOrCarer)) return { skip: 'No family member or carer recorded.' };
      const decided = plan.familyInvolvement;
      if (decided === undefined) return 'Family or carers are recorded, but the plan records no decision on involving them.';
      return decided.basis === undefined ? 'The plan records a decision on involving family and carers but not its basis.' : undefined;
    }),
    defineTemplate({
      name: 'quality-contact-below-plan',
      params: z.object({ periods: z.number().int().positive(), missedPeriods: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { periods, missedPeriods } = params();
        eachCurrentPlan(f, emit, 'The person was seen as often as the plan says in the periods looked at.', (plan) => {
          const frequency = plan.contactFrequency;
          if (frequency === undefined) return { skip: 'The plan records no contact frequency.' };
          const earliest = periodsFrom(f.asOf, frequency, -periods);
          if (plan.madeOn! > earliest || !f.isRelevantPatientOn(earliest))
            return { skip: `Fewer than ${periods} whole periods since the plan was made, or not in services all that time.` };
          let short = 0;
          for (let k = periods; k >= 1; k--) {
            const from = periodsFrom(f.asOf, frequency, -k);
            const to = periodsFrom(f.asOf, frequency, -k + 1);
            const seen = f.contacts.filter((c) => c.date >= from && c.date < to).length;
            if (seen < frequency.times) short++;
          }
          const per = `${frequency.times} every ${plural(frequency.every, frequency.unit)}`;
          return short >= missedPeriods
            ? `Fewer contacts than the plan’s ${per} in ${short} of the last ${periods} periods (the signal fires at ${missedPeriods}).`
            : undefined;
        });
      },
    }),
    defineTemplate({
      name: 'quality-carer-confidence-in-plan',
      params: z.object({ containment: z.number().gt(0).max(1), minWords: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { containment: threshold, minWords } = params();
        const size = { size: 3 };
        const confided = (f.record.assessments ?? []).flatMap((a) =>
          (a.carerViews ?? []).flatMap((v, i) =>
            v.confidential === true && v.views !== undefined ? [{ at: `assessments[${f.indexOf(a)}].carerViews[${i}]`, set: shingles(v.views, size) }] : [],
          ),
        );
        eachCurrentPlan(f, emit, 'No text a carer gave in confidence appears in the plan.', (plan) => {
          if (confided.length === 0) return { skip: 'No carer’s views recorded as given in confidence.' };
          const found = staffText(plan).flatMap((piece) => {
            if (wordCount(piece.text) < minWords) return [];
            const set = shingles(piece.text, size);
            const source = confided.find((c) => containment(set, c.set) >= threshold);
            return source === undefined ? [] : [`${piece.path} (from ${source.at})`];
          });
          return found.length > 0 ? `Text a carer gave in confidence appears in the person’s plan: ${found.join(', ')}.` : undefined;
        });
      },
    }),
    planSignal('quality-respite-withdrawn', 'Respite in the previous version is still in the plan.', (f, plan) => {
      const previous = f.previousVersion(plan);
      if (previous === undefined || !serviceTypesOf(previous).has('respite')) return { skip: 'No earlier version of the plan provided respite.' };
      return serviceTypesOf(plan).has('respite') ? undefined : `Version ${previous.version} of the plan provided respite; this version has no action coded as respite.`;
    }),
    defineTemplate({
      name: 'quality-request-unanswered',
      params: z.object({ days: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { days } = params();
        (f.record.contactRequests ?? []).forEach((request, i) => {
          const location = `contactRequests[${i}]`;
          const asked = datePart(request.at);
          if (asked === undefined || asked > f.asOf) return emit.notApplicable('The request’s day is not known, or is after the evaluation date.', location);
          const replied = request.repliedAt === undefined ? undefined : datePart(request.repliedAt);
          const who = request.from === 'patient' ? 'the person' : request.from === 'carer' ? 'a carer' : 'someone on the person’s behalf';
          if (replied !== undefined && replied <= f.asOf) {
            const took = daysBetween(asked, replied);
            if (took > days) emit.fail(`A request from ${who} to be contacted was answered after ${took} days (the signal fires after ${days}).`, location);
            else emit.pass(`Answered within ${days} days.`, location);
          } else if (request.repliedAt === undefined && daysBetween(asked, f.asOf) > days) {
            emit.fail(`No reply is recorded to a request from ${who} to be contacted, ${daysBetween(asked, f.asOf)} days on.`, location);
          } else emit.notApplicable(`Asked less than ${days} days ago, or the reply’s day is not known.`, location);
        });
      },
    }),
    defineTemplate({
      name: 'quality-referral-without-coordinator',
      params: noParams,
      evaluate(f, _params, emit) {
        (f.record.referrals ?? []).forEach((referral, i) => {
          const location = `referrals[${i}]`;
          if (referral.madeOn > f.asOf) return emit.notApplicable('Made after the evaluation date.', location);
          const coordinators = new Set(f.appointmentsOn(referral.madeOn).map((a) => a.practitioner));
          if (coordinators.size === 0) return emit.notApplicable('No care coordinator was in post when the referral was made.', location);
          const byCoordinator = referral.requester.kind === 'practitioner' && coordinators.has(referral.requester.id!);
          if (byCoordinator) emit.pass('The care coordinator made the referral.', location);
          else if (referral.coordinatorInformedOn !== undefined && referral.coordinatorInformedOn <= f.asOf)
            emit.pass('The care coordinator was told of the referral.', location);
          else emit.fail('Someone other than the care coordinator made a referral, and the coordinator is not recorded as told of it.', location);
        });
      },
    }),
    defineTemplate({
      name: 'quality-review-not-named',
      params: noParams,
      evaluate(f, _params, emit) {
        for (const review of f.record.reviews ?? []) {
          if (review.invitationSaidReview === undefined || review.heldOn === undefined || review.heldOn > f.asOf) continue;
          const location = `reviews[${f.indexOf(review)}]`;
          if (review.invitationSaidReview) emit.pass('The invitation said the meeting was a review of the plan.', location);
          else emit.fail('The invitation to the person did not say the meeting was a review of their plan.', location);
        }
      },
    }),
    planSignal('quality-scanned-plan', 'The plan is held with its content, not only as a scan.', (_f, plan) =>
      plan.scannedOnly === true ? 'This version of the plan is held only as a scanned document, so none of its content can be read or checked.' : undefined,
    ),
    defineTemplate({
      name: 'quality-contact-no-longer-current',
      params: noParams,
      evaluate(f, _params, emit) {
        const people = new Map((f.record.relatedPeople ?? []).map((p) => [p.id, p]));
        eachCurrentPlan(f, emit, 'Every related person the plan names is recorded as current, or the plan was revised after the relationship ended.', (plan) => {
          const named = [...peopleNamedIn(plan)].flatMap((id) => (people.has(id) ? [people.get(id)!] : []));
          if (named.length === 0) return { skip: 'The plan names no related person.' };
          const stale = named.filter((p) => {
            const end = ended(p, f.asOf);
            return end !== undefined && (end.on === undefined || plan.madeOn === undefined || plan.madeOn <= end.on);
          });
          if (stale.length === 0) return undefined;
          const where = stale.map((p) => `relatedPeople[${f.indexOf(p)}]`).join(', ');
          return `The plan names ${plural(stale.length, 'related person', 'related people')} (${where}) whose relationship with the person is recorded as ended, and it has not been revised since.`;
        });
      },
    }),
    defineTemplate({
      name: 'quality-no-interpreter-at-review',
      params: z.object({ modes: z.array(z.enum(interpreterModes)).min(1) }).strict(),
      evaluate(f, params, emit) {
        const { modes } = params();
        const needed = f.record.patient?.interpreterRequired === true;
        for (const review of f.record.reviews ?? []) {
          const location = `reviews[${f.indexOf(review)}]`;
          if (!needed) emit.notApplicable('The person is not recorded as needing an interpreter.', location);
          else if (review.heldOn === undefined || review.heldOn > f.asOf || (review.participants === undefined && review.interpreter === undefined))
            emit.notApplicable('No held review meeting with its participants recorded.', location);
          else if (review.interpreter !== undefined && modes.includes(review.interpreter)) emit.pass('An interpreter took part in the review.', location);
          else if (review.interpreter !== undefined)
            emit.fail(
              `The person needs an interpreter, and the only one at the review took part ${review.interpreter === 'other' ? 'by other means' : `by ${review.interpreter}`}.`,
              location,
            );
          else emit.fail('The person needs an interpreter, and none is recorded at the review.', location);
        }
      },
    }),
    defineTemplate({
      name: 'quality-dispute-unresolved',
      params: z.object({ maxOpenDays: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { maxOpenDays } = params();
        for (const plan of f.madePlans) {
          (plan.disputes ?? []).forEach((dispute, i) => {
            const location = `${planAt(f, plan)}.disputes[${i}]`;
            if (dispute.raisedOn > f.asOf) return emit.notApplicable('Raised after the evaluation date.', location);
            const next = nextVersion(f, plan);
            const settled = dispute.resolvedOn !== undefined && dispute.resolvedOn <= f.asOf;
            if (next !== undefined && next.madeOn! >= dispute.raisedOn) {
              if (settled && dispute.resolvedOn! <= next.madeOn!) emit.pass('The request to correct the plan was settled before the next version.', location);
              else emit.fail(`A request to correct the plan was still open when version ${next.version} was made.`, location);
              return;
            }
            const open = daysBetween(dispute.raisedOn, f.asOf);
            if (settled) emit.pass('The request to correct the plan was settled.', location);
            else if (open > maxOpenDays) emit.fail(`A request to correct the plan has been open for ${open} days (the signal fires after ${maxOpenDays}).`, location);
            else emit.notApplicable(`Open for ${open} days, within ${maxOpenDays}.`, location);
          });
        }
      },
    }),
    defineTemplate({
      name: 'quality-cancelled-without-notice',
      params: z.object({ minHoursNotice: z.number().min(0) }).strict(),
      evaluate(f, params, emit) {
        const { minHoursNotice } = params();
        const notice = minHoursNotice * HOUR_MS;
        for (const encounter of f.record.encounters ?? []) {
          if (encounter.status !== 'cancelled' || encounter.cancellation?.by !== 'service') continue;
          const location = `encounters[${f.indexOf(encounter)}].cancellation`;
          const start = encounter.start === undefined ? undefined : momentOf(encounter.start);
          if (start === undefined || start.end > londonMidnight(f.asOf)) {
            emit.notApplicable('The contact’s start is not known to the day, or is not yet past.', location);
            continue;
          }
          const told = encounter.cancellation.personToldAt;
          if (told === undefined) {
            emit.fail('The service cancelled the contact and the record does not say the person was told.', location);
            continue;
          }
          const at = momentOf(told);
          const wanted = notice === 0 ? 'before it was due to start' : `at least ${minHoursNotice} hours before it was due to start`;
          if (at === undefined) emit.notApplicable('When the person was told is not known to the day.', location);
          else if (at.end - 1 + notice < start.start) emit.pass(`The person was told of the cancellation ${wanted}.`, location);
          else if (at.start + notice >= start.end) emit.fail(`The service cancelled the contact and the person was not told ${wanted}.`, location);
          else emit.notApplicable('The times recorded do not show whether the person was told in time.', location);
        }
      },
    }),
  ];
}
