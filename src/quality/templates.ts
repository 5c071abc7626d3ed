/** The quality signals written in code, by template name, built over the word lists. */
import type { TemplateRegistry } from '../compliance/compile-pack.js';
import type { RuleTemplate } from '../compliance/template.js';
import { careSignals } from './signals/care.js';
import { contentSignals } from './signals/content.js';
import { involvementSignals } from './signals/involvement.js';
import { languageSignals } from './signals/language.js';
import { meetingSignals } from './signals/meetings.js';
import { voiceSignals } from './signals/voice.js';
import type { WordLists } from './word-lists.js';

export function qualityTemplates(words: WordLists): TemplateRegistry {
  const all: RuleTemplate<unknown>[] = [
    ...contentSignals(words),
    ...voiceSignals(words),
    ...languageSignals(words),
    ...careSignals(words),
    ...involvementSignals(),
    ...meetingSignals(),
  ];
  const registry = new Map<string, RuleTemplate<unknown>>();
  for (const t of all) {
    if (registry.has(t.name)) throw new Error(`two quality templates are named "${t.name}"`);
    registry.set(t.name, t);
  }
  return registry;
}
