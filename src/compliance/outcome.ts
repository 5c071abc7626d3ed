/**
 * Findings as FHIR OperationOutcome issues: failures and checks that could not be made. Each
 * issue carries the rule id (as a coding), the citation, a plain-English explanation and the
 * FHIRPath location of the element concerned in the canonical record.
 */
import type { Extension, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { PONT_BASE } from '../profiles/canonical.js';
import { type Finding, isActionable } from './finding.js';

export const COMPLIANCE_RULE_SYSTEM = `${PONT_BASE}/CodeSystem/compliance-rule`;
export const COMPLIANCE_FINDING_EXTENSION = `${PONT_BASE}/StructureDefinition/compliance-finding`;

export function findingIssue(finding: Finding): OperationOutcomeIssue {
  const parts: Extension[] = [
    { url: 'pack', valueString: finding.pack },
    { url: 'check', valueString: finding.check },
    { url: 'result', valueCode: finding.result },
    { url: 'force', valueCode: finding.force },
    { url: 'citation', valueString: finding.citation },
    ...(finding.subject ? [{ url: 'subject', valueString: finding.subject }] : []),
    ...(finding.due ? [{ url: 'due', valueDate: finding.due }] : []),
    ...(finding.departure ? [{ url: 'departure', valueString: finding.departure }] : []),
    ...(finding.missing ?? []).map((m) => ({ url: 'missing', valueString: m })),
  ];
  return {
    extension: [{ url: COMPLIANCE_FINDING_EXTENSION, extension: parts }],
    severity: finding.severity,
    code: finding.result === 'fail' ? 'business-rule' : finding.result === 'cannot-evaluate' ? 'incomplete' : 'informational',
    details: { coding: [{ system: COMPLIANCE_RULE_SYSTEM, code: finding.ruleId }], text: finding.explanation },
    diagnostics: `${finding.ruleId}/${finding.check}: ${finding.message} (${finding.citation})`,
    ...(finding.location !== undefined ? { expression: [finding.location] } : {}),
  };
}

/** The issues a person needs to act on, errors first, then warnings, then information. */
export function findingIssues(findings: readonly Finding[]): OperationOutcomeIssue[] {
  const rank = { error: 0, warning: 1, information: 2 } as const;
  return findings
    .filter(isActionable)
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank[a.f.severity] - rank[b.f.severity] || a.i - b.i)
    .map(({ f }) => findingIssue(f));
}

export interface FindingCounts {
  readonly pass: number;
  readonly fail: number;
  readonly 'cannot-evaluate': number;
  readonly 'not-applicable': number;
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts = { pass: 0, fail: 0, 'cannot-evaluate': 0, 'not-applicable': 0 };
  for (const f of findings) counts[f.result] += 1;
  return counts;
}
