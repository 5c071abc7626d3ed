/**
 * Merging a shared resource: what the target holds and what pont sends both survive (identifiers
 * by system and value, names), each once; merging again changes nothing.
 */
import type { Identifier, Organization, Patient } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeShared, sameContent } from '../../../src/delivery/fhir-target/merge.js';

const identifier = fc.record({
  system: fc.constantFrom('https://fhir.nhs.uk/Id/nhs-number', 'https://a.example/Id/mrn', 'https://b.example/Id/case'),
  value: fc.constantFrom('1', '2', '3'),
});
const name = fc.record({ family: fc.constantFrom('Synthetic', 'Example'), given: fc.array(fc.constantFrom('Ann', 'Bob'), { maxLength: 2 }) });
const patient = fc.record({
  resourceType: fc.constant('Patient' as const),
  identifier: fc.array(identifier, { maxLength: 4 }),
  name: fc.array(name, { maxLength: 3 }),
  gender: fc.constantFrom('female' as const, 'male' as const),
});
const key = (i: Identifier): string => `${i.system}|${i.value}`;

describe('mergeShared', () => {
  it("keeps the union of identifiers and names, each once, under the target's id, with pont's other fields; merging again is no change", () => {
    fc.assert(
      fc.property(patient, patient, (heldContent, ours) => {
        const held = { ...heldContent, id: 'target-id', meta: { versionId: '3' } } satisfies Patient;
        const merged = mergeShared(held, ours) as Patient;
        expect(merged.id).toBe('target-id');
        expect(merged.gender).toBe(ours.gender);
        const keys = (merged.identifier ?? []).map(key);
        expect(new Set(keys)).toEqual(new Set([...held.identifier, ...ours.identifier].map(key)));
        expect(keys.length).toBe(new Set(keys).size);
        for (const n of [...held.name, ...ours.name]) expect(merged.name).toContainEqual(n);
        const stored = { ...merged, meta: { versionId: '4' } } as Patient;
        expect(sameContent(stored, mergeShared(stored, ours))).toBe(true);
      }),
    );
  });

  it("keeps an Organization's name and makes the other source's name an alias", () => {
    const held: Organization = {
      resourceType: 'Organization',
      id: 'o1',
      name: 'Held name',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: '7A4' }],
    };
    const ours: Organization = { resourceType: 'Organization', name: 'Our name', identifier: [{ system: 'https://fhir.pont.wales/Id/local', value: 'ORG1' }] };
    expect(mergeShared(held, ours)).toEqual({
      resourceType: 'Organization',
      id: 'o1',
      name: 'Held name',
      alias: ['Our name'],
      identifier: [...held.identifier!, ...ours.identifier!],
    });
  });
});
