/**
 * A strict, incremental JSON scanner: checks the grammar of text arriving in chunks, refuses a
 * key repeated in one object and nesting deeper than a limit, and, when asked, cuts the input
 * into records (each element of a top-level array, each top-level value of NDJSON) as soon as
 * each is complete, so a large input never has to be held whole. It keeps an explicit stack, so
 * no input can overflow the call stack. Values are not built here: JSON.parse builds each record
 * once the scanner has passed it.
 */

/** A path segment: an object key, or an array index. */
export type JsonPathSegment = string | number;

export interface JsonScanOptions {
  /** Deepest nesting of objects and arrays accepted. */
  readonly maxDepth: number;
  /**
   * Cut the input into records: `true` for top-level array elements or several top-level values
   * (NDJSON); `{ under: key }` for the elements of the array under `key` of a top-level object,
   * whose other members are handed on one by one too (an export header beside its clients).
   */
  readonly records: boolean | { readonly under: string };
}

export const DEFAULT_MAX_DEPTH = 1000;

/** Where and why the scan stopped. `path` holds the keys as written: render it with care, a key may be patient data. */
export class JsonScanError extends Error {
  constructor(
    readonly kind: 'syntax' | 'duplicate-key' | 'too-deep',
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly path: readonly JsonPathSegment[],
    /** For a duplicate key: the key. */
    readonly key?: string,
  ) {
    super(`${kind} at line ${line}, column ${column}: ${reason}`);
    this.name = 'JsonScanError';
  }
}

type Expect = 'value' | 'firstValueOrEnd' | 'key' | 'firstKeyOrEnd' | 'colon' | 'commaOrEnd';

interface Frame {
  readonly kind: 'object' | 'array';
  /** The keys seen so far (objects). */
  readonly keys?: Set<string>;
  /** The current key (objects; none before the first) or index (arrays). */
  at: JsonPathSegment | undefined;
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const MAX_TOKEN = 4096;

export class JsonScanner {
  private readonly stack: Frame[] = [];
  private expect: Expect = 'value';
  private values = 0; // top-level values completed
  // Inside a string
  private inString = false;
  private stringIsKey = false;
  private escape = 0; // 0 none, 1 after a backslash, 2..5 reading \u hex digits
  private keyText = '';
  private keyHasEscape = false;
  // Inside a number or literal
  private token = '';
  private tokenLine = 1;
  private tokenColumn = 1;
  // Position
  private line = 1;
  private lineStart = 0; // absolute offset of the current line's first character
  private offset = 0; // absolute offset of the current chunk's first character
  // The record being cut out
  private recording = false;
  private recordParts: string[] = [];
  private recordFrom = 0;
  private recordIndex = 0;
  /** How deep the stack is where the value being cut out sits. */
  private recordDepth = 0;
  /** The key of the top-level member being cut out, or undefined for a record. */
  private memberKey: string | undefined = undefined;

  constructor(
    private readonly options: JsonScanOptions,
    private readonly onRecord: (text: string, index: number) => void = () => {},
    /**
     * With `records: { under }`: each other member of the top-level object, with its key and
     * text; and the key with no text where the list of records starts.
     */
    private readonly onMember: (key: string, text: string | undefined) => void = () => {},
  ) {}

  /** Characters of the record being cut out, held until it is complete (for size limits). */
  get pendingLength(): number {
    let n = 0;
    for (const part of this.recordParts) n += part.length;
    return n;
  }

