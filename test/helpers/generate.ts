/**
 * Synthetic records for benchmarks: the bundled example scenarios, each copied with a fresh
 * record id, NHS number (in the 999 test range, valid check digit) and name, so every record is
 * distinct but as rich as a real CTP; each has a decision on sharing with its GP practice (the
 * template's own decisions where it has some).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ROOT } from './runtime.js';

const GIVEN = ['Alys', 'Bethan', 'Carys', 'Dafydd', 'Eifion', 'Ffion', 'Gethin', 'Heledd', 'Iolo', 'Jac', 'Lowri', 'Macsen'];
const FAMILY = ['Pritchard', 'Rowlands', 'Meredith', 'Gruffudd', 'Tudor', 'Vaughan', 'Powell', 'Prosser'];

export function templates(): CtpRecord[] {
  const dir = join(ROOT, 'examples/ctp');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CtpRecord);
}

/**
 * A valid NHS number in the 999 test range, distinct for each sequence number below 500,000.
 * Sequence n tries body 2n, then 2n + 1: the two differ by 2 in the weighted sum, so at most one
 * of them has the impossible check digit 10.
 */
export function testNhsNumber(seq: number): string {
  if (!Number.isInteger(seq) || seq < 0 || seq >= 500_000) throw new RangeError('testNhsNumber takes 0 ≤ seq < 500,000');
  for (const n of [2 * seq, 2 * seq + 1]) {
    const body = `999${String(n).padStart(6, '0')}`;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(body[i]) * (10 - i);
    const check = 11 - (sum % 11);
    if (check !== 10) return body + String(check === 11 ? 0 : check);
  }
  throw new Error('unreachable: one of two consecutive bodies has a valid check digit');
}

export function generateRecords(count: number): CtpRecord[] {
  const bases = templates();
  const out: CtpRecord[] = [];
  for (let i = 0; i < count; i++) {
    const record = structuredClone(bases[i % bases.length]!);
    record.source = { ...record.source, recordId: `bench-${i}` };
    if (record.patient) {
      record.patient.nhsNumber = testNhsNumber(i);
      record.patient.names = [{ given: [GIVEN[i % GIVEN.length]!], family: FAMILY[(i >> 3) % FAMILY.length]! }];
      record.patient.sharingDecisions ??= gpDecision(record, i);
    }
    out.push(record);
  }
  return out;
}

/** A decision on sharing with the record's GP practice, for a template that has none: one person in five declined. */
function gpDecision(record: CtpRecord, i: number): NonNullable<CtpRecord['patient']>['sharingDecisions'] {
  const odsCode = record.organisations?.find((o) => o.id === record.patient?.registeredGpPractice)?.odsCode;
  if (odsCode === undefined) return undefined;
  return [{ recipient: { kind: 'gp-practice', odsCode }, decision: i % 5 === 0 ? 'declined' : 'agreed', recordedOn: record.source.extractedAt.slice(0, 10) }];
}
