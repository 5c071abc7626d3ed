/**
 * The check use case: convert every input, evaluate each record against a rule pack, and count
 * coordinators' caseloads across the records of the run. Returns plain results; rendering is the
 * front end's job (`checkRunJson` gives the JSON shape every front end shares).
 */
import { evaluateCaseloads } from '../compliance/caseload.js';
import type { ComplianceEngine, Evaluation } from '../compliance/engine.js';
import type { Finding } from '../compliance/finding.js';
import type { LocalStandardsText } from '../compliance/load-packs.js';
import { findingIssues } from '../compliance/outcome.js';
import { hasErrors } from '../fhir/outcome.js';
import type { Conversion, Pipeline } from '../pipeline/pipeline.js';
import type { Clock } from '../ports/clock.js';
import type { IsoDate } from '../time/dates.js';
import { convert } from './convert.js';
import type { Input } from './inputs.js';

/** A converted record, with its compliance evaluation when the rules were run. */
export type CheckResult = Conversion & { readonly evaluation?: Evaluation };

export interface CheckOptions {
  /** Evaluation date, or 'extracted' for each record's own extraction date; default today. */
  readonly asOf?: IsoDate | 'extracted';
  /** The rule pack for every record; default the pack each record's organisation or source selects. */
  readonly pack?: string;
  /** An organisation's local standards, which make a pack's limits stricter. */
  readonly localStandards?: LocalStandardsText;
  /** false: convert and validate only. Default true. */
  readonly compliance?: boolean;
}

export interface CheckRun {
  readonly results: readonly CheckResult[];
  /** Caseload findings across the records, per pack used; only with a fixed evaluation date. */
  readonly caseloads: readonly Finding[];
  /** Whether any record has errors (input, validation or compliance) or a caseload is over an error limit. */
  readonly failed: boolean;
}

export interface CheckDeps {
  readonly pipeline: Pipeline;
  readonly clock: Clock;
  readonly compliance: ComplianceEngine;
  /** A compliance engine whose pack follows local standards. */
  readonly complianceWith: (standards: LocalStandardsText) => ComplianceEngine;
}

export function check(deps: CheckDeps, inputs: Iterable<Input>, options: CheckOptions = {}): CheckRun {
  const withRules = options.compliance !== false;
  const engine = withRules && options.localStandards !== undefined ? deps.complianceWith(options.localStandards) : deps.compliance;
  if (options.pack !== undefined) engine.pack(options.pack); // an unknown pack is refused before any input is read
  const fixedAsOf = options.asOf === 'extracted' ? undefined : (options.asOf ?? deps.clock.today());
  const results: CheckResult[] = convert(deps.pipeline, inputs).map((conversion) => {
    if (!withRules || !conversion.record) return conversion;
    const asOf = fixedAsOf ?? conversion.record.source.extractedAt.slice(0, 10);
    return withCompliance(conversion, engine.evaluate(conversion.record, { asOf, pack: options.pack }));
  });
  const caseloads = withRules && fixedAsOf !== undefined ? caseloadsOf(results, engine, fixedAsOf) : [];
  const failed = results.some((r) => hasErrors(r.issues)) || caseloads.some((f) => f.severity === 'error');
  return { results, caseloads, failed };
}

/** A conversion with its compliance evaluation: its issues go on to the findings that need action. */
export function withCompliance(conversion: Conversion, evaluation: Evaluation): CheckResult {
  return { ...conversion, evaluation, issues: [...conversion.issues, ...findingIssues(evaluation.findings)] };
}

/** Caseload findings for each pack used, over the records that used it. */
function caseloadsOf(results: readonly CheckResult[], engine: ComplianceEngine, asOf: IsoDate): Finding[] {
  const byPack = new Map<string, CheckResult[]>();
  for (const r of results) {
    if (!r.evaluation || !r.record) continue;
    const list = byPack.get(r.evaluation.pack.id) ?? [];
    list.push(r);
    byPack.set(r.evaluation.pack.id, list);
  }
  return [...byPack].flatMap(([pack, rs]) =>
    evaluateCaseloads(
      rs.map((r) => r.record!),
      engine.packs.find((p) => p.id === pack)!,
      asOf,
    ),
  );
}
