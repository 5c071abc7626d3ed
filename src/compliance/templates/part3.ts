/** Part 3 of the Measure (Code chapter 8): former users asking for an assessment. */
import { z } from 'zod';
import { part3RequesterVocabulary } from '../../record/vocabulary.js';
import { birthdayOfAge, datePart, type IsoDate } from '../../time/dates.js';
import { dueDate, formatDuration } from '../../time/duration.js';
import { isValidPart3Request, judgeReport, judgeResponse, receivedOn, reportByOtherMeans, reportMethodUnknown, reportProvidedOn } from '../../timeline/part3.js';
import type { RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline } from './common.js';
import { joinAnd, lowerFirst } from './wording.js';

const requesterName = (code: string) =>
  code === 'self' ? 'the person themself' : lowerFirst((part3RequesterVocabulary as Readonly<Record<string, { display: string }>>)[code]?.display ?? 'someone else');

const allRequests = (f: RecordFacts) => (f.record.part3Requests ?? []).map((request) => ({ request, path: at.item(f, 'part3Requests', request) }));
/** The requests that are Part 3 requests under the Measure; only CoP-P3-02 looks at the others. */
const requests = (f: RecordFacts) => allRequests(f).filter(({ request }) => isValidPart3Request(request));

/**
 * Eligibility on the day of the request (8.18, 8.22, 8.23): 18 or over, and fully discharged in
 * the 3 years before (inclusive, catalogue E-21), counting the most recent discharge. Residence
 * and "frivolous or vexatious" are for the partners to decide; a discharge by any Welsh body
 * counts (8.24), so none is filtered out.
 */
export function eligibleOnRecord(f: RecordFacts, requestDay: IsoDate, window: Parameters<typeof dueDate>[1]): { eligible: boolean; discharge?: IsoDate } | undefined {
  if (f.dateOfBirth === undefined) return undefined;
  const discharge = f.lastFullDischargeOnOrBefore(requestDay);
  const adult = requestDay >= birthdayOfAge(f.dateOfBirth, 18);
  const inWindow = discharge !== undefined && requestDay <= dueDate(discharge.date, window, f.calendar);
  return { eligible: adult && inWindow, ...(discharge ? { discharge: discharge.date } : {}) };
}

export const part3IneligibleSupported = defineTemplate({
  name: 'part3-ineligible-supported',
  params: z.object({ window: durationParam }).strict(),
  evaluate(f, params, emit) {
    for (const { request, path } of requests(f)) {
      if (request.eligibility?.decision !== 'ineligible') continue;
      const onRecord = eligibleOnRecord(f, receivedOn(request), params().window);
      const location = `${path}.eligibility.decision`;
      if (onRecord === undefined) emit.cannotEvaluate(['patient.dateOfBirth'], 'The date of birth is not recorded, so eligibility cannot be checked.', location);
      else if (onRecord.eligible)
        emit.fail(`Found not eligible, but the record shows an adult fully discharged within ${formatDuration(params().window)} before the request.`, location);
      else emit.pass('The record supports the decision that the person was not eligible.', location);
    }
  },
});

export const part3MostRecentDischarge = defineTemplate({
  name: 'part3-most-recent-discharge',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const { request, path } of requests(f)) {
      const used = request.eligibility?.qualifyingDischargeOn;
      if (used === undefined) continue;
      const latest = f.lastFullDischargeOnOrBefore(receivedOn(request))?.date;
      const location = `${path}.eligibility.qualifyingDischargeOn`;
      if (latest === undefined || used >= latest) emit.pass('The most recent discharge starts the period of entitlement.', location);
      else emit.fail('An earlier discharge was used although a later one starts a new period of entitlement.', location);
    }
  },
});

/**
 * Who may ask for a Part 3 assessment (8.20): the former user, or a donee or deputy acting for
 * them. A request from anyone else is recorded as the source holds it and reported here.
 */
