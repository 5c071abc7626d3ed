/**
 * The entries of pont's transaction Bundle as plain resources with ids of their own: a conditional
 * entry (the shared Patient, an Organization by ODS code) has no `id`, only a fullUrl made of a
 * name-based UUID, which is as stable as an id and is used as one. References between entries are
 * resolved by fullUrl or by `Type/id`.
 */
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';

export interface IdentifiedEntry {
  readonly index: number;
  readonly resourceType: string;
  readonly id: string;
  readonly resource: Resource;
}

const UUID_URN = /^urn:uuid:([0-9a-f-]{36})$/;

export interface BundleIndex {
  readonly entries: readonly IdentifiedEntry[];
  /** The entry a reference inside the Bundle names, if any. */
  resolve(reference: string): IdentifiedEntry | undefined;
}

export function indexBundle(bundle: Bundle): BundleIndex {
  const entries = (bundle.entry ?? []).flatMap((entry: BundleEntry, index): IdentifiedEntry[] => {
    const resource = entry.resource;
    const id = resource?.id ?? UUID_URN.exec(entry.fullUrl ?? '')?.[1];
    return resource === undefined || id === undefined ? [] : [{ index, resourceType: resource.resourceType, id, resource }];
  });
  const byKey = new Map<string, IdentifiedEntry>();
  for (const e of entries) {
    byKey.set(`${e.resourceType}/${e.id}`, e);
    const fullUrl = bundle.entry?.[e.index]?.fullUrl;
    if (fullUrl !== undefined) byKey.set(fullUrl, e);
  }
  return { entries, resolve: (reference) => byKey.get(reference) };
}
