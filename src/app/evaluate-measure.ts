/**
 * FHIR's `Measure/{id}/$evaluate-measure` over the records in a store: the people's current
 * records measured over the months a period covers, as summary MeasureReports (one per month and
 * organisation, optionally for one organisation) or a person's individual ones. The store is
 * read, never written: nothing here depends on when or how often it runs, as of a given day.
 */
import type { Measure, MeasureReport } from '@medplum/fhirtypes';
import { type RoutingReference, recipientsOf } from '../delivery/routing/index.js';
import { normaliseOdsCode } from '../delivery/routing/recipients.js';
import { RequestError } from '../errors/errors.js';
import type { EvaluationDeps } from '../measures/evaluate.js';
import { buildMeasureResource } from '../measures/fhir-measure.js';
import { summaryReport } from '../measures/measure-report.js';
import { findMeasure, measures } from '../measures/registry.js';
import { runMeasures } from '../measures/run-measures.js';
import type { RecordStore } from '../ports/record-store.js';
import type { PersonKey } from '../record/person-key.js';
import type { CtpRecord } from '../record/record.schema.js';
import { addMonths, type IsoDate } from '../time/dates.js';

/** FHIR R4's report types (`subject-list` is not offered: pont keeps no List resources). */
export type MeasureReportType = 'population' | 'subject';

export interface EvaluateMeasureRequest {
  readonly measureId: string;
  /** First and last day of the period (YYYY-MM-DD, or YYYY-MM for a whole month); every month it touches is measured. */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly reportType: MeasureReportType;
  /** The person of a `subject` report. */
  readonly subject?: PersonKey;
  /** Only the summaries of this organisation: a health board's ODS code or a local authority's ONS code. */
  readonly organisation?: string;
  /** What is known: events after this day are left out. */
  readonly asOf: IsoDate;
  /** Only the people registered at this GP practice (ODS code): what a GP system may see. */
  readonly registeredAt?: string;
}

export interface EvaluateMeasureDeps {
  readonly measureDeps: EvaluationDeps;
  /** Reference data for reading a record's registered practice. */
  readonly reference: RoutingReference;
}

/** A period longer than this is almost certainly a mistake, and would be slow. */
const MAX_MONTHS = 120;
const DAY_OR_MONTH = /^(\d{4}-(0[1-9]|1[0-2]))(-(0[1-9]|[12]\d|3[01]))?$/;

export async function evaluateMeasure(deps: EvaluateMeasureDeps, store: RecordStore, request: EvaluateMeasureRequest): Promise<MeasureReport[]> {
  const definition = findMeasure(request.measureId);
  if (definition === undefined) throw new RequestError('REQUEST_NOT_FOUND', `no Measure has the id "${request.measureId}"; known: ${measureIds()}`);
  const months = monthsOf(request.periodStart, request.periodEnd);
  if (`${months[0]}-01` > request.asOf) throw new RequestError('REQUEST_INVALID', 'the period starts after the day the figures are as of: nothing is known about it yet');
  if (request.reportType === 'subject' && request.subject === undefined) throw new RequestError('REQUEST_INVALID', 'reportType subject needs a subject (a Patient)');
  const registered = (record: CtpRecord): boolean => {
    if (request.registeredAt === undefined) return true;
    const practice = recipientsOf(record, deps.reference).gpPractice;
    return practice.status === 'known' && practice.odsCode === normaliseOdsCode(request.registeredAt);
  };
  const people: CtpRecord[] = [];
  if (request.subject !== undefined) {
    const record = await store.latest(request.subject);
    // A person the caller may not see is answered as one not held: the answer says nothing of who is held.
    if (record === undefined || !registered(record)) throw new RequestError('REQUEST_NOT_FOUND', 'no record of the subject is held');
    people.push(record);
  } else {
    for (const key of await store.people()) {
      const record = await store.latest(key);
      if (record !== undefined && registered(record)) people.push(record);
    }
  }
  const window = { months, asOf: request.asOf };
  const run = runMeasures(people, [definition], window, deps.measureDeps, { individual: request.reportType === 'subject' });
  if (request.reportType === 'subject') return [...run.individual];
  return run.tallies.filter((t) => request.organisation === undefined || t.organisation.code === request.organisation).map((t) => summaryReport(definition, t, request.asOf));
}

/** The Measure resources pont evaluates, by id. */
export function measureResources(): ReadonlyMap<string, Measure> {
  return new Map(measures.map((m) => [m.id, buildMeasureResource(m)]));
}

function measureIds(): string {
  return measures.map((m) => m.id).join(', ');
}

/** Every month from periodStart's to periodEnd's. */
function monthsOf(periodStart: string, periodEnd: string): string[] {
  const from = DAY_OR_MONTH.exec(periodStart)?.[1];
  const to = DAY_OR_MONTH.exec(periodEnd)?.[1];
  if (from === undefined) throw new RequestError('REQUEST_INVALID', 'periodStart must be a date YYYY-MM-DD or a month YYYY-MM');
  if (to === undefined) throw new RequestError('REQUEST_INVALID', 'periodEnd must be a date YYYY-MM-DD or a month YYYY-MM');
  if (periodEnd < periodStart) throw new RequestError('REQUEST_INVALID', 'periodEnd is before periodStart');
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(`${m}-01`, 1).slice(0, 7)) {
    months.push(m);
    if (months.length > MAX_MONTHS) throw new RequestError('REQUEST_INVALID', `the period covers more than ${MAX_MONTHS} months`);
  }
  return months;
}
