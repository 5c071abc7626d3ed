/**
 * The official figures count people, not records: when several records have the same person key
 * (the same person exported by two systems, or two extracts of one system), only the one
 * extracted last is counted; on a tie, by source system, record id and content hash (the
 * documented total order), so never by the order records are read in. Linear in the number of
 * records; the kept records come in the order they were read.
 */
import { createHash } from 'node:crypto';
import { personKey } from '../../src/record/person-key.js';
import type { CtpRecord } from '../../src/record/record.schema.js';

export function onePerPerson(records: readonly CtpRecord[]): { records: CtpRecord[]; people: number; merged: number } {
  const latest = new Map<string, { record: CtpRecord; position: number }>();
  records.forEach((record, position) => {
    const key = personKey(record);
    const seen = latest.get(key);
    if (seen === undefined) latest.set(key, { record, position });
    else if (later(record, seen.record)) latest.set(key, { record, position });
  });
  const kept = [...latest.values()].sort((a, b) => a.position - b.position).map((e) => e.record);
  return { records: kept, people: kept.length, merged: records.length - kept.length };
}

/** Written out as the tuple the documentation gives, apart from compareVersions, which it checks. */
function later(a: CtpRecord, b: CtpRecord): boolean {
  const tuple = (r: CtpRecord) =>
    [Date.parse(r.source.extractedAt), r.source.system, r.source.recordId, createHash('sha256').update(JSON.stringify(r)).digest('hex')] as const;
  const [x, y] = [tuple(a), tuple(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! > y[i]!;
  return false;
}
