/**
 * The quality pack's engine: the same compliance engine the Welsh and English packs run in, over
 * the packs in mappings/quality-packs/ with the quality templates. Its rules are prompts for
 * human review ("prompt" fails as information) or guidance ("should" fails as a warning); none is
 * a statutory duty, so a quality signal never makes a record fail.
 */
import { type ComplianceEngine, createComplianceEngine } from '../compliance/engine.js';
import { loadRulePacks } from '../compliance/load-packs.js';
import { ConfigError } from '../errors/errors.js';
import { CONFIG_LAYOUT, type ConfigSource } from '../ports/config-source.js';
import { qualityTemplates } from './templates.js';
import { loadWordLists, type WordLists } from './word-lists.js';

export interface QualityEngine {
  readonly engine: ComplianceEngine;
  readonly words: WordLists;
}

export function createQualityEngine(config: ConfigSource): QualityEngine {
  const words = loadWordLists(config, CONFIG_LAYOUT.wordLists);
  const packs = loadRulePacks(config, qualityTemplates(words), {}, CONFIG_LAYOUT.qualityPacks);
  for (const pack of packs) {
    const must = pack.rules.find((r) => r.force === 'must');
    if (must) throw new ConfigError(`quality pack ${pack.id}: rule ${must.id}/${must.check} is a "must"; quality signals are prompts or guidance, never duties`);
  }
  return { engine: createComplianceEngine(packs), words };
}
