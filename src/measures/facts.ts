/**
 * One person's record as the measures read it: who they are (for placing items under a health
 * board and an age group) and the timeline (`src/timeline/`) that the compliance rules read
 * too, so a measure and the rule it mirrors answer every dated question the same way. Built once
 * per person however many measures and months are reported.
 */
import type { Encounter, Part3Request } from '../record/integrity.js';
import type { CtpRecord } from '../record/record.schema.js';
import type { IsoDate } from '../time/dates.js';
import { isValidPart3Request } from '../timeline/part3.js';
import { buildTimeline, type Timeline } from '../timeline/timeline.js';

export interface PersonFacts {
  /** The whole record, for measures that judge more than the timeline (the quality signals). */
  readonly record: CtpRecord;
  /** NHS number when recorded: the only identifier reports carry. */
  readonly nhsNumber?: string;
  readonly source: { readonly system: string; readonly recordId: string };
  readonly dateOfBirth?: IsoDate;
  readonly localAuthority?: string;
  readonly timeline: Timeline;
  /** Requests that are Part 3 requests under the Measure (made by the person, a donee or a deputy). */
  readonly part3Requests: readonly Part3Request[];
  readonly encounters: readonly Encounter[];
}

export function personFacts(record: CtpRecord): PersonFacts {
  const patient = record.patient;
  return {
    record,
    nhsNumber: typeof patient?.nhsNumber === 'string' ? patient.nhsNumber : undefined,
    source: { system: record.source.system, recordId: record.source.recordId },
    dateOfBirth: typeof patient?.dateOfBirth === 'string' ? patient.dateOfBirth : undefined,
    localAuthority: patient?.localAuthorityOfResidence,
    timeline: buildTimeline(record),
    part3Requests: (record.part3Requests ?? []).filter(isValidPart3Request),
    encounters: record.encounters ?? [],
  };
}
