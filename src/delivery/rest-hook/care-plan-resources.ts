/**
 * What a rest-hook notification with a payload carries of a change: each CarePlan and everything
 * it refers to inside the (already pruned) Bundle, transitively, each as a plain resource with its
 * id and with references rewritten from the Bundle's `urn:uuid:` fullUrls to `Type/id`, so that
 * the receiver can resolve them; referred-to resources before those that refer to them.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { referencesIn, visitReferences } from '../../fhir/bundle.js';
import { type IdentifiedEntry, indexBundle } from '../../subscription/bundle-entries.js';

export function carePlanResources(bundle: Bundle): Resource[] {
  const index = indexBundle(bundle);
  const ordered: IdentifiedEntry[] = [];
  const seen = new Set<number>();
  const visit = (entry: IdentifiedEntry): void => {
    if (seen.has(entry.index)) return;
    seen.add(entry.index);
    for (const reference of referencesIn(entry.resource)) {
      const target = index.resolve(reference);
      if (target !== undefined) visit(target);
    }
    ordered.push(entry);
  };
  for (const entry of index.entries) if (entry.resourceType === 'CarePlan') visit(entry);
  const localReference = (reference: string) => {
    const target = index.resolve(reference);
    return target === undefined ? reference : `${target.resourceType}/${target.id}`;
  };
  return ordered.map((e) => ({ ...(visitReferences(e.resource, localReference) as Resource), id: e.id }));
}
