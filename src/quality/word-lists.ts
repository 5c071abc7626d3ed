/**
 * The word lists the quality signals read (mappings/word-lists/), in English and Welsh, and the
 * matchers built from them once at start-up. A phrase matches as whole words: the characters
 * either side of it are not letters or digits, so "depot" is found in "a depot injection" and not
 * in "depots" or "redepot".
 */
import { z } from 'zod';
import { ConfigError } from '../errors/errors.js';
import { parseYamlAgainst } from '../input/yaml-file.js';
import { CONFIG_LAYOUT, type ConfigSource, configPath } from '../ports/config-source.js';

const text = z.string().trim().min(1);
const bilingual = <T extends z.ZodType>(item: T) => z.object({ en: z.array(item).min(1), cy: z.array(item).min(1) }).strict();

export const plainLanguageListsSchema = z
  .object({
    abbreviations: bilingual(z.object({ term: text, meaning: text }).strict()),
    jargon: bilingual(z.object({ term: text, plain: text }).strict()),
    placeholders: bilingual(text),
  })
  .strict();

export const planContentListsSchema = z
  .object({
    processOutcomes: bilingual(text),
    vagueOutcomes: bilingual(text),
    crisisOnlySigns: bilingual(text),
    notApplicable: bilingual(text),
    alwaysAvailable: bilingual(text),
    firstPerson: bilingual(text),
    thirdPerson: bilingual(text),
    noObviousPlace: bilingual(text),
    pastTense: bilingual(text),
  })
  .strict();

export type PlainLanguageLists = z.infer<typeof plainLanguageListsSchema>;
export type PlanContentLists = z.infer<typeof planContentListsSchema>;

/** Finds the phrases of one list in a text; `first` returns the first phrase found, as the list spells it. */
export interface PhraseMatcher {
  first(text: string): string | undefined;
  has(text: string): boolean;
  /** Every distinct phrase found, as the list spells them. */
  all(text: string): string[];
}

export interface WordLists {
  readonly abbreviations: PhraseMatcher;
  /** The meaning of an abbreviation, as the list gives it. */
  meaningOf(abbreviation: string): string | undefined;
  readonly jargon: PhraseMatcher;
  readonly placeholders: PhraseMatcher;
  readonly processOutcomes: PhraseMatcher;
  readonly vagueOutcomes: PhraseMatcher;
  readonly crisisOnlySigns: PhraseMatcher;
  readonly alwaysAvailable: PhraseMatcher;
  readonly firstPerson: PhraseMatcher;
  readonly thirdPerson: PhraseMatcher;
  readonly noObviousPlace: PhraseMatcher;
  /** Whether one word (any case) reports the past. */
  isPastTense(word: string): boolean;
  /** Whether a whole text says no more than one of the "not applicable" phrases. */
  isNotApplicable(text: string): boolean;
}

export const WORD_LIST_FILES = { plainLanguage: 'plain-language.yaml', planContent: 'plan-content.yaml' } as const;

export function loadWordLists(config: ConfigSource, folder: string = CONFIG_LAYOUT.wordLists): WordLists {
  const problems: string[] = [];
  const plain = parseYamlAgainst(config.read(configPath(folder, WORD_LIST_FILES.plainLanguage)), WORD_LIST_FILES.plainLanguage, plainLanguageListsSchema, problems);
  const content = parseYamlAgainst(config.read(configPath(folder, WORD_LIST_FILES.planContent)), WORD_LIST_FILES.planContent, planContentListsSchema, problems);
  if (!plain || !content) throw new ConfigError(`word lists are invalid:\n- ${problems.join('\n- ')}`);
  return buildWordLists(plain, content);
}

export function buildWordLists(plain: PlainLanguageLists, content: PlanContentLists): WordLists {
  const both = <T>(list: { en: readonly T[]; cy: readonly T[] }) => [...list.en, ...list.cy];
  const abbreviations = both(plain.abbreviations);
  const meanings = new Map(abbreviations.map((a) => [a.term, a.meaning] as const));
  const notApplicable = new Set(both(content.notApplicable).map(normalise));
  const past = new Set(both(content.pastTense).map(normalise));
  return {
    abbreviations: phraseMatcher(
      abbreviations.map((a) => a.term),
      true,
    ),
    meaningOf: (abbreviation) => meanings.get(abbreviation),
    jargon: phraseMatcher(
      both(plain.jargon).map((j) => j.term),
      false,
    ),
    placeholders: phraseMatcher(both(plain.placeholders), false),
    processOutcomes: phraseMatcher(both(content.processOutcomes), false),
    vagueOutcomes: phraseMatcher(both(content.vagueOutcomes), false),
    crisisOnlySigns: phraseMatcher(both(content.crisisOnlySigns), false),
    alwaysAvailable: phraseMatcher(both(content.alwaysAvailable), false),
    firstPerson: phraseMatcher(both(content.firstPerson), false),
    thirdPerson: phraseMatcher(both(content.thirdPerson), false),
    noObviousPlace: phraseMatcher(both(content.noObviousPlace), false),
    isPastTense: (w) => past.has(PLAIN_WORD.test(w) ? w.toLowerCase() : normalise(w)),
    isNotApplicable: (t) => notApplicable.has(normalise(t)),
  };
}

/**
 * A run of letters, digits and straight apostrophes, as plan-text.ts's `words` gives them: for such
 * a word `normalise` only lowers the case, so the signal judging every word of a plan skips the rest.
 */
const PLAIN_WORD = /^[\p{L}\p{N}']+$/u;

/** Lower case, curly apostrophes made straight, runs of spaces made one, and end punctuation dropped. */
export function normalise(t: string): string {
  return t
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/^[\s.,;:!?]+|[\s.,;:!?]+$/g, '');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One regular expression for a whole list: the phrases longest first (so "take my medication"
 * wins over a shorter phrase inside it), each between non-word characters.
 */
export function phraseMatcher(phrases: readonly string[], caseSensitive: boolean): PhraseMatcher {
  const spelled = new Map<string, string>();
  for (const p of phrases) spelled.set(caseSensitive ? p : normalise(p), p);
  const alternatives = [...spelled.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map((p) => escapeRegExp(p).replace(/ /g, '\\s+'));
  const source = `(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`;
  const once = new RegExp(source, caseSensitive ? 'u' : 'iu');
  // matchAll works on its own copy of the expression, so one global expression serves every call.
  const every = new RegExp(source, caseSensitive ? 'gu' : 'giu');
  const prepare = (t: string) => (caseSensitive ? t : t.replace(/[\u2018\u2019]/g, "'"));
  const key = (found: string) => (caseSensitive ? found : normalise(found));
  return {
    first(t) {
      const m = once.exec(prepare(t));
      return m ? spelled.get(key(m[0])) : undefined;
    },
    has(t) {
      return once.test(prepare(t));
    },
    all(t) {
      const found = new Set<string>();
      for (const m of prepare(t).matchAll(every)) {
        const p = spelled.get(key(m[0]));
        if (p !== undefined) found.add(p);
      }
      return [...found];
    },
  };
}
