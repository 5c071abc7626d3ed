/**
 * The order test files start in. Two workers take files from one queue, so the run ends soonest
 * when the longest files start first and the short ones fill in around them. Vitest orders by
 * the durations of earlier runs, but on a fresh clone it has none and falls back to file size
 * (the re-entrancy test, short in bytes, then starts last and the run waits on it alone), and
 * durations recorded by runs of a few files include the loading that a full run shares. So the
 * files measured as the heaviest start first, in this order; the others keep Vitest's order.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * By CPU time in a full run, heaviest first: user + system time of the worker and the processes it
 * waited for (/proc/self/stat), from the top of a file to its afterAll.
 */
export const HEAVIEST_FIRST = [
  'test/reentrancy/interleaved.test.ts',
  'test/fhir/base-equivalence.test.ts',
  'test/store/store.test.ts',
  'test/fuzz/no-patient-data.test.ts',
  'test/cli/input.test.ts',
  'test/fhir-server/transaction.test.ts',
  'test/pipeline/round-trip.property.test.ts',
  'test/profiles/fhir-package.test.ts',
  'test/sources/locations.test.ts',
  'test/cli/main.test.ts',
  'test/service/serve.test.ts',
];

export default class HeaviestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = HEAVIEST_FIRST.findIndex((f) => spec.moduleId.endsWith(`/${f}`));
      return i === -1 ? HEAVIEST_FIRST.length : i;
    };
    // Array.prototype.sort is stable: files outside the list keep Vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
