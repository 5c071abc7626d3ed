/** The word lists as data, and their matchers: whole words, case where it matters, English and Welsh. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/errors.js';
import { memoryConfig } from '../../src/ports/memory-config.js';
import { unexplainedAbbreviations } from '../../src/quality/signals/language.js';
import { buildWordLists, loadWordLists, normalise, phraseMatcher } from '../../src/quality/word-lists.js';
import { quality, variant } from './helpers.js';

describe('phrase matchers', () => {
  it('match whole words and phrases only, across runs of spaces and curly apostrophes', () => {
    const m = phraseMatcher(['depot', 'stay well', "can't cope"], false);
    expect(m.has('a Depot injection')).toBe(true);
    expect(m.has('depots are due')).toBe(false);
    expect(m.has('to  stay\nwell')).toBe(true);
    expect(m.first('I can’t cope')).toBe("can't cope");
    expect(m.all('depot, then stay well, then depot')).toEqual(['depot', 'stay well']);
  });

  it('match abbreviations as written: OPA but not opa', () => {
    const m = phraseMatcher(['OPA', 'U&E'], true);
    expect(m.all('Book an OPA and U&E bloods')).toEqual(['OPA', 'U&E']);
    expect(m.has('opa')).toBe(false);
  });
});

describe('the shipped word lists', () => {
  const words = quality().words;

  it('find template residue, jargon and abbreviations in Welsh as well as English', () => {
    expect(words.placeholders.has('Bydd ef/hi yn mynychu')).toBe(true);
    expect(words.placeholders.has('Bydd [enw] yn mynychu')).toBe(true);
    expect(words.abbreviations.all('Cyswllt gyda’r TIMC')).toEqual(['TIMC']);
    expect(words.jargon.has('Seicoaddysg gyda’r nyrs')).toBe(true);
    expect(words.processOutcomes.has('Cymryd meddyginiaeth bob dydd')).toBe(true);
    expect(words.alwaysAvailable.has('Ar gael 24 awr')).toBe(true);
  });

  it('count an abbreviation as explained when its meaning is in the plan', () => {
    const plan = (text: string) => variant((r) => (r.plans![0]!.outcomes![0]!.actions![0]!.description = text)).plans![0]!;
    expect(unexplainedAbbreviations(plan('Tell the CMHT the date'), words)).toEqual(['CMHT']);
    expect(unexplainedAbbreviations(plan('Tell the community mental health team (CMHT) the date'), words)).toEqual([]);
  });

  it('know a word that reports the past whatever its case, apostrophe or end punctuation, exactly as its normal form is listed', () => {
    const listed = ['went', 'was told', 'didn’t', 'had'];
    const one = { en: ['one'], cy: ['un'] };
    const past = buildWordLists(
      {
        abbreviations: { en: [{ term: 'AB', meaning: 'a b' }], cy: [{ term: 'CD', meaning: 'c d' }] },
        jargon: { en: [{ term: 'x', plain: 'y' }], cy: [{ term: 'z', plain: 'w' }] },
        placeholders: one,
      },
      {
        processOutcomes: one,
        vagueOutcomes: one,
        crisisOnlySigns: one,
        notApplicable: one,
        alwaysAvailable: one,
        firstPerson: one,
        thirdPerson: one,
        noObviousPlace: one,
        pastTense: { en: listed, cy: ['aeth'] },
      },
    );
    const known = new Set([...listed, 'aeth'].map(normalise));
    const variants = fc.constantFrom(...listed, 'aeth', 'go', 'WENT', 'Didn’t', "didn't", 'went.', ' had ', 'had!', 'was  told');
    fc.assert(
      fc.property(fc.oneof(variants, fc.string(), fc.string({ unit: fc.constantFrom('a', 'W', 'é', "'", '’', ' ', '.', '1') })), (w) => {
        expect(past.isPastTense(w)).toBe(known.has(normalise(w)));
      }),
    );
  });

  it('say a views text is "not applicable" only when that is all it says', () => {
    expect(words.isNotApplicable(' N/A. ')).toBe(true);
    expect(words.isNotApplicable('Amherthnasol')).toBe(true);
    expect(words.isNotApplicable('N/A at first, but I now want to add that I like the plan')).toBe(false);
  });
});

describe('loading', () => {
  it('refuses word lists that are missing or malformed, naming the file', () => {
    expect(() => loadWordLists(memoryConfig({}, 'test'))).toThrow(ConfigError);
    expect(() => loadWordLists(memoryConfig({ 'mappings/word-lists/plain-language.yaml': 'abbreviations: 3' }, 'test'))).toThrow(/plain-language\.yaml/);
  });
});
