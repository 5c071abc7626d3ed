/** Reading one input file for the CLI: size limit, encoding, and guessing its source format. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Input } from '../app/inputs.js';
import { InputError, UsageError } from '../errors/errors.js';
import { issuesOf } from '../fhir/outcome.js';
import { MAX_SOURCE_BYTES } from '../sources/index.js';

/** One person's record is kilobytes; an extract of thousands of people is a few megabytes. */
export const DEFAULT_MAX_BYTES = MAX_SOURCE_BYTES;

export function readInputFile(path: string, maxBytes: number): string {
  const streamed = path === '-';
  let size = 0;
  if (!streamed) {
    try {
      const stat = statSync(path);
      if (!stat.isFile() && !stat.isFIFO()) throw new UsageError(`${path}: not a file`);
      size = stat.isFile() ? stat.size : 0;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`);
    }
  }
  if (size > maxBytes) throw tooLarge(path, size, maxBytes);
  // /dev/stdin rather than fd 0: reading fd 0 fails with EAGAIN when a parent made it non-blocking.
  let bytes: Buffer;
  try {
    bytes = readFileSync(streamed ? '/dev/stdin' : path);
  } catch (err) {
    throw new UsageError(`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  if (bytes.length > maxBytes) throw tooLarge(path, bytes.length, maxBytes);
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function tooLarge(path: string, size: number, maxBytes: number): InputError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new InputError('INPUT_TOO_LARGE', `${path}: the file is ${mb(size)}, over the ${mb(maxBytes)} limit for one input (see --max-bytes)`, [
    { severity: 'error', code: 'too-costly', diagnostics: `The file is ${mb(size)}, over the ${mb(maxBytes)} limit for one input.` },
  ]);
}

/** Guesses the source from the file: CSV by extension, JSON by its top-level shape. */
export function detectSource(path: string, text: string): string | undefined {
  if (extname(path).toLowerCase() === '.csv') return 'wpas-csv';
  const head = text.trimStart();
  if (!head.startsWith('{') && !head.startsWith('[')) return undefined;
  if (/^\{\s*"resourceType"\s*:/.test(head) || /"resourceType"\s*:\s*"Bundle"/.test(head.slice(0, 200))) return 'fhir';
  if (/"schemaVersion"\s*:/.test(head.slice(0, 400))) return 'ctp';
  if (/"(exportMeta|client|clients)"\s*:/.test(head.slice(0, 400))) return 'carepath-json';
  return undefined;
}

/**
 * Reads each file when the use case asks for the next input, settling its format. Usage problems
 * (a missing file) are thrown; problems with the content become an unreadable input.
 */
export function* readInputs(files: Iterable<string>, source: string | undefined, maxBytes: number, known: readonly string[]): Generator<Input> {
  for (const file of files) {
    let text: string;
    try {
      text = readInputFile(file, maxBytes);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      yield { origin: file, issues: issuesOf(err) };
      continue;
    }
    const chosen = source ?? detectSource(file, text);
    if (chosen === undefined) {
      yield {
        origin: file,
        issues: [{ severity: 'error', code: 'not-supported', diagnostics: `Cannot tell the format of ${file}; name it with --source (${known.join(', ')}).` }],
      };
      continue;
    }
    yield { origin: file, source: chosen, text };
  }
}

/** Files as given; a folder stands for its files (not sub-folders, not hidden files), sorted by name. */
export function expandPaths(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      return [path]; // readInputFile reports it
    }
    if (!isDirectory) return [path];
    return readdirSync(path)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => join(path, name))
      .filter((file) => statSync(file).isFile());
  });
}
