/**
 * Registry of the EPR export formats pont reads besides its own (`ctp`) and FHIR (`fhir`).
 * Each parser turns a file's text into documents ready for the `<source>-to-ctp` mapping in
 * mappings/, or throws an InputError that names the file and the place, never a value.
 */
import { InputError } from '../errors/errors.js';
import { parseCarePathJson } from './carepath-json.parse.js';
import { parseWpasCsv } from './wpas-csv.parse.js';

export const SOURCE_NAMES = ['carepath-json', 'wpas-csv'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** Largest input accepted, in bytes of UTF-8. Bigger extracts must be split (e.g. by patient). */
export const MAX_SOURCE_BYTES = 32 * 1024 * 1024;

const parsers: Readonly<Record<SourceName, (text: string, origin: string) => unknown[]>> = {
  'carepath-json': parseCarePathJson,
  'wpas-csv': parseWpasCsv,
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
 * @returns The documents in the file (one per person), each ready for `<name>-to-ctp`.
 * @throws InputError `INPUT_UNKNOWN_SOURCE`, `INPUT_TOO_LARGE`, `INPUT_NOT_JSON`, `INPUT_BAD_CSV`
 *   or `INPUT_INVALID`.
 */
export function parseSource(name: SourceName | (string & {}), text: string, origin: string): unknown[] {
  if (!isSourceName(name)) {
    throw new InputError('INPUT_UNKNOWN_SOURCE', `unknown source format; known formats are ${SOURCE_NAMES.join(', ')}`);
  }
  // A string's length never exceeds its UTF-8 size, so the cheap test settles most large inputs.
  if (text.length > MAX_SOURCE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_SOURCE_BYTES) {
    throw new InputError(
      'INPUT_TOO_LARGE',
      `${origin}: the input is larger than ${MAX_SOURCE_BYTES / (1024 * 1024)} MiB, the most pont reads in one file; split the extract (for example by patient) and map each part`,
    );
  }
  return parsers[name](text, origin);
}
