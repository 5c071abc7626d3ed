/**
 * R4 primitive data types in JSON: the JSON type each must have, and its lexical rules.
 *
 * The formats are the regexes of the R4 primitive StructureDefinitions (`<type>.value`, extension
 * `http://hl7.org/fhir/StructureDefinition/regex`), anchored; test/fhir/primitives.test.ts checks
 * the table against the definitions (see r4Regex for `\s`). Where medplum's validator is stricter
 * than the R4 regex, its rule is applied as well, so that no value medplum rejects passes here:
 * - string, markdown: only tab, CR, LF and characters from U+0020 (no other control characters);
 * - code: inner whitespace is single spaces;
 * - dateTime, instant, time: at most 9 fractional digits;
 * - date, dateTime, instant: the day exists in its month (no 2023-02-29);
 * - base64Binary: no whitespace, length a multiple of 4, padding only at the end.
 * Every string must have non-whitespace content and be at most 1 MiB; integers are 32-bit.
 *
 * Messages name the type and the rule, never the value.
 */

export type JsonType = 'string' | 'number' | 'boolean';

const STRING_TYPES = ['base64Binary', 'canonical', 'code', 'date', 'dateTime', 'id', 'instant', 'markdown', 'oid', 'string', 'time', 'uri', 'url', 'uuid', 'xhtml'] as const;
const NUMBER_TYPES = ['decimal', 'integer', 'positiveInt', 'unsignedInt'] as const;

export const JSON_TYPE_OF: ReadonlyMap<string, JsonType> = new Map<string, JsonType>([
  ...STRING_TYPES.map((t) => [t, 'string'] as const),
  ...NUMBER_TYPES.map((t) => [t, 'number'] as const),
  ['boolean', 'boolean'],
]);

const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const MONTH = '(0[1-9]|1[0-2])';
const DAY = '(0[1-9]|[1-2][0-9]|3[0-1])';
const TIME = '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?';
const ZONE = '(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';

/** The R4 regexes (unanchored, as in the StructureDefinitions) of the string-valued primitives. */
export const R4_REGEX: Readonly<Record<string, string>> = {
  base64Binary: '(\\s*([0-9a-zA-Z\\+/=]){4}\\s*)+',
  canonical: '\\S*',
  code: '[^\\s]+(\\s[^\\s]+)*',
  date: `${YEAR}(-${MONTH}(-${DAY})?)?`,
  dateTime: `${YEAR}(-${MONTH}(-${DAY}(T${TIME}${ZONE})?)?)?`,
  id: '[A-Za-z0-9\\-\\.]{1,64}',
  instant: `${YEAR}-${MONTH}-${DAY}T${TIME}${ZONE}`,
  markdown: '[ \\r\\n\\t\\S]+',
  oid: 'urn:oid:[0-2](\\.(0|[1-9][0-9]*))+',
  string: '[ \\r\\n\\t\\S]+',
  time: TIME,
  uri: '\\S*',
  url: '\\S*',
  uuid: 'urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
};

/** A control character other than tab, LF, CR (medplum: string is `^[\r\n\t\u0020-\uFFFF]+$`). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
const WHITESPACE = /\s/;
const NON_WHITESPACE = /\S/;
const CODE = /^[^\s]+( [^\s]+)*$/;
const LONG_FRACTION = /\.[0-9]{10}/;
const BASE64 = /^[A-Za-z0-9+/]*$/;

const MAX_STRING = 1024 * 1024;
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;

const jsonKind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digit = (s: string, i: number) => s.charCodeAt(i) - 48;

/** The day of a date that already matched its regex exists in its month. */
function validDay(s: string): boolean {
  if (s.length < 10) return true;
  const day = digit(s, 8) * 10 + digit(s, 9);
  if (day <= 28) return true;
  const month = digit(s, 5) * 10 + digit(s, 6);
  if (month !== 2) return day <= DAYS_IN_MONTH[month - 1]!;
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (leap ? 29 : 28);
}

function validBase64(s: string): boolean {
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return s.length % 4 === 0 && BASE64.test(s.slice(0, s.length - padding));
}

export interface PrimitiveProblem {
  /** `structure` for a wrong JSON type, `value` for a value that breaks the type's rules. */
  readonly code: 'structure' | 'value';
  readonly message: string;
}

export type PrimitiveCheck = (value: unknown) => PrimitiveProblem | undefined;

const problem = (code: PrimitiveProblem['code'], message: string): PrimitiveProblem => ({ code, message });

/**
 * The R4 regex of a type as a JavaScript RegExp. The R4 regexes are XML Schema regexes, where
 * `\s` is only space, tab, CR and LF; in JavaScript it also matches no-break spaces and other
 * Unicode spaces. For string and markdown, whose R4 regex (`[ \r\n\t\S]+`) accepts any
 * non-empty text under XML Schema semantics, the XML Schema reading is used; code, uri, url and
 * canonical keep JavaScript's wider `\s`, as medplum does (stricter: no no-break space in a code).
 */
