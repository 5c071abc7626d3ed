/**
 * Zod problems as OperationOutcome issues, for every kind of input pont reads (its own record,
 * the EPR export formats). An issue names the field as a FHIRPath-like `expression` such as
 * `plans[0].outcomes[1].areas[0].area` and says what is wrong with it, never the offending
 * value: the values of an input are patient data.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { z } from 'zod';
import { InputError } from '../errors/errors.js';

type ZodIssue = z.core.$ZodIssue;
type IssueType = OperationOutcomeIssue['code'];
export type PathSegment = PropertyKey;

/** How the problems of one kind of input are worded. */
export interface InputKind {
  /** The whole input, for a problem with no path: `The record`, `The file`. */
  readonly subject: string;
  /** What is said of a field the schema does not know: `is not a field of this format`. */
  readonly unknownField: string;
}

/**
 * Per-parse zod error map (`schema.safeParse(input, { error: describeIssue })`): value-free
 * messages for the problems a schema gives no message of its own.
 */
export function describeIssue(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${typeName(issue.expected)}, not ${kindOf(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return 'is not a field of the schema'; // replaced by InputKind.unknownField, one issue per key
    case 'too_small':
      return bound(issue.origin, issue.minimum, issue.inclusive, 'at least', 'greater than');
    case 'too_big':
      return bound(issue.origin, issue.maximum, issue.inclusive, 'at most', 'less than');
    case 'invalid_format':
      return `is not a valid ${issue.format}`;
    case 'invalid_union':
      return 'does not match any of the allowed forms';
    default:
      return 'is not valid';
  }
}

function bound(origin: string, limit: number | bigint, inclusive: boolean | undefined, atLimit: string, beyondLimit: string): string {
  const n = String(limit);
  if (origin === 'array' || origin === 'set') return `must have ${atLimit} ${n} item${n === '1' ? '' : 's'}`;
  if (origin === 'string') return `must be ${atLimit} ${n} characters long`;
  return `must be ${inclusive === false ? beyondLimit : atLimit} ${n}`;
}

/**
 * Zod issues as OperationOutcome issues whose `expression` is the path in the input: a missing
 * field is `required`, a wrong type or unknown field `structure` (one issue per unknown key), a
 * failed refinement `invariant`, anything else `value`.
 *
 * @param issues - The issues of a failed `safeParse`.
 * @param input - What was parsed: it tells a missing field from a wrong one and explains unions;
 *   no value of it reaches a message.
 * @param kind - The wording for this kind of input.
 */
export function zodIssuesToOutcome(issues: readonly ZodIssue[], input: unknown, kind: InputKind): OperationOutcomeIssue[] {
  return issues.flatMap((issue) => toOutcomeIssues(issue, [], input, kind));
}

function toOutcomeIssues(issue: ZodIssue, prefix: readonly PathSegment[], root: unknown, kind: InputKind): OperationOutcomeIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownKeyIssue(path, key, root, kind));
  if (issue.code === 'invalid_union') return unionIssues(issue, path, root, kind);
  if (issue.code === 'invalid_type') {
    if (isMissing(root, path)) return [outcomeIssue('required', path, 'is required', kind.subject)];
    return [outcomeIssue('structure', path, issue.message, kind.subject)];
  }
  return [outcomeIssue(issue.code === 'custom' ? 'invariant' : 'value', path, issue.message, kind.subject)];
}

/**
 * A key the schema does not know, named by its position in its object and never by its text: a
 * key may itself be patient data (`{ "Jane Jones": … }`), and one that looks like a field name
 * (`givenJane`) is no safer than one that does not.
 */
function unknownKeyIssue(path: PathSegment[], key: string, root: unknown, kind: InputKind): OperationOutcomeIssue {
  const parent = valueAt(root, path);
  const keys = parent.found && typeof parent.value === 'object' && parent.value !== null ? Object.keys(parent.value) : [];
  const position = keys.indexOf(key);
  const which = position < 0 ? 'a key' : `key ${position + 1} of ${keys.length}`;
  const expression = toExpression(path);
  const where = expression === '' ? kind.subject : expression;
  return { severity: 'error', code: 'structure', diagnostics: `${where}: ${which} ${kind.unknownField}`, ...(expression === '' ? {} : { expression: [expression] }) };
}

/**
 * A union fails when no option matches. Options rejected only for their type at the top
 * (e.g. an object given where a date is expected) are set aside; if exactly one option is
 * left, its own issues are the helpful ones (a bad `notRecorded` reason, a bad date format).
 */
function unionIssues(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[], root: unknown, kind: InputKind): OperationOutcomeIssue[] {
  if (isMissing(root, path)) return [outcomeIssue('required', path, 'is required', kind.subject)];
  const candidates = issue.errors.filter((options) => !options.every((i) => i.code === 'invalid_type' && i.path.length === 0));
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return only.flatMap((i) => toOutcomeIssues(i, path, root, kind));
  if (candidates.length === 0) {
    const expected = [...new Set(issue.errors.flatMap((options) => options.map((i) => (i.code === 'invalid_type' ? typeName(i.expected) : undefined))))].filter(
      (e): e is string => e !== undefined,
    );
    const value = valueAt(root, path);
    return [outcomeIssue('structure', path, `must be ${expected.join(' or ')}, not ${kindOf(value.found ? value.value : undefined)}`, kind.subject)];
  }
  const message = (i: ZodIssue) => (i.code === 'unrecognized_keys' ? `has a key that ${kind.unknownField}` : i.message);
  const messages = [...new Set(candidates.map((options) => options.map(message).join('; ')))];
  return [outcomeIssue('value', path, messages.join(', or '), kind.subject)];
}

/**
 * One error issue: `<expression>: <problem>`, or `<subject> <problem>` for the whole input.
 *
 * @param path - A zod-style path, or an expression already rendered (e.g. `line[4].DOB`).
 */
export function outcomeIssue(code: IssueType, path: readonly PathSegment[] | string, problem: string, subject = 'The input'): OperationOutcomeIssue {
  const expression = typeof path === 'string' ? path : toExpression(path);
  if (expression === '') return { severity: 'error', code, diagnostics: `${subject} ${problem}` };
  return { severity: 'error', code, diagnostics: `${expression}: ${problem}`, expression: [expression] };
}

/** An `INPUT_INVALID` error listing every problem: `<origin>: not a valid <what> (<n> problems)`. */
export function invalidInput(origin: string, what: string, issues: OperationOutcomeIssue[]): InputError {
  const n = issues.length;
  return new InputError('INPUT_INVALID', `${origin}: not a valid ${what} (${n} problem${n === 1 ? '' : 's'})`, issues);
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

/** Names of zod's expected types, worded as `kindOf` words what was found. */
const typeNames: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
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
export function kindOf(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'a whole number' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
