/**
 * The origin marker and the source-named local identifier systems (src/fhir/origin.ts): a source
 * system's name becomes one URI path segment that reads back as the same name and no other, and
 * originOf finds the source pont marked, or says there is none to claim.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isLocalIdentifierSystem,
  LEGACY_LOCAL_SYSTEM,
  localIdentifierSystem,
  ORIGIN_TAG_SYSTEM,
  originMeta,
  originOf,
  uriSegment,
  withOrigin,
} from '../../src/fhir/origin.js';
import { encodeCriteria } from '../../src/mapping/engine.js';

/** Names as sources may spell them: any text, with the characters URIs treat specially over-represented. */
const systemName = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.string({ unit: fc.constantFrom(..."aZ09-._~ /?#[]@!$&'()*+,;=%|:ŵ🙂"), minLength: 1, maxLength: 12 }),
);
/** RFC 3986 segment characters: unreserved or a percent-encoded octet, nothing else. */
const SEGMENT = /^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})+$/;

describe('uriSegment', () => {
  it('leaves the names sources use today as they are', () => {
    for (const name of ['wpas', 'vendor-a', 'pont-example', 'carepath-cav', 'WPAS_2.1~x']) expect(uriSegment(name)).toBe(name);
  });

  it('writes any name as one segment of unreserved characters and %XX octets, never "." or ".."', () => {
    fc.assert(
      fc.property(systemName, (name) => {
        const segment = uriSegment(name);
        expect(segment).toMatch(SEGMENT);
        expect(segment).not.toMatch(/^\.{1,2}$/);
      }),
    );
    expect(uriSegment('.')).toBe('%2E');
    expect(uriSegment('..')).toBe('%2E%2E');
  });

  it('is one to one: the segment decodes to the name, so two names never share a system', () => {
    fc.assert(
      fc.property(systemName, systemName, (a, b) => {
        expect(decodeURIComponent(uriSegment(a))).toBe(a);
        if (a !== b) expect(uriSegment(a)).not.toBe(uriSegment(b));
      }),
    );
  });
});

describe('localIdentifierSystem', () => {
  it('is the old shared system with the source system as one more path segment', () => {
    expect(localIdentifierSystem('wpas')).toBe('https://fhir.pont.wales/Id/local/wpas');
    expect(localIdentifierSystem('Vendor A/B')).toBe(`${LEGACY_LOCAL_SYSTEM}/Vendor%20A%2FB`);
  });

  it('is told apart from other systems, the old shared one included', () => {
    expect(
      [localIdentifierSystem('wpas'), LEGACY_LOCAL_SYSTEM, 'https://fhir.pont.wales/Id/localx', 'https://fhir.pont.wales/Id/plan', undefined].map(isLocalIdentifierSystem),
    ).toEqual([true, true, false, false, false]);
  });

  it('survives a conditional URL: the query pont writes reads back as the same system and value', () => {
    fc.assert(
      fc.property(systemName, fc.string({ minLength: 1, maxLength: 20 }), (name, value) => {
        const system = localIdentifierSystem(name);
        const url = `Organization?${encodeCriteria(`identifier=${system}|${value}`)}`;
        const query = url.slice(url.indexOf('?') + 1);
        expect(new URLSearchParams(query).get('identifier')).toBe(`${system}|${value}`);
        expect(new URL(`https://fhir.example.org/${url}`).searchParams.get('identifier')).toBe(`${system}|${value}`);
      }),
    );
  });
});

describe('the origin marker', () => {
  const resource = (meta?: Record<string, unknown>) => ({ resourceType: 'CarePlan', id: 'cp', ...(meta ? { meta } : {}) });

  it('sets meta.source and the origin tag, keeping the profile and other tags', () => {
    const marked = withOrigin(resource({ profile: ['p'], tag: [{ system: 'urn:other', code: 'x' }] }), 'wpas');
    expect(marked.meta).toEqual({
      profile: ['p'],
      source: 'https://fhir.pont.wales/source/wpas',
      tag: [
        { system: 'urn:other', code: 'x' },
        { system: ORIGIN_TAG_SYSTEM, code: 'wpas' },
      ],
    });
  });

  it('replaces an earlier origin tag rather than adding a second', () => {
    const twice = withOrigin(withOrigin(resource(), 'vendor-a'), 'wpas');
    expect(twice.meta).toEqual(originMeta('wpas'));
  });

  it('reads back as the source system that wrote it, whatever its name (property)', () => {
    fc.assert(
      fc.property(systemName, fc.integer({ min: 1, max: 4 }), (name, count) => {
        const resources = Array.from({ length: count }, () => withOrigin(resource({ profile: ['p'] }), name));
        expect(originOf(resources)).toBe(name);
      }),
    );
  });

  it('is read from meta.source where a server kept no tag', () => {
    expect(originOf([resource({ source: 'https://fhir.pont.wales/source/vendor%20a' })])).toBe('vendor a');
  });

  it('claims no origin for nothing, for a resource without the marker, or for mixed sources', () => {
    expect(originOf([])).toBeUndefined();
    expect(originOf([resource()])).toBeUndefined();
    expect(originOf([withOrigin(resource(), 'wpas'), resource({ source: 'https://epr.example.org/' })])).toBeUndefined();
    expect(originOf([withOrigin(resource(), 'wpas'), withOrigin(resource(), 'vendor-a')])).toBeUndefined();
    expect(originOf([null, 'text', 42])).toBeUndefined();
  });

  it('claims no origin from a tag or source pont could not have written', () => {
    for (const code of ['', '%', '%zz', 'a b', 'a%2fb', '.', '..']) {
      expect(originOf([resource({ tag: [{ system: ORIGIN_TAG_SYSTEM, code }] })]), code).toBeUndefined();
    }
    expect(originOf([resource({ source: 'https://fhir.pont.wales/source/' })])).toBeUndefined();
  });
});
