/**
 * The shared resources of a change looked for by identifier, those of one type in one search
 * (src/delivery/fhir-target/shared-search.ts), against a stand-in for the target's search that
 * answers as a token search does: each match is given to the item whose identifier it carries,
 * and where that cannot be done surely each item is searched for on its own.
 */
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { searchShared } from '../../../src/delivery/fhir-target/shared-search.js';

const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';
const org = (id: string, ...codes: string[]): Resource => ({ resourceType: 'Organization', id, identifier: codes.map((value) => ({ system: ODS, value })) });
const item = (code: string, criteria = `identifier=${ODS}|${code}`) => ({ key: `Organization?${criteria}`, type: 'Organization', code });

/** A target holding these resources, answering `Type?identifier=a,b` as FHIR's OR, and logging each search's criteria. */
function target(held: readonly Resource[], options: { more?: boolean; extra?: Resource } = {}) {
  const searches: string[] = [];
  return {
    searches,
    async searchPage(url: string) {
      const query = new URLSearchParams(url.slice(url.indexOf('?') + 1));
      searches.push(query.toString());
      const tokens = (query.get('identifier') ?? '').split(',');
      const matches = held.filter((r) =>
        (r as { identifier?: { system?: string; value?: string }[] }).identifier?.some((i) => tokens.includes(`${i.system}|${i.value}`) || tokens.includes(i.value ?? '')),
      );
      return { matches: options.extra ? [...matches, options.extra] : matches, more: options.more === true };
    },
  };
}

describe('the shared resources of one type', () => {
  it('are looked for in one search with their tokens joined, each match given to its own item', async () => {
    const http = target([org('a', '7A4'), org('b', 'W99001'), org('c', 'X1')]);
    const [first, second, missing] = [item('7A4'), item('W99001'), item('ZZ9')];
    const found = await searchShared(http, [first, second, missing]);
    expect(http.searches).toEqual([new URLSearchParams({ identifier: `${ODS}|7A4,${ODS}|W99001,${ODS}|ZZ9` }).toString()]);
    expect(found.get(first)!.map((r) => r.id)).toEqual(['a']);
    expect(found.get(second)!.map((r) => r.id)).toEqual(['b']);
    expect(found.get(missing)).toEqual([]);
  });

  it('give every item all its matches, so that two resources carrying one code are seen as two', async () => {
    const http = target([org('a', '7A4'), org('a2', '7A4'), org('b', 'W99001')]);
    const [first, second] = [item('7A4'), item('W99001')];
    const found = await searchShared(http, [first, second]);
    expect(found.get(first)!.map((r) => r.id)).toEqual(['a', 'a2']);
    expect(found.get(second)!.map((r) => r.id)).toEqual(['b']);
    expect(http.searches).toHaveLength(1);
  });

  it('a token without a system matches any system, as a token search does', async () => {
    const http = target([org('a', '7A4'), org('b', 'W99001')]);
    const [bare, full] = [item('7A4', 'identifier=7A4'), item('W99001')];
    const found = await searchShared(http, [bare, full]);
    expect(found.get(bare)!.map((r) => r.id)).toEqual(['a']);
    expect(found.get(full)!.map((r) => r.id)).toEqual(['b']);
    expect(http.searches).toHaveLength(1);
  });

  it.each([
    ['a match that carries none of the tokens (the target matched otherwise)', { extra: org('odd', 'other') }],
    ['more matches than the first page', { more: true }],
  ])('%s: each item searched for on its own', async (_, options) => {
    const http = target([org('a', '7A4'), org('b', 'W99001')], options);
    const [first, second] = [item('7A4'), item('W99001')];
    const found = await searchShared(http, [first, second]);
    expect(http.searches).toHaveLength(3);
    expect(http.searches.slice(1)).toEqual([`identifier=${encodeURIComponent(`${ODS}|7A4`)}`, `identifier=${encodeURIComponent(`${ODS}|W99001`)}`]);
    expect(found.get(first)!.map((r) => r.id)).toContain('a');
    expect(found.get(second)!.map((r) => r.id)).toContain('b');
  });

  it.each([
    ['other criteria', 'name=Cardiff'],
    ['two parameters', `identifier=${ODS}|7A4&active=true`],
    ['a comma in the token', `identifier=${ODS}|7A4,7A5`],
    ['an escape in the token', `identifier=${ODS}|7A4\\,x`],
  ])('%s: each item searched for on its own, with its own criteria', async (_, criteria) => {
    const http = target([org('a', '7A4'), org('b', 'W99001')]);
    const items = [item('7A4', criteria), item('W99001')];
    await searchShared(http, items);
    expect(http.searches).toEqual(items.map((i) => new URLSearchParams(i.key.slice(i.key.indexOf('?') + 1)).toString()));
  });

  it('one of its type is searched for on its own; types are never mixed', async () => {
    const http = target([org('a', '7A4')]);
    const patient = { key: 'Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018', type: 'Patient' };
    const found = await searchShared(http, [patient, item('7A4')]);
    expect(http.searches).toHaveLength(2);
    expect(found.get(patient)).toEqual([]);
  });
});
