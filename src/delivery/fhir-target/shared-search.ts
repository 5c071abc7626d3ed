/**
 * The shared resources of a change (Patient by NHS number, Organization by ODS code) looked for
 * at a target by their identifier: the items of one type in one search, their tokens joined by
 * commas (FHIR's OR on one parameter), each match given to the item whose identifier it carries.
 * Where that cannot be done surely (criteria other than one identifier token, a token that holds
 * a comma or an escape, a match that carries none of the tokens, more matches than one page), each
 * item of the type is searched for on its own, as a lone item is.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { FhirHttp } from './fhir-http.js';

export interface SearchedItem {
  /** `Type?criteria`. */
  readonly key: string;
  readonly type: string;
}

interface Token {
  /** The criterion as the key writes it, `[system|]value`. */
  readonly text: string;
  readonly system: string | undefined;
  readonly value: string;
}

/** Every item's matches at the target (more than one is for the caller to refuse). */
export async function searchShared<I extends SearchedItem>(http: Pick<FhirHttp, 'searchPage'>, items: readonly I[]): Promise<Map<I, Resource[]>> {
  const found = new Map<I, Resource[]>();
  const byType = new Map<string, I[]>();
  for (const i of items) byType.set(i.type, [...(byType.get(i.type) ?? []), i]);
  for (const [type, group] of byType) {
    const together = group.length > 1 ? await searchTogether(http, type, group) : undefined;
    if (together) for (const [i, matches] of together) found.set(i, matches);
    else for (const i of group) found.set(i, (await http.searchPage(i.key)).matches);
  }
  return found;
}

/** The group's matches from one search; undefined when they cannot be told apart surely. */
async function searchTogether<I extends SearchedItem>(http: Pick<FhirHttp, 'searchPage'>, type: string, group: readonly I[]): Promise<Map<I, Resource[]> | undefined> {
  const tokens = group.map((i) => identifierToken(i.key));
  if (tokens.some((t) => t === undefined)) return undefined;
  const texts = new Set(tokens.map((t) => t!.text));
  const { matches, more } = await http.searchPage(`${type}?${new URLSearchParams({ identifier: [...texts].join(',') })}`);
  if (more) return undefined;
  const found = new Map<I, Resource[]>(group.map((i) => [i, []]));
  for (const resource of matches) {
    const owners = group.filter((_, n) => carries(resource, tokens[n]!));
    if (owners.length === 0) return undefined;
    for (const i of owners) found.get(i)!.push(resource);
  }
  return found;
}

/** The token of criteria that are exactly one `identifier=[system|]value` without commas or escapes. */
function identifierToken(key: string): Token | undefined {
  const params = [...new URLSearchParams(key.slice(key.indexOf('?') + 1))];
  if (params.length !== 1 || params[0]![0] !== 'identifier') return undefined;
  const text = params[0]![1];
  if (text === '' || /[,\\$]/.test(text)) return undefined;
  const bar = text.indexOf('|');
  return bar < 0 ? { text, system: undefined, value: text } : { text, system: text.slice(0, bar), value: text.slice(bar + 1) };
}

/** Whether the resource carries the token's identifier, as a token search matches it (`|value`: one without a system). */
function carries(resource: Resource, token: Token): boolean {
  const identifiers = (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  return identifiers.some((i) => i.value === token.value && (token.system === undefined || (i.system ?? '') === token.system));
}
