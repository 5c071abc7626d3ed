/** Renders check results as text for people; the JSON form is the core's (src/app/check-json.ts). */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { CheckResult } from '../app/check.js';
import type { Evaluation } from '../compliance/engine.js';
import type { Finding } from '../compliance/finding.js';
import { countFindings } from '../compliance/outcome.js';
import { hasErrors } from '../fhir/outcome.js';
import type { TraceEntry } from '../mapping/engine.js';

/** Each record's verdict and issues, then a summary line. */
export function renderText(results: readonly CheckResult[]): string {
  return renderRecords(results) + renderSummary(results.length, results.filter((r) => hasErrors(r.issues)).length);
}

/** The last line of a check: how many records passed and failed. */
export function renderSummary(records: number, failed: number): string {
  return `${plural(records, 'record')} checked: ${records - failed} passed, ${failed} failed\n`;
}

/** Each record's verdict, issues and compliance summary, without the summary line. */
export function renderRecords(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const errors = r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length;
    const warnings = r.issues.filter((i) => i.severity === 'warning').length;
    const name = r.listed ? `${r.origin} (record ${r.index + 1})` : r.origin;
    const resources = r.bundle?.entry?.length;
    const verdict = errors > 0 ? 'FAILED' : 'ok';
    const size = resources === undefined ? '' : `, ${resources} resources`;
    lines.push(`${name}: ${verdict}${size}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
    for (const issue of r.issues) lines.push(`  ${issueLine(issue)}`);
    if (r.evaluation) lines.push(`  ${complianceLine(r.evaluation)}`);
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** Coordinators' caseloads across the records checked (English packs set limits). */
export function renderCaseloads(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  const over = findings.filter((f) => f.result === 'fail');
  const lines = [`caseloads (${findings[0]!.pack}): ${findings.length} coordinators, ${over.length} over the limit`];
  for (const f of over) lines.push(`  ${f.severity.padEnd(7)} ${f.location}: ${f.ruleId}/${f.check}: ${f.message} (${f.citation})`);
  return `${lines.join('\n')}\n`;
}

function complianceLine(e: Evaluation): string {
  const c = countFindings(e.findings);
  const standards = e.pack.localStandards ? ` with ${e.pack.localStandards}` : '';
  return `compliance (${e.pack.id} ${e.pack.version}${standards}, as of ${e.asOf}): ${c.pass} passed, ${c.fail} failed, ${c['cannot-evaluate']} could not be checked, ${c['not-applicable']} not applicable`;
}

export function renderTrace(trace: readonly TraceEntry[]): string {
  return trace.map((t) => `${t.path}  <=  ${t.rule} [${t.template}] from ${t.input}`).join('\n') + (trace.length ? '\n' : '');
}

function issueLine(issue: OperationOutcomeIssue): string {
  const where = issue.expression?.[0];
  const text = issue.diagnostics ?? issue.details?.text ?? issue.code;
  const trimmed = where && text.startsWith(`${where}: `) ? text.slice(where.length + 2) : text;
  return `${issue.severity.padEnd(7)} ${where ? `${where}: ` : ''}${trimmed}`;
}

/** `1 record`, `2 records`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
