/** Copies of the plan (Code 4.29–4.31, 4.87–4.97): who must get one, how, and how soon. */
import { z } from 'zod';
import type { Actor, PlanVersion } from '../../record/record.schema.js';
import { dueDate } from '../../time/duration.js';
import { copyProvidedOn, copyUndated, isCopyDue } from '../../timeline/timeline.js';
import type { RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline, sameActor } from './common.js';
import { actorPath, capitalise, lowerFirst, methodName, planName, recipientName } from './wording.js';

const copyRecipientName = (f: RecordFacts, copy: Copy) => recipientName(f, copy.recipient, [copy.recipientRole]);

const COPY_STATUS_NAMES: Record<Copy['status'], string> = {
  sent: 'sent',
  declined: 'declined',
  'withheld-serious-harm': 'withheld because it would cause serious harm',
  'withheld-other': 'withheld for another reason',
  partial: 'given in part',
  'not-sent': 'not sent',
};
const copyStatusName = (status: Copy['status']) => COPY_STATUS_NAMES[status];

type Copy = NonNullable<PlanVersion['copies']>[number];
type CopyRole = Copy['recipientRole'];

interface Recipient {
  /** Every role the recipient holds; someone holding two roles is one recipient of one copy. */
  readonly roles: readonly CopyRole[];
  readonly actor: Actor;
  /** The person has said they do not wish to receive copies. */
  readonly declinedCopies: boolean;
}

const RELATED_ROLE_TO_COPY_ROLE: Record<string, CopyRole> = {
  'parental-responsibility': 'parental-responsibility',
  carer: 'carer',
  'adult-placement-carer': 'carer',
  guardian: 'guardian',
  donee: 'donee-deputy',
  deputy: 'donee-deputy',
  imca: 'imca',
  'relevant-persons-representative': 'dols-body',
};

/** Recipients whose copy the patient, PR holders and carers may decline (4.91 a–c). */
const MAY_DECLINE = new Set<CopyRole>(['patient', 'parental-responsibility', 'carer']);

/** Everyone identified in the record who must be given a copy of a plan (4.91 a–j), each once with all their roles. */
export function identifiedRecipients(f: RecordFacts, plan: PlanVersion): Recipient[] {
  const list: { roles: CopyRole[]; actor: Actor; declinedCopies: boolean }[] = [];
  const add = (role: CopyRole, actor: Actor, declinedCopies = false) => {
    const same = list.find((r) => sameActor(r.actor, actor));
    if (!same) list.push({ roles: [role], actor, declinedCopies });
    else if (!same.roles.includes(role)) same.roles.push(role);
  };
  add('patient', { kind: 'patient' });
  for (const person of f.record.relatedPeople ?? []) {
    if (person.isPaidOrVolunteer) continue;
    const declined = person.wishesToReceiveCopies === false || person.copiesDeclinedOn !== undefined;
    for (const role of person.roles ?? []) {
      const copyRole = RELATED_ROLE_TO_COPY_ROLE[role];
      if (copyRole !== undefined) add(copyRole, { kind: 'related-person', id: person.id }, declined);
    }
  }
  const gp = f.record.patient?.registeredGpPractice;
  if (gp) add('gp', { kind: 'organisation', id: gp });
  const providers = new Set(plan.responsibleProviders ?? []);
  for (const member of f.record.careTeam ?? []) {
    if (member.end !== undefined && plan.madeOn !== undefined && member.end < plan.madeOn) continue;
    if (member.role === 'responsible-clinician' && member.member) add('responsible-clinician', member.member);
    if ((member.role === 'voluntary-organisation' || member.role === 'provider-organisation') && member.member?.kind === 'organisation') providers.add(member.member.id!);
  }
  // The coordinator acts for the appointing body, which holds the plan it made (Code 3.8).
  const appointingBody = f.appointment(plan.coordinatorAppointment)?.appointingBody;
  if (appointingBody !== undefined) providers.delete(appointingBody);
  for (const id of providers) add('provider', { kind: 'organisation', id });
  return list;
}

/** Whether the recipient may decline their copy, or be given part of it, in one of their roles (4.91 a–c). */
const mayDecline = (recipient: Recipient) => recipient.roles.some((r) => MAY_DECLINE.has(r));

/** Plan versions that must be copied: everything made except minor amendments (Code 6.8). */
function copiedVersions(f: RecordFacts): PlanVersion[] {
  return f.madePlans.filter((p) => p.changeType !== 'minor-amendment');
}

