/**
 * Synthetic multi-year histories for the measures benchmark and tests: deterministic (seeded
 * PRNG), no real people (names from the lists below, NHS numbers in the 999 test range). Each
 * person lives in one of the 22 Welsh local authorities (a few have none recorded), is aged
 * 10–90 at the end of the span, and has one or two episodes with coordinator appointments
 * (including changes and temporary cover), inpatient stays, plan versions made and reviewed
 * roughly yearly (some late), copies, review requests, discharges and Part 3 requests, and
 * decisions on sharing with their GP practice and health board.
 */
import type { CtpRecord } from '../../src/record/record.schema.js';
import { addDays, addMonths, daysBetween, type IsoDate } from '../../src/time/dates.js';
import { testNhsNumber } from './generate.js';

const GIVEN = ['Alys', 'Bethan', 'Carys', 'Dafydd', 'Eifion', 'Ffion', 'Gethin', 'Heledd', 'Iolo', 'Jac', 'Lowri', 'Macsen', 'Nia', 'Owain', 'Rhian', 'Siôn'];
const FAMILY = ['Pritchard', 'Rowlands', 'Meredith', 'Gruffudd', 'Tudor', 'Vaughan', 'Powell', 'Prosser', 'Bevan', 'Howells'];
const LOCAL_AUTHORITIES = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24].map((n) => `W06${String(n).padStart(6, '0')}`);

type Plan = NonNullable<CtpRecord['plans']>[number];
type Review = NonNullable<CtpRecord['reviews']>[number];
type Episode = NonNullable<CtpRecord['episodes']>[number];
type Appointment = NonNullable<CtpRecord['coordinatorAppointments']>[number];
type Part3 = NonNullable<CtpRecord['part3Requests']>[number];

/** mulberry32: small, fast and good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HistoryOptions {
  readonly seed?: number;
  /** First day anything may happen (episodes may have been accepted up to two years earlier). */
  readonly from?: IsoDate;
  /** Last day anything happens; also the extract date. */
  readonly to?: IsoDate;
}

export function generateHistories(count: number, options: HistoryOptions = {}): CtpRecord[] {
  const random = seededRandom(options.seed ?? 20100101);
  const from = options.from ?? '2021-01-01';
  const to = options.to ?? '2025-12-31';
  return Array.from({ length: count }, (_, i) => generatePerson(i, random, from, to));
}

