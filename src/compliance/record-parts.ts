/**
 * Parts of a record a rule template may say it is silent without (RuleTemplate.silentWithout): a
 * list of the record, a field that some episode holds, encounters at a clinic, or meetings of a
 * kind. A compiled rule whose record lacks one of its parts is not run: the engine records that
 * nothing in the record is for it, as it does when a template runs and says nothing.
 */
import { EngineError } from '../errors/errors.js';
import type { CtpRecord } from '../record/record.schema.js';

type Lists = { [K in keyof CtpRecord]-?: NonNullable<CtpRecord[K]> extends readonly unknown[] ? K : never }[keyof CtpRecord];
type Episode = NonNullable<CtpRecord['episodes']>[number];
type Encounter = NonNullable<CtpRecord['encounters']>[number];

/** Lists of the record that a part can name: held when the list has an item. */
const lists = [
  'relatedPeople',
  'diagnoses',
  'reviews',
  'part3Requests',
  'assessments',
  'riskAssessments',
  'incidents',
  'flags',
  'contactRequests',
  'medications',
  'physicalHealthChecks',
  'outcomeMeasures',
  'waitingListEntries',
  'otherPlans',
  'letters',
] as const satisfies readonly Lists[];

/** Fields of an episode that a part can name: held when some episode has the field (a list with an item). */
const episodeFields = ['discharge', 'inpatientStays', 'dischargeChecklists', 'informationPack', 'cpaPeriods'] as const satisfies readonly (keyof Episode)[];

/** Encounters that a part can name: held when some encounter is at a clinic, or is a meeting of the kind. */
const meetingKinds = ['mdt-meeting', 'case-conference'] as const satisfies readonly NonNullable<Encounter['kind']>[];

export const recordParts = [
  ...lists,
  ...episodeFields.map((field) => `episodes.${field}` as const),
  'encounters.clinic',
  ...meetingKinds.map((kind) => `encounters.kind=${kind}` as const),
] as const;
export type RecordPart = (typeof recordParts)[number];

/** The part for meetings of a kind, when the kind has one. */
export function meetingPart(kind: string): RecordPart | undefined {
  return (meetingKinds as readonly string[]).includes(kind) ? (`encounters.kind=${kind}` as RecordPart) : undefined;
}

// A bit each, in one 32-bit number.
if (recordParts.length > 31) throw new EngineError('ENGINE_FAULT', 'compliance', `record-parts: ${recordParts.length} parts do not fit the 31 bits of a mask`);
const bitOf = new Map<RecordPart, number>(recordParts.map((part, i) => [part, 1 << i]));

/** The parts as one number, a bit for each. */
export function partsMask(parts: readonly RecordPart[]): number {
  let mask = 0;
  for (const part of parts) mask |= bitOf.get(part)!;
  return mask;
}

/** The parts the record holds, as partsMask gives them. */
export function heldParts(record: CtpRecord): number {
  let mask = 0;
  let bit = 1;
  for (const list of lists) {
    if ((record[list]?.length ?? 0) > 0) mask |= bit;
    bit <<= 1;
  }
  for (const field of episodeFields) {
    if (record.episodes?.some((e) => isHeld(e[field]))) mask |= bit;
    bit <<= 1;
  }
  // The clinic's bit, then one for each meeting kind in turn.
  for (const encounter of record.encounters ?? []) {
    if (encounter.clinic !== undefined) mask |= bit;
    const kind = meetingKinds.indexOf(encounter.kind as (typeof meetingKinds)[number]);
    if (kind >= 0) mask |= bit << (kind + 1);
  }
  return mask;
}

function isHeld(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}
