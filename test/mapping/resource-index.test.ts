import { describe, expect, it } from 'vitest';
import { ResourceIndex } from '../../src/mapping/resource-index.js';

describe('ResourceIndex', () => {
  const index = new ResourceIndex();
  index.add('Patient', 'patient', 'urn:uuid:1');
  index.add('Goal', 'g1', 'urn:uuid:2');
  index.add('Provenance', 'provenance', 'urn:uuid:3');
  index.add('Goal', 'g2', 'urn:uuid:4');

  it('resolves a type and local id to its reference', () => {
    expect(index.reference('Goal', 'g2')).toBe('urn:uuid:4');
    expect(index.reference('Goal', 'patient')).toBeUndefined();
    expect(index.has('Patient', 'patient')).toBe(true);
    expect(index.has('Condition', 'patient')).toBe(false);
  });

  it('lists references in planning order, leaving out a type when asked', () => {
    expect(index.references()).toEqual(['urn:uuid:1', 'urn:uuid:2', 'urn:uuid:3', 'urn:uuid:4']);
    expect(index.references('Provenance')).toEqual(['urn:uuid:1', 'urn:uuid:2', 'urn:uuid:4']);
  });
});
