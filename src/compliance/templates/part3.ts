/** Part 3 of the Measure (Code chapter 8): former users asking for an assessment. */
import { z } from 'zod';
import { birthdayOfAge, datePart, type IsoDate } from '../../time/dates.js';
import { dueDate, dueInstant, formatDuration } from '../../time/duration.js';
import type { Part3Request, RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline } from './common.js';

const requests = (f: RecordFacts) => (f.record.part3Requests ?? []).map((request) => ({ request, path: at.item(f, 'part3Requests', request) }));

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
      const onRecord = eligibleOnRecord(f, request.receivedAt.slice(0, 10), params().window);
      const location = `${path}.eligibility.decision`;
      if (onRecord === undefined) emit.cannotEvaluate(['patient.dateOfBirth'], 'The date of birth is not recorded, so eligibility cannot be checked.', location);
      else if (onRecord.eligible) emit.fail(`Found not eligible, but the record shows an adult fully discharged within ${formatDuration(params().window)} before the request.`, location);
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
      const latest = f.lastFullDischargeOnOrBefore(request.receivedAt.slice(0, 10))?.date;
      const location = `${path}.eligibility.qualifyingDischargeOn`;
      if (latest === undefined || used >= latest) emit.pass('The most recent discharge starts the period of entitlement.', location);
      else emit.fail('An earlier discharge was used although a later one starts a new period of entitlement.', location);
    }
  },
});

export const part3DecisionRecorded = defineTemplate({
  name: 'part3-decision-recorded',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    for (const { request, path } of requests(f)) {
      const eligibility = request.eligibility;
      if (eligibility?.decision !== 'ineligible') continue;
      const location = `${path}.eligibility`;
      if (eligibility.reason !== undefined && eligibility.decidedOn !== undefined) emit.pass('The grounds and date of the decision not to assess are recorded.', location);
      else emit.fail('A decision not to assess lacks its recorded grounds or date.', eligibility.reason === undefined ? `${location}.reason` : `${location}.decidedOn`);
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
        anchor: request.receivedAt.slice(0, 10),
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

/** The assessment's start: the recorded start date, or the first assessment encounter after the request. */
function responseStart(f: RecordFacts, request: Part3Request): string | undefined {
  const encounter = (f.record.encounters ?? [])
    .filter((e) => e.kind === 'assessment' && e.status === 'finished' && e.start !== undefined && e.start.slice(0, 10) >= request.receivedAt.slice(0, 10))
    .map((e) => e.start!)
    .sort()[0];
  const started = request.assessment?.startedOn;
  if (encounter === undefined) return started;
  if (started === undefined) return encounter;
  return started < encounter.slice(0, 10) ? started : encounter;
}

/**
 * Response times by priority (8.10). Limits in days are counted on dates ("within 28 days": the
 * 28th day is on time). Limits in hours are counted from the instant of the request; when only the
 * date of the response is known and the limit runs out that same day, the result cannot be known.
 */
export const part3ResponseTime = defineTemplate({
  name: 'part3-response-time',
  params: z.object({ emergency: durationParam, urgent: durationParam, routine: durationParam }).strict(),
  tightening: { emergency: 'lower', urgent: 'lower', routine: 'lower' },
  evaluate(f, params, emit) {
    for (const { request, path } of requests(f)) {
      if (request.eligibility?.decision === 'ineligible' || request.status === 'withdrawn') continue;
      if (request.priority === undefined) {
        emit.cannotEvaluate([`${path}.priority`], 'The request’s priority is not recorded, so its response time is not known.', path);
        continue;
      }
      const limit = params()[request.priority];
      const start = responseStart(f, request);
      const location = `${path}.assessment.startedOn`;
      const what = `The assessment of this ${request.priority} request started`;
      if (limit.unit !== 'hours') {
        judgeDeadline(f, emit, {
          anchor: request.receivedAt.slice(0, 10),
          done: start === undefined ? undefined : datePart(start),
          limit,
          what,
          notDone: `No assessment has started on this ${request.priority} request`,
          since: 'the request',
          location,
        });
        continue;
      }
      const deadline = dueInstant(Date.parse(request.receivedAt), limit);
      const deadlineDay = new Date(deadline).toISOString().slice(0, 10);
      const within = formatDuration(limit);
      if (start === undefined) {
        if (Date.parse(`${f.asOf}T00:00:00Z`) > deadline) emit.fail(`No assessment has started on this ${request.priority} request, and its ${within} have passed.`, location, { due: deadlineDay });
        else emit.notApplicable(`The ${request.priority} request is still within its ${within}.`, location);
      } else if (start.length > 10) {
        if (Date.parse(start) <= deadline) emit.pass(`${what} within ${within}.`, location);
        else emit.fail(`${what} later than ${within} after the request.`, location, { due: deadlineDay });
      } else if (start < deadlineDay) emit.pass(`${what} within ${within}.`, location);
      else if (start > deadlineDay) emit.fail(`${what} later than ${within} after the request.`, location, { due: deadlineDay });
      else emit.cannotEvaluate([`the time the assessment started`], `The assessment started on the day its ${within} ran out; without the time of day the limit cannot be checked.`, location);
    }
  },
});

export const part3ReportWithin = defineTemplate({
  name: 'part3-report-within',
  params: z.object({ within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const { request, path } of requests(f)) {
      const concluded = request.assessment?.concludedOn;
      if (concluded === undefined) {
        if (request.report !== undefined) emit.cannotEvaluate([`${path}.assessment.concludedOn`], 'A report was provided but the date the assessment concluded is not recorded.', path);
        continue;
      }
      judgeDeadline(f, emit, {
        anchor: concluded,
        done: request.report?.providedOn,
        limit: params().within,
        what: 'The written report was provided',
        notDone: 'No written report has been provided',
        since: 'the assessment concluded',
        location: request.report ? `${path}.report.providedOn` : `${path}.report`,
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
        anchor: request.receivedAt.slice(0, 10),
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
  part3IneligibleSupported, part3MostRecentDischarge, part3DecisionRecorded, part3UncertainAssessed, part3ResponseTime, part3ReportWithin, part3ResidenceNoDelay,
  part3PrisonArea,
];
