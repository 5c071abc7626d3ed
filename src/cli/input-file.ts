/**
 * Reading inputs for the CLI, as streams: a file, or standard input for `-` whatever it is (a
 * file, a pipe, a socket, a terminal). Every input is strict UTF-8 and held to `--max-bytes`;
 * canonical records in a JSON list or NDJSON, the clients of a CarePath export and the people of
 * a WPAS extract are cut out and handed on one at a time, so such an input may be far larger
 * than the limit, which then applies to each record.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Input } from '../app/inputs.js';
import { InputError, UsageError } from '../errors/errors.js';
import { issuesOf } from '../fhir/outcome.js';
import { jsonInputError } from '../input/json.js';
import { DEFAULT_MAX_DEPTH, JsonScanError, JsonScanner } from '../input/json-scanner.js';
import { decodeUtf8Chunks } from '../input/utf8.js';
import { CarePathCutter, type CarePathPart } from '../sources/carepath-json.cut.js';
import { MAX_SOURCE_BYTES } from '../sources/index.js';
import { cutWpasByPerson } from '../sources/wpas-csv.cut.js';

/** One person's record is kilobytes; an extract of thousands of people read whole is a few megabytes. */
export const DEFAULT_MAX_BYTES = MAX_SOURCE_BYTES;

/** How many characters of an input are enough to tell its format. */
const HEAD = 400;

