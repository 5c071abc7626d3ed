/**
 * A FHIR search's query string read into criteria the store answers: each occurrence of a
 * parameter is one clause (clauses all hold), each comma-separated value in it an alternative
 * (any holds). A parameter the type does not support, a modifier, or a value that cannot be read
 * is a SearchError naming the parameter, unless the client asked for lenient handling, when an
 * unsupported parameter is ignored and listed (a value that cannot be read is refused either way).
 */
import { SearchError } from '../errors/errors.js';
import type { TimeRange } from './date-range.js';
import { timeRange } from './date-range.js';
import { PARAMETER_ALIASES, type SearchField, searchParameters } from './search-parameters.js';

export type DatePrefix = 'eq' | 'gt' | 'ge' | 'lt' | 'le';

export interface DateBound {
  readonly prefix: DatePrefix;
  readonly range: TimeRange;
}

export type Clause =
  | { readonly field: Exclude<SearchField, 'date' | 'lastUpdated'>; readonly values: readonly string[] }
  | { readonly field: 'date' | 'lastUpdated'; readonly values: readonly DateBound[] };

export interface SearchCriteria {
  readonly clauses: readonly Clause[];
}

/** Parameters about the result rather than the match, which every search accepts. */
export const RESULT_PARAMETERS = ['_count', '_cursor', '_format'] as const;

export interface ParsedSearch {
  readonly criteria: SearchCriteria;
  readonly count?: number;
  readonly cursor?: string;
  /** The criteria parameters as read, for the `self` and `next` links (ignored ones left out). */
  readonly kept: readonly (readonly [string, string])[];
  /** Parameters ignored under lenient handling. */
  readonly ignored: readonly string[];
}

const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const PREFIXES = new Set<string>(['eq', 'gt', 'ge', 'lt', 'le']);

export function parseSearch(resourceType: string, query: readonly (readonly [string, string])[], options: { readonly lenient: boolean }): ParsedSearch {
  const supported = new Map(searchParameters(resourceType).map((p) => [p.name, p]));
  const clauses: Clause[] = [];
  const kept: [string, string][] = [];
  const ignored: string[] = [];
  let count: number | undefined;
  let cursor: string | undefined;
  for (const [rawName, value] of query) {
    if (rawName === '_format') continue;
    if (rawName === '_count') {
      count = nonNegativeInteger(rawName, value);
      continue;
    }
    if (rawName === '_cursor') {
      cursor = value;
      continue;
    }
    const name = PARAMETER_ALIASES[rawName] ?? rawName;
    const definition = supported.get(name);
    if (definition === undefined) {
      if (options.lenient) {
        ignored.push(rawName);
        continue;
      }
      throw new SearchError(
        'SEARCH_UNKNOWN_PARAMETER',
        rawName.includes(':')
          ? `search parameter "${rawName}": modifiers are not supported`
          : `${resourceType} cannot be searched by "${rawName}"; supported: ${[...supported.keys(), ...RESULT_PARAMETERS].join(', ')}`,
        rawName,
      );
    }
    const values = splitValues(value);
    if (values.length === 0) throw new SearchError('SEARCH_INVALID_VALUE', `search parameter "${rawName}" has no value`, rawName);
    clauses.push(clause(definition.field, rawName, values));
    kept.push([rawName, value]);
  }
  return { criteria: { clauses }, ...(count === undefined ? {} : { count }), ...(cursor === undefined ? {} : { cursor }), kept, ignored };
}

function clause(field: SearchField, name: string, values: readonly string[]): Clause {
  switch (field) {
    case 'date':
    case 'lastUpdated':
      return { field, values: values.map((v) => dateBound(name, v)) };
    case 'patient':
      return { field, values: values.map((v) => patientId(name, v)) };
    case 'organization':
      return { field, values: values.map((v) => odsCode(name, v)) };
    case 'id':
      for (const v of values) if (!ID.test(v)) throw invalid(name, 'a FHIR id (letters, digits, "-" and ".", at most 64)');
      return { field, values };
    default:
      return { field, values };
  }
}

function dateBound(name: string, value: string): DateBound {
  const prefixed = /^[a-z]{2}/.test(value) ? value.slice(0, 2) : undefined;
  if (prefixed !== undefined && !PREFIXES.has(prefixed)) throw invalid(name, 'a date with one of the prefixes eq, gt, ge, lt, le (others are not supported)');
  const range = timeRange(prefixed === undefined ? value : value.slice(2));
  if (range === undefined) throw invalid(name, 'a FHIR date or dateTime (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a zone)');
  return { prefix: (prefixed ?? 'eq') as DatePrefix, range };
}

function patientId(name: string, value: string): string {
  const id = /^(?:.*\/)?Patient\/([^/]+)$/.exec(value)?.[1] ?? (value.includes('/') ? undefined : value);
  if (id === undefined || !ID.test(id)) throw invalid(name, 'Patient/{id} or {id}');
  return id;
}

function odsCode(name: string, value: string): string {
  const bar = value.indexOf('|');
  if (bar >= 0 && value.slice(0, bar) !== ODS_SYSTEM) throw invalid(name, `an ODS code, alone or as ${ODS_SYSTEM}|{code}`);
  const code = (bar >= 0 ? value.slice(bar + 1) : value).trim().toUpperCase();
  if (!/^[A-Z0-9]{1,12}$/.test(code)) throw invalid(name, 'an ODS code (letters and digits)');
  return code;
}

function nonNegativeInteger(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw invalid(name, 'a whole number, 0 or more');
  return Number(value);
}

/** Values separated by commas; `\,` is a comma inside a value. */
function splitValues(value: string): string[] {
  return value
    .split(/(?<!\\),/)
    .map((v) => v.replaceAll('\\,', ','))
    .filter((v) => v !== '');
}

const invalid = (name: string, expected: string) => new SearchError('SEARCH_INVALID_VALUE', `search parameter "${name}" must be ${expected}`, name);
