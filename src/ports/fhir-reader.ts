/** Reading a FHIR server pont pulls from (a source), as the core sees it: fhir-kit-client in src/delivery. */
import type { Bundle, Resource } from '@medplum/fhirtypes';

export interface FhirReader {
  /** A search, relative to the server's base (`CarePlan?_lastUpdated=ge…`), or a `next` link as the server gave it. */
  search(pathOrUrl: string): Promise<Bundle>;
  /** One resource, or undefined when the server has none by that id (404, 410). */
  read(resourceType: string, id: string): Promise<Resource | undefined>;
}

/** Where each pulled source was read up to (pont_source_cursor in src/store). */
export interface CursorStore {
  get(sourceId: string): Promise<string | undefined>;
  set(sourceId: string, cursor: string, at: Date): Promise<void>;
}
