/**
 * Helpers shared by the source parsers: JSON decoding that reports where a file is broken, and
 * zod issues turned into OperationOutcome issues. Neither ever puts a value from the input into
 * a message: source files hold patient data.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { z } from 'zod';
import { InputError } from '../errors/errors.js';
import { toExpression } from '../record/parse-record.js';

type PathSegment = PropertyKey;

/**
 * Decodes JSON text (a leading UTF-8 byte order mark, as some exports write, is ignored).
 *
 * @throws InputError `INPUT_NOT_JSON` naming the origin and, where it can be found, the line and
 *   column of the first error; the engine's own message is not used when it quotes the input.
 */
export function decodeJson(text: string, origin: string): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(json);
  } catch (err) {
    const where = locateJsonError(json, err instanceof Error ? err.message : '');
    const message = `${origin}: not valid JSON (${where})`;
    throw new InputError('INPUT_NOT_JSON', message, [{ severity: 'error', code: 'structure', diagnostics: message }]);
  }
}

/** "line L, column C: reason" for a JSON syntax error, without quoting the input. */
function locateJsonError(text: string, engineMessage: string): string {
  if (text.trim() === '') return 'the input is empty';
  const positioned = /^(.*) in JSON at position (\d+)(?: \(line (\d+) column (\d+)\))?$/s.exec(engineMessage);
  if (positioned) {
    const offset = Number(positioned[2]);
    const [line, column] = positioned[3] !== undefined ? [Number(positioned[3]), Number(positioned[4])] : lineAndColumn(text, offset);
    // V8's positioned messages describe the grammar only ("Expected ',' or '}' after property value").
    const reason = /^[A-Za-z ,'{}[\]:"-]{1,80}$/.test(positioned[1]!) && !/Unexpected token/.test(positioned[1]!) ? lowerFirst(positioned[1]!) : 'syntax error';
    return `line ${line}, column ${column}: ${reason}`;
  }
  if (/Unexpected end of JSON input/.test(engineMessage)) {
    const [line, column] = lineAndColumn(text, text.length);
    return `line ${line}, column ${column}: unexpected end of input`;
  }
  const offset = firstSyntaxError(text);
  if (offset === undefined) return 'syntax error';
  const [line, column] = lineAndColumn(text, offset);
  return offset >= text.length ? `line ${line}, column ${column}: unexpected end of input` : `line ${line}, column ${column}: unexpected character`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function lineAndColumn(text: string, offset: number): [number, number] {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return [line, end - lineStart + 1];
}

/**
 * Offset of the first character that breaks the JSON grammar, for engine messages that give no
 * position. A plain scanner with an explicit stack, so deep nesting cannot overflow it.
 */
function firstSyntaxError(text: string): number | undefined {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const scanString = (): boolean => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 32) return false;
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            return false;
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          return false;
        }
      } else i++;
    }
    return false;
  };
  const scanScalar = (): boolean => {
    const rest = text.slice(i, i + 5);
    for (const word of ['true', 'false', 'null']) {
      if (rest.startsWith(word)) {
        i += word.length;
        return true;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') return false;
    i += m[0].length;
    return true;
  };
  // Stack of open containers: '{' or '['. `expect` says what may come next.
  const stack: string[] = [];
  type Expect = 'value' | 'key' | 'colon' | 'commaOrEnd' | 'firstKeyOrEnd' | 'firstValueOrEnd';
  let expect: Expect = 'value';
  for (;;) {
    ws();
    if (i >= n) return stack.length === 0 && expect === 'commaOrEnd' ? undefined : i;
    const c = text[i]!;
    switch (expect) {
      case 'value':
      case 'firstValueOrEnd':
        if (expect === 'firstValueOrEnd' && c === ']') {
          stack.pop();
          i++;
          expect = 'commaOrEnd';
        } else if (c === '{') {
          stack.push('{');
          i++;
          expect = 'firstKeyOrEnd';
        } else if (c === '[') {
          stack.push('[');
          i++;
          expect = 'firstValueOrEnd';
        } else if (c === '"') {
          if (!scanString()) return i;
          expect = 'commaOrEnd';
        } else {
          if (!scanScalar()) return i;
          expect = 'commaOrEnd';
        }
        break;
      case 'key':
      case 'firstKeyOrEnd':
        if (expect === 'firstKeyOrEnd' && c === '}') {
          stack.pop();
          i++;
          expect = 'commaOrEnd';
        } else if (c === '"') {
          if (!scanString()) return i;
          expect = 'colon';
        } else return i;
        break;
      case 'colon':
        if (c !== ':') return i;
        i++;
        expect = 'value';
        break;
      case 'commaOrEnd': {
        const top = stack[stack.length - 1];
        if (top === undefined) return i; // text after the top-level value
        if (c === ',') {
          i++;
          expect = top === '{' ? 'key' : 'value';
        } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
          stack.pop();
          i++;
          expect = 'commaOrEnd';
        } else return i;
        break;
      }
    }
  }
}

/**
 * Per-parse zod error map: value-free messages for issues that the schema gives no message of
 * its own (the schemas give their own for formats).
 */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${typeName(issue.expected)}, not ${kindOf(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return 'is not a field of this format';
    case 'too_small':
      return issue.origin === 'array' ? `must have at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}` : `is too small`;
    case 'too_big':
      return issue.origin === 'array' ? `must have at most ${String(issue.maximum)} items` : `is too large`;
    case 'invalid_union':
      return 'does not match any of the allowed forms';
    default:
      return undefined;
  }
}

/**
 * Zod issues as OperationOutcome issues whose `expression` is the path in the input file
 * (`clients[0].referrals[1].ctpDocuments[0].createdDate`).
 */
export function issuesOf(issues: readonly z.core.$ZodIssue[], basePath: readonly PathSegment[] = []): OperationOutcomeIssue[] {
  return issues.flatMap((issue) => {
    const path = [...basePath, ...issue.path];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => outcomeIssue('structure', [...path, key], 'is not a field of this format'));
    const code: OperationOutcomeIssue['code'] = issue.code === 'invalid_type' ? (issue.input === undefined ? 'required' : 'structure') : issue.code === 'custom' ? 'invariant' : 'value';
    return [outcomeIssue(code, path, issue.message)];
  });
}

export function outcomeIssue(code: OperationOutcomeIssue['code'], path: readonly PathSegment[] | string, problem: string): OperationOutcomeIssue {
  const expression = typeof path === 'string' ? path : toExpression(path);
  if (expression === '') return { severity: 'error', code, diagnostics: `The file ${problem}` };
  return { severity: 'error', code, diagnostics: `${expression}: ${problem}`, expression: [expression] };
}

/** An INPUT_INVALID error listing every problem, never the values. */
export function invalidInput(origin: string, what: string, issues: OperationOutcomeIssue[]): InputError {
  const n = issues.length;
  return new InputError('INPUT_INVALID', `${origin}: not a valid ${what} (${n} problem${n === 1 ? '' : 's'})`, issues);
}

const typeNames: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
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
