/**
 * The facts about one record version that decide who may receive it: the person's registered GP
 * practice, the Welsh health board of residence, and the health boards whose services the person
 * is under now. Derived once per record version, from the record and the reference data passed
 * in; what cannot be resolved is stated as such, never guessed.
 */
import type { HealthBoardDirectory } from '../../measures/health-boards.js';
import type { CtpRecord } from '../../record/record.schema.js';
import type { IsoDate } from '../../time/dates.js';

/** The reference data routing reads: health boards and the local authorities they serve. */
export interface RoutingReference {
  readonly healthBoards: HealthBoardDirectory;
}

export type GpPracticeFact =
  | { readonly status: 'known'; readonly odsCode: string }
  /** The record names no registered practice. */
  | { readonly status: 'absent' }
  | { readonly status: 'unresolved'; readonly reason: 'no-such-organisation' | 'no-ods-code' | 'not-a-gp-practice' };

export type ResidenceFact =
  | { readonly status: 'known'; readonly healthBoard: string }
  /** The record names no local authority of residence. */
  | { readonly status: 'absent' }
  /** An English local authority: no Welsh health board serves its residents. */
  | { readonly status: 'outside-wales' }
  /** A Welsh local authority code that no health board served on the record's date. */
  | { readonly status: 'unresolved'; readonly reason: 'unknown-local-authority' };

export interface Recipients {
  /** The date the facts hold on: the day the source extracted the record. */
  readonly on: IsoDate;
  readonly gpPractice: GpPracticeFact;
  readonly residence: ResidenceFact;
  /** ODS codes of the health boards providing the person's current services, in code order. */
  readonly careHealthBoards: readonly string[];
  /** Local ids of organisations providing current services that may be a health board's but have no ODS code, or are missing from the record. */
  readonly unresolvedCareOrganisations: readonly string[];
}

/** ODS codes are upper-case; sources differ in case and surrounding spaces, never in meaning. */
export const normaliseOdsCode = (code: string): string => code.trim().toUpperCase();

/** Kinds of organisation that may be a health board or one of its sites (a local authority, a practice or a voluntary body is none). */
const MAYBE_A_BOARD = new Set<string | undefined>([undefined, 'local-health-board', 'hospital', 'other']);
/** Open plan statuses: a plan with one of these is the plan in force (or being made) for the person. */
const OPEN_PLAN = new Set(['draft', 'active']);
/** Part 3 requests still being dealt with. */
const OPEN_PART3 = new Set(['received', 'assessing']);

export function recipientsOf(record: CtpRecord, reference: RoutingReference): Recipients {
  // A record version states what its source held when it was extracted, so that is the date its facts hold on.
  // The schema holds extractedAt to an ISO instant, so its first ten characters are the source's own date.
  const on: IsoDate = record.source.extractedAt.slice(0, 10);
  const organisations = new Map((record.organisations ?? []).map((o) => [o.id, o]));
  const boards = new Set(reference.healthBoards.healthBoardsOn(on).map((b) => b.code));

  const careIds = currentCareOrganisations(record, on);
  const careHealthBoards = new Set<string>();
  const unresolved: string[] = [];
  for (const id of careIds) {
    const organisation = organisations.get(id);
    if (organisation?.odsCode === undefined) {
      if (organisation === undefined || MAYBE_A_BOARD.has(organisation.kind)) unresolved.push(id);
      continue;
    }
    const board = healthBoardOfOrganisation(normaliseOdsCode(organisation.odsCode), boards);
    if (board !== undefined) careHealthBoards.add(board);
  }
  return {
    on,
    gpPractice: gpPracticeOf(record, organisations),
    residence: residenceOf(record.patient?.localAuthorityOfResidence, on, reference.healthBoards),
    careHealthBoards: [...careHealthBoards].sort(),
    unresolvedCareOrganisations: unresolved.sort(),
  };
}

