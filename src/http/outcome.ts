/** OperationOutcomes for the HTTP edge: every error answer is one, naming the problem, never input data. */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export function operationOutcome(issues: readonly OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues.length > 0 ? [...issues] : [{ severity: 'error', code: 'processing', diagnostics: 'the request failed' }] };
}

export function problem(code: OperationOutcomeIssue['code'], diagnostics: string, severity: OperationOutcomeIssue['severity'] = 'error'): OperationOutcome {
  return operationOutcome([{ severity, code, diagnostics }]);
}
