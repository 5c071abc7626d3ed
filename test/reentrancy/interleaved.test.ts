/**
 * The engine is re-entrant: compiled mappings, invariants, the validator and rule packs hold no
 * state of a run, so conversions that interleave (in one thread, or in several) give exactly
 * what they give one after another.
 */

import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMappings } from '../../src/mapping/loader.js';
import { readFhirInput } from '../../src/pipeline/fhir-input.js';
import { pontBuild } from '../helpers/build.js';
import { type ExampleFile, exampleFiles, FIXED_NOW, ROOT, testRuntime } from '../helpers/runtime.js';
import { convertInStages, type Pause } from './conversions.js';

const files = exampleFiles();
const sequential = new Map<string, string>();
// The worker threads run the build of the sources: it compiles while the conversions below run.
const built = pontBuild();
built.catch(() => {}); // a failed build fails the test that awaits it

beforeAll(async () => {
  for (const file of files) sequential.set(file.path, await convertInStages(testRuntime(), file, async () => {}));
});

/** A deterministic pseudo-random pause: a microtask, a macrotask or a timer, so tasks overtake each other. */
function pauses(seed: number): Pause {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const kind = state % 3;
    if (kind === 0) return Promise.resolve();
    if (kind === 1) return new Promise((done) => setImmediate(done));
    return new Promise((done) => setTimeout(done, state % 3));
  };
}

describe('interleaved conversions', () => {
  it('covers every example source', () => {
    expect(new Set(files.map((f) => f.source))).toEqual(new Set(['carepath-json', 'ctp', 'wpas-csv']));
    expect(files.length).toBeGreaterThanOrEqual(18);
  });

  it('give, in one thread, byte for byte what they give one after another', async () => {
    const runs: { file: ExampleFile; result: Promise<string> }[] = [];
    for (let copy = 0; copy < 2; copy++) {
      for (const [i, file] of files.entries()) runs.push({ file, result: convertInStages(testRuntime(), file, pauses(copy * 100 + i + 1)) });
    }
    for (const run of runs) expect(await run.result, run.file.path).toBe(sequential.get(run.file.path));
  });

  it('give, in two worker threads running the examples in opposite orders, what one thread gives', async () => {
    const forwards = files.map((_, i) => i);
    // The worker is plain JavaScript from this run's build of the sources (test/setup/build.ts): tsx in each thread costs more.
    const script = (await built).file('test/reentrancy/worker.ts');
    const inWorker = (order: number[]) =>
      new Promise<[string, string][]>((done, fail) => {
        const worker = new Worker(script, { workerData: { order } });
        worker.once('message', (results: [string, string][]) => {
          done(results);
          void worker.terminate();
        });
        worker.once('error', fail);
      });
    const [a, b] = await Promise.all([inWorker(forwards), inWorker([...forwards].reverse())]);
    for (const results of [a, b]) {
      expect(results).toHaveLength(files.length);
      for (const [path, result] of results) expect(result, path).toBe(sequential.get(path));
    }
  }, 180_000);

  it('a mapping run started inside another run of the same compiled mapping leaves the outer run intact', () => {
    const fromFhir = loadMappings(resolve(ROOT, 'mappings')).find('fhir', 'ctp')!;
    const ctpFiles = files.filter((f) => f.source === 'ctp');
    const bundles = ctpFiles.map((f) => {
      const [conversion] = testRuntime().pipeline.convert(f.source, f.text, f.path);
      return readFhirInput(conversion!.bundle, f.path, { now: FIXED_NOW });
    });
    const alone = (input: (typeof bundles)[number]) => JSON.stringify(fromFhir.toDocument(input.bundle, { resolve: input.resolve, env: { defaults: input.defaults } }));
    const [outer, inner] = [bundles[0]!, bundles[1]!];
    const innerAlone = alone(inner);
    let nested = 0;
    // The first look-ups of the outer run each start a whole run of the inner one first.
    const interrupted = fromFhir.toDocument(outer.bundle, {
      resolve: (reference) => {
        if (nested++ < 5) expect(alone(inner)).toBe(innerAlone);
        return outer.resolve(reference);
      },
      env: { defaults: outer.defaults },
    });
    expect(nested).toBeGreaterThan(5);
    expect(JSON.stringify(interrupted)).toBe(alone(outer));
  });
});
