/**
 * The content hash of a served resource: the same whatever the order of its keys, and the same
 * hash as before the canonical JSON was written directly (stored hashes stay valid).
 */
import { createHash } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../src/fhir/served-resources.js';

/** The definition the hashes in existing stores were made with: JSON.stringify of objects rebuilt from sorted entries. */
const byRebuiltObjects = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

/** Objects with keys in another order, at every depth. */
function reordered(value: unknown, flip: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => reordered(v, flip));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]) => [k, reordered(v, !flip)] as const);
  return Object.fromEntries(flip ? entries.reverse() : entries);
}

const keys = fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '2', '01', '-1', '4294967295', 'id', 'resourceType', 'é', '\u{1F600}'));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 0 }), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(keys, tie('value'), { maxKeys: 5 })),
})).value;

describe('canonical JSON of a served resource', () => {
  it('is what JSON.stringify gives of objects rebuilt from sorted entries', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(byRebuiltObjects(value));
      }),
    );
  });

  it('does not depend on the order of keys, so neither does the content hash', () => {
    fc.assert(
      fc.property(fc.dictionary(keys, json, { maxKeys: 6 }), (body) => {
        const resource = { resourceType: 'Basic', ...body } as unknown as Resource;
        expect(canonicalJson(reordered(resource, true))).toBe(canonicalJson(resource));
        expect(contentHash(reordered(resource, true) as Resource)).toBe(createHash('sha256').update(byRebuiltObjects(resource)).digest('hex'));
      }),
    );
  });
});
