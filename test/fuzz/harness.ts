/**
 * Runs a fuzzed input through every command's use case in-process (check, map, map --reverse,
 * report) and collects what pont says about it: every issue's diagnostics, details and
 * locations, and the message of anything thrown. Outputs that carry the data on purpose (the
 * Bundle, the record, the MeasureReports) are not diagnostics and are not collected.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { Core } from '../../src/app/compose.js';
import type { Input } from '../../src/app/inputs.js';
import { EngineError, PontError } from '../../src/errors/errors.js';
import type { BaseInput, BuiltInput } from './inputs.js';

export const COMMANDS = ['check', 'map', 'map --reverse', 'report'] as const;
export type Command = (typeof COMMANDS)[number];

/** One thing pont said: which command said it and the text. */
export interface Diagnostic {
  readonly command: Command;
  readonly text: string;
}

export interface CaseRun {
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Whether the input was refused: `map` gave no Bundle; when `map` was not run, `check` gave no
   * Bundle, `map --reverse` no record or `report` skipped it. Compliance findings are verdicts, not refusals.
   */
  readonly rejected: boolean;
  /** Internal faults (an EngineError or an unexpected exception): not a verdict on the input. */
  readonly faults: readonly Diagnostic[];
}

export interface Leak {
  readonly command: Command;
  /** The message with each marker replaced by `<marker>`: leaks of one form read alike. */
  readonly form: string;
  readonly markers: readonly string[];
}

const ORIGINS: Readonly<Record<string, string>> = { 'wpas-csv': 'fuzz/input.csv' };

/** Runs the input through the given commands (default all four). */
export async function runCase(core: Core, input: BuiltInput, commands: readonly Command[] = COMMANDS): Promise<CaseRun> {
  const origin = ORIGINS[input.format] ?? 'fuzz/input.json';
  // What a front end hands the core: the bytes decoded as UTF-8 (invalid sequences become U+FFFD).
  const text = input.bytes.toString('utf8');
  const source: Input = { origin, source: input.format, text };
  const diagnostics: Diagnostic[] = [];
  const faults: Diagnostic[] = [];
  const refused = new Set<Command>();
  const say = (command: Command, issues: readonly OperationOutcomeIssue[]) => {
    for (const issue of issues) {
      for (const t of issueTexts(issue)) diagnostics.push({ command, text: t });
    }
  };
  const attemptAll = async (command: Command, body: () => void | Promise<void>) => {
    try {
      await body();
    } catch (err) {
      const texts = thrownTexts(err);
      for (const t of texts) diagnostics.push({ command, text: t });
      refused.add(command);
      if (!(err instanceof PontError) || err instanceof EngineError) faults.push({ command, text: texts[0] ?? 'unknown fault' });
    }
  };

  const attempt = async (command: Command, body: () => void | Promise<void>) => {
    if (commands.includes(command)) await attemptAll(command, body);
  };
  await attempt('check', () => {
    // With the quality pack too: its signals and cross-record summary speak of plan text.
    const run = core.check([source], { asOf: 'extracted', quality: true });
    for (const r of run.results) {
      if (!r.bundle) refused.add('check');
      say('check', r.issues);
      if (r.quality) for (const f of r.quality.findings) diagnostics.push({ command: 'check', text: JSON.stringify(f) });
    }
    for (const f of run.caseloads) diagnostics.push({ command: 'check', text: JSON.stringify(f) });
    // Its cross-record findings are messages; its counts per team and board are report data, named as the record names them.
    if (run.quality) diagnostics.push({ command: 'check', text: JSON.stringify(run.quality.sharedText) });
  });
  await attempt('map', () => {
    for (const r of core.convert([source], { trace: true })) {
      if (!r.bundle) refused.add('map');
      say('map', r.issues);
      for (const t of [...r.trace.toRecord, ...r.trace.toFhir]) diagnostics.push({ command: 'map', text: `${t.path} ${t.rule} ${t.template} ${t.input}` });
    }
  });
  await attempt('map --reverse', () => {
    const result = core.reverse({ origin, text });
    if (!result.record) refused.add('map --reverse');
    say('map --reverse', result.issues);
  });
  await attempt('report', async () => {
    const run = await core.report([source], { measure: 'all', period: '2025-10..2025-11', asOf: '2025-12-31' });
    if (run.failures.length > 0) refused.add('report');
    for (const f of run.failures) say('report', f.issues);
  });
  // With every command run, `map` says whether the input was refused (`map --reverse` refuses all but FHIR).
  const rejected = commands.includes('map') ? refused.has('map') : refused.size > 0;
  return { diagnostics, rejected, faults };
}

/** The markers of the input found in what pont said, one leak per message. */
export function leaksOf(input: BuiltInput, run: CaseRun): Leak[] {
  const leaks: Leak[] = [];
  for (const d of run.diagnostics) {
    const markers = input.markers.foundIn(d.text);
    if (markers.length > 0) leaks.push({ command: d.command, form: input.markers.redact(d.text), markers });
  }
  return leaks;
}

function issueTexts(issue: OperationOutcomeIssue): string[] {
  return [
    issue.diagnostics,
    issue.details?.text,
    ...(issue.details?.coding ?? []).flatMap((c) => [c.code, c.display]),
    ...(issue.expression ?? []),
    ...(issue.location ?? []),
  ].filter((t): t is string => typeof t === 'string');
}

function thrownTexts(err: unknown): string[] {
  if (err instanceof PontError) return [err.message, ...err.issues.flatMap(issueTexts)];
  if (err instanceof Error) return [err.message];
  return [String(err)];
}

/** The unbroken inputs: every example of each format, and pont's own Bundle of each canonical example as FHIR input. */
export function baseInputs(core: Core, examples: readonly { source: string; name: string; text: string }[]): BaseInput[] {
  const bases: BaseInput[] = [];
  for (const e of examples) {
    if (e.source !== 'ctp' && e.source !== 'carepath-json' && e.source !== 'wpas-csv') continue;
    bases.push({ format: e.source, name: e.name, text: e.text });
    if (e.source !== 'ctp') continue;
    const [converted] = core.convert([{ origin: e.name, source: 'ctp', text: e.text }]);
    if (converted?.bundle) bases.push({ format: 'fhir', name: e.name, text: JSON.stringify(converted.bundle) });
  }
  return bases;
}
