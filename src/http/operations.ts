/**
 * The API's operations beside ingest and the facade's reads, as express handlers: `POST /$check`
 * (a dry run of reading, mapping, validation and the Measure's rules, nothing stored), the
 * Measures pont evaluates (`GET /fhir/Measure`, `GET /fhir/Measure/{id}`) and
 * `Measure/{id}/$evaluate-measure` over the stored records. Only translate: the core's check
 * and evaluateMeasure decide; every refusal is an OperationOutcome.
 */
import type { Bundle, Measure, MeasureReport, Patient } from '@medplum/fhirtypes';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { CheckOptions } from '../app/check.js';
import type { CheckResultJson } from '../app/check-json.js';
import type { EvaluateMeasureRequest, MeasureReportType } from '../app/evaluate-measure.js';
import type { SourceInput } from '../app/inputs.js';
import { RequestError } from '../errors/errors.js';
import { decodeUtf8 } from '../input/utf8.js';
import { NHS_NUMBER_SYSTEM } from '../measures/measure-report.js';
import type { Clock } from '../ports/clock.js';
import type { PatientScope } from '../ports/fhir-resources.js';
import { isValidNhsNumber } from '../record/record.schema.js';
import type { IsoDate } from '../time/dates.js';
import { FHIR_JSON } from './fhir/negotiation.js';
import { messageFormat } from './message-format.js';

const PATIENT_BY_IDENTIFIER = 'Patient?identifier=';
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export interface OperationsDeps {
  readonly formats: readonly string[];
  /** Largest $check body, in bytes. */
  readonly maxBytes: number;
  readonly clock: Clock;
  readonly checkJson: (input: SourceInput, options: CheckOptions) => Promise<readonly CheckResultJson[]>;
  readonly measures: ReadonlyMap<string, Measure>;
  readonly evaluate: (request: EvaluateMeasureRequest) => Promise<MeasureReport[]>;
  /** The facade's Patient, within the caller's scope, for `subject=Patient/{id}`. */
  readonly patient: (scope: PatientScope, id: string) => Promise<Patient | undefined>;
  readonly scope: (req: Request, res: Response) => PatientScope;
}

export interface OperationHandlers {
  readonly check: readonly RequestHandler[];
  readonly measures: RequestHandler;
  readonly measure: RequestHandler;
  readonly evaluateMeasure: readonly RequestHandler[];
}

