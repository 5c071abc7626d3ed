/** A RecordStore in memory, for one run of the command line or one request; linear in the records put. */
import { type PersonKey, personKey } from '../record/person-key.js';
import type { CtpRecord } from '../record/record.schema.js';
import type { RecordStore } from './record-store.js';

export function memoryRecordStore(): RecordStore {
  const current = new Map<PersonKey, CtpRecord>();
  let count = 0;
  return {
    async put(record) {
      count += 1;
      const key = personKey(record);
      const seen = current.get(key);
      if (seen !== undefined && record.source.extractedAt <= seen.source.extractedAt) return;
      current.delete(key); // re-inserted, so people() follows the order the current records were put
      current.set(key, record);
    },
    latest: async (person) => current.get(person),
    people: async () => [...current.keys()],
    versions: async () => count,
  };
}
