/**
 * The FHIR resources pont serves (the facade, and Bulk Data export next), as the core and the
 * HTTP edge see them: the current resources of each person's current record version, every
 * version of each kept as history. Every read is limited by a PatientScope, decided by the
 * caller's authorisation and applied by the store.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { SearchCriteria } from '../fhir/search-query.js';

/** Whose resources a caller may see: everyone's, those of the people registered at one GP practice (ODS code), or nobody's. */
export type PatientScope = { readonly kind: 'all' } | { readonly kind: 'registered-at'; readonly practiceOds: string } | { readonly kind: 'none' };

/** One version of a resource as kept: its content carries `meta.versionId` and `meta.lastUpdated`. */
export interface ResourceVersion {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdated: Date;
  /** The version that deleted the resource (it left the person's current record) has no content. */
  readonly deleted: boolean;
  readonly resource?: Resource;
}

/** A resource version that has content. */
export interface CurrentResource extends ResourceVersion {
  readonly deleted: false;
  readonly resource: Resource;
}

export type ReadResult =
  | { readonly status: 'found'; readonly version: CurrentResource }
  /** The resource (or this version of it) is a deletion: 410 Gone. */
  | { readonly status: 'deleted'; readonly version: ResourceVersion }
  /** Unknown, or outside the caller's scope (which is not told apart, so nothing leaks). */
  | { readonly status: 'not-found' };

export interface SearchRequest {
  readonly resourceType: string;
  readonly criteria: SearchCriteria;
  /** Entries per page (already within the server's limits). */
  readonly count: number;
  /** Where the previous page ended (the `next` link's cursor), absent for the first page. */
  readonly cursor?: string;
  /** Whether to count every match too (the first page, where that is cheap enough). */
  readonly total: boolean;
}

export interface SearchPage {
  readonly resources: readonly CurrentResource[];
  /** The cursor of the next page, when there are more matches. */
  readonly next?: string;
  readonly total?: number;
}

export interface HistoryPage {
  /** Newest first. */
  readonly versions: readonly ResourceVersion[];
  /** The cursor of the next (older) page. */
  readonly next?: string;
}

export interface StreamOptions {
  /** Resource types to read, every type when absent or empty. */
  readonly types?: readonly string[];
  /** Only resources changed after this instant (Bulk Data `_since`). */
  readonly since?: Date;
  /** Rows fetched per round trip; memory is bounded by it, whatever the number of resources. */
  readonly batchSize?: number;
}

export interface FhirResourceReader {
  read(scope: PatientScope, resourceType: string, id: string): Promise<ReadResult>;
  vread(scope: PatientScope, resourceType: string, id: string, versionId: number): Promise<ReadResult>;
  /** A resource's versions, newest first, page by page; undefined when the resource is unknown or out of scope. */
  history(scope: PatientScope, resourceType: string, id: string, page: { readonly count: number; readonly cursor?: string }): Promise<HistoryPage | undefined>;
  search(scope: PatientScope, request: SearchRequest): Promise<SearchPage>;
  /** The current (not deleted) resources in key order (type, then id), read in batches: constant memory. */
  stream(scope: PatientScope, options?: StreamOptions): AsyncIterable<CurrentResource>;
}
