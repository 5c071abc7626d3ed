/**
 * Risk assessment (English trust policies: LPT Clinical Risk Assessment Policy §5.3, §5.10, §11;
 * SOP §6.11; ELFT §11): how often it is reviewed, weekly in hospital, after the events that
 * call for a review and before leaving CPA, the form a new person's first assessment is made on,
 * and incidents reported on the trust's system.
 */
import { z } from 'zod';
import {
  incidentKinds,
  incidentKindVocabulary,
  incidentReportingSystems,
  incidentReportingSystemVocabulary,
  riskAssessmentTools,
  riskAssessmentToolVocabulary,
} from '../../record/english-vocabulary.js';
import type { CtpRecord } from '../../record/record.schema.js';
import { datePart, dayNumberOfIsoDate, type IsoDate } from '../../time/dates.js';
import { type Duration, formatDuration } from '../../time/duration.js';
import { type Episode, perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import type { RecordPart } from '../record-parts.js';
import { defineTemplate, type Emit } from '../template.js';
import { at, dueDateAfter, judgeDeadline, laterThanLimit } from './common.js';

type RiskAssessment = NonNullable<CtpRecord['riskAssessments']>[number];
interface DatedAssessment {
  readonly ra: RiskAssessment;
  readonly on: IsoDate;
  /** `on` as a day number: the gaps between assessments are judged without writing due dates. */
  readonly day: number;
  /** Its position in the list of risk assessments, for its location (as at.item gives it, without a look-up). */
  readonly index: number;
}

/** Risk assessments with a known date on or before the evaluation date, by date; worked out once per person, as several rules read them. */
const datedAssessments = perPerson((f): readonly DatedAssessment[] => {
  const dated: DatedAssessment[] = [];
  const all = f.record.riskAssessments ?? [];
  for (let index = 0; index < all.length; index++) {
    const ra = all[index]!;
    if (ra.date === undefined) continue;
    // The date part, when it is a calendar date (as datePart): only such text has a day number.
    const on = ra.date.slice(0, 10);
    const day = dayNumberOfIsoDate(on);
    if (!Number.isNaN(day) && on <= f.asOf) dated.push({ ra, on, day, index });
  }
  // Day numbers of calendar dates order them as their text does.
  return dated.sort((a, b) => a.day - b.day);
});

/**
 * Walks the gaps from `from` through each assessment to `to`: each assessment later than the
 * limit after the one before fails at its location, and so does a gap still open at `to` once
 * the limit has run out. Passes once when no gap was too long.
 */
function judgeGaps(
  f: RecordFacts,
  emit: Emit,
  c: { from: IsoDate; to: IsoDate; open: boolean; dates: readonly DatedAssessment[]; first: Duration; every: Duration; what: string; location: string },
): void {
  let previous = c.from;
  let previousDay = dayNumberOfIsoDate(c.from);
  let limit = c.first;
  let failures = 0;
  // An assessment not skipped is on or after `from` (the first sets `previous`, the rest are later), and one skipped is before it.
  let anyFromStart = false;
  for (const { on, day, index } of c.dates) {
    if (on < previous) continue;
    anyFromStart = true;
    if (laterThanLimit(f, on, day, previous, previousDay, limit)) {
      failures += 1;
      emit.fail(`This risk assessment came more than ${formatDuration(limit)} after ${previous === c.from ? c.what : 'the previous one'}.`, `riskAssessments[${index}]`, {
        due: dueDateAfter(f, previous, previousDay, limit),
      });
    }
    previous = on;
    previousDay = day;
    limit = c.every;
  }
  if (laterThanLimit(f, c.to, dayNumberOfIsoDate(c.to), previous, previousDay, limit)) {
    failures += 1;
    const since = previous === c.from ? c.what : 'the last one';
    emit.fail(`No risk assessment for more than ${formatDuration(limit)} since ${since}${c.open ? '' : ', up to the end'}.`, c.location, {
      due: dueDateAfter(f, previous, previousDay, limit),
    });
  }
  if (failures === 0) {
    if (anyFromStart) emit.pass(`Risk assessed at least every ${formatDuration(c.every)}.`, c.location);
    else emit.notApplicable(`Not yet due: ${formatDuration(c.first)} from ${c.what} have not passed.`, c.location);
  }
}

/** Where the undated risk assessments of an episode (linked to it or to none) lack their date. */
export function undatedRiskAssessments(f: RecordFacts, episode: Episode): string[] {
  return (f.record.riskAssessments ?? [])
    .filter((ra) => ra.date === undefined && (ra.episode === undefined || ra.episode === episode.id))
    .map((ra) => `${at.item(f, 'riskAssessments', ra)}.date`);
}

/** Whether an assessment is of an episode: linked to it, or unlinked and dated while it was open (up to `until`). */
function isOf(episode: Episode, { ra, on }: DatedAssessment, until: IsoDate): boolean {
  return ra.episode === episode.id || (ra.episode === undefined && on >= (episode.acceptedOn ?? '') && on <= until);
}

/**
 * The longest a person in receipt of services may go without a risk assessment: `first` from
 * acceptance, then `every` between assessments, up to discharge or the evaluation date. An
 * assessment made before acceptance (at referral) counts as the first.
 */
export const riskAssessmentInterval = defineTemplate({
  name: 'risk-assessment-interval',
  params: z.object({ every: durationParam, first: durationParam, applies: z.boolean().default(true) }).strict(),
  tightening: { every: 'lower', first: 'lower' },
  evaluate(f, params, emit) {
    const dated = datedAssessments(f);
    for (const episode of f.record.episodes ?? []) {
      const { every, first, applies } = params(episode);
      if (!applies) continue;
      const location = at.item(f, 'episodes', episode);
      if (episode.acceptedOn === undefined || episode.acceptedOn > f.asOf) {
        if (episode.acceptedOn === undefined) emit.cannotEvaluate([`${location}.acceptedOn`], 'The date the person was accepted into services is not recorded.', location);
        continue;
      }
      const left = episode.discharge?.kind === 'full' && episode.discharge.date <= f.asOf ? episode.discharge.date : undefined;
      const to = left ?? f.asOf;
      let madeBefore = false;
      const during: DatedAssessment[] = [];
      for (const a of dated) {
        if (!isOf(episode, a, to)) continue;
        if (a.on < episode.acceptedOn) madeBefore = true;
        else during.push(a);
      }
      judgeGaps(f, emit, {
        from: episode.acceptedOn,
        to,
        open: left === undefined,
        dates: during,
        first: madeBefore ? every : first,
        every,
        what: 'acceptance into services',
        location,
      });
    }
  },
});

/**
 * A new person's first risk assessment is made on one of the forms or tools the policy names
 * (LPT Clinical Risk Assessment Policy §4.11). Judged on the coded tool; whether an assessment
 * was made at all is the interval rule's to judge.
 */
export const firstRiskAssessmentTool = defineTemplate({
  name: 'first-risk-assessment-tool',
  params: z.object({ tools: z.array(z.enum(riskAssessmentTools)).min(1) }).strict(),
  silentWithout: () => ['riskAssessments'],
  evaluate(f, params, emit) {
    const dated = datedAssessments(f);
    for (const episode of f.record.episodes ?? []) {
      const { tools } = params(episode);
      const left = episode.discharge?.kind === 'full' && episode.discharge.date <= f.asOf ? episode.discharge.date : f.asOf;
      const first = dated.find((a) => isOf(episode, a, left));
      if (first === undefined) continue;
      const location = at.item(f, 'riskAssessments', first.ra);
      const tool = first.ra.tool;
      if (tool === undefined) emit.cannotEvaluate([`${location}.tool`], 'The form or tool of the first risk assessment is not coded.', location);
      else if (tools.includes(tool))
        emit.pass(`The first risk assessment was made on a form the policy names (${riskAssessmentToolVocabulary[tool].display}).`, `${location}.tool`);
      else emit.fail('The first risk assessment was not made on the form the policy names, nor on a specialist tool.', `${location}.tool`);
    }
  },
});

/**
 * A risk assessment shortly before the person leaves the Care Programme Approach (ELFT §20.1:
 * "prior to discharge from CPA"): one made no more than `within` before the end of a CPA period,
 * on that day at the latest. An undated assessment of the episode might be it.
 */
export const riskAssessedBeforeLeavingCpa = defineTemplate({
  name: 'risk-assessed-before-leaving-cpa',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  silentWithout: () => ['episodes.cpaPeriods'],
  evaluate(f, params, emit) {
    if (!(f.record.episodes ?? []).some((e) => e.cpaPeriods !== undefined)) return;
    const dated = datedAssessments(f);
    for (const episode of f.record.episodes ?? []) {
      const { within } = params(episode);
      (episode.cpaPeriods ?? []).forEach((period, i) => {
        const end = period.end;
        if (end === undefined || end > f.asOf) return;
        const location = `${at.item(f, 'episodes', episode)}.cpaPeriods[${i}]`;
        if (assessedWithinBefore(f, dated, episode, end, within)) {
          emit.pass(`Risk was assessed within ${formatDuration(within)} before the person left CPA.`, location);
          return;
        }
        const undated = undatedRiskAssessments(f, episode);
        if (undated.length > 0) {
          emit.cannotEvaluate(undated, 'A risk assessment of this episode has no date, so whether it came before the person left CPA cannot be told.', location);
          return;
        }
        emit.fail(`No risk assessment in the ${formatDuration(within)} before the person left CPA.`, location, { due: end });
      });
    }
  },
});

/** Whether an assessment of the episode came no more than `within` before `end` (its due date on or after `end`). */
function assessedWithinBefore(f: RecordFacts, dated: readonly DatedAssessment[], episode: Episode, end: IsoDate, within: Duration): boolean {
  const endDay = dayNumberOfIsoDate(end);
  for (const a of dated) if (isOf(episode, a, end) && !laterThanLimit(f, end, endDay, a.on, a.day, within)) return true;
  return false;
}

/** In hospital, risk reviewed every week (LPT Clinical Risk Assessment Policy §5.10). */
export const riskReviewedInHospital = defineTemplate({
  name: 'risk-reviewed-in-hospital',
  params: z.object({ every: durationParam }).strict(),
  tightening: { every: 'lower' },
  silentWithout: () => ['episodes.inpatientStays'],
  evaluate(f, params, emit) {
    const dated = datedAssessments(f);
    for (const episode of f.record.episodes ?? []) {
      const { every } = params(episode);
      for (const stay of episode.inpatientStays ?? []) {
        const location = `${at.item(f, 'episodes', episode)}.inpatientStays[${f.indexOf(stay)}]`;
        if (stay.admittedOn === undefined) {
          emit.cannotEvaluate([`${location}.admittedOn`], 'The stay is known only by its discharge, so the weeks in hospital cannot be counted.', location);
          continue;
        }
        if (stay.admittedOn > f.asOf) continue;
        // A stay with no discharge date ends, at the latest, with its episode.
        const episodeLeft = episode.discharge?.kind === 'full' && episode.discharge.date <= f.asOf ? episode.discharge.date : f.asOf;
        const to = stay.dischargedOn !== undefined && stay.dischargedOn <= episodeLeft ? stay.dischargedOn : episodeLeft;
        const inStay = dated.filter((a) => a.on >= stay.admittedOn! && a.on <= to && isOf(episode, a, to));
        judgeGaps(f, emit, { from: stay.admittedOn, to, open: to === f.asOf, dates: inStay, first: every, every, what: 'admission', location });
      }
    }
  },
});

const riskEvents = ['incident', 'change-of-coordinator', 'admission', 'hospital-discharge'] as const;

/** The parts holding each event that calls for a review (coordinator appointments are not a part of the vocabulary). */
const eventParts = {
  incident: ['incidents'],
  'change-of-coordinator': [],
  admission: ['episodes.inpatientStays'],
  'hospital-discharge': ['episodes.inpatientStays'],
} as const satisfies Record<(typeof riskEvents)[number], readonly RecordPart[]>;

interface RiskEvent {
  readonly on: IsoDate;
  readonly location: string;
  readonly what: string;
  readonly episode: Episode | undefined;
  readonly incident?: string;
}

/** The events that call for a risk review, each with the moment it happened and where it is. */
function eventsOf(f: RecordFacts, event: (typeof riskEvents)[number], kinds: readonly string[] | undefined): RiskEvent[] {
  switch (event) {
    case 'incident':
      return incidentEvents(f, kinds);
    case 'change-of-coordinator':
      return coordinatorChanges(f);
    default:
      return stayEvents(f, event);
  }
}

function incidentEvents(f: RecordFacts, kinds: readonly string[] | undefined): RiskEvent[] {
  const events: RiskEvent[] = [];
  for (const x of f.record.incidents ?? []) {
    const on = x.date === undefined ? undefined : datePart(x.date);
    if (on === undefined || (kinds !== undefined && !kinds.includes(x.kind))) continue;
    events.push({ on, location: at.item(f, 'incidents', x), what: 'the incident', incident: x.id, episode: x.episode ? f.episode(x.episode) : undefined });
  }
  return events;
}

type CoordinatorAppointment = NonNullable<CtpRecord['coordinatorAppointments']>[number];

const noAppointments: readonly CoordinatorAppointment[] = Object.freeze([]);

/**
 * The usual (not temporary) coordinator appointments with a start, by start; worked out once per
 * person, as the rules about changes of coordinator read them. Empty with fewer than two, when
 * there is no change.
 */
export function usualAppointmentsByStart(f: RecordFacts): readonly CoordinatorAppointment[] {
  // Most people have had one coordinator: no list to keep.
  return (f.record.coordinatorAppointments?.length ?? 0) < 2 ? noAppointments : usualByStart(f);
}

const usualByStart = perPerson((f): readonly CoordinatorAppointment[] => {
  const usual = (f.record.coordinatorAppointments ?? []).filter((a) => !a.temporary && a.start !== undefined);
  return usual.length < 2 ? noAppointments : usual.sort((a, b) => (a.start! < b.start! ? -1 : 1));
});

/** A new usual coordinator appointed after one whose appointment ended while the person was still in receipt of services. */
function coordinatorChanges(f: RecordFacts): RiskEvent[] {
  const usual = usualAppointmentsByStart(f);
  if (usual.length < 2) return [];
  const events: RiskEvent[] = [];
  for (let i = 1; i < usual.length; i++) {
    const previous = usual[i - 1]!;
    const next = usual[i]!;
    if (previous.end === undefined || previous.endReason === 'discharge' || f.episodesActiveOn(previous.end).length === 0) continue;
    events.push({ on: next.start!, location: at.item(f, 'coordinatorAppointments', next), what: 'the new coordinator was appointed', episode: f.episode(next.episode) });
  }
  return events;
}

function stayEvents(f: RecordFacts, event: 'admission' | 'hospital-discharge'): RiskEvent[] {
  const events: RiskEvent[] = [];
  const what = event === 'admission' ? 'admission' : 'discharge from hospital';
  for (const episode of f.record.episodes ?? []) {
    for (const stay of episode.inpatientStays ?? []) {
      const on = event === 'admission' ? stay.admittedOn : stay.dischargeType === 'transfer' ? undefined : stay.dischargedOn;
      if (on === undefined) continue;
      events.push({ on, location: `${at.item(f, 'episodes', episode)}.inpatientStays[${f.indexOf(stay)}]`, what, episode });
    }
  }
  return events;
}

/** The date of the first assessment on or after `date` that may be the review of the event (one made for another incident is not). */
function reviewedOn(dated: readonly DatedAssessment[], date: IsoDate, incident: string | undefined): IsoDate | undefined {
  for (const { ra, on } of dated) if (on >= date && (incident === undefined || ra.incident === undefined || ra.incident === incident)) return on;
  return undefined;
}

/** A risk review after an event that calls for one (LPT Clinical Risk Assessment Policy §5.3, §11; ELFT §11). */
export const riskReviewAfter = defineTemplate({
  name: 'risk-review-after',
  params: z.object({ event: z.enum(riskEvents), within: durationParam, kinds: z.array(z.enum(incidentKinds)).min(1).optional() }).strict(),
  tightening: { within: 'lower' },
  silentWithout: (p) => eventParts[p.event],
  evaluate(f, params, emit) {
    const { event, kinds } = params();
    const events = eventsOf(f, event, kinds);
    if (events.length === 0) return;
    const dated = datedAssessments(f);
    for (const e of events) {
      if (e.on > f.asOf) continue;
      const { within } = params(e.episode);
      judgeDeadline(f, emit, {
        anchor: e.on,
        done: reviewedOn(dated, e.on, e.incident),
        limit: within,
        what: 'The risk assessment was reviewed',
        notDone: 'No risk review is recorded',
        since: e.what,
        location: e.location,
      });
    }
  },
});

/** Incidents of some kinds are reported on the trust's incident system (LPT SOP §6.31, RAP §13.5; ELFT §11 "Datix"). */
export const incidentReported = defineTemplate({
  name: 'incident-reported',
  params: z.object({ kinds: z.array(z.enum(incidentKinds)).min(1).optional(), systems: z.array(z.enum(incidentReportingSystems)).min(1).optional() }).strict(),
  silentWithout: () => ['incidents'],
  evaluate(f, params, emit) {
    const { kinds, systems } = params();
    for (const incident of f.record.incidents ?? []) {
      if (kinds !== undefined && !kinds.includes(incident.kind)) continue;
      const location = at.item(f, 'incidents', incident);
      const reported = incident.reportedOn;
      if (reported === undefined) emit.fail(`The ${incident.kind} incident is not recorded as reported on an incident system.`, `${location}.reportedOn`);
      else if (systems !== undefined && !systems.includes(reported.system) && reported.system !== 'other')
        emit.fail(
          `The ${incidentKindName(incident.kind)} incident was reported on ${reportingSystemName(reported.system)}, not on ${systems.map(reportingSystemName).join(' or ')}.`,
          `${location}.reportedOn.system`,
        );
      else if (systems !== undefined && reported.system === 'other')
        emit.cannotEvaluate(
          [`${location}.reportedOn.system`],
          'The incident was reported on a system pont has no code for, so whether it was the one the policy names cannot be told.',
          location,
        );
      else emit.pass(`The ${incidentKindName(incident.kind)} incident was reported on ${reportingSystemName(reported.system)}.`, location);
    }
  },
});

export const riskTemplates = [riskAssessmentInterval, firstRiskAssessmentTool, riskAssessedBeforeLeavingCpa, riskReviewedInHospital, riskReviewAfter, incidentReported];

/** An incident's kind in words (lower case), for messages. */
function incidentKindName(kind: string): string {
  return ((incidentKindVocabulary as Readonly<Record<string, { display: string }>>)[kind]?.display ?? kind).toLowerCase();
}

/** A reporting system's name, for messages. */
function reportingSystemName(system: string): string {
  return (incidentReportingSystemVocabulary as Readonly<Record<string, { display: string }>>)[system]?.display ?? system;
}
