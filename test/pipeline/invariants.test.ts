import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { referencesIn as references } from '../../src/fhir/bundle.js';
import { exampleFiles, hl7Examples, testRuntime } from '../helpers/runtime.js';

/** Paths of empty strings, objects, lists and nulls. */
function empties(value: unknown, path: string, out: string[] = []): string[] {
  if (value === null || value === '') out.push(path);
  else if (Array.isArray(value)) {
    if (value.length === 0) out.push(path);
    value.forEach((v, i) => empties(v, `${path}[${i}]`, out));
  } else if (typeof value === 'object') {
    if (Object.keys(value).length === 0) out.push(path);
    for (const [k, v] of Object.entries(value)) empties(v, `${path}.${k}`, out);
  }
  return out;
}

describe('invariants over every output Bundle', () => {
  const { pipeline } = testRuntime();
  const inputs = [
    ...exampleFiles().map((e) => ({ label: e.path, source: e.source, text: e.text })),
    // A Goal alone is no person's record and is refused (test/pipeline/hl7-examples.test.ts checks why).
    ...hl7Examples()
      .filter((e) => !e.name.startsWith('Goal-'))
      .map((e) => ({ label: `HL7 ${e.name}`, source: 'fhir', text: e.text })),
  ];

  for (const input of inputs) {
    it(`${input.label}: ids, references, profiles and emptiness`, () => {
      const results = pipeline.convert(input.source, input.text, input.label);
      const again = pipeline.convert(input.source, input.text, input.label);
      expect(JSON.stringify(again.map((r) => r.bundle))).toBe(JSON.stringify(results.map((r) => r.bundle)));
      for (const r of results) {
        const bundle = r.bundle as Bundle;
        expect(bundle, JSON.stringify(r.issues)).toBeDefined();
        const entries = bundle.entry ?? [];
        const fullUrls = entries.map((e) => e.fullUrl);
        expect(new Set(fullUrls).size).toBe(entries.length);
        expect(new Set(entries.map((e) => e.request?.url)).size).toBe(entries.length);
        for (const entry of entries) {
          const resource = entry.resource!;
          expect(entry.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          expect(resource.meta?.profile?.[0]).toMatch(/^https:\/\/fhir\.pont\.wales\/StructureDefinition\/pont-/);
          expect(entry.request?.method).toBe('PUT');
          // A plain update names the resource by its id; a conditional update by its criteria, with no id (R4 http.html#cond-update).
          if (entry.request?.url.startsWith(`${resource.resourceType}?identifier=`)) expect(resource.id).toBeUndefined();
          else {
            expect(entry.fullUrl).toBe(`urn:uuid:${resource.id}`);
            expect(entry.request?.url).toBe(`${resource.resourceType}/${resource.id}`);
          }
          for (const ref of references(resource)) expect(fullUrls, `${resource.resourceType} refers to ${ref}`).toContain(ref);
          expect(empties(resource, resource.resourceType)).toEqual([]);
        }
        expect(r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
      }
    });
  }
});