/**
 * The board an organisation belongs to, by its ODS code: the board's own code (7A4), or one of the
 * board's sites. ODS gives each site of a Welsh health board (hospital, clinic, team base) a
 * five-character code made of the board's three-character code and two more (7A4BV is a site of
 * 7A4); the reference data lists the boards' codes, so a site is recognised by that prefix and
 * length. Any other code (a GP practice W…, a local authority, a voluntary body) is no board's.
 */
export function healthBoardOfOrganisation(odsCode: string, boards: ReadonlySet<string>): string | undefined {
  const board = odsCode.slice(0, 3);
  if (!boards.has(board)) return undefined;
  return odsCode.length === 3 || (odsCode.length === 5 && /^[A-Z0-9]{2}$/.test(odsCode.slice(3))) ? board : undefined;
}

type Organisation = NonNullable<CtpRecord['organisations']>[number];

function gpPracticeOf(record: CtpRecord, organisations: ReadonlyMap<string, Organisation>): GpPracticeFact {
  const id = record.patient?.registeredGpPractice;
  if (id === undefined) return { status: 'absent' };
  const practice = organisations.get(id);
  if (practice === undefined) return { status: 'unresolved', reason: 'no-such-organisation' };
  if (practice.kind !== undefined && practice.kind !== 'gp-practice') return { status: 'unresolved', reason: 'not-a-gp-practice' };
  if (practice.odsCode === undefined) return { status: 'unresolved', reason: 'no-ods-code' };
  return { status: 'known', odsCode: normaliseOdsCode(practice.odsCode) };
}

function residenceOf(onsCode: string | undefined, on: IsoDate, directory: HealthBoardDirectory): ResidenceFact {
  if (onsCode === undefined) return { status: 'absent' };
  if (!onsCode.startsWith('W')) return { status: 'outside-wales' };
  const board = directory.residentHealthBoard(onsCode, on);
  return board === undefined ? { status: 'unresolved', reason: 'unknown-local-authority' } : { status: 'known', healthBoard: board.code };
}

/**
 * Local ids of the organisations providing the person's services now. "Under its care" is read in
 * the present tense: a board that cared for the person in a finished episode, or through an ended
 * coordinator appointment or a superseded plan, no longer receives their new versions (minimum
 * necessary). Counted: the responsible bodies, current inpatient hospitals and the body that took over
 * in the latest transfer of active episodes; the appointing body, employer and delegating body of coordinator
 * appointments not ended by the record's date; the responsible providers of the latest version of
 * each open plan; the partner of an open Part 3 request.
 */
function currentCareOrganisations(record: CtpRecord, on: IsoDate): Set<string> {
  const ids = new Set<string>();
  const add = (id: string | undefined) => {
    if (id !== undefined) ids.add(id);
  };
  for (const episode of record.episodes ?? []) {
    if (episode.status !== 'active') continue;
    for (const id of episode.responsibleBodies ?? []) add(id);
    for (const stay of episode.inpatientStays ?? []) if (stay.dischargedOn === undefined) add(stay.hospital);
    const lastTransfer = (episode.transfers ?? []).reduce<NonNullable<typeof episode.transfers>[number] | undefined>(
      (last, t) => (last === undefined || t.date >= last.date ? t : last),
      undefined,
    );
    add(lastTransfer?.to);
  }
  for (const appointment of record.coordinatorAppointments ?? []) {
    if (appointment.end !== undefined && appointment.end < on) continue;
    add(appointment.appointingBody);
    add(appointment.employer);
    add(appointment.delegatedBy);
  }
  const latest = new Map<string, NonNullable<CtpRecord['plans']>[number]>();
  for (const plan of record.plans ?? []) {
    const seen = latest.get(plan.planId);
    if (seen === undefined || plan.version > seen.version) latest.set(plan.planId, plan);
  }
  for (const plan of latest.values()) if (OPEN_PLAN.has(plan.status)) for (const id of plan.responsibleProviders ?? []) add(id);
  for (const request of record.part3Requests ?? []) if (OPEN_PART3.has(request.status)) add(request.assessment?.partner);
  return ids;
}
