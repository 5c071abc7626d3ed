/** Copies of the plan (Code 4.29–4.31, 4.87–4.97): who must get one, how, and how soon. */
import { z } from 'zod';
import type { Actor, PlanVersion } from '../../record/record.schema.js';
import { dueDate } from '../../time/duration.js';
import { copyProvidedOn, copyUndated, isCopyDue } from '../../timeline/timeline.js';
import type { RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline, sameActor } from './common.js';

type Copy = NonNullable<PlanVersion['copies']>[number];
type CopyRole = Copy['recipientRole'];

interface Recipient {
  readonly role: CopyRole;
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

/** Everyone identified in the record who must be given a copy of a plan (4.91 a–j). */
export function identifiedRecipients(f: RecordFacts, plan: PlanVersion): Recipient[] {
  const list: Recipient[] = [{ role: 'patient', actor: { kind: 'patient' }, declinedCopies: false }];
  for (const person of f.record.relatedPeople ?? []) {
    if (person.isPaidOrVolunteer) continue;
    const declined = person.wishesToReceiveCopies === false || person.copiesDeclinedOn !== undefined;
    const roles = new Set((person.roles ?? []).map((r) => RELATED_ROLE_TO_COPY_ROLE[r]).filter((r) => r !== undefined));
    for (const role of roles) list.push({ role, actor: { kind: 'related-person', id: person.id }, declinedCopies: declined });
  }
  const gp = f.record.patient?.registeredGpPractice;
  if (gp) list.push({ role: 'gp', actor: { kind: 'organisation', id: gp }, declinedCopies: false });
  const providers = new Set(plan.responsibleProviders ?? []);
  for (const member of f.record.careTeam ?? []) {
    if (member.end !== undefined && plan.madeOn !== undefined && member.end < plan.madeOn) continue;
    if (member.role === 'responsible-clinician' && member.member) list.push({ role: 'responsible-clinician', actor: member.member, declinedCopies: false });
    if ((member.role === 'voluntary-organisation' || member.role === 'provider-organisation') && member.member?.kind === 'organisation') providers.add(member.member.id!);
  }
  // The coordinator acts for the appointing body, which holds the plan it made (Code 3.8).
  const appointingBody = f.appointment(plan.coordinatorAppointment)?.appointingBody;
  if (appointingBody !== undefined) providers.delete(appointingBody);
  for (const id of providers) list.push({ role: 'provider', actor: { kind: 'organisation', id }, declinedCopies: false });
  return list;
}

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
        const who = recipient.role;
        if (!copy || copy.status === 'not-sent') {
          if (recipient.declinedCopies && MAY_DECLINE.has(who)) emit.pass(`The ${who} has said they do not wish to receive copies.`, location);
          else if (stillTime) emit.notApplicable(`No copy to the ${who} yet, but there is still time.`, location);
          else emit.fail(`No copy of the plan has been provided to the ${who}.`, location);
          continue;
        }
        const allowed =
          copy.status === 'sent' ||
          (copy.status === 'partial' && MAY_DECLINE.has(who)) ||
          (copy.status === 'declined' && MAY_DECLINE.has(who)) ||
          (copy.status === 'withheld-serious-harm' && who === 'patient') ||
          (copy.status === 'withheld-other' && copy.reason !== undefined);
        if (allowed) emit.pass(`The ${who}'s copy is accounted for (${copy.status}).`, location);
        else emit.fail(`The ${who}'s copy is recorded as ${copy.status}, which the Code does not allow for this recipient without a recorded reason.`, `${location}.status`);
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
        if (copy.method === undefined) emit.cannotEvaluate([location], 'How the copy was provided is not recorded.', location);
        else if (!methods.includes(copy.method)) emit.fail(`A copy provided by "${copy.method}" does not count as provided.`, location);
        else if (copy.method === agreedMeans && copy.agreedMeans === undefined) {
          emit.cannotEvaluate(
            [`${at.plan(f, plan)}.copies[${f.indexOf(copy)}].agreedMeans`],
            'Provided by other means; the means agreed with the recipient are not recorded.',
            location,
          );
        } else emit.pass(`Provided by an allowed method (${copy.method}).`, location);
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
    for (const plan of copiedVersions(f)) {
      const clock = f.timeline.copyClock(plan);
      if (!clock) continue;
      const { within, versions } = params(f.episode(plan.episode));
      const afterReview = clock.kind === 'after-review';
      if ((versions === 'initial' && afterReview) || (versions === 'after-review' && !afterReview)) continue;
      const anchor = clock.startsOn;
      const planPath = at.plan(f, plan);
      if (anchor === undefined) {
        emit.cannotEvaluate([`${planPath}.completedOn`], 'The date the plan was completed is not recorded.', planPath);
        continue;
      }
      const since = afterReview ? 'the review' : 'the plan was completed';
      const leftServicesOn = f.timeline.episodeOfVersion(plan)?.leftOn;
      const copies = plan.copies ?? [];
      if (copies.length === 0) {
        judgeDeadline(f, emit, {
          anchor,
          done: undefined,
          limit: within,
          what: 'A copy was provided',
          notDone: 'No copy of the plan is recorded as provided',
          since,
          location: `${planPath}.copies`,
          leftServicesOn,
        });
        continue;
      }
      for (const copy of copies.filter(isCopyDue)) {
        const location = `${planPath}.copies[${f.indexOf(copy)}]`;
        if (copyUndated(copy)) {
          emit.cannotEvaluate([`${location}.date`], 'The date the copy was provided is not recorded.', location);
          continue;
        }
        const done = copyProvidedOn(copy);
        judgeDeadline(f, emit, {
          anchor,
          done,
          limit: within,
          what: `The copy to the ${copy.recipientRole} was provided`,
          notDone: `No copy has been provided to the ${copy.recipientRole}`,
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
        emit.cannotEvaluate(['patient.dateOfBirth'], 'The date of birth is not recorded, so it is not known whether this is a child’s plan.', at.plan(f, plan));
        continue;
      }
      if (age >= 18) continue;
      for (const recipient of identifiedRecipients(f, plan).filter((r) => r.role === 'parental-responsibility')) {
        const copy = plan.copies?.find((c) => sameActor(c.recipient, recipient.actor));
        const location = copy ? `${at.plan(f, plan)}.copies[${f.indexOf(copy)}]` : `${at.plan(f, plan)}.copies`;
        if (copy && (copy.status === 'sent' || copy.status === 'partial' || copy.status === 'declined' || (copy.status === 'withheld-other' && copy.reason))) {
          emit.pass('A person with parental responsibility has been given the plan, or the decision not to is recorded.', location);
        } else {
          emit.fail('A person with parental responsibility for this child has not been given the plan, and no reason is recorded.', location);
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
        emit.cannotEvaluate([`${planPath}.copies[].patientView`], 'The record holds the person’s views on none of the copies.', `${planPath}.copies`);
        continue;
      }
      for (const copy of toOthers) {
        const location = `${planPath}.copies[${f.indexOf(copy)}].patientView`;
        if (copy.patientView === undefined) emit.fail(`A copy went to the ${copy.recipientRole} without the person’s view on it being recorded.`, location);
        else emit.pass('The person’s view on this copy was taken first.', location);
      }
    }
  },
});

export const copyTemplates = [copiesToIdentifiedRecipients, copyMethodAllowed, copiesWithin, childCopiesToParents, sharingViewsRecorded];
