/** OperationOutcomes for the HTTP edge: every error answer is one, naming the problem, never input data. */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { RequestError } from '../errors/errors.js';

export function operationOutcome(issues: readonly OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues.length > 0 ? [...issues] : [{ severity: 'error', code: 'processing', diagnostics: 'the request failed' }] };
}

export function problem(code: OperationOutcomeIssue['code'], diagnostics: string, severity: OperationOutcomeIssue['severity'] = 'error'): OperationOutcome {
  return operationOutcome([{ severity, code, diagnostics }]);
}

/** The HTTP status of a RequestError, by its code. */
export function requestErrorStatus(err: RequestError): number {
  return REQUEST_ERROR_STATUS[err.code];
}

const REQUEST_ERROR_STATUS: Readonly<Record<RequestError['code'], number>> = {
  REQUEST_INVALID: 400,
  REQUEST_FORBIDDEN: 403,
  REQUEST_NOT_FOUND: 404,
  REQUEST_NOT_SUPPORTED: 501,
  REQUEST_MEDIA_TYPE: 415,
};
