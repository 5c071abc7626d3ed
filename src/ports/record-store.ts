/**
 * Where records are kept between steps: one entry per version put, read back as the latest
 * version per person (by person key, src/record/person-key.ts). Asynchronous so that a database
 * store (PostgreSQL, issue 6) fits the same interface as the in-memory one.
 */
import type { PersonKey } from '../record/person-key.js';
import type { CtpRecord } from '../record/record.schema.js';

export interface RecordStore {
  /** Stores one version of a person's record. */
  put(record: CtpRecord): Promise<void>;
  /** The person's current record: the greatest by compareVersions (src/record/person-key.ts), whatever order the records were put in. */
  latest(person: PersonKey): Promise<CtpRecord | undefined>;
  /** Every person with a record, sorted by person key. */
  people(): Promise<PersonKey[]>;
  /** How many versions were put in all. */
  versions(): Promise<number>;
}
