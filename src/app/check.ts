/**
 * The check use case: convert every input, evaluate each record against a rule pack, and count
 * coordinators' caseloads across the records of the run. Returns plain results; rendering is the
 * front end's job (`checkRunJson` gives the JSON shape every front end shares).
 */
import { caseloadCounter } from '../compliance/caseload.js';
import type { ComplianceEngine, Evaluation } from '../compliance/engine.js';
import type { Finding } from '../compliance/finding.js';
import type { LocalStandardsText } from '../compliance/load-packs.js';
import { findingIssues } from '../compliance/outcome.js';
import { hasErrors } from '../fhir/outcome.js';
import type { Conversion, Pipeline } from '../pipeline/pipeline.js';
import type { Clock } from '../ports/clock.js';
import { type QualityDeps, type QualitySummary, qualityRun } from '../quality/quality-run.js';
import type { IsoDate } from '../time/dates.js';
import { convertInput } from './convert.js';
import type { Input, Inputs } from './inputs.js';
import { gatherLooseFhir, gatherLooseFhirNow } from './loose-fhir.js';

/** A converted record, with its compliance evaluation when the rules were run, and its quality signals when asked for. */
export type CheckResult = Conversion & { readonly evaluation?: Evaluation; readonly quality?: Evaluation };

export interface CheckOptions {
  /** Evaluation date, or 'extracted' for each record's own extraction date; default today. */
  readonly asOf?: IsoDate | 'extracted';
  /** The rule pack for every record; default the pack each record's organisation or source selects. */
  readonly pack?: string;
  /** An organisation's local standards, which make a pack's limits stricter. */
  readonly localStandards?: LocalStandardsText;
  /** false: convert and validate only. Default true. */
  readonly compliance?: boolean;
  /** Also run the quality pack and the cross-record quality signals (prompts for review: they never fail a record). Default false. */
  readonly quality?: boolean;
}

export interface CheckRun {
  readonly results: readonly CheckResult[];
  /** Caseload findings across the records, per pack used; only with a fixed evaluation date. */
  readonly caseloads: readonly Finding[];
  /** Whether any record has errors (input, validation or compliance) or a caseload is over an error limit. */
  readonly failed: boolean;
  /** With the quality option: shared text across records and the signals per team and health board. */
  readonly quality?: QualitySummary;
}

export interface CheckDeps {
  readonly pipeline: Pipeline;
  readonly clock: Clock;
  readonly compliance: ComplianceEngine;
  /** A compliance engine whose pack follows local standards. */
  readonly complianceWith: (standards: LocalStandardsText) => ComplianceEngine;
  /** The quality pack and shared-text settings, built when first asked for. */
  readonly quality?: () => QualityDeps;
}

export function check(deps: CheckDeps, inputs: Iterable<Input>, options: CheckOptions = {}): CheckRun {
  const run = checkRun(deps, options);
  const results: CheckResult[] = [];
  for (const input of gatherLooseFhirNow(inputs)) results.push(...run.input(input));
  return { results, ...run.summary() };
}

/** What a streamed check run ends with, once every result has been read. */
export interface CheckSummary {
  readonly caseloads: readonly Finding[];
  readonly failed: boolean;
  /** Records checked, and those with errors. */
  readonly records: number;
  readonly recordsFailed: number;
  readonly quality?: QualitySummary;
}

export interface CheckStream {
  /** Each record's result, as soon as its input has been read. */
  readonly results: AsyncIterable<CheckResult>;
  /** The caseloads and the verdict over the whole run; call it once the results are all read. */
  summary(): CheckSummary;
}

/**
 * The check use case over inputs read as they come: each record's result is yielded when ready
 * and not kept. What the whole run needs is kept small: counts, and for caseloads the person keys
 * each coordinator holds (src/compliance/caseload.ts).
 */
export function checkEach(deps: CheckDeps, inputs: Inputs, options: CheckOptions = {}): CheckStream {
  const run = checkRun(deps, options);
  let done = false;
  async function* results(): AsyncGenerator<CheckResult> {
    for await (const input of gatherLooseFhir(inputs)) yield* run.input(input);
    done = true;
  }
  return {
    results: results(),
    summary() {
      if (!done) throw new Error('checkEach: summary() asked for before every result was read');
      return run.summary();
    },
  };
}

/** One check run: its options settled, its counters and caseload counters. */
function checkRun(deps: CheckDeps, options: CheckOptions) {
  const withRules = options.compliance !== false;
  const engine = withRules && options.localStandards !== undefined ? deps.complianceWith(options.localStandards) : deps.compliance;
  if (options.pack !== undefined) engine.pack(options.pack); // an unknown pack is refused before any input is read
  if (options.quality === true && deps.quality === undefined) throw new Error('check: quality signals asked for but no quality pack was given');
  const quality = options.quality === true && withRules ? qualityRun(deps.quality!()) : undefined;
  const fixedAsOf = options.asOf === 'extracted' ? undefined : (options.asOf ?? deps.clock.today());
  // Caseloads are counted only on one fixed evaluation date, per pack used.
  const counters = new Map<string, ReturnType<typeof caseloadCounter>>();
  let records = 0;
  let recordsFailed = 0;
  const checkOne = (conversion: Conversion): CheckResult => {
    if (!withRules || !conversion.record) return conversion;
    const asOf = fixedAsOf ?? conversion.record.source.extractedAt.slice(0, 10);
    let result = withCompliance(conversion, engine.evaluate(conversion.record, { asOf, pack: options.pack }));
    if (quality) result = withQuality(result, quality.evaluate(conversion.record, nameOf(conversion), asOf));
    if (fixedAsOf !== undefined) {
      const pack = result.evaluation!.pack.id;
      let counter = counters.get(pack);
      if (counter === undefined) counters.set(pack, (counter = caseloadCounter(engine.packs.find((p) => p.id === pack)!, fixedAsOf)));
      counter.add(conversion.record);
    }
    return result;
  };
  return {
    input(input: Input): CheckResult[] {
      const results = convertInput(deps.pipeline, input).map(checkOne);
      records += results.length;
      recordsFailed += results.filter((r) => hasErrors(r.issues)).length;
      return results;
    },
    summary(): CheckSummary {
      const caseloads = [...counters.values()].flatMap((c) => c.findings());
      return {
        caseloads,
        failed: recordsFailed > 0 || caseloads.some((f) => f.severity === 'error'),
        records,
        recordsFailed,
        ...(quality ? { quality: quality.summary() } : {}),
      };
    },
  };
}

/** A conversion with its compliance evaluation: its issues go on to the findings that need action. */
export function withCompliance(conversion: Conversion, evaluation: Evaluation): CheckResult {
  return { ...conversion, evaluation, issues: [...conversion.issues, ...findingIssues(evaluation.findings)] };
}

/** A checked record with its quality signals: those that fired join its issues, as information or warnings. */
export function withQuality(result: CheckResult, quality: Evaluation): CheckResult {
  return { ...result, quality, issues: [...result.issues, ...findingIssues(quality.findings)] };
}

/** How a run names a record: its input, and its position when the input holds several. */
export function nameOf(conversion: Conversion): string {
  return conversion.listed ? `${conversion.origin} (record ${conversion.index + 1})` : conversion.origin;
}
