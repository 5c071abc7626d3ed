/** Renders check results for people (text) and machines (JSON). */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { hasErrors, operationOutcome } from '../fhir/outcome.js';
import type { TraceEntry } from '../mapping/engine.js';
import type { Conversion } from '../pipeline/pipeline.js';

export function renderText(results: readonly Conversion[]): string {
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
  }
  const failed = results.filter((r) => hasErrors(r.issues)).length;
  lines.push(`${plural(results.length, 'record')} checked: ${results.length - failed} passed, ${failed} failed`);
  return lines.join('\n') + '\n';
}

export function renderJson(results: readonly Conversion[]): string {
  return JSON.stringify(
    results.map((r) => ({ file: r.origin, record: r.index + 1, bundle: r.bundle ?? null, outcome: operationOutcome(r.issues) })),
    null,
    2,
  ) + '\n';
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
