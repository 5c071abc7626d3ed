/**
 * Writes one `Measure-<id>.json` per measure to profiles/measures/. Run with
 * `npm run measures:build`; a test fails when the committed files differ from a fresh build.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildMeasureResource } from '../../src/measures/fhir-measure.js';
import { measures } from '../../src/measures/registry.js';

export const MEASURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../measures');
export const GENERATED_MEASURE_FILE = /^Measure-[a-z0-9-]+\.json$/;

/** File name → exact text of every generated file. */
export function renderMeasures(): Map<string, string> {
  return new Map(measures.map((m) => [`Measure-${m.id}.json`, `${JSON.stringify(buildMeasureResource(m), null, 2)}\n`]));
}

export function writeMeasures(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const files = renderMeasures();
  for (const name of readdirSync(dir)) if (GENERATED_MEASURE_FILE.test(name) && !files.has(name)) rmSync(join(dir, name));
  for (const [name, text] of files) writeFileSync(join(dir, name), text, 'utf8');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  writeMeasures(MEASURES_DIR);
  process.stdout.write(`wrote ${renderMeasures().size} measures to profiles/measures/\n`);
}
