/**
 * The official figures count people, not records: when several records carry the same NHS
 * number (the same person exported by two systems, or two extracts of one system), only the one
 * extracted last is counted. Records without an NHS number cannot be matched and are all kept.
 */
import type { CtpRecord } from '../record/record.schema.js';

export function onePerPerson(records: readonly CtpRecord[]): { records: CtpRecord[]; people: number; merged: number } {
  const latest = new Map<string, CtpRecord>();
  const unmatched: CtpRecord[] = [];
  let merged = 0;
  for (const record of records) {
    const nhs = record.patient?.nhsNumber;
    if (typeof nhs !== 'string') {
      unmatched.push(record);
      continue;
    }
    const seen = latest.get(nhs);
    if (seen === undefined) latest.set(nhs, record);
    else {
      merged += 1;
      if (record.source.extractedAt > seen.source.extractedAt) latest.set(nhs, record);
    }
  }
  const kept = records.filter((r) => unmatched.includes(r) || latest.get(r.patient!.nhsNumber as string) === r);
  return { records: kept, people: kept.length, merged };
}