function generatePerson(index: number, random: () => number, from: IsoDate, to: IsoDate): CtpRecord {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const chance = (p: number) => random() < p;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const dayBetween = (a: IsoDate, b: IsoDate) => addDays(a, int(0, Math.max(0, daysBetween(a, b))));

  const la = chance(0.03) ? undefined : pick(LOCAL_AUTHORITIES);
  const dateOfBirth = dayBetween(addMonths(to, -12 * 90), addMonths(to, -12 * 10 - 1));
  const record: CtpRecord = {
    schemaVersion: '1',
    source: { system: 'pont-synthetic', recordId: `hist-${index}`, extractedAt: `${to}T23:00:00Z` },
    patient: {
      nhsNumber: testNhsNumber(index),
      names: [{ given: [pick(GIVEN)], family: pick(FAMILY) }],
      dateOfBirth: chance(0.02) ? { notRecorded: 'unknown' } : dateOfBirth,
      ...(la === undefined ? {} : { localAuthorityOfResidence: la }),
      registeredGpPractice: 'gp',
    },
    organisations: [
      { id: 'lhb', kind: 'local-health-board', name: 'Synthetic Health Board' },
      { id: 'gp', kind: 'gp-practice', name: 'Synthetic Surgery' },
      { id: 'ward', kind: 'hospital', name: 'Synthetic Hospital' },
    ],
    relatedPeople: [{ id: 'carer', name: { given: [pick(GIVEN)], family: pick(FAMILY) }, roles: ['carer'] }],
    practitioners: [1, 2, 3].map((n) => ({ id: `cc${n}`, name: { given: [pick(GIVEN)], family: pick(FAMILY) } })),
  };

  const episodes: Episode[] = [];
  const appointments: Appointment[] = [];
  const plans: Plan[] = [];
  const reviews: Review[] = [];
  const part3: Part3[] = [];

  let acceptedOn = dayBetween(addMonths(from, -24), addDays(to, -30));
  for (let e = 1; e <= 2 && acceptedOn <= to; e++) {
    const episodeId = `ep${e}`;
    const dischargedOn = chance(0.4) ? addDays(acceptedOn, int(90, 1500)) : undefined;
    const endsOn = dischargedOn !== undefined && dischargedOn <= to ? dischargedOn : to;
    const episode: Episode = { id: episodeId, status: 'active', acceptedOn, responsibleBodies: ['lhb'] };
    if (chance(0.15)) {
      const admittedOn = dayBetween(acceptedOn, endsOn);
      const stayEnds = addDays(admittedOn, int(5, 60));
      episode.inpatientStays = [
        { id: `${episodeId}-stay`, admittedOn, hospital: 'ward', ...(stayEnds <= endsOn ? { dischargedOn: stayEnds, dischargeType: 'planned' as const } : {}) },
      ];
    }

    // Coordinator: usually within 14 days, sometimes later; sometimes replaced; sometimes covered.
    const appointedOn = addDays(acceptedOn, chance(0.85) ? int(0, 14) : int(15, 40));
    if (appointedOn > endsOn) {
      episodes.push(episode);
      break;
    }
    const usual: Appointment = {
      id: `${episodeId}-cc1`,
      practitioner: 'cc1',
      profession: 'nurse-mental-health',
      appointingBody: 'lhb',
      episode: episodeId,
      start: appointedOn,
      temporary: false,
    };
    appointments.push(usual);
    if (chance(0.2) && daysBetween(appointedOn, endsOn) > 120) {
      const changedOn = dayBetween(addDays(appointedOn, 60), endsOn);
      usual.end = changedOn;
      usual.endReason = 'replaced';
      appointments.push({
        id: `${episodeId}-cc2`,
        practitioner: 'cc2',
        profession: 'social-worker',
        appointingBody: 'lhb',
        episode: episodeId,
        start: changedOn,
        temporary: false,
      });
    } else if (chance(0.15) && daysBetween(appointedOn, endsOn) > 60) {
      const coverFrom = dayBetween(addDays(appointedOn, 20), addDays(endsOn, -30));
      appointments.push({
        id: `${episodeId}-cover`,
        practitioner: 'cc3',
        episode: episodeId,
        start: coverFrom,
        end: addDays(coverFrom, int(7, 28)),
        endReason: 'usual-coordinator-resumed',
        temporary: true,
        covers: usual.id,
      });
    }

    // Plans: first within about 6 weeks of the appointment, then reviewed roughly yearly.
    const planId = `${episodeId}-plan`;
    let madeOn = addDays(appointedOn, chance(0.8) ? int(7, 42) : int(43, 90));
    let version = 1;
    let reviewId: string | undefined;
    while (madeOn <= endsOn) {
      const reviewBy = chance(0.03) ? addMonths(madeOn, 13) : addDays(addMonths(madeOn, 12), -int(0, 30));
      const completedOn = [addDays(madeOn, int(0, 3))].map((d) => (d <= endsOn ? d : madeOn))[0]!;
      if (version > 1) plans.at(-1)!.status = 'superseded';
      plans.push({
        id: `${planId}-v${version}`,
        planId,
        version,
        status: 'active',
        changeType: version === 1 ? 'initial' : 'review-revision',
        ...(reviewId === undefined ? {} : { review: reviewId }),
        episode: episodeId,
        coordinatorAppointment: usual.id,
        madeOn,
        reviewBy,
        completedOn,
        copies: copiesFor(`${planId}-v${version}`, completedOn, endsOn, int, chance),
      });
      if (chance(0.1)) {
        const receivedOn = dayBetween(madeOn, addMonths(madeOn, 10));
        if (receivedOn <= endsOn) {
          reviews.push({
            id: `${planId}-req${version}`,
            plan: planId,
            planVersion: version,
            trigger: 'request',
            request: { receivedOn, requestedBy: 'patient', decision: 'refused-no-change', decidedOn: receivedOn },
          });
        }
      }
      const heldOn = addDays(addMonths(madeOn, 12), chance(0.85) ? -int(0, 60) : int(1, 60));
      if (heldOn > endsOn) break;
      reviewId = `${planId}-rv${version}`;
      reviews.push({ id: reviewId, plan: planId, planVersion: version, trigger: 'scheduled', dueBy: addMonths(madeOn, 12), heldOn });
      madeOn = addDays(heldOn, int(0, 20));
      version += 1;
    }

    if (dischargedOn !== undefined && dischargedOn <= to) {
      episode.status = 'finished';
      episode.discharge = { date: dischargedOn, kind: 'full', part3Explained: true };
      for (const a of appointments) if (a.episode === episodeId && a.end === undefined) Object.assign(a, { end: dischargedOn, endReason: 'discharge' });
      const last = plans.at(-1);
      if (last?.episode === episodeId && last.status === 'active') last.status = 'ended';
      if (chance(0.12)) part3.push(part3Request(`${episodeId}-p3`, dayBetween(addDays(dischargedOn, 30), addMonths(dischargedOn, 36)), to, int, chance, pick));
    }
    episodes.push(episode);
    if (dischargedOn === undefined || !chance(0.3)) break;
    acceptedOn = addDays(dischargedOn, int(60, 700));
  }

  record.episodes = episodes;
  if (appointments.length > 0) record.coordinatorAppointments = appointments;
  if (plans.length > 0) record.plans = plans;
  if (reviews.length > 0) record.reviews = reviews;
  const received = part3.filter((p) => p.receivedAt.slice(0, 10) <= to);
  if (received.length > 0) record.part3Requests = received;
  record.patient!.sharingDecisions = sharingDecisionsFor(index, episodes[0]?.acceptedOn ?? from);
  return record;
}

