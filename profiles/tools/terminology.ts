/**
 * CodeSystems and ValueSets generated from src/record/vocabulary.ts: one CodeSystem per
 * vocabulary named in profiles/source/terminology.yaml, and a ValueSet of the same id holding
 * every code of it.
 */
import type { CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';
import { codeSystemUrl, conformanceHeader, type Release, valueSetUrl, WELSH_VERIFIED_PROPERTY } from '../../src/profiles/canonical.js';
import type { Vocabulary } from '../../src/record/vocabulary.js';
import * as vocabularyModule from '../../src/record/vocabulary.js';
import type { CodeSystemSource } from './source-schema.js';

/** Every `*Vocabulary` export of vocabulary.ts, by export name. */
export function vocabularies(): ReadonlyMap<string, Vocabulary> {
  const out = new Map<string, Vocabulary>();
  for (const [name, value] of Object.entries(vocabularyModule)) {
    if (name.endsWith('Vocabulary') && typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Set)) {
      out.set(name, value as Vocabulary);
    }
  }
  return out;
}

export function vocabularyFor(source: CodeSystemSource): Vocabulary {
  const vocabulary = vocabularies().get(source.vocabulary);
  if (!vocabulary) throw new Error(`CodeSystem ${source.id}: vocabulary.ts has no export ${source.vocabulary}`);
  return vocabulary;
}

export function buildCodeSystem(source: CodeSystemSource, release: Release): CodeSystem {
  const vocabulary = vocabularyFor(source);
  let usesWelshProperty = false;
  const concept: CodeSystemConcept[] = Object.entries(vocabulary).map(([code, entry]) => {
    const unverified = entry.welsh !== undefined && vocabularyModule.unverifiedWelsh.has(code);
    usesWelshProperty ||= unverified;
    return {
      code,
      display: entry.display,
      ...(entry.definition ? { definition: entry.definition } : {}),
      ...(entry.welsh ? { designation: [{ language: 'cy', value: entry.welsh }] } : {}),
      ...(unverified ? { property: [{ code: WELSH_VERIFIED_PROPERTY, valueBoolean: false }] } : {}),
    };
  });
  return {
    ...conformanceHeader('CodeSystem', source.id, release, source.title, source.description),
    caseSensitive: true,
    valueSet: valueSetUrl(source.id),
    content: 'complete',
    count: concept.length,
    ...(usesWelshProperty
      ? {
          property: [
            {
              code: WELSH_VERIFIED_PROPERTY,
              description: 'False when the Welsh designation has not yet been checked against the statutory Welsh text.',
              type: 'boolean' as const,
            },
          ],
        }
      : {}),
    concept,
  };
}

export function buildValueSet(source: CodeSystemSource, release: Release): ValueSet {
  return {
    ...conformanceHeader('ValueSet', source.id, release, source.title, `Every code of the CodeSystem ${source.id}: ${source.description}`),
    compose: { include: [{ system: codeSystemUrl(source.id) }] },
  };
}
