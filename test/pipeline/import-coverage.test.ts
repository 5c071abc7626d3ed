/** What a FHIR import took in and what it left out, from the reads of the mapping. */
import fc from 'fast-check';
import fhirpath from 'fhirpath';
import { describe, expect, it } from 'vitest';
import { importCoverage, notImportedIssues, recordReads } from '../../src/pipeline/import-coverage.js';

type Json = Record<string, unknown>;

const isUnder = (path: string, named: string) => path === named || path.startsWith(`${named}.`) || path.startsWith(`${named}[`);

function leaves(node: unknown, path: string, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((c, i) => leaves(c, `${path}[${i}]`, out));
  else if (node !== null && typeof node === 'object') for (const [k, c] of Object.entries(node)) leaves(c, `${path}.${k}`, out);
  else out.push(path);
  return out;
}

describe('recordReads', () => {
  it('records the paths of the primitive values read through its views, and nothing after stop', () => {
    const input = { resourceType: 'Patient', name: [{ family: 'F', given: ['A', 'B'] }], gender: 'other' };
    const recorder = recordReads(input, 'Patient');
    const view = recorder.view(input);
    expect(recorder.view(input)).toBe(view);
    expect(view.name[0]!.given[1]).toBe('B');
    expect(view.name.length).toBe(1);
    recorder.stop();
    expect(view.gender).toBe('other');
    expect([...recorder.reads]).toEqual(['Patient.name[0].given[1]']);
  });

  it('serves fhirpath.js, which pins its own properties on what it reads', () => {
    const input = {
      resourceType: 'Patient',
      identifier: [
        { system: 's1', value: 'v1' },
        { system: 's2', value: 'v2' },
      ],
    };
    const recorder = recordReads(input, 'Patient');
    const found = fhirpath.evaluate(recorder.view(input), "identifier.where(system = 's2').value");
    expect(found).toEqual(['v2']);
    expect(recorder.reads).toContain('Patient.identifier[1].value');
    expect(recorder.reads).not.toContain('Patient.identifier[0].value');
  });

  it('records nothing for objects that are not part of the input', () => {
    const input = { a: 'x' };
    const recorder = recordReads(input, 'R');
    const outside = recorder.view({ wrapper: input, b: 'y' });
    expect(outside.b).toBe('y');
    expect(outside.wrapper.a).toBe('x');
    expect([...recorder.reads]).toEqual(['R.a']);
  });
});

describe('importCoverage', () => {
  const cover = (resources: { resource: Json; path: string }[], reads: string[], record: unknown, resolve: (r: string) => Json | undefined = () => undefined) => {
    const recorder = recordReads({ entry: resources.map((r) => ({ resource: r.resource })) }, 'Bundle');
    return importCoverage({
      resources: resources.map((r, i) => ({ ...r, label: `Bundle.entry[${i}] ${String(r.resource.resourceType)}` })),
      reads: new Set(reads),
      record,
      resolve,
      pathOf: recorder.pathOf,
    });
  };

  it('names a resource none of whose values the record holds, whole', () => {
    const sr = { resourceType: 'ServiceRequest', status: 'active', code: { text: 'x' } };
    const coverage = cover([{ resource: sr, path: 'Bundle.entry[0].resource' }], ['Bundle.entry[0].resource.status'], { other: 'value' });
    expect(notImportedIssues(coverage.resources)).toEqual([
      {
        severity: 'information',
        code: 'informational',
        diagnostics: "Bundle.entry[0] ServiceRequest: not imported, pont's record has no place for it.",
        expression: ['Bundle.entry[0].resource'],
      },
    ]);
  });

  it('counts a value read and held, the system read beside it and a date-time held by its date, and names the rest', () => {
    const p = 'Bundle.entry[0].resource';
    const patient = {
      resourceType: 'Patient',
      identifier: [{ system: 'nhs', value: '999' }],
      birthDate: '1980-01-01',
      meta: { lastUpdated: '2024-02-03T04:05:06Z' },
      maritalStatus: { coding: [{ system: 'ms', code: 'M' }] },
    };
    const reads = [`${p}.identifier[0].system`, `${p}.identifier[0].value`, `${p}.birthDate`, `${p}.meta.lastUpdated`, `${p}.maritalStatus.coding[0].system`];
    const coverage = cover([{ resource: patient, path: p }], reads, { nhs: '999', dob: '1980-01-01', extracted: '2024-02-03' });
    expect([...coverage.imported].sort()).toEqual([`${p}.birthDate`, `${p}.identifier[0].system`, `${p}.identifier[0].value`, `${p}.meta.lastUpdated`]);
    expect(coverage.resources[0]!.left).toEqual([`${p}.maritalStatus`]);
  });

  it('keeps a link only between resources the record holds values of', () => {
    const goal = { resourceType: 'Goal', description: { text: 'walk' } };
    const plan = { resourceType: 'CarePlan', title: 'plan', goal: [{ reference: 'Goal/g' }], subject: { reference: 'Patient/p' } };
    const paths = ['Bundle.entry[0].resource', 'Bundle.entry[1].resource'];
    const reads = [
      'Bundle.entry[0].resource.description.text',
      'Bundle.entry[1].resource.title',
      'Bundle.entry[1].resource.goal[0].reference',
      'Bundle.entry[1].resource.subject.reference',
    ];
    const coverage = cover(
      [
        { resource: goal, path: paths[0]! },
        { resource: plan, path: paths[1]! },
      ],
      reads,
      { goal: 'walk', title: 'plan' },
      (r) => (r === 'Goal/g' ? goal : undefined),
    );
    expect(coverage.imported).toContain('Bundle.entry[1].resource.goal[0].reference');
    expect(coverage.resources[1]!.left).toEqual(['Bundle.entry[1].resource.subject']);
  });

  // A resource of arbitrary shape, arbitrary reads and an arbitrary record: every value is
  // imported or lies under exactly one named path, and no named path holds an imported value.
  const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.constantFrom('a', 'b', 'c', 'd'), fc.boolean(), tie('object'), tie('list')),
    object: fc.dictionary(fc.constantFrom('w', 'x', 'y', 'z'), tie('value'), { minKeys: 1, maxKeys: 4 }),
    list: fc.array(tie('value'), { minLength: 1, maxLength: 3 }),
  })).object as fc.Arbitrary<unknown>;

  it('names every value it did not import, once, and none it did', () => {
    fc.assert(
      fc.property(json, fc.array(fc.nat(), { maxLength: 12 }), fc.subarray(['a', 'b', 'c', 'true']), (resource, picks, held) => {
        const path = 'Bundle.entry[0].resource';
        const all = leaves(resource, path);
        const reads = picks.map((i) => all[i % Math.max(all.length, 1)]!).filter(Boolean);
        const coverage = cover([{ resource: resource as Json, path }], reads, held);
        const [c] = coverage.resources;
        const named = c!.imported ? c!.left : [path];
        for (const leaf of all) {
          const under = named.filter((n) => isUnder(leaf, n));
          expect(under.length + (coverage.imported.has(leaf) ? 1 : 0), leaf).toBe(1);
        }
        for (const imported of coverage.imported) expect(reads).toContain(imported);
      }),
      { numRuns: 300 },
    );
  });
});
