/** A RecordStore in memory, for one run of the command line or one request; linear in the people it holds. */
import { compareVersions, type PersonKey, personKey } from '../record/person-key.js';
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
      if (seen === undefined || compareVersions(record, seen) > 0) current.set(key, record);
    },
    latest: async (person) => current.get(person),
    people: async () => [...current.keys()].sort(),
    versions: async () => count,
  };
}
