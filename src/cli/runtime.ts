/**
 * The composition root for command-line use: loads mappings and profiles once, compiles the
 * validator, and builds the pipeline. Data directories are found beside the package.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createComplianceEngine, type ComplianceEngine } from '../compliance/engine.js';
import { loadRulePacks } from '../compliance/load-packs.js';
import { builtInTemplates } from '../compliance/templates/index.js';
import { createValidator } from '../fhir/validate.js';
import { loadMappings } from '../mapping/loader.js';
import { createPipeline, type Pipeline } from '../pipeline/pipeline.js';

/** Sources read without an export parser of their own. */
const BUILT_IN_SOURCES = ['ctp', 'fhir'] as const;
import { loadProfiles } from '../profiles/load-profiles.js';
import { parseSource, SOURCE_NAMES } from '../sources/index.js';

/** The package root: two levels above this file in both src/cli and dist/cli. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Runtime {
  readonly pipeline: Pipeline;
  /** Every source name `--source` accepts. */
  readonly sources: readonly string[];
  readonly compliance: ComplianceEngine;
  /** A compliance engine whose pack follows an organisation's stricter local standards (a YAML file). */
  complianceWith(localStandardsFile: string): ComplianceEngine;
}

export function createRuntime(options: { now?: () => Date } = {}): Runtime {
  const mappings = loadMappings(resolve(PACKAGE_ROOT, 'mappings'));
  const validator = createValidator(loadProfiles(resolve(PACKAGE_ROOT, 'profiles')));
  const pipeline = createPipeline({ mappings, validator, parseSource, now: options.now });
  const packDir = resolve(PACKAGE_ROOT, 'mappings/rule-packs');
  const templates = builtInTemplates();
  return {
    pipeline,
    sources: [...BUILT_IN_SOURCES, ...SOURCE_NAMES],
    compliance: createComplianceEngine(loadRulePacks(packDir, templates)),
    complianceWith: (localStandardsFile) => createComplianceEngine(loadRulePacks(packDir, templates, { localStandardsFile })),
  };
}
