/**
 * The official figures count people, not records: when several records have the same person key
 * (the same person exported by two systems, or two extracts of one system), only the one
 * extracted last is counted; on a tie, the one read first. Linear in the number of records.
 */
import { personKey } from '../../src/record/person-key.js';
import type { CtpRecord } from '../../src/record/record.schema.js';

export function onePerPerson(records: readonly CtpRecord[]): { records: CtpRecord[]; people: number; merged: number } {
  const latest = new Map<string, { record: CtpRecord; position: number }>();
  records.forEach((record, position) => {
    const key = personKey(record);
    const seen = latest.get(key);
    if (seen === undefined) latest.set(key, { record, position });
    else if (record.source.extractedAt > seen.record.source.extractedAt) latest.set(key, { record, position });
  });
  const kept = [...latest.values()].sort((a, b) => a.position - b.position).map((e) => e.record);
  return { records: kept, people: kept.length, merged: records.length - kept.length };
}