  /** Scans the next piece of text. @throws JsonScanError */
  push(chunk: string): void {
    this.recordFrom = 0;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        i = this.stringChar(chunk, i, c);
        continue;
      }
      if (this.token !== '') {
        if (isTokenChar(c)) {
          this.token += chunk[i];
          if (this.token.length > MAX_TOKEN) this.fail('syntax', 'a number or literal is too long', this.tokenLine, this.tokenColumn);
          continue;
        }
        this.endToken(chunk, i);
      }
      if (c === 10) {
        this.line++;
        this.lineStart = this.offset + i + 1;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) continue;
      this.structural(chunk, i, c);
    }
    if (this.recording) this.recordParts.push(chunk.slice(this.recordFrom));
    this.offset += n;
  }

  /** Says the input is complete. @throws JsonScanError */
  end(): void {
    if (this.inString) this.fail('syntax', 'unterminated string');
    if (this.token !== '') this.endToken('', 0);
    if (this.stack.length > 0 || this.expect !== 'commaOrEnd') {
      this.fail('syntax', this.values === 0 && this.stack.length === 0 && this.expect === 'value' ? 'the input is empty' : 'unexpected end of input');
    }
  }

  private structural(chunk: string, i: number, c: number): void {
    const expect = this.expect;
    if (expect === 'value' || expect === 'firstValueOrEnd') {
      if (expect === 'firstValueOrEnd' && c === 93) this.close(chunk, i);
      else this.value(chunk, i, c);
    } else if (expect === 'key' || expect === 'firstKeyOrEnd') {
      if (expect === 'firstKeyOrEnd' && c === 125) this.close(chunk, i);
      else this.key(i, c);
    } else if (expect === 'colon') {
      if (c !== 58) this.fail('syntax', "expected ':' after a property name", this.line, this.column(i));
      this.expect = 'value';
    } else this.afterValue(chunk, i, c);
  }

  private value(chunk: string, i: number, c: number): void {
    this.startValue(chunk, i);
    if (c === 123) this.open('object', i);
    else if (c === 91) this.open('array', i);
    else if (c === 34) {
      this.inString = true;
      this.stringIsKey = false;
    } else if (c === 45 || (c >= 48 && c <= 57) || (c >= 97 && c <= 122)) {
      this.token = chunk[i]!;
      this.tokenLine = this.line;
      this.tokenColumn = this.column(i);
    } else this.fail('syntax', 'expected a value', this.line, this.column(i));
  }

  private key(i: number, c: number): void {
    if (c !== 34) this.fail('syntax', this.expect === 'key' ? 'expected a property name' : "expected a property name or '}'", this.line, this.column(i));
    this.inString = true;
    this.stringIsKey = true;
    this.keyText = '';
    this.keyHasEscape = false;
    this.tokenLine = this.line;
    this.tokenColumn = this.column(i);
  }

  private afterValue(chunk: string, i: number, c: number): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      if (this.options.records !== true) this.fail('syntax', 'unexpected text after the JSON value', this.line, this.column(i));
      // Another top-level value after the first, as in NDJSON.
      this.expect = 'value';
      this.structural(chunk, i, c);
    } else if (c === 44) {
      if (top.kind === 'array') {
        top.at = (top.at as number) + 1;
        this.expect = 'value';
      } else this.expect = 'key';
    } else if ((top.kind === 'object' && c === 125) || (top.kind === 'array' && c === 93)) this.close(chunk, i);
    else this.fail('syntax', top.kind === 'object' ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element", this.line, this.column(i));
  }

  /** A value starts at chunk[i]: start recording it when it is a record. */
  private startValue(chunk: string, i: number): void {
    const records = this.options.records;
    if (records === false || this.recording) return;
    const depth = this.stack.length;
    const top = this.stack[0];
    if (records === true) {
      if (!(depth === 0 ? chunk.charCodeAt(i) !== 91 : depth === 1 && top!.kind === 'array')) return;
      this.memberKey = undefined;
    } else if (depth === 2 && top!.kind === 'object' && top!.at === records.under && this.stack[1]!.kind === 'array') {
      this.memberKey = undefined;
    } else if (depth === 1 && top!.kind === 'object') {
      // A member under the key is the list of records, cut one by one, unless it is no list.
      if (top!.at === records.under && chunk.charCodeAt(i) === 91) {
        this.onMember(records.under, undefined);
        return;
      }
      this.memberKey = top!.at as string;
    } else return;
    this.recordDepth = depth;
    this.recording = true;
    this.recordParts = [];
    this.recordFrom = i;
  }

  /** The value that ends just before chunk[end] is complete. */
  private valueDone(chunk: string, end: number): void {
    this.expect = 'commaOrEnd';
    if (this.stack.length === 0) this.values++;
    if (!this.recording || this.stack.length !== this.recordDepth) return;
    this.recordParts.push(chunk.slice(this.recordFrom, end));
    const text = this.recordParts.join('');
    this.recording = false;
    this.recordParts = [];
    if (this.memberKey !== undefined) this.onMember(this.memberKey, text);
    else this.onRecord(text, this.recordIndex++);
  }

  private open(kind: Frame['kind'], i: number): void {
    if (this.stack.length >= this.options.maxDepth) {
      this.fail('too-deep', `objects and arrays are nested more than ${this.options.maxDepth} levels deep`, this.line, this.column(i));
    }
    this.stack.push(kind === 'object' ? { kind, keys: new Set(), at: undefined } : { kind, at: 0 });
    this.expect = kind === 'object' ? 'firstKeyOrEnd' : 'firstValueOrEnd';
  }

  private close(chunk: string, i: number): void {
    this.stack.pop();
    this.valueDone(chunk, i + 1);
  }

  private stringChar(chunk: string, i: number, c: number): number {
    if (this.escape === 1) {
      if (c === 117) this.escape = 2;
      else if (c === 34 || c === 92 || c === 47 || c === 98 || c === 102 || c === 110 || c === 114 || c === 116) this.escape = 0;
      else this.fail('syntax', 'invalid escape in a string', this.line, this.column(i));
      if (this.stringIsKey) this.keyText += chunk[i];
      return i;
    }
    if (this.escape >= 2) {
      if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) this.fail('syntax', 'invalid \\u escape in a string', this.line, this.column(i));
      this.escape = this.escape === 5 ? 0 : this.escape + 1;
      if (this.stringIsKey) this.keyText += chunk[i];
      return i;
    }
    if (c === 34) {
      this.inString = false;
      if (this.stringIsKey) this.keyDone();
      else this.valueDone(chunk, i + 1);
      return i;
    }
    if (c < 32) this.fail('syntax', c === 10 ? 'unterminated string' : 'control character in a string', this.line, this.column(i));
    if (c === 92) {
      this.escape = 1;
      if (this.stringIsKey) {
        this.keyHasEscape = true;
        this.keyText += '\\';
      }
      return i;
    }
    if (this.stringIsKey) {
      // Copy the plain run at once rather than one character at a time.
      let j = i + 1;
      while (j < chunk.length) {
        const d = chunk.charCodeAt(j);
        if (d === 34 || d === 92 || d < 32) break;
        j++;
      }
      this.keyText += chunk.slice(i, j);
      return j - 1;
    }
    // Skip the plain run of a string value.
    let j = i + 1;
    while (j < chunk.length) {
      const d = chunk.charCodeAt(j);
      if (d === 34 || d === 92 || d < 32) break;
      j++;
    }
    return j - 1;
  }

  private keyDone(): void {
    const key = this.keyHasEscape ? (JSON.parse(`"${this.keyText}"`) as string) : this.keyText;
    const top = this.stack[this.stack.length - 1]!;
    if (top.keys!.has(key)) this.fail('duplicate-key', 'a key appears twice in one object', this.tokenLine, this.tokenColumn, key);
    top.keys!.add(key);
    top.at = key;
    this.keyText = '';
    this.expect = 'colon';
  }

  private endToken(chunk: string, i: number): void {
    const token = this.token;
    this.token = '';
    if (token !== 'true' && token !== 'false' && token !== 'null' && !NUMBER.test(token)) {
      this.fail('syntax', /^[-\d]/.test(token) ? 'invalid number' : 'expected a value', this.tokenLine, this.tokenColumn);
    }
    this.valueDone(chunk, i);
  }

  private column(i: number): number {
    return this.offset + i - this.lineStart + 1;
  }

  private fail(kind: JsonScanError['kind'], reason: string, line = this.line, column = this.offset - this.lineStart + 1, key?: string): never {
    const frames = kind === 'duplicate-key' ? this.stack.slice(0, -1) : this.stack;
    const path = frames.map((f) => f.at).filter((at) => at !== undefined);
    throw new JsonScanError(kind, reason, line, column, path, key);
  }
}

function isTokenChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 43 || c === 46;
}
