/**
 * What a target sees of a resource pont wrote there from a person's record when a later version
 * of that record from the same source no longer has it (a goal removed, a diagnosis deleted, an
 * encounter taken out). pont cannot tell a mistake from a change of mind, and the source no longer
 * asserts the resource, so the target should stop relying on it:
 *
 * - where the target's CapabilityStatement lists `delete` for the type, it is deleted;
 * - otherwise (or where the target refuses the delete, e.g. because something refers to it) it is
 *   marked entered-in-error, the status FHIR gives a resource that should not be relied on.
 *
 * Only the person's own resources are withdrawn (the types below, all in the Patient compartment);
 * shared ones (Patient, Organization, Practitioner, PractitionerRole) and Provenance never are,
 * nor anything pont did not write (the ledger knows what it wrote), nor what another source's
 * records put there. A resource changed at the target since pont wrote it is left to the target.
 * A status a newer version states itself (a plan revoked, a diagnosis entered-in-error) needs
 * nothing of this: it is written like any other change.
 */
import type { Resource } from '@medplum/fhirtypes';
import { DeliveryError } from '../../errors/errors.js';
import { referencesIn } from '../../fhir/bundle.js';
import type { DeliveredResource } from '../../ports/delivery.js';
import type { TargetCapabilities } from './capabilities.js';
import type { FhirHttp } from './fhir-http.js';

type Json = Record<string, unknown>;

const ENTERED_IN_ERROR = (r: Json): Json => ({ ...r, status: 'entered-in-error' });

/** Each withdrawable type, and the resource as withdrawn. */
const WITHDRAWN: Readonly<Record<string, (resource: Json) => Json>> = {
  CarePlan: ENTERED_IN_ERROR,
  CareTeam: ENTERED_IN_ERROR,
  ClinicalImpression: ENTERED_IN_ERROR,
  Communication: ENTERED_IN_ERROR,
  Consent: ENTERED_IN_ERROR,
  DetectedIssue: ENTERED_IN_ERROR,
  Encounter: ENTERED_IN_ERROR,
  EpisodeOfCare: ENTERED_IN_ERROR,
  ServiceRequest: ENTERED_IN_ERROR,
  Task: ENTERED_IN_ERROR,
  RiskAssessment: ENTERED_IN_ERROR,
  Flag: ENTERED_IN_ERROR,
  MedicationStatement: ENTERED_IN_ERROR,
  Observation: ENTERED_IN_ERROR,
  Goal: (r) => ({ ...r, lifecycleStatus: 'entered-in-error' }),
  // con-5: no clinical status on a condition entered in error.
  Condition: ({ clinicalStatus: _clinical, ...r }) => ({
    ...r,
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error' }] },
  }),
  // RelatedPerson has no entered-in-error: the relationship stops being active.
  RelatedPerson: (r) => ({ ...r, active: false }),
};

/**
 * The resources of the ledger that a change from `sourceSystem` withdraws: pont's own of a
 * withdrawable type, written from that source and not withdrawn already, whose key the change no
 * longer carries.
 */
export function toWithdraw(held: Iterable<DeliveredResource>, carried: ReadonlySet<string>, sourceSystem: string): DeliveredResource[] {
  return [...held].filter((r) => !carried.has(r.key) && !r.key.includes('?') && r.sourceSystem === sourceSystem && !r.withdrawn && r.resourceType in WITHDRAWN);
}

export interface Withdrawal {
  readonly http: FhirHttp;
  readonly capabilities: TargetCapabilities;
}

export interface Withdrawn {
  /** No longer pont's at the target: deleted, found gone, or changed there since pont wrote it. */
  readonly released: readonly DeliveredResource[];
  /**
   * Marked entered-in-error, under the version the target gave the mark: still pont's write, so
   * the ledger keeps it (pulled back from the target, it is known for pont's own echo).
   */
  readonly marked: readonly DeliveredResource[];
  readonly requests: number;
}

/** Withdraws the resources at the target, those that refer to others among them first (so a target that checks references lets each delete through). */
export async function withdraw(w: Withdrawal, resources: readonly DeliveredResource[]): Promise<Withdrawn> {
  let requests = 0;
  const released: DeliveredResource[] = [];
  const marked: DeliveredResource[] = [];
  const current = new Map<DeliveredResource, Resource>();
  for (const r of resources) {
    requests++;
    const found = await w.http.read(r.resourceType, r.id);
    // Gone already, or changed at the target since pont wrote it: not pont's to withdraw.
    if (found && (r.versionId === undefined || found.meta?.versionId === r.versionId)) current.set(r, found);
    else released.push(r);
  }
  for (const [r, found] of referrersFirst(current)) {
    requests++;
    if (w.capabilities.delete(r.resourceType) && (await deleted(w, r))) {
      released.push(r);
      continue;
    }
    const mark = WITHDRAWN[r.resourceType]!(found as unknown as Json) as unknown as Resource;
    try {
      const written = await w.http.put(`${r.resourceType}/${r.id}`, mark, found.meta?.versionId ? `W/"${found.meta.versionId}"` : undefined);
      const { versionId: _before, ...rest } = r;
      marked.push({ ...rest, ...(written.versionId ? { versionId: written.versionId } : {}), withdrawn: true });
    } catch (err) {
      // Changed at the target between the read and the write: left to it, like one changed before.
      if (!(err instanceof DeliveryError && err.code === 'DELIVERY_CONFLICT')) throw err;
      released.push(r);
    }
  }
  return { released, marked, requests };
}

/** Whether the target deleted it; false when it refused (a reference to it, say), so it is marked instead. */
async function deleted(w: Withdrawal, r: DeliveredResource): Promise<boolean> {
  try {
    await w.http.delete(r.resourceType, r.id);
    return true;
  } catch (err) {
    if (err instanceof DeliveryError && err.code === 'DELIVERY_REFUSED') return false;
    throw err;
  }
}

/** The entries in an order where one that refers to another comes before it. */
function referrersFirst(current: ReadonlyMap<DeliveredResource, Resource>): [DeliveredResource, Resource][] {
  const pending = [...current];
  const ordered: [DeliveredResource, Resource][] = [];
  const refersTo = (from: Resource, to: DeliveredResource): boolean =>
    referencesIn(from).some((ref) => ref === `${to.resourceType}/${to.id}` || ref.endsWith(`/${to.resourceType}/${to.id}`));
  while (pending.length > 0) {
    // Next: one no other pending entry refers to (any, should they refer to each other in a circle).
    const next = pending.find(([r]) => !pending.some(([o, res]) => o !== r && refersTo(res, r))) ?? pending[0]!;
    pending.splice(pending.indexOf(next), 1);
    ordered.push(next);
  }
  return ordered;
}
