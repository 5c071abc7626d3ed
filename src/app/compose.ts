/**
 * The composition root: builds every dependency of the use cases once (mappings, profiles and
 * validator, rule packs, measure reference data) from a configuration source and a clock, and
 * binds the use cases to them. The command line, and next the HTTP API and the queue worker, each
 * create one core at start-up and call its use cases; nothing is kept between calls.
 */

import type { TemplateRegistry } from '../compliance/compile-pack.js';
import { type ComplianceEngine, createComplianceEngine } from '../compliance/engine.js';
import { type LocalStandardsText, loadRulePacks } from '../compliance/load-packs.js';
import { builtInTemplates } from '../compliance/templates/index.js';
import { r4Base } from '../fhir/r4-base.js';
import { createValidator } from '../fhir/validate.js';
import { fhirElementKeys, zodSchemaKeys } from '../input/known-keys.js';
import { loadMappings } from '../mapping/loader.js';
import { createMeasureDeps } from '../measures/deps.js';
import type { EvaluationDeps } from '../measures/evaluate.js';
import { type Conversion, type ConvertOptions, createPipeline, type Pipeline } from '../pipeline/pipeline.js';
import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/clock.js';
import { CONFIG_LAYOUT, type ConfigSource } from '../ports/config-source.js';
import type { RecordStore } from '../ports/record-store.js';
import { loadProfiles } from '../profiles/load-profiles.js';
import { createQualityEngine } from '../quality/quality-engine.js';
import { qualityMeasures } from '../quality/quality-measures.js';
import type { QualityDeps } from '../quality/quality-run.js';
import { loadSharedTextSettings } from '../quality/shared-text.js';
import { recordSchema } from '../record/record.schema.js';
import { multiClientFileSchema, singleClientFileSchema } from '../sources/carepath-json.schema.js';
import { locateInSource, parseSource, SOURCE_NAMES } from '../sources/index.js';
import { type CheckOptions, type CheckRun, type CheckStream, check, checkEach } from './check.js';
import { convert, convertEach } from './convert.js';
import type { Input, Inputs } from './inputs.js';
import { type ReportOptions, type ReportRun, report } from './report.js';

/** Sources read without an export parser of their own. */
const BUILT_IN_SOURCES = ['ctp', 'fhir'] as const;

export interface CoreOptions {
  /** Mappings, rule packs, profiles and reference data (see CONFIG_LAYOUT). */
  readonly config: ConfigSource;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** The rule templates packs may use; default the built-in ones. */
  readonly templates?: TemplateRegistry;
}

export interface Core {
  readonly clock: Clock;
  /** Every source format the inputs may be in. */
  readonly sources: readonly string[];
  /** The conversion stages, for callers that need one stage alone (tests, round trips). */
  readonly pipeline: Pipeline;
  readonly compliance: ComplianceEngine;
  readonly measureDeps: EvaluationDeps;
  /** Whether a JSON key is one pont's formats define, and so may be named in a message (any other may be patient data). */
  isKnownKey(key: string): boolean;
  convert(inputs: Iterable<Input>, options?: ConvertOptions): Conversion[];
  /** convert over inputs read as they come, each record's result yielded when ready. */
  convertEach(inputs: Inputs, options?: ConvertOptions): AsyncIterable<Conversion>;
  /** FHIR (normally pont's own Bundle) back into the canonical record. */
  reverse(input: { readonly origin: string; readonly text: string }): ReturnType<Pipeline['reverse']>;
  check(inputs: Iterable<Input>, options?: CheckOptions): CheckRun;
  /** check over inputs read as they come, each record's result yielded when ready, the caseloads at the end. */
  checkEach(inputs: Inputs, options?: CheckOptions): CheckStream;
  report(inputs: Inputs, options: ReportOptions, store?: RecordStore): Promise<ReportRun>;
}

export function createCore(options: CoreOptions): Core {
  const { config } = options;
  const clock = options.clock ?? systemClock();
  const templates = options.templates ?? builtInTemplates();
  const mappings = loadMappings(config, CONFIG_LAYOUT.mappings);
  const validator = createValidator(loadProfiles(config, CONFIG_LAYOUT.profiles));
  const knownKeys = fhirElementKeys(r4Base().types.values(), zodSchemaKeys([recordSchema, singleClientFileSchema, multiClientFileSchema]));
  const isKnownKey = (key: string) => knownKeys.has(key);
  const pipeline = createPipeline({ mappings, validator, parseSource, locateInSource, isKnownKey, now: () => clock.now() });
  const packs = (localStandards?: LocalStandardsText) => loadRulePacks(config, templates, localStandards === undefined ? {} : { localStandards }, CONFIG_LAYOUT.rulePacks);
  const compliance = createComplianceEngine(packs());
  const measureDeps = createMeasureDeps(config);
  const complianceWith = (standards: LocalStandardsText) => createComplianceEngine(packs(standards));
  let qualityDeps: QualityDeps | undefined;
  const quality = () => (qualityDeps ??= { engine: createQualityEngine(config), sharedText: loadSharedTextSettings(config) });
  return {
    clock,
    sources: [...BUILT_IN_SOURCES, ...SOURCE_NAMES],
    pipeline,
    compliance,
    measureDeps,
    isKnownKey,
    convert: (inputs, convertOptions) => convert(pipeline, inputs, convertOptions),
    convertEach: (inputs, convertOptions) => convertEach(pipeline, inputs, convertOptions),
    reverse: (input) => pipeline.reverse(input.text, input.origin),
    check: (inputs, checkOptions) => check({ pipeline, clock, compliance, complianceWith, quality }, inputs, checkOptions),
    checkEach: (inputs, checkOptions) => checkEach({ pipeline, clock, compliance, complianceWith, quality }, inputs, checkOptions),
    report: (inputs, reportOptions, store) =>
      report({ pipeline, clock, measureDeps, qualityMeasures: () => qualityMeasures(quality().engine, quality().sharedText) }, inputs, reportOptions, store),
  };
}
