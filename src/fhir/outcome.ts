/** OperationOutcome helpers: the one way errors and findings leave pont. */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { PontError } from '../errors/errors.js';

export function operationOutcome(issues: readonly OperationOutcomeIssue[]): OperationOutcome {
  if (issues.length === 0) {
    return { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: 'No problems found.' }] };
  }
  return { resourceType: 'OperationOutcome', issue: [...issues] };
}

/** Converts any thrown value into issues; unknown errors say nothing about their internals. */
export function issuesOf(err: unknown): OperationOutcomeIssue[] {
  if (err instanceof PontError) return err.issues;
  return [{ severity: 'fatal', code: 'exception', diagnostics: 'Internal error while processing this input.' }];
}

export function hasErrors(issues: readonly OperationOutcomeIssue[]): boolean {
  return issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
}
