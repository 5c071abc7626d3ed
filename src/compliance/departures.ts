/**
 * Recorded departures from the Code's guidance (Introduction iv: departures must be justified and
 * evidenced). A departure names a rule (optionally one check) and, optionally, the item it is
 * about. It turns a matching failure of a "should" rule from a warning into information, still
 * reported with the departure's location; it never excuses a statutory duty.
 */
import type { CtpRecord } from '../record/record.schema.js';
import type { Finding } from './finding.js';

export function applyDepartures(findings: readonly Finding[], record: CtpRecord): readonly Finding[] {
  const departures = record.departures ?? [];
  if (departures.length === 0) return findings;
  return findings.map((finding) => {
    if (finding.force !== 'should' || finding.result !== 'fail') return finding;
    const along = finding.location === undefined ? [] : idsAlong(record, finding.location);
    const index = departures.findIndex(
      (d) => (d.rule === finding.ruleId || d.rule === `${finding.ruleId}/${finding.check}`) && (d.about === undefined || along.includes(d.about)),
    );
    if (index < 0) return finding;
    return {
      ...finding,
      severity: 'information',
      message: `${finding.message} A reasoned departure from the Code is recorded.`,
      departure: `departures[${index}]`,
    };
  });
}

/** The ids of the record items a FHIRPath location passes through, e.g. `plans[0].copies[2].date` → [plan id, copy id]. */
export function idsAlong(record: CtpRecord, location: string): string[] {
  const ids: string[] = [];
  let node: unknown = record;
  for (const [, name, index] of location.matchAll(/([A-Za-z0-9]+)(?:\[(\d+)\])?/g)) {
    node = (node as Record<string, unknown> | undefined)?.[name!];
    if (index !== undefined) node = Array.isArray(node) ? node[Number(index)] : undefined;
    const id = (node as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') ids.push(id);
    if (node === undefined) break;
  }
  return ids;
}