function r4Regex(type: string): RegExp | undefined {
  const source = R4_REGEX[type];
  if (source === undefined) return undefined;
  if (type === 'string' || type === 'markdown') return undefined; // any non-empty text
  return new RegExp(`^(?:${source})$`);
}

/** string and markdown: some non-whitespace, no control characters but tab, CR, LF. */
function textCheck(type: string): (s: string) => PrimitiveProblem | undefined {
  const control = problem('value', `invalid ${type}: contains control characters`);
  return (s) => (CONTROL.test(s) ? control : NON_WHITESPACE.test(s) ? undefined : EMPTY_STRING);
}

/** uri, url, canonical (`\S*`): some content, no whitespace. */
function noSpaceCheck(type: string): (s: string) => PrimitiveProblem | undefined {
  const format = problem('value', `invalid ${type}: does not match the R4 format ${R4_REGEX[type] ?? ''}`);
  return (s) => (!WHITESPACE.test(s) ? (s.length > 0 ? undefined : EMPTY_STRING) : NON_WHITESPACE.test(s) ? format : EMPTY_STRING);
}

function stringCheck(type: string): PrimitiveCheck {
  if (type === 'string' || type === 'markdown' || type === 'uri' || type === 'url' || type === 'canonical') {
    const scan = type === 'string' || type === 'markdown' ? textCheck(type) : noSpaceCheck(type);
    const wrongType = (value: unknown) => problem('structure', `a ${type} must be a JSON string, not ${article(value)}`);
    return (value) => {
      if (typeof value !== 'string') return wrongType(value);
      if (value.length > MAX_STRING) return problem('value', `${type} is longer than 1 MiB`);
      return scan(value);
    };
  }
  const rx = r4Regex(type);
  const extra: ((s: string) => PrimitiveProblem | undefined) | undefined = (() => {
    switch (type) {
      case 'code':
        return (s: string) => (CODE.test(s) ? undefined : problem('value', 'invalid code: whitespace inside a code must be single spaces'));
      case 'date':
      case 'dateTime':
      case 'instant':
        return (s: string) =>
          LONG_FRACTION.test(s)
            ? problem('value', `invalid ${type}: more than 9 fractional digits`)
            : validDay(s)
              ? undefined
              : problem('value', `invalid ${type}: no such day in that month`);
      case 'time':
        return (s: string) => (LONG_FRACTION.test(s) ? problem('value', 'invalid time: more than 9 fractional digits') : undefined);
      case 'base64Binary':
        return (s: string) => (validBase64(s) ? undefined : problem('value', 'invalid base64Binary: only A-Z a-z 0-9 + / in groups of four, = padding at the end'));
      default:
        return undefined;
    }
  })();
  const wrongType = (value: unknown) => problem('structure', `a ${type} must be a JSON string, not ${article(value)}`);
  const formatProblem = problem('value', `invalid ${type}: does not match the R4 format ${R4_REGEX[type] ?? ''}`);
  return (value) => {
    if (typeof value !== 'string') return wrongType(value);
    if (!NON_WHITESPACE.test(value)) return EMPTY_STRING;
    if (value.length > MAX_STRING) return problem('value', `${type} is longer than 1 MiB`);
    if (rx !== undefined && !rx.test(value)) return formatProblem;
    return extra?.(value);
  };
}

const EMPTY_STRING = problem('value', 'string is empty or only whitespace');

const article = (v: unknown): string => {
  const kind = jsonKind(v);
  return kind === 'object' || kind === 'array' ? `an ${kind}` : `a ${kind}`;
};

function numberCheck(type: string): PrimitiveCheck {
  const min = type === 'positiveInt' ? 1 : type === 'unsignedInt' ? 0 : INT_MIN;
  return (value) => {
    if (typeof value !== 'number') return problem('structure', `a ${type} must be a JSON number, not ${article(value)}`);
    if (!Number.isFinite(value)) return problem('value', `invalid ${type}: not a finite number`);
    if (type === 'decimal') return undefined;
    if (!Number.isInteger(value)) return problem('value', `invalid ${type}: not an integer`);
    if (value < min || value > INT_MAX) return problem('value', `invalid ${type}: outside ${min}..${INT_MAX}`);
    return undefined;
  };
}

const booleanCheck: PrimitiveCheck = (value) => (typeof value === 'boolean' ? undefined : problem('structure', `a boolean must be a JSON boolean, not ${article(value)}`));

const CHECKS = new Map<string, PrimitiveCheck>();
for (const [type, json] of JSON_TYPE_OF) CHECKS.set(type, json === 'string' ? stringCheck(type) : json === 'number' ? numberCheck(type) : booleanCheck);

const NO_CHECK: PrimitiveCheck = () => undefined;

/** The check of a primitive type, compiled once (types it does not know, such as R5's integer64, pass). */
export function primitiveCheck(type: string): PrimitiveCheck {
  return CHECKS.get(type) ?? NO_CHECK;
}

/** What is wrong with a (non-null) JSON value for a primitive type, or undefined. */
export function checkPrimitive(type: string, value: unknown): PrimitiveProblem | undefined {
  return primitiveCheck(type)(value);
}
