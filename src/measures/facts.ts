/**
 * One person's record reduced, once, to the dated facts the measures read: episodes with their
 * coordinator appointments and plans, plan versions in the order they were made, reviews held
 * per plan, Part 3 requests. Every measure and every month reuse them, so a record is read once
 * however many months are reported.
 */
import type { Copy, Part3Request } from '../record/integrity.js';
import type { CtpRecord, PlanVersion } from '../record/record.schema.js';
import type { IsoDate } from '../time/dates.js';

export interface PersonFacts {
  /** NHS number when recorded: the only identifier reports carry. */
  readonly nhsNumber?: string;
  readonly source: { readonly system: string; readonly recordId: string };
  readonly dateOfBirth?: IsoDate;
  readonly localAuthority?: string;
  readonly episodes: readonly EpisodeFacts[];
  /** Every plan version made (a date made, not a draft), by date made then version. */
  readonly versions: readonly VersionFacts[];
  /** Dates reviews were held, per planId, ascending. */
  readonly reviewsHeld: ReadonlyMap<string, readonly IsoDate[]>;
  readonly reviewHeldOn: ReadonlyMap<string, IsoDate>;
  readonly part3Requests: readonly Part3Request[];
}

export interface EpisodeFacts {
  readonly id: string;
  readonly acceptedOn?: IsoDate;
  /** The date of a full discharge from secondary services. */
  readonly dischargedOn?: IsoDate;
  /** Finished with no discharge date: when it ended is unknown. */
  readonly endedUndated: boolean;
  /** Start dates of coordinator appointments for this episode, ascending. */
  readonly appointmentStarts: readonly IsoDate[];
  /** Plan versions made for this episode, by date made. */
  readonly versions: readonly VersionFacts[];
}

export interface VersionFacts {
  readonly id: string;
  readonly planId: string;
  readonly version: number;
  readonly status: PlanVersion['status'];
  readonly changeType?: PlanVersion['changeType'];
  readonly madeOn: IsoDate;
  readonly reviewBy?: IsoDate;
  readonly completedOn?: IsoDate;
  readonly review?: string;
  readonly episode?: string;
  readonly copies: readonly Copy[];
  /** The date the next version of the same plan was made, if any. */
  readonly supersededOn?: IsoDate;
}

const byDate = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function personFacts(record: CtpRecord): PersonFacts {
  const patient = record.patient;
  const versions = madeVersions(record.plans ?? []);
  const episodes = (record.episodes ?? [])
    .map((e) => {
      const dischargedOn = e.discharge?.kind === 'full' ? e.discharge.date : undefined;
      const within = (date: IsoDate) => e.acceptedOn !== undefined && date >= e.acceptedOn && (dischargedOn === undefined || date <= dischargedOn);
      const appointmentStarts = (record.coordinatorAppointments ?? [])
        .filter((a) => a.start !== undefined && (a.episode === e.id || (a.episode === undefined && within(a.start))))
        .map((a) => a.start!)
        .sort(byDate);
      return {
        id: e.id,
        acceptedOn: e.acceptedOn,
        dischargedOn,
        endedUndated: e.status === 'finished' && e.discharge === undefined,
        appointmentStarts,
        versions: versions.filter((v) => v.episode === e.id || (v.episode === undefined && within(v.madeOn))),
      };
    })
    .sort((a, b) => byDate(a.acceptedOn ?? '', b.acceptedOn ?? ''));

  const reviewsHeld = new Map<string, IsoDate[]>();
  const reviewHeldOn = new Map<string, IsoDate>();
  for (const r of record.reviews ?? []) {
    if (r.heldOn === undefined) continue;
    reviewHeldOn.set(r.id, r.heldOn);
    const list = reviewsHeld.get(r.plan) ?? [];
    list.push(r.heldOn);
    reviewsHeld.set(r.plan, list);
  }
  for (const list of reviewsHeld.values()) list.sort(byDate);

  return {
    nhsNumber: typeof patient?.nhsNumber === 'string' ? patient.nhsNumber : undefined,
    source: { system: record.source.system, recordId: record.source.recordId },
    dateOfBirth: typeof patient?.dateOfBirth === 'string' ? patient.dateOfBirth : undefined,
    localAuthority: patient?.localAuthorityOfResidence,
    episodes,
    versions,
    reviewsHeld,
    reviewHeldOn,
    part3Requests: record.part3Requests ?? [],
  };
}

function madeVersions(plans: readonly PlanVersion[]): VersionFacts[] {
  const made = plans.filter((p) => p.madeOn !== undefined && p.status !== 'draft');
  const sorted = [...made].sort((a, b) => byDate(a.madeOn!, b.madeOn!) || a.version - b.version);
  return sorted.map((p) => {
    const next = sorted.find((q) => q.planId === p.planId && q.version > p.version);
    return {
      id: p.id,
      planId: p.planId,
      version: p.version,
      status: p.status,
      changeType: p.changeType,
      madeOn: p.madeOn!,
      reviewBy: typeof p.reviewBy === 'string' ? p.reviewBy : undefined,
      completedOn: p.completedOn,
      review: p.review,
      episode: p.episode,
      copies: p.copies ?? [],
      supersededOn: next?.madeOn,
    };
  });
}
