/**
 * The one key that says which person a record is about, used wherever people are counted or
 * matched (de-duplication, caseloads, measures, the store): the NHS number when the record holds
 * a valid one, otherwise the source system and its record id. Two records with the same key are
 * the same person; records without a valid NHS number only match themselves (their source id).
 */
import { createHash } from 'node:crypto';
import type { CtpRecord } from './record.schema.js';
import { isValidNhsNumber } from './record.schema.js';

export type PersonKey = `nhs:${string}` | `source:${string}`;

export function personKey(record: Pick<CtpRecord, 'patient' | 'source'>): PersonKey {
  const nhs = record.patient?.nhsNumber;
  if (typeof nhs === 'string' && isValidNhsNumber(nhs)) return `nhs:${nhs}`;
  return `source:${record.source.system}/${record.source.recordId}`;
}

/**
 * Which of two records of one person is the current one: the one extracted last (compared as
 * instants, so time zones do not matter); on equal extraction times, the greater source system,
 * then the greater source record id, then the greater SHA-256 of the record's JSON. A total
 * order, so the record chosen never depends on the order records are read in.
 *
 * @returns A positive number when `a` is the current one, negative when `b` is, 0 only for records
 *   with the same content.
 */
export function compareVersions(a: CtpRecord, b: CtpRecord): number {
  return compareVersionKeys(versionKey(a), versionKey(b));
}

/** What orders a person's versions; the content hash (SHA-256 of the record's JSON) only breaks ties, so it may be given lazily. */
export interface VersionKey {
  readonly extractedAt: string;
  readonly system: string;
  readonly recordId: string;
  readonly contentHash: string | (() => string);
}

/** compareVersions on the keys alone, for versions held in a store. */
export function compareVersionKeys(a: VersionKey, b: VersionKey): number {
  const at = Date.parse(a.extractedAt) - Date.parse(b.extractedAt);
  if (at !== 0 && !Number.isNaN(at)) return at;
  return compareText(a.system, b.system) || compareText(a.recordId, b.recordId) || compareText(hashOf(a), hashOf(b));
}

function versionKey(record: CtpRecord): VersionKey {
  return { extractedAt: record.source.extractedAt, system: record.source.system, recordId: record.source.recordId, contentHash: () => contentHash(record) };
}

function hashOf(key: VersionKey): string {
  return typeof key.contentHash === 'string' ? key.contentHash : key.contentHash();
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function contentHash(record: CtpRecord): string {
  return createHash('sha256').update(JSON.stringify(record)).digest('hex');
}
