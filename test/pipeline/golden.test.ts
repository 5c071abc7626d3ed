import { describe, expect, it } from 'vitest';
import { operationOutcome } from '../../src/fhir/outcome.js';
import { exampleFiles, hl7Examples, testRuntime } from '../helpers/runtime.js';

// Golden outputs live in test/golden/<source>/<example>.json; after an intended change,
// regenerate them with `npm run test:golden:update` and review the diff like code.
describe('golden outputs', () => {
  const { pipeline } = testRuntime();

  for (const example of exampleFiles()) {
    it(`${example.path} maps to its golden Bundle without errors`, async () => {
      const results = pipeline.convert(example.source, example.text, example.path);
      for (const r of results) expect(r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
      const golden = results.map((r) => ({ bundle: r.bundle, outcome: operationOutcome(r.issues) }));
      await expect(`${JSON.stringify(golden.length === 1 ? golden[0] : golden, null, 2)}\n`).toMatchFileSnapshot(`../golden/${example.source}/${example.name}.json`);
    });
  }

  for (const example of hl7Examples()) {
    it(`HL7 example ${example.name} maps to its golden Bundle`, async () => {
      const [result] = pipeline.convert('fhir', example.text, example.name);
      const golden = { bundle: result!.bundle ?? null, outcome: operationOutcome(result!.issues) };
      await expect(`${JSON.stringify(golden, null, 2)}\n`).toMatchFileSnapshot(`../golden/hl7/${example.name}`);
    });
  }
});
