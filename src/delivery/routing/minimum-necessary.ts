/**
 * Minimum necessary: the resource types each kind of recipient receives when its target does
 * not list its own (`resources` in PONT_CONFIG).
 */
import { DELIVERABLE_TYPES } from '../../config/sync-config.schema.js';

export type DeliverableType = (typeof DELIVERABLE_TYPES)[number];
export type RecipientKind = 'gp-practice' | 'health-board' | 'regulator';

/**
 * What a GP practice needs to care for the person alongside secondary services: the plan in force
 * with its outcomes (Goal: CarePlan.goal), which carry the crisis plan's contacts and actions; the
 * coordinator (PractitionerRole and Practitioner) and the care team; the diagnoses; the person;
 * and the organisations and Provenance those refer to. Not the consultation record (Encounter,
 * EpisodeOfCare, ClinicalImpression), copies and consultations (Communication), reviews and Part 3
 * requests (Task, ServiceRequest), compliance findings (DetectedIssue) or the person's family and
 * carers (RelatedPerson): a GP can ask the coordinator for those.
 *
 * Every version of the plan in the record goes, not only the current one: the GP's system holds
 * the versions it was sent when they were current, and only the later versions of those same
 * resources (status superseded or ended) tell it that they no longer are.
 */
const GP_PRACTICE: readonly DeliverableType[] = ['Patient', 'CarePlan', 'Goal', 'CareTeam', 'Condition', 'PractitionerRole', 'Practitioner', 'Organization', 'Provenance'];

export function defaultResources(kind: RecipientKind): readonly DeliverableType[] {
  // A health board provides the services and a regulator's feed serves statutory returns: both need the whole record.
  return kind === 'gp-practice' ? GP_PRACTICE : DELIVERABLE_TYPES;
}