export const copiesToIdentifiedRecipients = defineTemplate({
  name: 'copies-to-identified-recipients',
  params: z.object({ allowFor: durationParam }).strict(),
  evaluate(f, params, emit) {
    for (const plan of copiedVersions(f)) {
      const planPath = at.plan(f, plan);
      const made = plan.completedOn ?? plan.madeOn;
      const stillTime = made !== undefined && f.asOf <= dueDate(made, params(f.episode(plan.episode)).allowFor, f.calendar);
      for (const recipient of identifiedRecipients(f, plan)) {
        const copy = plan.copies?.find((c) => sameActor(c.recipient, recipient.actor));
        const location = copy ? `${planPath}.copies[${f.indexOf(copy)}]` : `${planPath}.copies`;
        const who = recipientName(f, recipient.actor, recipient.roles);
        const about = { subject: actorPath(f, recipient.actor) ?? (recipient.actor.kind === 'patient' ? 'patient' : undefined) };
        const version = planName(f, plan);
        if (!copy || copy.status === 'not-sent') {
          if (recipient.declinedCopies && mayDecline(recipient)) emit.pass(`${capitalise(who)} has said they do not wish to receive copies.`, location, about);
          else if (stillTime) emit.notApplicable(`No copy of ${version} to ${who} yet, but there is still time.`, location, about);
          else emit.fail(`No copy of ${version} has been provided to ${who}.`, location, about);
          continue;
        }
        const allowed =
          copy.status === 'sent' ||
          (copy.status === 'partial' && mayDecline(recipient)) ||
          (copy.status === 'declined' && mayDecline(recipient)) ||
          (copy.status === 'withheld-serious-harm' && recipient.roles.includes('patient')) ||
          (copy.status === 'withheld-other' && copy.reason !== undefined);
        const status = copyStatusName(copy.status);
        if (allowed) emit.pass(`The copy of ${version} to ${who} is accounted for (${status}).`, location, about);
        else
          emit.fail(
            `The copy of ${version} to ${who} is recorded as ${status}, which the Code does not allow for this recipient without a recorded reason.`,
            `${location}.status`,
            about,
          );
      }
    }
  },
});

export const copyMethodAllowed = defineTemplate({
  name: 'copy-method-allowed',
  params: z.object({ methods: z.array(z.string()).min(1), agreedMeans: z.string().optional() }).strict(),
  evaluate(f, params, emit) {
    const { methods, agreedMeans } = params();
    for (const plan of copiedVersions(f)) {
      for (const copy of plan.copies ?? []) {
        if (copy.status !== 'sent' && copy.status !== 'partial') continue;
        const location = `${at.plan(f, plan)}.copies[${f.indexOf(copy)}].method`;
        const what = `The copy of ${planName(f, plan)} to ${copyRecipientName(f, copy)}`;
        if (copy.method === undefined) emit.cannotEvaluate([location], `How ${lowerFirst(what)} was provided is not recorded.`, location);
        else if (!methods.includes(copy.method)) emit.fail(`${what} was sent by ${methodName(copy.method)}, which does not count as provided.`, location);
        else if (copy.method === agreedMeans && copy.agreedMeans === undefined) {
          emit.cannotEvaluate(
            [`${at.plan(f, plan)}.copies[${f.indexOf(copy)}].agreedMeans`],
            `${what} was provided by other means; the means agreed with the recipient are not recorded.`,
            location,
          );
        } else emit.pass(`${what} was provided by an allowed method (${methodName(copy.method)}).`, location);
      }
    }
  },
});

/**
 * Copies within the recommended time of completion or of the review (Code 4.87, 4.88): every copy
 * due (the timeline's `isCopyDue`: not optional under 4.93 or 4.95, not declined or withheld) is
 * judged, including copies not yet sent; a version with no copy recorded at all is judged as one.
 */
