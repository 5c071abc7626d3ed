/** Renders check results for people (text) and machines (JSON). */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { hasErrors, operationOutcome } from '../fhir/outcome.js';
import type { TraceEntry } from '../mapping/engine.js';
import type { Evaluation } from '../compliance/engine.js';
import { actingCoordinators, caseloadLocation } from '../compliance/caseload.js';
import type { Finding } from '../compliance/finding.js';
import { countFindings, findingIssues } from '../compliance/outcome.js';
import type { Conversion } from '../pipeline/pipeline.js';

/** A converted record, with its compliance findings when the rules were run. */
export type CheckResult = Conversion & { readonly evaluation?: Evaluation };

/** A conversion with its compliance evaluation: its issues go on to the findings that need action. */
export function withCompliance(conversion: Conversion, evaluation: Evaluation): CheckResult {
  return { ...conversion, evaluation, issues: [...conversion.issues, ...findingIssues(evaluation.findings)] };
}

export function renderText(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const errors = r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length;
    const warnings = r.issues.filter((i) => i.severity === 'warning').length;
    const name = results.filter((x) => x.origin === r.origin).length > 1 ? `${r.origin} (record ${r.index + 1})` : r.origin;
    const resources = r.bundle?.entry?.length;
    const verdict = errors > 0 ? 'FAILED' : 'ok';
    const size = resources === undefined ? '' : `, ${resources} resources`;
    lines.push(`${name}: ${verdict}${size}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
    for (const issue of r.issues) lines.push(`  ${issueLine(issue)}`);
    if (r.evaluation) lines.push(`  ${complianceLine(r.evaluation)}`);
  }
  const failed = results.filter((r) => hasErrors(r.issues)).length;
  lines.push(`${plural(results.length, 'record')} checked: ${results.length - failed} passed, ${failed} failed`);
  return lines.join('\n') + '\n';
}

/**
 * One object per record. With `caseloads`, each record's compliance also lists the caseload
 * findings of the coordinators acting for that person.
 */
export function renderJson(results: readonly CheckResult[], caseloads: readonly Finding[] = []): string {
  const caseloadsFor = (r: CheckResult) => {
    if (!r.record || !r.evaluation) return [];
    const locations = new Set(actingCoordinators(r.record, r.evaluation.asOf).map((c) => caseloadLocation(c.key)));
    return caseloads.filter((f) => f.pack === r.evaluation!.pack.id && f.location !== undefined && locations.has(f.location));
  };
  return JSON.stringify(
    results.map((r) => ({
      file: r.origin,
      record: r.index + 1,
      bundle: r.bundle ?? null,
      outcome: operationOutcome(r.issues),
      compliance: r.evaluation
        ? {
            pack: r.evaluation.pack.id,
            packVersion: r.evaluation.pack.version,
            ...(r.evaluation.pack.localStandards ? { localStandards: r.evaluation.pack.localStandards } : {}),
            asOf: r.evaluation.asOf,
            counts: countFindings(r.evaluation.findings),
            findings: r.evaluation.findings,
            ...(caseloads.length > 0 ? { caseloads: caseloadsFor(r) } : {}),
          }
        : null,
    })),
    null,
    2,
  ) + '\n';
}

/** Coordinators' caseloads across the records checked (English packs set limits). */
export function renderCaseloads(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  const over = findings.filter((f) => f.result === 'fail');
  const lines = [`caseloads (${findings[0]!.pack}): ${findings.length} coordinators, ${over.length} over the limit`];
  for (const f of over) lines.push(`  ${f.severity.padEnd(7)} ${f.location}: ${f.ruleId}/${f.check}: ${f.message} (${f.citation})`);
  return lines.join('\n') + '\n';
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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