export const part3ValidRequester = defineTemplate({
  name: 'part3-valid-requester',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const { request, path } of allRequests(f)) {
      const location = `${path}.requester`;
      const who = requesterName(request.requester);
      if (isValidPart3Request(request)) emit.pass(`The request at ${path} was made by ${who}, who can ask for a Part 3 assessment.`, location);
      else
        emit.fail(
          `The request at ${path} was made by ${who}; only the person, or a donee or deputy acting for them, can ask for a Part 3 assessment, so it is not a valid request under the Measure. What they said should still be considered.`,
          location,
        );
    }
  },
});

/**
 * A decision not to assess is recorded with its grounds and date (8.36); one on the ground that
 * the request is frivolous or vexatious also names who decided (8.35: a delegated officer).
 */
export const part3DecisionRecorded = defineTemplate({
  name: 'part3-decision-recorded',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const { request, path } of requests(f)) {
      const eligibility = request.eligibility;
      if (eligibility === undefined || (eligibility.decision !== 'ineligible' && eligibility.frivolousOrVexatious !== true)) continue;
      const location = `${path}.eligibility`;
      const lacking = [
        ...(eligibility.reason === undefined ? [['reason', 'its grounds']] : []),
        ...(eligibility.decidedOn === undefined ? [['decidedOn', 'its date']] : []),
        ...(eligibility.frivolousOrVexatious === true && eligibility.decidedBy === undefined ? [['decidedBy', 'who decided']] : []),
      ];
      const what = eligibility.frivolousOrVexatious === true ? 'The decision that the request is frivolous or vexatious' : 'The decision not to assess';
      if (lacking.length === 0) emit.pass(`${what} is recorded with everything it needs.`, location);
      else emit.fail(`${what} at ${path} is recorded without ${joinAnd(lacking.map(([, words]) => words!))}.`, `${location}.${lacking[0]![0]}`);
    }
  },
});

export const part3UncertainAssessed = defineTemplate({
  name: 'part3-uncertain-assessed',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const { request, path } of requests(f)) {
      if (request.eligibility?.decision !== 'uncertain') continue;
      judgeDeadline(f, emit, {
        anchor: receivedOn(request),
        done: request.assessment?.startedOn,
        limit: params().within,
        what: 'The assessment started',
        notDone: 'Eligibility is uncertain and no assessment has started',
        since: 'the request',
        location: `${path}.assessment`,
      });
    }
  },
});

/**
 * Response times by priority (8.10), judged by the timeline: a request with no priority is held
 * to the limit for "all other referrals" (routine). Limits in days are counted on dates ("within
 * 28 days": the 28th day is on time). Limits in hours are counted from the instant of the
 * request; when only the date of the response is known and the limit runs out that same day, the
 * result cannot be known. Requests withdrawn, declined or found ineligible before an assessment
 * started are set aside.
 */
export const part3ResponseTime = defineTemplate({
  name: 'part3-response-time',
  params: z.object({ emergency: durationParam, urgent: durationParam, routine: durationParam }).strict(),
  tightening: { emergency: 'lower', urgent: 'lower', routine: 'lower' },
  evaluate(f, params, emit) {
    for (const { request, path } of requests(f)) {
      const judged = judgeResponse(request, f.record.encounters, params(), f.asOf, f.calendar);
      if (judged.verdict === 'set-aside') continue;
      const label = request.priority ?? 'unprioritised (held to the routine limit)';
      const location = `${path}.assessment.startedOn`;
      const what = `The assessment of this ${label} request started`;
      if (judged.limit.unit !== 'hours') {
        judgeDeadline(f, emit, {
          anchor: receivedOn(request),
          done: judged.start === undefined ? undefined : datePart(judged.start),
          limit: judged.limit,
          what,
          notDone: `No assessment has started on this ${label} request`,
          since: 'the request',
          location,
        });
        continue;
      }
      const within = formatDuration(judged.limit);
      switch (judged.verdict) {
        case 'not-done':
          emit.fail(`No assessment has started on this ${label} request, and its ${within} have passed.`, location, { due: judged.due });
          break;
        case 'pending':
          emit.notApplicable(`The ${label} request is still within its ${within}.`, location);
          break;
        case 'on-time':
          emit.pass(`${what} within ${within}.`, location);
          break;
        case 'late':
          emit.fail(`${what} later than ${within} after the request.`, location, { due: judged.due });
          break;
        default:
          emit.cannotEvaluate(
            [
              ...(request.receivedAt.length === 10 ? [`${path}.receivedAt (the time of day)`] : []),
              ...(judged.start?.length === 10 ? ['the time the assessment started'] : []),
            ],
            request.receivedAt.length === 10
              ? `Only the date of the request is recorded, and the assessment started about when its ${within} ran out; without the times of day the limit cannot be checked.`
              : `The assessment started on the day its ${within} ran out; without the time of day the limit cannot be checked.`,
            location,
          );
      }
    }
  },
});

