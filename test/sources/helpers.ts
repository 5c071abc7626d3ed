/**
 * Shared set-up for the source tests: the two source mappings loaded on their own (so that work
 * in progress on other mapping files cannot break these tests), and file helpers.
 */
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { CompiledMapping } from '../../src/mapping/engine.js';
import { loadMappings } from '../../src/mapping/loader.js';
import { parseRecord } from '../../src/record/parse-record.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { parseSource, type SourceName } from '../../src/sources/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCENARIOS = [
  'adult-all-eight-areas',
  'child-with-parents',
  'plan-not-agreed',
  'carers-declined-copies',
  'revised-plan-after-review',
  'part3-self-referral',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const EXTENSION: Readonly<Record<SourceName, string>> = { 'carepath-json': 'json', 'wpas-csv': 'csv' };

let mappingDir: string | undefined;
/** A directory holding only the source mappings and the code maps, loaded like mappings/. */
function sourceMappingDir(): string {
  if (mappingDir) return mappingDir;
  const dir = mkdtempSync(join(tmpdir(), 'pont-source-mappings-'));
  symlinkSync(join(ROOT, 'mappings/code-maps'), join(dir, 'code-maps'));
  for (const file of ['carepath-json-to-ctp.yaml', 'wpas-csv-to-ctp.yaml']) symlinkSync(join(ROOT, 'mappings', file), join(dir, file));
  mappingDir = dir;
  return dir;
}

const mappings = new Map<SourceName, CompiledMapping>();
export function mappingFor(source: SourceName): CompiledMapping {
  let mapping = mappings.get(source);
  if (!mapping) {
    mapping = loadMappings(sourceMappingDir()).find(source, 'ctp');
    if (!mapping) throw new Error(`no mapping reads ${source}`);
    mappings.set(source, mapping);
  }
  return mapping;
}

export function exampleText(source: SourceName, scenario: Scenario): string {
  return readFileSync(join(ROOT, 'examples', source, `${scenario}.${EXTENSION[source]}`), 'utf8');
}

export function canonicalExample(scenario: Scenario): CtpRecord {
  return JSON.parse(readFileSync(join(ROOT, 'examples/ctp', `${scenario}.json`), 'utf8')) as CtpRecord;
}

/** parse → map → parseRecord, for every document in the text. */
export function mapSource(source: SourceName, text: string, origin = 'test-input'): CtpRecord[] {
  return parseSource(source, text, origin).map((doc, i) => parseRecord(mappingFor(source).toDocument(doc).document, `${origin}#${i}`));
}

/** Runs `fn` and returns the error it throws (failing the test if it does not throw). */
export function errorOf(fn: () => unknown): Error & { code?: string; issues?: { diagnostics?: string; expression?: string[] }[] } {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

/** Everything an error would show a user or a log: message and issues. */
export function errorText(err: Error & { issues?: unknown }): string {
  return JSON.stringify({ message: err.message, issues: err.issues ?? [] });
}

/** A CSV text as rows of cells (header first). */
export function csvRows(text: string): string[][] {
  return parse(text, { bom: true }) as string[][];
}

/** Rows of cells back to CSV text (RFC 4180 quoting, LF line ends). */
export function toCsv(rows: readonly (readonly string[])[]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return `${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}
