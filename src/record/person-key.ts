/**
 * The one key that says which person a record is about, used wherever people are counted or
 * matched (de-duplication, caseloads, measures, the store): the NHS number when the record holds
 * a valid one, otherwise the source system and its record id. Two records with the same key are
 * the same person; records without a valid NHS number only match themselves (their source id).
 */
import type { CtpRecord } from './record.schema.js';
import { isValidNhsNumber } from './record.schema.js';

export type PersonKey = `nhs:${string}` | `source:${string}`;

export function personKey(record: Pick<CtpRecord, 'patient' | 'source'>): PersonKey {
  const nhs = record.patient?.nhsNumber;
  if (typeof nhs === 'string' && isValidNhsNumber(nhs)) return `nhs:${nhs}`;
  return `source:${record.source.system}/${record.source.recordId}`;
}
