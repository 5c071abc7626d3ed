/**
 * Plain-English names for what findings talk about: plan versions, people by role and record
 * index, professions and means of delivery. Never a name or any other value from the record.
 */
import type { Actor, PlanVersion } from '../../record/record.schema.js';
import { coordinatorProfessionVocabulary, deliveryMethodVocabulary, organisationKindVocabulary, reviewRequesterVocabulary } from '../../record/vocabulary.js';
import type { RecordFacts } from '../facts.js';

type CopyRole = NonNullable<PlanVersion['copies']>[number]['recipientRole'];

/** Who a copy recipient is, as a coordinator would say it. */
const COPY_ROLE_NAMES: Record<CopyRole, string> = {
  patient: 'person',
  'parental-responsibility': 'person with parental responsibility',
  carer: 'carer',
  gp: 'GP',
  provider: 'provider of services',
  'responsible-clinician': 'responsible clinician',
  guardian: 'guardian',
  'donee-deputy': 'donee or deputy',
  imca: 'independent mental capacity advocate',
  'dols-body': 'DoLS body or representative',
  'to-facilitate-outcomes': 'person helping to achieve the outcomes',
  'patient-requested': 'person the patient asked to have a copy',
};

/** Related-person and care-team roles in prose. */
const PERSON_ROLE_NAMES: Readonly<Record<string, string>> = {
  'parental-responsibility': 'person with parental responsibility',
  carer: 'carer',
  'adult-placement-carer': 'adult placement carer',
  guardian: 'guardian',
  donee: 'donee',
  deputy: 'deputy',
  imca: 'independent mental capacity advocate',
  imha: 'independent mental health advocate',
  'relevant-persons-representative': 'relevant person’s representative',
  'responsible-clinician': 'responsible clinician',
};

/** "carer", "person with parental responsibility and carer". */
export function copyRolesName(roles: readonly CopyRole[]): string {
  return joinAnd(roles.map((r) => COPY_ROLE_NAMES[r]));
}

export function personRoleName(role: string): string {
  return PERSON_ROLE_NAMES[role] ?? role.replaceAll('-', ' ');
}

/** "plan version 2 (plans[1])": which version of a plan a finding is about. */
export function planName(f: RecordFacts, plan: PlanVersion): string {
  return `plan version ${plan.version} (plans[${f.indexOf(plan)}])`;
}

/** Where an actor is in the record, e.g. "relatedPeople[1]"; undefined for the patient and the care team. */
export function actorPath(f: RecordFacts, actor: Actor): string | undefined {
  if (actor.kind === 'patient' || actor.kind === 'care-team' || actor.id === undefined) return undefined;
  const list = { practitioner: 'practitioners', organisation: 'organisations', 'related-person': 'relatedPeople' }[actor.kind];
  const items: readonly { id: string }[] =
    (actor.kind === 'practitioner' ? f.record.practitioners : actor.kind === 'organisation' ? f.record.organisations : f.record.relatedPeople) ?? [];
  const item = items.find((i) => i.id === actor.id);
  return item ? `${list}[${f.indexOf(item)}]` : undefined;
}

/** "the carer (relatedPeople[1])", "the person", "the GP (organisations[2])". */
export function recipientName(f: RecordFacts, actor: Actor, roles: readonly CopyRole[]): string {
  if (actor.kind === 'patient') return 'the person';
  const path = actorPath(f, actor);
  return `the ${copyRolesName(roles)}${path ? ` (${path})` : ''}`;
}

/** "the relevant patient", "a carer", "the care coordinator". */
export function reviewRequesterName(code: string): string {
  const display = shortDisplay((reviewRequesterVocabulary as Readonly<Record<string, { display: string }>>)[code]?.display) ?? 'Someone';
  return /^(The|Someone) /.test(`${display} `) ? lowerFirst(display) : `${/^[AEIOU]/.test(display) ? 'an' : 'a'} ${lowerFirst(display)}`;
}

/** "Local Health Board", "Local authority". */
export function organisationKindName(kind: string | undefined): string {
  return (kind === undefined ? undefined : (organisationKindVocabulary as Readonly<Record<string, { display: string }>>)[kind]?.display) ?? 'Other organisation';
}

/** A profession's name without its register note: "Adult nurse". */
export function professionName(code: string): string {
  return shortDisplay((coordinatorProfessionVocabulary as Readonly<Record<string, { display: string }>>)[code]?.display) ?? code;
}

/** A means of delivery in prose: "email (no agreement with the recipient recorded)" reads as "email". */
export function methodName(code: string): string {
  return lowerFirst(shortDisplay((deliveryMethodVocabulary as Readonly<Record<string, { display: string }>>)[code]?.display) ?? code);
}

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function shortDisplay(display: string | undefined): string | undefined {
  return display?.replace(/ \(.*\)$/, '');
}

export function joinAnd(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
