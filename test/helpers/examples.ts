/**
 * The runnable example records under `examples/ctp/`, read once per test file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the project root. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute path of `examples/ctp/`. */
export const ctpExamplesDir = join(projectRoot, 'examples', 'ctp');

export interface ExampleFile {
  /** File name, e.g. `adult-all-eight-areas.json`. */
  readonly name: string;
  /** Path relative to the project root, for messages. */
  readonly path: string;
  /** The decoded JSON. */
  readonly json: unknown;
}

/** Every `examples/ctp/*.json`, sorted by name. */
export function loadCtpExamples(): ExampleFile[] {
  return readdirSync(ctpExamplesDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      name,
      path: `examples/ctp/${name}`,
      json: JSON.parse(readFileSync(join(ctpExamplesDir, name), 'utf8')) as unknown,
    }));
}
