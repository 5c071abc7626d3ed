/** Consulting people on the plan (Code of Practice 4.18–4.21, 4.27, 4.30). */
import { z } from 'zod';
import type { Actor, PlanVersion } from '../../record/record.schema.js';
import type { RecordFacts } from '../facts.js';
import { defineTemplate } from '../template.js';
import { at, sameActor } from './common.js';
import { actorPath, personRoleName, planName } from './wording.js';

/** Related-person roles the Code says must be consulted where identified (4.18 a–g). */
const CONSULTEE_ROLES = new Set(['parental-responsibility', 'carer', 'adult-placement-carer', 'guardian', 'donee', 'deputy', 'imca', 'relevant-persons-representative']);

interface Consultee {
  readonly actor: Actor;
  readonly role: string;
}

function identifiedConsultees(f: RecordFacts, plan: PlanVersion): Consultee[] {
  const list: Consultee[] = [];
  for (const person of f.record.relatedPeople ?? []) {
    if (person.isPaidOrVolunteer) continue;
    const role = person.roles?.find((r) => CONSULTEE_ROLES.has(r));
    if (role) list.push({ actor: { kind: 'related-person', id: person.id }, role });
  }
  for (const member of f.record.careTeam ?? []) {
    if (member.role !== 'responsible-clinician' || !member.member) continue;
    if (member.end !== undefined && plan.madeOn !== undefined && member.end < plan.madeOn) continue;
    list.push({ actor: member.member, role: 'responsible-clinician' });
  }
  return list;
}

/**
 * Each identified consultee has a consultation record, or a recorded reason why consultation was
 * not practicable or was decided against. A plan with no consultation records at all comes from
 * a source that does not carry them: that cannot be evaluated, rather than failed.
 */
export const consulteesConsulted = defineTemplate({
  name: 'consultees-consulted',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const plan of f.madePlans) {
      if (plan.changeType === 'minor-amendment') continue;
      const consultees = identifiedConsultees(f, plan);
      if (consultees.length === 0) continue;
      const planPath = at.plan(f, plan);
      if (!plan.consultations) {
        emit.cannotEvaluate([`${planPath}.consultations`], `The record holds no consultation records for ${planName(f, plan)}.`, planPath);
        continue;
      }
      for (const consultee of consultees) {
        const record = plan.consultations.find((c) => sameActor(c.consultee, consultee.actor));
        const location = record ? `${planPath}.consultations[${f.indexOf(record)}]` : `${planPath}.consultations`;
        const path = actorPath(f, consultee.actor);
        const who = `The ${personRoleName(consultee.role)}${path ? ` (${path})` : ''}`;
        const about = { subject: path };
        if (!record) emit.fail(`${who} was not consulted on ${planName(f, plan)}, and no reason is recorded.`, location, about);
        else if (record.outcome !== 'consulted' && record.reason === undefined)
          emit.fail(`${who} was not consulted on ${planName(f, plan)}, and no reason is recorded.`, `${location}.reason`, about);
        else emit.pass(`${who} was consulted on ${planName(f, plan)}, or the reason why not is recorded.`, location, about);
      }
    }
  },
});

export const consultationTemplates = [consulteesConsulted];
