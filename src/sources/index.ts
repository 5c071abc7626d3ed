/**
 * Registry of the EPR export formats pont reads besides its own (`ctp`) and FHIR (`fhir`).
 * Each parser turns a file's text into documents ready for the `<source>-to-ctp` mapping in
 * mappings/, or throws an InputError that names the file and the place, never a value.
 */
import { InputError, type MappingLocation } from '../errors/errors.js';
import type { JsonDecodeOptions } from '../input/json.js';
import { carePathFilePath, parseCarePathJson } from './carepath-json.parse.js';
import { locateInWpas, parseWpasCsv } from './wpas-csv.parse.js';

export const SOURCE_NAMES = ['carepath-json', 'wpas-csv'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/**
 * Default for the largest input a front end holds in memory at once, in bytes of UTF-8 (the
 * command line's `--max-bytes`). The front end that reads an input enforces its limit, the same
 * for every source; the parsers read whatever they are given.
 */
export const MAX_SOURCE_BYTES = 32 * 1024 * 1024;

/**
 * How a source's text is read: JSON options; for a part cut out of a CSV extract, its line
 * offset; for a client cut out of a CarePath export, its position there.
 */
export interface SourceParseOptions extends JsonDecodeOptions {
  readonly lineOffset?: number;
  readonly position?: number;
}

const parsers: Readonly<Record<SourceName, (text: string, origin: string, options: SourceParseOptions) => unknown[]>> = {
  'carepath-json': parseCarePathJson,
  'wpas-csv': (text, origin, options) => parseWpasCsv(text, origin, options.lineOffset ?? 0),
};

export function isSourceName(name: string): name is SourceName {
  return (SOURCE_NAMES as readonly string[]).includes(name);
}

/**
 * Parses one source file.
 *
 * @param name - The source format; any other name gives INPUT_UNKNOWN_SOURCE (callers may pass
 *   what a user typed).
 * @param text - The file's text.
 * @param origin - The file name (or request id), used in messages.
 * @param options - How JSON sources are decoded (the keys messages may name).
 * @returns The documents in the file (one per person), each ready for `<name>-to-ctp`.
 * @throws InputError `INPUT_UNKNOWN_SOURCE`, `INPUT_NOT_JSON`, `INPUT_BAD_CSV` or `INPUT_INVALID`.
 */
export function parseSource(name: SourceName | (string & {}), text: string, origin: string, options: SourceParseOptions = {}): unknown[] {
  if (!isSourceName(name)) {
    throw new InputError('INPUT_UNKNOWN_SOURCE', `unknown source format; known formats are ${SOURCE_NAMES.join(', ')}`);
  }
  return parsers[name](text, origin, options);
}

/**
 * Where, in the input's own terms, a value the source's mapping refused is: `line N, column
 * NAME` for wpas-csv, the element's path for carepath-json (`client.gender`). Undefined when it
 * cannot be told better than the mapping's own input path.
 */
export function locateInSource(name: string, location: MappingLocation, document?: unknown): string | undefined {
  if (name === 'wpas-csv') return locateInWpas(location.inScope ?? [], location.value);
  if (name === 'carepath-json') {
    const path = locateInJsonItem(location);
    return path === undefined ? undefined : carePathFilePath(document, path);
  }
  return undefined;
}

const PLAIN_PATH = /^[A-Za-z_]\w*(\[\d+\])?(\.[A-Za-z_]\w*(\[\d+\])?)*$/;

/**
 * The mapping's input path without its identity steps (`.($this)`), then the key of the item
 * being mapped that holds the refused value, when there is one.
 */
function locateInJsonItem(location: MappingLocation): string | undefined {
  const path = location.inputPath.replace(/\.\(\$this\)/g, '').replace(/^\(\$this\)\.?/, '');
  if (!PLAIN_PATH.test(path)) return undefined;
  const item = location.inScope?.[0];
  if (typeof item === 'object' && item !== null && location.value !== undefined) {
    const key = Object.keys(item).find((k) => (item as Record<string, unknown>)[k] === location.value);
    if (key !== undefined) return `${path}.${key}`;
  }
  return path === location.inputPath ? undefined : path;
}
