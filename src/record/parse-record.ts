/**
 * Turns untrusted input into a canonical CTP record, or an `InputError('INPUT_INVALID')` that
 * lists every problem at once: schema problems first (one issue per zod problem), then the
 * record's internal-integrity problems (see `integrity.ts`).
 *
 * Diagnostics name the field (as a FHIRPath-like `expression` such as
 * `plans[0].outcomes[1].areas[0].area`) and the problem, never the offending value: the
 * values of a record are patient data.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { z } from 'zod';
import { InputError } from '../errors/errors.js';
import { checkIntegrity } from './integrity.js';
import { recordSchema, type CtpRecord } from './record.schema.js';

type ZodIssue = z.core.$ZodIssue;
type IssueType = OperationOutcomeIssue['code'];
type PathSegment = PropertyKey;

/**
 * Parses and checks one canonical record.
 *
 * @param input - The decoded JSON document (anything).
 * @param origin - Where the input came from (a file name, a request id), used in the error message.
 * @returns The record, with text fields trimmed.
 * @throws InputError with code `INPUT_INVALID` when the input does not match the record schema or
 *   fails an integrity check; its issues say where and what, never the value.
 */
export function parseRecord(input: unknown, origin: string): CtpRecord {
  const result = recordSchema.safeParse(input, { error: describeIssue });
  if (result.success) {
    const integrity = checkIntegrity(result.data);
    if (integrity.length > 0) throw invalid(origin, integrity);
    return result.data;
  }
  const issues = result.error.issues.flatMap((issue) => toOutcomeIssues(issue, [], input));
  const unreliable = new Set(result.error.issues.map((issue) => issue.path[0]).filter((key): key is string => typeof key === 'string'));
  throw invalid(origin, [...issues, ...integrityOfInvalidInput(input, unreliable)]);
}

/**
 * Renders a zod path as a FHIRPath-like expression: `plans[0].outcomes[1].areas[0].area`.
 * Keys that are not plain names are shown as `['?']` so that an unexpected key cannot leak data.
 */
export function toExpression(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += "['?']";
  }
  return out;
}

function invalid(origin: string, issues: OperationOutcomeIssue[]): InputError {
  const n = issues.length;
  return new InputError('INPUT_INVALID', `${origin}: not a valid CTP record (${n} problem${n === 1 ? '' : 's'})`, issues);
}

/**
 * Integrity checks on input that failed the schema: they still find duplicate ids, broken
 * references and dates out of order, so a user sees every problem in one pass. References into
 * sections that failed the schema are left alone (they would only echo the schema problem).
 * `checkIntegrity` only reads ids, references and dates and tolerates wrong shapes; the guard is
 * for input too malformed even for that.
 */
function integrityOfInvalidInput(input: unknown, unreliableSections: ReadonlySet<string>): OperationOutcomeIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [];
  try {
    return checkIntegrity(input as CtpRecord, { unreliableSections });
  } catch {
    return [];
  }
}

/** Per-parse zod error map: value-free messages for issues the schema gives no message of its own. */
function describeIssue(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${typeName(issue.expected)}, not ${kindOf(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'unrecognized_keys':
      return 'is not a field of the CTP record schema';
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'set'
        ? `must have at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`
        : issue.origin === 'string'
          ? `must be at least ${String(issue.minimum)} characters long`
          : `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'set'
        ? `must have at most ${String(issue.maximum)} items`
        : issue.origin === 'string'
          ? `must be at most ${String(issue.maximum)} characters long`
          : `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
    case 'invalid_format':
      return `is not a valid ${issue.format}`;
    case 'invalid_union':
      return 'does not match any of the allowed forms';
    default:
      return 'is not valid';
  }
}

function toOutcomeIssues(issue: ZodIssue, prefix: readonly PathSegment[], root: unknown): OperationOutcomeIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => outcomeIssue('structure', [...path, key], 'is not a field of the CTP record schema'));
  }
  if (issue.code === 'invalid_union') return unionIssues(issue, path, root);
  if (issue.code === 'invalid_type') {
    if (isMissing(root, path)) return [outcomeIssue('required', path, 'is required')];
    return [outcomeIssue('structure', path, issue.message)];
  }
  return [outcomeIssue(issueType(issue), path, issue.message)];
}

/**
 * A union fails when no option matches. Options rejected only for their type at the top
 * (e.g. an object given where a date is expected) are set aside; if exactly one option is
 * left, its own issues are the helpful ones (a bad `notRecorded` reason, a bad date format).
 */
function unionIssues(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[], root: unknown): OperationOutcomeIssue[] {
  if (isMissing(root, path)) return [outcomeIssue('required', path, 'is required')];
  const candidates = issue.errors.filter((options) => !options.every((i) => i.code === 'invalid_type' && i.path.length === 0));
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return only.flatMap((i) => toOutcomeIssues(i, path, root));
  if (candidates.length === 0) {
    const expected = [...new Set(issue.errors.flatMap((options) => options.map((i) => (i.code === 'invalid_type' ? typeName(i.expected) : undefined))))]
      .filter((e): e is string => e !== undefined);
    const value = valueAt(root, path);
    return [outcomeIssue('structure', path, `must be ${expected.join(' or ')}, not ${kindOf(value.found ? value.value : undefined)}`)];
  }
  const messages = [...new Set(candidates.map((options) => options.map((i) => i.message).join('; ')))];
  return [outcomeIssue('value', path, messages.join(', or '))];
}

function outcomeIssue(code: IssueType, path: readonly PathSegment[], problem: string): OperationOutcomeIssue {
  const expression = toExpression(path);
  if (expression === '') return { severity: 'error', code, diagnostics: `The record ${problem}` };
  return { severity: 'error', code, diagnostics: `${expression}: ${problem}`, expression: [expression] };
}

function issueType(issue: ZodIssue): IssueType {
  switch (issue.code) {
    case 'custom':
      return 'invariant';
    case 'invalid_type':
    case 'unrecognized_keys':
      return 'structure';
    default:
      return 'value';
  }
}

function isMissing(root: unknown, path: readonly PathSegment[]): boolean {
  if (path.length === 0) return root === undefined;
  const parent = valueAt(root, path.slice(0, -1));
  if (!parent.found || typeof parent.value !== 'object' || parent.value === null) return false;
  const key = path[path.length - 1] as PropertyKey;
  return (parent.value as Record<PropertyKey, unknown>)[key] === undefined;
}

function valueAt(root: unknown, path: readonly PathSegment[]): { found: boolean; value?: unknown } {
  let current: unknown = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return { found: false };
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { found: true, value: current };
}

const typeNames: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
  undefined: 'absent',
};

function typeName(expected: string): string {
  return typeNames[expected] ?? expected;
}

/** The JSON kind of a value (never the value itself). */
function kindOf(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
