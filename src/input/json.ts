/**
 * JSON decoding for every JSON input pont reads. A syntax error is reported by line and column
 * with the grammar's reason, never by quoting the text around it: inputs hold patient data.
 */
import { InputError } from '../errors/errors.js';

/**
 * Decodes JSON text (a leading UTF-8 byte order mark, as some exports write, is ignored).
 *
 * @param text - The input's text.
 * @param origin - The file name (or request id), used in the error message.
 * @throws InputError `INPUT_NOT_JSON` naming the origin and, where it can be found, the line and
 *   column of the first error and the grammar's reason
 *   (`export.json: not valid JSON (line 3, column 14: expected property name or '}')`); its
 *   issue, which belongs to the input already, says `The input is not valid JSON (line 3,
 *   column 14): expected property name or '}'.`
 */
export function decodeJson(text: string, origin: string): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(json);
  } catch (err) {
    const { position, reason } = locateJsonError(json, err instanceof Error ? err.message : '');
    const message = `${origin}: not valid JSON (${position ? `${position}: ` : ''}${reason})`;
    const diagnostics = position ? `The input is not valid JSON (${position}): ${reason}.` : `The input is not valid JSON (${reason}).`;
    throw new InputError('INPUT_NOT_JSON', message, [{ severity: 'error', code: 'structure', diagnostics }]);
  }
}

/**
 * Where a JSON syntax error is (`line L, column C`) and why, without quoting the input. The
 * engine's own message is used only when it describes the grammar: some of V8's quote the text.
 */
function locateJsonError(text: string, engineMessage: string): { position?: string; reason: string } {
  if (text.trim() === '') return { reason: 'the input is empty' };
  const at = (offset: number) => {
    const [line, column] = lineAndColumn(text, offset);
    return `line ${line}, column ${column}`;
  };
  const positioned = /^(.*) in JSON at position (\d+)(?: \(line (\d+) column (\d+)\))?$/s.exec(engineMessage);
  if (positioned) {
    const position = positioned[3] !== undefined ? `line ${positioned[3]}, column ${positioned[4]}` : at(Number(positioned[2]));
    // V8's positioned messages describe the grammar only ("Expected ',' or '}' after property value").
    const grammar = /^[A-Za-z ,'{}[\]:"-]{1,80}$/.test(positioned[1]!) && !/Unexpected token/.test(positioned[1]!);
    return { position, reason: grammar ? lowerFirst(positioned[1]!) : 'syntax error' };
  }
  if (/Unexpected end of JSON input/.test(engineMessage)) return { position: at(text.length), reason: 'unexpected end of input' };
  const offset = firstSyntaxError(text);
  if (offset === undefined) return { reason: 'syntax error' };
  return { position: at(offset), reason: offset >= text.length ? 'unexpected end of input' : 'unexpected character' };
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