export const copiesWithin = defineTemplate({
  name: 'copies-within',
  params: z.object({ within: durationParam, versions: z.enum(['initial', 'after-review', 'all']) }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const plan of f.madePlans) {
      if (plan.changeType === 'minor-amendment') continue;
      const { within, versions } = params(f.episode(plan.episode));
      // Only a version made at a review has a clock from the review.
      if (versions === 'after-review' && plan.review === undefined) continue;
      const clock = f.timeline.copyClock(plan);
      if (!clock) continue;
      const afterReview = clock.kind === 'after-review';
      if ((versions === 'initial' && afterReview) || (versions === 'after-review' && !afterReview)) continue;
      const anchor = clock.startsOn;
      const planPath = at.plan(f, plan);
      const name = planName(f, plan);
      if (anchor === undefined) {
        emit.cannotEvaluate([`${planPath}.completedOn`], `The date ${name} was completed is not recorded.`, planPath);
        continue;
      }
      const since = afterReview ? 'the review' : 'the plan was completed';
      const leftServicesOn = f.timeline.episodeOfVersion(plan)?.leftOn;
      const copies = plan.copies;
      if (copies === undefined || copies.length === 0) {
        judgeDeadline(f, emit, {
          anchor,
          done: undefined,
          limit: within,
          what: `A copy of ${name} was provided`,
          notDone: `No copy of ${name} is recorded as provided`,
          since,
          location: `${planPath}.copies`,
          leftServicesOn,
        });
        continue;
      }
      for (const copy of copies) {
        if (!isCopyDue(copy)) continue;
        const location = `${planPath}.copies[${f.indexOf(copy)}]`;
        const recipient = copyRecipientName(f, copy);
        if (copyUndated(copy)) {
          emit.cannotEvaluate([`${location}.date`], `The date the copy of ${name} to ${recipient} was provided is not recorded.`, location);
          continue;
        }
        const done = copyProvidedOn(copy);
        judgeDeadline(f, emit, {
          anchor,
          done,
          limit: within,
          what: `The copy of ${name} to ${recipient} was provided`,
          // Read only when the copy was not provided by the evaluation date.
          notDone: done !== undefined && done <= f.asOf ? undefined : `No copy of ${name} has been provided to ${recipient}`,
          since,
          location: done === undefined ? location : `${location}.date`,
          leftServicesOn,
        });
      }
    }
  },
});

export const childCopiesToParents = defineTemplate({
  name: 'child-copies-to-parents',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const plan of copiedVersions(f)) {
      if (plan.madeOn === undefined) continue;
      const age = f.ageOn(plan.madeOn);
      if (age === undefined) {
        emit.cannotEvaluate(
          ['patient.dateOfBirth'],
          `The date of birth is not recorded, so it is not known whether ${planName(f, plan)} is a child’s plan.`,
          at.plan(f, plan),
        );
        continue;
      }
      if (age >= 18) continue;
      for (const recipient of identifiedRecipients(f, plan).filter((r) => r.roles.includes('parental-responsibility'))) {
        const copy = plan.copies?.find((c) => sameActor(c.recipient, recipient.actor));
        const location = copy ? `${at.plan(f, plan)}.copies[${f.indexOf(copy)}]` : `${at.plan(f, plan)}.copies`;
        const who = `The person with parental responsibility at ${actorPath(f, recipient.actor) ?? 'an unknown place in the record'}`;
        const about = { subject: actorPath(f, recipient.actor) };
        if (copy && (copy.status === 'sent' || copy.status === 'partial' || copy.status === 'declined' || (copy.status === 'withheld-other' && copy.reason))) {
          emit.pass(`${who} has been given ${planName(f, plan)}, or the decision not to is recorded.`, location, about);
        } else {
          emit.fail(`${who} has not been given ${planName(f, plan)} of this child’s care, and no reason is recorded.`, location, about);
        }
      }
    }
  },
});

/**
 * The person's views are taken into account before copies go to others (Code 4.94). A plan whose
 * copies record no views at all comes from a source that does not carry them: cannot evaluate.
 */
export const sharingViewsRecorded = defineTemplate({
  name: 'sharing-views-recorded',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const plan of copiedVersions(f)) {
      const toOthers = (plan.copies ?? []).filter((c) => c.recipientRole !== 'patient' && (c.status === 'sent' || c.status === 'partial'));
      if (toOthers.length === 0) continue;
      const planPath = at.plan(f, plan);
      if (!toOthers.some((c) => c.patientView !== undefined)) {
        emit.cannotEvaluate([`${planPath}.copies[].patientView`], `The record holds the person’s views on none of the copies of ${planName(f, plan)}.`, `${planPath}.copies`);
        continue;
      }
      for (const copy of toOthers) {
        const location = `${planPath}.copies[${f.indexOf(copy)}].patientView`;
        if (copy.patientView === undefined)
          emit.fail(`The copy of ${planName(f, plan)} went to ${copyRecipientName(f, copy)} without the person’s view on it being recorded.`, location);
        else emit.pass('The person’s view on this copy was taken first.', location);
      }
    }
  },
});

export const copyTemplates = [copiesToIdentifiedRecipients, copyMethodAllowed, copiesWithin, childCopiesToParents, sharingViewsRecorded];