export function operationHandlers(deps: OperationsDeps): OperationHandlers {
  const check: RequestHandler = async (req, res, next) => {
    try {
      const format = messageFormat(req, deps.formats);
      const asOf = typeof req.query.asOf === 'string' ? req.query.asOf : undefined;
      if (asOf !== undefined && asOf !== 'extracted' && !DATE.test(asOf)) throw new RequestError('REQUEST_INVALID', 'asOf must be a date YYYY-MM-DD or "extracted"');
      const payload = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
      const text = decodeUtf8(payload, 'the request body');
      const quality = req.query.quality;
      if (quality !== undefined && quality !== 'true' && quality !== 'false') throw new RequestError('REQUEST_INVALID', 'quality must be true or false');
      const results = await deps.checkJson(
        { origin: 'request body', source: format, text },
        { asOf: (asOf ?? deps.clock.today()) as IsoDate | 'extracted', quality: quality === 'true' },
      );
      res.status(200).json(results);
    } catch (err) {
      next(err);
    }
  };

  const evaluate: RequestHandler = async (req, res, next) => {
    try {
      const params = parametersOf(req);
      const measureId = String(req.params.id);
      const scope = deps.scope(req, res);
      if (scope.kind === 'none') throw new RequestError('REQUEST_NOT_FOUND', 'no record is held that this client may see');
      const subject = params.get('subject');
      const reportType = (params.get('reportType') ?? (subject === undefined ? 'population' : 'subject')) as MeasureReportType | 'subject-list';
      if (reportType === 'subject-list')
        throw new RequestError('REQUEST_NOT_SUPPORTED', 'reportType subject-list is not offered (pont keeps no List resources); ask for population or subject');
      if (reportType !== 'population' && reportType !== 'subject') throw new RequestError('REQUEST_INVALID', 'reportType must be population or subject');
      const periodStart = params.get('periodStart');
      const periodEnd = params.get('periodEnd');
      if (periodStart === undefined || periodEnd === undefined) throw new RequestError('REQUEST_INVALID', 'periodStart and periodEnd are required');
      const asOf = params.get('lastReceivedOn') ?? deps.clock.today();
      if (!DATE.test(asOf)) throw new RequestError('REQUEST_INVALID', 'lastReceivedOn must be a date YYYY-MM-DD');
      const organisation = params.get('organization') ?? params.get('organisation');
      const reports = await deps.evaluate({
        measureId,
        periodStart,
        periodEnd,
        reportType,
        asOf: asOf as IsoDate,
        ...(subject === undefined ? {} : { subject: await personOf(subject, scope) }),
        ...(organisation === undefined ? {} : { organisation }),
        ...(scope.kind === 'registered-at' ? { registeredAt: scope.practiceOds } : {}),
      });
      // One report is the operation's own answer; several (months, organisations) come as a collection.
      const body: MeasureReport | Bundle =
        reports.length === 1 ? reports[0]! : { resourceType: 'Bundle', type: 'collection', entry: reports.map((resource) => ({ resource })) };
      res.status(200).type(FHIR_JSON).send(JSON.stringify(body));
    } catch (err) {
      next(err);
    }
  };

  /** `Patient/{id}` (the facade's), or `Patient?identifier=…|{NHS number}`, as a person key. */
  const personOf = async (subject: string, scope: PatientScope): Promise<`nhs:${string}`> => {
    if (subject.startsWith(PATIENT_BY_IDENTIFIER)) {
      const token = subject.slice(PATIENT_BY_IDENTIFIER.length);
      const value = token.startsWith(`${NHS_NUMBER_SYSTEM}|`) ? token.slice(NHS_NUMBER_SYSTEM.length + 1) : token;
      if (isValidNhsNumber(value)) return `nhs:${value}`;
    }
    const byId = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(subject);
    if (byId === null) throw new RequestError('REQUEST_INVALID', `subject must be Patient/{id} or Patient?identifier=${NHS_NUMBER_SYSTEM}|{number}`);
    const patient = await deps.patient(scope, byId[1]!);
    const nhs = patient?.identifier?.find((i) => i.system === NHS_NUMBER_SYSTEM)?.value;
    if (nhs === undefined || !isValidNhsNumber(nhs)) throw new RequestError('REQUEST_NOT_FOUND', 'no record of the subject is held');
    return `nhs:${nhs}`;
  };

  return {
    check: [express.raw({ type: () => true, limit: deps.maxBytes }), check],
    measures: (_req, res) => {
      const entry = [...deps.measures.values()].map((resource) => ({ resource, search: { mode: 'match' as const } }));
      res
        .status(200)
        .type(FHIR_JSON)
        .send(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: entry.length, entry }));
    },
    measure: (req, res, next) => {
      const measure = deps.measures.get(String(req.params.id));
      if (measure === undefined) return next(new RequestError('REQUEST_NOT_FOUND', 'no Measure has this id'));
      res.status(200).type(FHIR_JSON).send(JSON.stringify(measure));
    },
    evaluateMeasure: [express.urlencoded({ extended: false, limit: 16 * 1024 }), express.json({ type: [FHIR_JSON, 'application/json'], limit: 16 * 1024 }), evaluate],
  };
}

/** The operation's parameters: from the query, a form body, or a FHIR Parameters body (POST). */
function parametersOf(req: Request): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(req.query)) if (typeof value === 'string') params.set(name, value);
  const body: unknown = req.body;
  if (body !== null && typeof body === 'object' && (body as { resourceType?: unknown }).resourceType === 'Parameters') {
    for (const p of (body as { parameter?: { name?: string; valueString?: string; valueDate?: string; valueCode?: string; valueReference?: { reference?: string } }[] })
      .parameter ?? []) {
      const value = p.valueString ?? p.valueDate ?? p.valueCode ?? p.valueReference?.reference;
      if (p.name !== undefined && value !== undefined) params.set(p.name, value);
    }
  } else if (body !== null && typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) if (typeof value === 'string') params.set(name, value);
  }
  return params;
}
