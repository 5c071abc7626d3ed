/** A sync target may be limited to any type pont writes, and to nothing else: the list and the mapping agree. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DELIVERABLE_TYPES } from '../../src/config/sync-config.schema.js';
import { ROOT } from '../helpers/runtime.js';

describe('DELIVERABLE_TYPES', () => {
  it('is every resource type ctp-to-fhir writes, Consent included', () => {
    const written = new Set([...readFileSync(join(ROOT, 'mappings/ctp-to-fhir.yaml'), 'utf8').matchAll(/^\s+resourceType: ([A-Z][A-Za-z]+)$/gm)].map((m) => m[1]!));
    expect(written.has('Consent')).toBe(true);
    expect(new Set(DELIVERABLE_TYPES)).toEqual(written);
  });
});