/** The written report within 10 working days (8.39); only hand delivery or prepaid post counts as provided (8.40). */
export const part3ReportWithin = defineTemplate({
  name: 'part3-report-within',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const { request, path } of requests(f)) {
      const concluded = request.assessment?.concludedOn;
      if (concluded === undefined) {
        if (request.report !== undefined)
          emit.cannotEvaluate([`${path}.assessment.concludedOn`], 'A report was provided but the date the assessment concluded is not recorded.', path);
        continue;
      }
      const otherMeans = reportByOtherMeans(request);
      const limit = params().within;
      if (judgeReport(request, limit, f.asOf, f.calendar)?.verdict === 'unknown') {
        emit.cannotEvaluate(
          [`${path}.report.method`],
          `The report for the request at ${path} was provided in time, but how it was delivered is not recorded, so whether it counts as provided cannot be told.`,
          `${path}.report.method`,
        );
        continue;
      }
      judgeDeadline(f, emit, {
        anchor: concluded,
        done: reportProvidedOn(request) ?? (reportMethodUnknown(request) ? request.report!.providedOn : undefined),
        limit,
        what: 'The written report was provided',
        notDone: otherMeans ? 'The written report was sent by a means that does not count as provided (only by hand or prepaid post)' : 'No written report has been provided',
        since: 'the assessment concluded',
        location: otherMeans ? `${path}.report.method` : request.report ? `${path}.report.providedOn` : `${path}.report`,
      });
    }
  },
});

/** An unsettled residence must not hold up the assessment (Code 8.27, 8.28). */
export const part3ResidenceNoDelay = defineTemplate({
  name: 'part3-residence-no-delay',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const { request, path } of requests(f)) {
      const status = request.residence?.status;
      if (status === undefined || status === 'established' || request.status === 'withdrawn') continue;
      judgeDeadline(f, emit, {
        anchor: receivedOn(request),
        done: request.assessment?.startedOn,
        limit: params().within,
        what: 'The assessment started',
        notDone: `The person's residence is ${status} and no assessment has started`,
        since: 'the request',
        location: `${path}.assessment`,
      });
    }
  },
});

/** Someone in a prison in Wales is usually resident where the prison is (Code 8.29). */
export const part3PrisonArea = defineTemplate({
  name: 'part3-prison-area',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const { request, path } of requests(f)) {
      const prisonArea = request.residence?.prisonLocalAuthority;
      if (prisonArea === undefined) continue;
      const area = f.organisation(request.localAuthority)?.onsCode;
      if (area === undefined) emit.cannotEvaluate([`${path}.localAuthority`], 'The local authority the request was made to is not recorded with its ONS code.', path);
      else if (area === prisonArea) emit.pass('The request is dealt with by the partners for the area of the prison.', `${path}.localAuthority`);
      else emit.fail('The person is in prison in Wales, but the request is dealt with by partners for another area.', `${path}.localAuthority`);
    }
  },
});

export const part3Templates = [
  part3IneligibleSupported,
  part3MostRecentDischarge,
  part3ValidRequester,
  part3DecisionRecorded,
  part3UncertainAssessed,
  part3ResponseTime,
  part3ReportWithin,
  part3ResidenceNoDelay,
  part3PrisonArea,
];