/** The bytes of an input, checked to be readable before the first is read. */
function openInput(path: string): AsyncIterable<Uint8Array> {
  if (path === '-') return process.stdin;
  try {
    const stat = statSync(path);
    if (!stat.isFile() && !stat.isFIFO() && !stat.isSocket() && !stat.isCharacterDevice()) throw new UsageError(`${path}: not a file`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw cannotRead(path, err);
  }
  return readable(path);
}

async function* readable(path: string): AsyncGenerator<Uint8Array> {
  try {
    yield* createReadStream(path);
  } catch (err) {
    throw cannotRead(path, err);
  }
}

function cannotRead(path: string, err: unknown): UsageError {
  return new UsageError(`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`);
}

/**
 * The bytes, counted; `limit` refuses them once more than `maxBytes` have come (counting those
 * already read), for an input held whole. Until then, any number may come.
 */
function counted(chunks: AsyncIterable<Uint8Array>, path: string, maxBytes: number): { bytes: AsyncGenerator<Uint8Array>; limit(): void } {
  let count = 0;
  let limit = Number.POSITIVE_INFINITY;
  const check = () => {
    if (count > limit) throw tooLarge(path, maxBytes, 'the input');
  };
  return {
    bytes: (async function* () {
      for await (const chunk of chunks) {
        count += chunk.length;
        check();
        yield chunk;
      }
    })(),
    limit: () => {
      limit = maxBytes;
      check();
    },
  };
}

function tooLarge(path: string, maxBytes: number, what: string): InputError {
  const mb = maxBytes < 1024 * 1024 ? `${maxBytes}-byte` : `${(maxBytes / 1024 / 1024).toFixed(1)} MB`;
  return new InputError('INPUT_TOO_LARGE', `${path}: ${what} is over the ${mb} limit (see --max-bytes)`, [
    { severity: 'error', code: 'too-costly', diagnostics: `${what.charAt(0).toUpperCase()}${what.slice(1)} is over the ${mb} limit.` },
  ]);
}

/** Reads a whole input as text (strict UTF-8, at most `maxBytes`, without a byte order mark). */
export async function readInputText(path: string, maxBytes: number): Promise<string> {
  const parts: string[] = [];
  const input = counted(openInput(path), path, maxBytes);
  input.limit();
  for await (const text of decodeUtf8Chunks(input.bytes, path)) parts.push(text);
  return parts.join('');
}

/** Guesses the source from the file: CSV by extension, JSON by its top-level shape. */
export function detectSource(path: string, text: string): string | undefined {
  if (extname(path).toLowerCase() === '.csv') return 'wpas-csv';
  const head = text.trimStart();
  if (!head.startsWith('{') && !head.startsWith('[')) return undefined;
  if (/^\{\s*"resourceType"\s*:/.test(head) || /"resourceType"\s*:\s*"Bundle"/.test(head.slice(0, 200))) return 'fhir';
  if (/"schemaVersion"\s*:/.test(head.slice(0, HEAD))) return 'ctp';
  if (/"(exportMeta|client|clients)"\s*:/.test(head.slice(0, HEAD))) return 'carepath-json';
  return undefined;
}

export interface ReadOptions {
  /** The format of every input; guessed from each when absent. */
  readonly source?: string;
  readonly maxBytes: number;
  /** Every known format, named when one cannot be guessed. */
  readonly known: readonly string[];
  /** Whether a JSON key may be named in a message. */
  readonly isKnownKey: (key: string) => boolean;
}

/**
 * Reads each file when the use case asks for the next input, settling its format. Usage problems
 * (a missing file) are thrown; problems with the content become an unreadable input. Canonical
 * records (`ctp`) and FHIR are handed on one record (Bundle, or resource of NDJSON) at a time;
 * the EPR exports per client or person as they are cut out.
 */
export async function* readInputs(files: Iterable<string>, options: ReadOptions): AsyncGenerator<Input> {
  for (const file of files) {
    try {
      yield* readOne(file, options);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      yield { origin: file, issues: issuesOf(err) };
    }
  }
}

async function* readOne(file: string, options: ReadOptions): AsyncGenerator<Input> {
  const bytes = counted(openInput(file), file, options.maxBytes);
  const texts = decodeUtf8Chunks(bytes.bytes, file)[Symbol.asyncIterator]();
  // Enough of the start to tell the format.
  let head = '';
  let ended = false;
  while (head.length < HEAD) {
    const next = await texts.next();
    if (next.done) {
      ended = true;
      break;
    }
    head += next.value;
  }
  const source = options.source ?? detectSource(file, head);
  if (source === undefined) {
    await texts.return?.(undefined);
    yield {
      origin: file,
      issues: [{ severity: 'error', code: 'not-supported', diagnostics: `Cannot tell the format of ${file}; name it with --source (${options.known.join(', ')}).` }],
    };
    return;
  }
  const rest = async function* () {
    yield head;
    if (ended) return;
    for (let next = await texts.next(); !next.done; next = await texts.next()) yield next.value;
  };
  if (source === 'ctp' || source === 'fhir') {
    // The limit applies to each record: for FHIR, each Bundle, or each resource of NDJSON (Bulk Data files).
    yield* readRecords(file, source, rest(), options);
    return;
  }
  if (source === 'wpas-csv') {
    yield* readPeople(file, rest(), options); // the limit applies to each person's rows
    return;
  }
  if (source === 'carepath-json') {
    yield* readClients(file, rest(), options); // the limit applies to each client
    return;
  }
  bytes.limit();
  const parts: string[] = [];
  for await (const text of rest()) parts.push(text);
  yield { origin: file, source, text: parts.join('') };
}

/**
 * Cuts canonical records (or FHIR Bundles and resources) out of a JSON list or NDJSON as they arrive; the byte limit applies to
 * each record. One record is held back, so that a record alone in its input (one object) is told
 * from the first of several (NDJSON), whose position is given.
 */
async function* readRecords(file: string, source: 'ctp' | 'fhir', texts: AsyncIterable<string>, options: ReadOptions): AsyncGenerator<Input> {
  const ready: string[] = [];
  const scanner = new JsonScanner({ maxDepth: DEFAULT_MAX_DEPTH, records: true }, (text) => ready.push(text));
  // A JSON list, more than one top-level record, or NDJSON by name (whose every line is a record, even alone: a Bulk Data file of one resource).
  let listed = extname(file).toLowerCase() === '.ndjson';
  let started = false;
  let first = ''; // the text the input starts with
  let held: string | undefined;
  let count = 0; // records handed on
  const record = (text: string): Input => ({ origin: file, source, text, ...(listed ? { position: count++ } : {}) });
  try {
    for await (const text of texts) {
      if (!started && /\S/.test(text)) {
        started = true;
        first = text;
        listed ||= /^\s*\[/.test(text);
      }
      scanner.push(text);
      for (const next of ready.splice(0)) {
        if (held !== undefined) {
          listed = true;
          yield record(held);
        }
        held = undefined;
        if (overLimit(next, options.maxBytes)) throw tooLarge(file, options.maxBytes, listed ? `record ${count + 1}` : 'the input');
        held = next;
      }
      // The record being cut out is over the limit already (a string's length never exceeds its UTF-8 size).
      if (scanner.pendingLength > options.maxBytes) {
        if (held !== undefined) {
          listed = true;
          yield record(held);
        }
        throw tooLarge(file, options.maxBytes, listed ? `record ${count + 1}` : 'the input');
      }
    }
    scanner.end();
  } catch (err) {
    if (err instanceof JsonScanError) {
      // The records completed before the error are handed on first, the error at the next place.
      const before = [...(held === undefined ? [] : [held]), ...ready.splice(0)];
      if (before.length > 0 && !listed) listed = true;
      for (const text of before) yield record(text);
      // In NDJSON the scanner's path starts at the record; in a JSON list, at the list.
      const ndjson = listed && !/^\s*\[/.test(first);
      yield { origin: file, issues: issuesOf(jsonInputError(err, file, options.isKnownKey, ndjson ? [count] : [])), ...(listed ? { position: count } : {}) };
      return;
    }
    throw err;
  }
  if (held !== undefined) yield record(held);
  else if (count === 0) yield { origin: file, issues: [{ severity: 'error', code: 'required', diagnostics: 'The input holds no record.' }] };
}

/**
 * Cuts a CarePath export into one part per client as it arrives (src/sources/carepath-json.cut.ts);
 * the byte limit applies to each client (with the export header), and to a file of one client.
 */
async function* readClients(file: string, texts: AsyncIterable<string>, options: ReadOptions): AsyncGenerator<Input> {
  const cutter = new CarePathCutter(file);
  let handed = 0;
  const input = (part: CarePathPart): Input =>
    'issues' in part
      ? { origin: file, issues: part.issues, ...(handed > 0 ? { position: handed } : {}) }
      : { origin: file, source: 'carepath-json', text: part.text, ...(part.position === undefined ? {} : { position: part.position }) };
  try {
    for await (const text of texts) {
      for (const part of cutter.push(text)) {
        if ('text' in part && overLimit(part.text, options.maxBytes)) throw tooLarge(file, options.maxBytes, `client ${(part.position ?? 0) + 1}`);
        yield input(part);
        handed++;
      }
      if (cutter.pendingLength > options.maxBytes) throw tooLarge(file, options.maxBytes, handed > 0 ? `client ${handed + 1}` : 'the input');
    }
    for (const part of cutter.end()) {
      if ('text' in part && overLimit(part.text, options.maxBytes))
        throw tooLarge(file, options.maxBytes, part.position === undefined ? 'the input' : `client ${part.position + 1}`);
      yield input(part);
      handed++;
    }
  } catch (err) {
    if (!(err instanceof JsonScanError)) throw err;
    for (const part of cutter.cutSoFar()) {
      yield input(part);
      handed++;
    }
    yield { origin: file, issues: issuesOf(jsonInputError(err, file, options.isKnownKey)), ...(handed > 0 ? { position: handed } : {}) };
  }
}

/** Cuts a WPAS extract into one part per person as it arrives (src/sources/wpas-csv.cut.ts). */
async function* readPeople(file: string, texts: AsyncIterable<string>, options: ReadOptions): AsyncGenerator<Input> {
  let position = 0;
  const parts: Input[] = [];
  for await (const part of cutWpasByPerson(texts, file)) {
    if ('issues' in part) {
      parts.push({ origin: file, issues: part.issues, position: position++ });
    } else {
      if (overLimit(part.text, options.maxBytes)) throw tooLarge(file, options.maxBytes, `the rows of person ${position + 1}`);
      parts.push({ origin: file, source: 'wpas-csv', text: part.text, lineOffset: part.lineOffset, position: position++ });
    }
    // One part is held back: an extract of one person is handed on as the whole input it is.
    if (parts.length > 1) yield parts.shift()!;
  }
  const last = parts.shift();
  if (last === undefined) return;
  if (position === 1 && 'text' in last) {
    const { position: _alone, ...whole } = last;
    yield whole;
  } else yield last;
}

function overLimit(text: string, maxBytes: number): boolean {
  return text.length > maxBytes || Buffer.byteLength(text) > maxBytes;
}

/** Files as given; a folder stands for its files (not sub-folders, not hidden files), sorted by name. */
export function expandPaths(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      return [path]; // reading it reports the problem
    }
    if (!isDirectory) return [path];
    return readdirSync(path)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => join(path, name))
      .filter((file) => statSync(file).isFile());
  });
}
