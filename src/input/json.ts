/**
 * JSON decoding for every JSON input pont reads, strictly: the grammar, no key twice in one
 * object, nesting at most `maxDepth` deep. A problem is reported by line and column, and by the
 * JSON path of the element (`$[3].plans[0]`), never by quoting the text: inputs hold patient
 * data, and so may keys the schema does not know, which the path names only as `(key not shown)`.
 */
import { InputError } from '../errors/errors.js';
import { DEFAULT_MAX_DEPTH, type JsonPathSegment, JsonScanError, JsonScanner } from './json-scanner.js';

export interface JsonDecodeOptions {
  /** Deepest nesting accepted; default DEFAULT_MAX_DEPTH. */
  readonly maxDepth?: number;
  /** Whether a key is one of a schema's, and so safe to name in a message; default: none is. */
  readonly isKnownKey?: (key: string) => boolean;
}

/**
 * Decodes JSON text (a leading UTF-8 byte order mark, as some exports write, is ignored).
 *
 * @param text - The input's text.
 * @param origin - The file name (or request id), used in the error message.
 * @throws InputError `INPUT_NOT_JSON` naming the origin, the line and column of the first error
 *   and the reason (`export.json: not valid JSON (line 3, column 14: expected a property name or
 *   '}')`); a repeated key or too deep a nesting also names the JSON path.
 */
export function decodeJson(text: string, origin: string, options: JsonDecodeOptions = {}): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  // JSON.parse (native, and iterative: no depth overflows it) settles the grammar; the strict
  // scanner, ten times slower, runs only to say exactly what is wrong with text that fails.
  let value: unknown;
  let parsed = false;
  let failure: unknown;
  try {
    value = JSON.parse(json);
    parsed = true;
  } catch (err) {
    failure = err;
  }
  if (parsed && keysAndDepthPass(json, maxDepth)) return value;
  const scanner = new JsonScanner({ maxDepth, records: false });
  try {
    scanner.push(json);
    scanner.end();
  } catch (err) {
    if (err instanceof JsonScanError) throw jsonInputError(err, origin, options.isKnownKey);
    throw err;
  }
  if (!parsed) throw failure;
  return value;
}

/**
 * The scanner's checks beyond the grammar, for text JSON.parse has read: no key twice in one
 * object, nesting at most `maxDepth` deep. With the grammar known to be good, strings are the
 * only tokens that may hide brackets (each is skipped whole, natively, by indexOf), and a string
 * followed by a colon is a key.
 */
function keysAndDepthPass(json: string, maxDepth: number): boolean {
  // The keys of the objects open at each depth (null for a list), arrays reused from depth to depth.
  const keys: (string[] | null)[] = [];
  const pool: string[][] = [];
  const sets: (Set<string> | undefined)[] = [];
  let depth = 0;
  const n = json.length;
  for (let i = 0; i < n; i++) {
    const c = json.charCodeAt(i);
    if (c === 34) {
      let end = json.indexOf('"', i + 1);
      while (isEscaped(json, end)) end = json.indexOf('"', end + 1);
      let next = end + 1;
      while (next < n && isSpace(json.charCodeAt(next))) next++;
      if (json.charCodeAt(next) === 58) {
        const raw = json.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        const seen = keys[depth - 1]!;
        const many = sets[depth - 1];
        if (many !== undefined) {
          if (many.has(key)) return false;
          many.add(key);
        } else {
          if (seen.includes(key)) return false;
          seen.push(key);
          // An object of many keys is searched by hash, so no input makes this quadratic.
          if (seen.length > 32) sets[depth - 1] = new Set(seen);
        }
      }
      i = end;
    } else if (c === 123 || c === 91) {
      if (depth >= maxDepth) return false;
      if (c === 123) {
        const list = (pool[depth] ??= []);
        list.length = 0;
        keys[depth] = list;
        sets[depth] = undefined;
      } else keys[depth] = null;
      depth++;
    } else if (c === 125 || c === 93) depth--;
  }
  return true;
}

/** Whether the quote at `at` is escaped: an odd number of backslashes before it. */
function isEscaped(text: string, at: number): boolean {
  let k = at - 1;
  while (text.charCodeAt(k) === 92) k--;
  return (at - 1 - k) % 2 === 1;
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * The input error for a scan error. `prefix` is the path of the scanned text inside its input
 * (a record cut out of a list is `$[3]`).
 */
export function jsonInputError(err: JsonScanError, origin: string, isKnownKey: (key: string) => boolean = () => false, prefix: readonly JsonPathSegment[] = []): InputError {
  const position = `line ${err.line}, column ${err.column}`;
  if (err.kind === 'syntax') {
    const message = `${origin}: not valid JSON (${err.reason === 'the input is empty' ? err.reason : `${position}: ${err.reason}`})`;
    const diagnostics =
      err.reason === 'the input is empty' ? 'The input is not valid JSON (the input is empty).' : `The input is not valid JSON (${position}): ${err.reason}.`;
    return new InputError('INPUT_NOT_JSON', message, [{ severity: 'error', code: 'structure', diagnostics }]);
  }
  const path = jsonPath([...prefix, ...err.path], isKnownKey);
  const key = err.key !== undefined && isKnownKey(err.key) ? `"${err.key}"` : '(not shown)';
  const what = err.kind === 'duplicate-key' ? `the object at ${path} has the key ${key} twice` : `${err.reason} at ${path}`;
  // The issue's expression is the path, so its text need not repeat it.
  const diagnostics = err.kind === 'duplicate-key' ? `The object has the key ${key} twice (${position}).` : `${upperFirst(err.reason)} (${position}).`;
  return new InputError('INPUT_NOT_JSON', `${origin}: not accepted as JSON (${position}: ${what})`, [
    { severity: 'error', code: err.kind === 'duplicate-key' ? 'duplicate' : 'too-costly', diagnostics, expression: [path] },
  ]);
}

/** `$[3].plans[0].reviewBy`, naming only keys a schema knows; a very deep path is cut short after its first levels. */
export function jsonPath(path: readonly JsonPathSegment[], isKnownKey: (key: string) => boolean): string {
  const shown = path.length > MAX_PATH_SHOWN ? path.slice(0, MAX_PATH_SHOWN) : path;
  const more = path.length > MAX_PATH_SHOWN ? `… (${path.length} levels)` : '';
  return `$${shown.map((s) => (typeof s === 'number' ? `[${s}]` : isKnownKey(s) && /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : '.(key not shown)')).join('')}${more}`;
}

const MAX_PATH_SHOWN = 20;

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