/**
 * Decisions on sharing with the person's GP practice and health board, fixed by the person's
 * index rather than drawn from the random stream (so the rest of each history is as before):
 * one person in seven declined their GP practice, one in eleven changed their mind a year later.
 */
function sharingDecisionsFor(index: number, recordedOn: IsoDate): NonNullable<NonNullable<CtpRecord['patient']>['sharingDecisions']> {
  const gp = { kind: 'gp-practice' as const, odsCode: `W9${String(index % 10_000).padStart(4, '0')}` };
  const decisions: NonNullable<NonNullable<CtpRecord['patient']>['sharingDecisions']> = [
    { recipient: { kind: 'health-board', odsCode: '7A1' }, decision: 'agreed', recordedOn },
    { recipient: gp, decision: index % 7 === 3 ? 'declined' : 'agreed', recordedOn },
  ];
  if (index % 11 === 5) decisions.push({ recipient: gp, decision: index % 7 === 3 ? 'agreed' : 'declined', recordedOn: addMonths(recordedOn, 12) });
  return decisions;
}

function copiesFor(id: string, completedOn: IsoDate, endsOn: IsoDate, int: (a: number, b: number) => number, chance: (p: number) => boolean): Plan['copies'] {
  const sentOn = addDays(completedOn, chance(0.85) ? int(0, 14) : int(15, 40));
  const patient = sentOn <= endsOn ? { status: 'sent' as const, date: sentOn, method: 'hand' as const } : { status: 'not-sent' as const };
  const gpOn = addDays(completedOn, int(0, 16));
  const gp = gpOn <= endsOn ? { status: 'sent' as const, date: gpOn, method: 'prepaid-post' as const } : { status: 'not-sent' as const };
  return [
    { id: `${id}-copy-patient`, recipientRole: 'patient', recipient: { kind: 'patient' }, ...patient },
    { id: `${id}-copy-gp`, recipientRole: 'gp', recipient: { kind: 'organisation', id: 'gp' }, ...gp },
    ...(chance(0.2)
      ? [{ id: `${id}-copy-carer`, recipientRole: 'carer' as const, recipient: { kind: 'related-person' as const, id: 'carer' }, status: 'declined' as const }]
      : []),
  ];
}

function part3Request(
  id: string,
  receivedOn: IsoDate,
  to: IsoDate,
  int: (a: number, b: number) => number,
  chance: (p: number) => boolean,
  pick: <T>(l: readonly T[]) => T,
): Part3 {
  const priority = pick(['emergency', 'urgent', 'routine', 'routine', 'routine'] as const);
  const startedOn = addDays(receivedOn, priority === 'emergency' ? int(0, 1) : priority === 'urgent' ? int(0, 3) : int(5, 35));
  const concludedOn = addDays(startedOn, int(0, 14));
  const providedOn = addDays(concludedOn, chance(0.85) ? int(1, 12) : int(15, 30));
  const request: Part3 = { id, receivedAt: `${receivedOn}T${String(int(8, 17)).padStart(2, '0')}:15:00Z`, requester: 'self', priority, status: 'received' };
  if (startedOn <= to) {
    request.status = concludedOn <= to ? 'completed' : 'assessing';
    request.assessment = { startedOn, ...(concludedOn <= to ? { concludedOn } : {}) };
    if (concludedOn <= to && providedOn <= to) request.report = { providedOn, method: 'prepaid-post', servicesIdentified: chance(0.6) };
  }
  return request;
}
