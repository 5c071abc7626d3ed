/** Assembles mapped resources into one transaction Bundle per record. */
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';

/** One resource a mapping emitted, with its identity and how a transaction Bundle sends it. */
export interface EmittedResource {
  readonly rule: string;
  readonly localId: string;
  readonly id: string;
  readonly fullUrl: string;
  readonly request: { readonly method: 'PUT'; readonly url: string };
  readonly resource: Record<string, unknown>;
}

/**
 * Builds the transaction Bundle. Entries are PUTs (by id, or conditional on a business
 * identifier), so sending the same Bundle twice leaves the server as it was after the first.
 */
export function toTransactionBundle(resources: readonly EmittedResource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map(
      (r): BundleEntry => ({
        fullUrl: r.fullUrl,
        resource: r.resource as unknown as Resource,
        request: { method: r.request.method, url: r.request.url },
      }),
    ),
  };
}
