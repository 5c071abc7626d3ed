/**
 * Gathers loose FHIR resources (a Bulk Data export's NDJSON files, a list of resources) into one
 * collection Bundle per Patient, so that each person can be read as a record.
 *
 * A resource belongs to a patient when it refers to the Patient, or to a resource that belongs
 * to them (a Provenance whose target is their CarePlan). A person's Bundle holds the Patient,
 * what belongs to them, and whatever those refer to that is nobody's own (Practitioner,
 * Organization), followed to the end. A resource that belongs to no patient and that no person's
 * resource refers to is returned as left over, for the caller to report: nothing is dropped
 * silently.
 */
import { referenceKey, referencesIn } from './reference.js';

type Json = Record<string, unknown>;

export interface LooseResource<T> {
  readonly resource: Json;
  /** Where the caller found it (a file and line): handed back with the Bundles and the leftovers. */
  readonly at: T;
}

export interface PatientBundle<T> {
  /** Where the Patient was found. */
  readonly at: T;
  readonly bundle: { resourceType: 'Bundle'; type: 'collection'; entry: { fullUrl: string; resource: Json }[] };
}

export interface Gathered<T> {
  readonly bundles: PatientBundle<T>[];
  /** Resources of no patient's Bundle. */
  readonly leftOver: LooseResource<T>[];
  /** Resources with the same type and id as an earlier one: the first is used. */
  readonly duplicates: LooseResource<T>[];
}

/**
 * Bulk Data files hold relative references and no base: each entry's fullUrl is given this one,
 * a reserved name (RFC 6761) that resolves nowhere, so the references resolve inside the Bundle.
 */
export const PLACEHOLDER_BASE = 'http://bulk-data.invalid/fhir/';

const keyOf = (r: Json) => (typeof r.resourceType === 'string' && typeof r.id === 'string' ? `${r.resourceType}/${r.id}` : undefined);

export function gatherPatientBundles<T>(resources: readonly LooseResource<T>[]): Gathered<T> {
  const byKey = new Map<string, LooseResource<T>>();
  const duplicates: LooseResource<T>[] = [];
  const unkeyed: LooseResource<T>[] = [];
  for (const r of resources) {
    const k = keyOf(r.resource);
    if (k === undefined) unkeyed.push(r);
    else if (byKey.has(k)) duplicates.push(r);
    else byKey.set(k, r);
  }
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, string[]>();
  for (const [k, r] of byKey) {
    const targets = [...new Set(referencesIn(r.resource).map(referenceKey))].filter((t): t is string => t !== undefined && t !== k && byKey.has(t));
    outgoing.set(k, targets);
    for (const t of targets) incoming.set(t, [...(incoming.get(t) ?? []), k]);
  }
  const patients = [...byKey.keys()].filter((k) => k.startsWith('Patient/'));
  const order = new Map([...byKey.keys()].map((k, i) => [k, i]));
  const owned = new Set<string>();
  const used = new Set<string>();
  const bundles = patients
    .map((p) => {
      // What belongs to the patient: whatever refers to them, or to what already belongs to them.
      const members = new Set([p]);
      const inward = [p];
      for (let k = inward.pop(); k !== undefined; k = inward.pop()) {
        for (const from of incoming.get(k) ?? []) {
          if (members.has(from) || from.startsWith('Patient/')) continue;
          members.add(from);
          owned.add(from);
          inward.push(from);
        }
      }
      return { p, members };
    })
    .map(({ p, members }) => {
      // Then outwards, to what is nobody's own.
      const outward = [...members];
      for (let k = outward.pop(); k !== undefined; k = outward.pop()) {
        for (const to of outgoing.get(k) ?? []) {
          if (members.has(to) || owned.has(to) || to.startsWith('Patient/')) continue;
          members.add(to);
          outward.push(to);
        }
      }
      for (const m of members) used.add(m);
      const ordered = [p, ...[...members].filter((k) => k !== p).sort((a, b) => order.get(a)! - order.get(b)!)];
      return {
        at: byKey.get(p)!.at,
        bundle: {
          resourceType: 'Bundle' as const,
          type: 'collection' as const,
          entry: ordered.map((k) => ({ fullUrl: `${PLACEHOLDER_BASE}${k}`, resource: byKey.get(k)!.resource })),
        },
      };
    });
  const leftOver = [...unkeyed, ...[...byKey].filter(([k]) => !used.has(k)).map(([, r]) => r)];
  return { bundles, leftOver, duplicates };
}
