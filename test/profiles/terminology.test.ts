import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../profiles/tools/build-profiles.js';
import { loadSources } from '../../profiles/tools/source-schema.js';
import { vocabularies } from '../../profiles/tools/terminology.js';
import * as vocabulary from '../../src/record/vocabulary.js';

const PROFILES = join(REPO_ROOT, 'profiles');
const read = <T>(name: string): T => JSON.parse(readFileSync(join(PROFILES, name), 'utf8')) as T;
const sources = loadSources(join(PROFILES, 'source'));
const codeSystemFiles = readdirSync(PROFILES).filter((f) => f.startsWith('CodeSystem-'));

describe('CodeSystems and ValueSets', () => {
  it('has one CodeSystem per terminology source, and no others', () => {
    expect(codeSystemFiles.sort()).toEqual(sources.codeSystems.map((c) => `CodeSystem-${c.id}.json`).sort());
  });

  it.each(sources.codeSystems.map((c) => [c.id, c.vocabulary] as const))('%s has exactly the codes of %s', (id, name) => {
    const vocab = vocabularies().get(name)!;
    const cs = read<CodeSystem>(`CodeSystem-${id}.json`);
    const concepts = cs.concept ?? [];
    expect(concepts.map((c) => c.code)).toEqual(Object.keys(vocab));
    expect(cs.count).toBe(concepts.length);
    expect(cs.content).toBe('complete');
    for (const c of concepts) {
      const entry = vocab[c.code]!;
      expect(c.display).toBe(entry.display);
      expect(c.definition).toBe(entry.definition);
      expect(c.designation).toEqual(entry.welsh ? [{ language: 'cy', value: entry.welsh }] : undefined);
      const verified = c.property?.find((p) => p.code === 'welsh-verified')?.valueBoolean;
      expect(verified).toBe(entry.welsh && vocabulary.unverifiedWelsh.has(c.code) ? false : undefined);
    }
    const vs = read<ValueSet>(`ValueSet-${id}.json`);
    expect(vs.url).toBe(cs.valueSet);
    expect(vs.compose?.include).toEqual([{ system: cs.url }]);
  });

  it('publishes every *Vocabulary export of vocabulary.ts', () => {
    const published = new Set(sources.codeSystems.map((c) => c.vocabulary));
    expect([...vocabularies().keys()].filter((name) => !published.has(name))).toEqual([]);
  });

  it('keeps the exported code arrays in step with their vocabularies', () => {
    const pairs: [readonly string[], object][] = [
      [vocabulary.planLanguages, vocabulary.planLanguageVocabulary],
      [vocabulary.encounterKinds, vocabulary.encounterKindVocabulary],
      [vocabulary.organisationKinds, vocabulary.organisationKindVocabulary],
      [vocabulary.part3Statuses, vocabulary.part3StatusVocabulary],
      [vocabulary.coordinatorEndReasons, vocabulary.coordinatorEndReasonVocabulary],
      [vocabulary.dischargeKinds, vocabulary.dischargeKindVocabulary],
      [vocabulary.areasOfLife, vocabulary.areaOfLifeVocabulary],
    ];
    for (const [codes, vocab] of pairs) expect([...codes]).toEqual(Object.keys(vocab));
  });

  it('marks unverified Welsh designations', () => {
    const cs = read<CodeSystem>('CodeSystem-pont-area-of-life.json');
    const accommodation = cs.concept!.find((c: CodeSystemConcept) => c.code === 'accommodation')!;
    expect(accommodation.designation).toEqual([{ language: 'cy', value: 'Llety' }]);
    expect(accommodation.property).toEqual([{ code: 'welsh-verified', valueBoolean: false }]);
    expect(cs.property?.[0]).toMatchObject({ code: 'welsh-verified', type: 'boolean' });
  });
});
