/** What a FHIR import took in and what it left out, from the reads of the mapping. */
import fc from 'fast-check';
import fhirpath from 'fhirpath';
import { describe, expect, it } from 'vitest';
import { importCoverage, notImportedIssues, recordReads } from '../../src/pipeline/import-coverage.js';
import { testRuntime } from '../helpers/runtime.js';

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

type Step = { readonly value: readonly string[]; readonly kept?: readonly unknown[] } | { readonly choose: readonly string[] };

/** The value at a path under `root` (`name[0].given`), read through `view` as the mapping would. */
function readAt(view: unknown, path: string): unknown {
  let node = view;
  for (const step of path.split(/\.|(?=\[)/).filter(Boolean)) {
    const index = /^\[(\d+)\]$/.exec(step);
    node = (node as Json)[index ? Number(index[1]) : step];
  }
  return node;
}

/**
 * Runs a made-up mapping over resources: each step either computes a value from the reads it
 * names (kept in the record or, without `kept`, dropped) or reads to choose an item.
 */
function cover(resources: { resource: Json; path: string }[], steps: readonly Step[], resolve: (r: string) => Json | undefined = () => undefined) {
  const bundle = { entry: resources.map((r) => ({ resource: r.resource })) };
  const recorder = recordReads(bundle, 'Bundle');
  const view = recorder.view(bundle);
  const at = (path: string) => readAt(view, path.replace(/^Bundle/, ''));
  const values: { value: unknown; reads: { from: number; to: number } }[] = [];
  for (const step of steps) {
    if ('choose' in step) step.choose.forEach(at);
    else {
      const from = recorder.watch.open();
      step.value.forEach(at);
      const reads = recorder.watch.close(from);
      for (const value of step.kept ?? []) values.push({ value, reads });
    }
  }
  recorder.stop();
  return importCoverage({
    resources: resources.map((r, i) => ({ ...r, label: `Bundle.entry[${i}] ${String(r.resource.resourceType)}` })),
    log: recorder.log,
    spans: recorder.spans,
    values,
    resolve,
    pathOf: recorder.pathOf,
  });
}

describe('importCoverage', () => {
  const p = 'Bundle.entry[0].resource';

  it('names a resource none of whose values the record holds, whole', () => {
    const sr = { resourceType: 'ServiceRequest', status: 'active', code: { text: 'x' } };
    const coverage = cover([{ resource: sr, path: p }], [{ choose: [`${p}.status`] }]);
    expect(notImportedIssues(coverage.resources)).toEqual([
      {
        severity: 'information',
        code: 'informational',
        diagnostics: "Bundle.entry[0] ServiceRequest: not imported, pont's record has no place for it.",
        expression: [p],
      },
    ]);
  });

  it('counts a value that gives a kept value, the system read beside it and a date-time kept by its date, and names the rest', () => {
    const patient = {
      resourceType: 'Patient',
      identifier: [{ system: 'nhs', value: '999' }],
      birthDate: '1980-01-01',
      meta: { lastUpdated: '2024-02-03T04:05:06Z' },
      maritalStatus: { coding: [{ system: 'ms', code: 'M' }] },
    };
    const coverage = cover(
      [{ resource: patient, path: p }],
      [
        { value: [`${p}.identifier[0].system`, `${p}.identifier[0].value`], kept: ['999'] },
        { value: [`${p}.birthDate`], kept: ['1980-01-01'] },
        { value: [`${p}.meta.lastUpdated`], kept: ['2024-02-03'] },
        { choose: [`${p}.maritalStatus.coding[0].system`] },
      ],
    );
    expect([...coverage.imported].sort()).toEqual([`${p}.birthDate`, `${p}.identifier[0].system`, `${p}.identifier[0].value`, `${p}.meta.lastUpdated`]);
    expect(coverage.resources[0]!.left).toEqual([`${p}.maritalStatus`]);
  });

  it('does not count a value read for a value the record dropped, though the record holds an equal value elsewhere', () => {
    const plan = { resourceType: 'CarePlan', created: '2024-01-01', activity: [{ progress: [{ time: '2024-01-01', text: 'walk' }] }], title: 'walk' };
    const coverage = cover(
      [{ resource: plan, path: p }],
      [
        { value: [`${p}.created`], kept: ['2024-01-01'] },
        { value: [`${p}.title`], kept: ['walk'] },
        // e.g. `activity ~ %activity`: every value of the activity read, nothing of it kept
        { value: [`${p}.activity[0].progress[0].time`, `${p}.activity[0].progress[0].text`] },
      ],
    );
    expect([...coverage.imported].sort()).toEqual([`${p}.created`, `${p}.title`]);
    expect(coverage.resources[0]!.left).toEqual([`${p}.activity`]);
  });

  it('takes, for each kept value, one read that gives it: the first of equal values read for it', () => {
    const patient = { resourceType: 'Patient', communication: [{ language: { text: 'cy' } }, { language: { text: 'cy' } }] };
    const coverage = cover([{ resource: patient, path: p }], [{ value: [`${p}.communication[0].language.text`, `${p}.communication[1].language.text`], kept: ['cy'] }]);
    expect([...coverage.imported]).toContain(`${p}.communication[0].language.text`);
    expect(coverage.resources[0]!.left).toEqual([`${p}.communication[1]`]);
  });

  it('counts a code that a code map translated, the last element read for a value nothing read gives', () => {
    const episode = { resourceType: 'EpisodeOfCare', status: 'finished', type: [{ text: 't' }] };
    const coverage = cover(
      [{ resource: episode, path: p }],
      [
        { value: [`${p}.status`], kept: ['closed'] },
        { value: [`${p}.type[0].text`], kept: ['t'] },
      ],
    );
    expect(coverage.imported).toContain(`${p}.status`);
    expect(coverage.resources[0]!.left).toEqual([]);
  });

  it('counts a value read to choose an item only beside something imported of that item', () => {
    const patient = {
      resourceType: 'Patient',
      extension: [
        { url: 'u1', valueString: 'kept' },
        { url: 'u2', valueString: 'dropped' },
      ],
    };
    const coverage = cover(
      [{ resource: patient, path: p }],
      [{ choose: [`${p}.extension[0].url`, `${p}.extension[1].url`] }, { value: [`${p}.extension[0].valueString`], kept: ['kept'] }],
    );
    expect([...coverage.imported].sort()).toEqual([`${p}.extension[0].url`, `${p}.extension[0].valueString`]);
    expect(coverage.resources[0]!.left).toEqual([`${p}.extension[1]`]);
  });

  it('keeps a link only between resources the record holds values of', () => {
    const goal = { resourceType: 'Goal', description: { text: 'walk' } };
    const plan = { resourceType: 'CarePlan', title: 'plan', goal: [{ reference: 'Goal/g' }], subject: { reference: 'Patient/p' } };
    const paths = ['Bundle.entry[0].resource', 'Bundle.entry[1].resource'];
    const coverage = cover(
      [
        { resource: goal, path: paths[0]! },
        { resource: plan, path: paths[1]! },
      ],
      [
        { value: ['Bundle.entry[0].resource.description.text'], kept: ['walk'] },
        { value: ['Bundle.entry[1].resource.title'], kept: ['plan'] },
        { choose: ['Bundle.entry[1].resource.goal[0].reference', 'Bundle.entry[1].resource.subject.reference'] },
      ],
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
  const step = fc.record({ picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), kept: fc.subarray(['a', 'b', 'c', 'true']), choose: fc.boolean() });

  it('names every value it did not import, once, and none it did; imports only what a kept value was computed from or chosen by', () => {
    fc.assert(
      fc.property(json, fc.array(step, { maxLength: 6 }), (resource, raw) => {
        const all = leaves(resource, p);
        const pick = (i: number) => all[i % Math.max(all.length, 1)]!;
        const steps: Step[] = raw.map((s) => (s.choose ? { choose: s.picks.map(pick) } : { value: s.picks.map(pick), kept: s.kept }));
        const coverage = cover([{ resource: resource as Json, path: p }], steps);
        const [c] = coverage.resources;
        const named = c!.imported ? c!.left : [p];
        for (const leaf of all) {
          const under = named.filter((n) => isUnder(leaf, n));
          expect(under.length + (coverage.imported.has(leaf) ? 1 : 0), leaf).toBe(1);
        }
        // Nothing is imported that no step read, nor that only steps whose values were dropped read.
        const readFor = new Set(steps.flatMap((s) => ('choose' in s ? s.choose : (s.kept ?? []).length > 0 ? s.value : [])));
        for (const imported of coverage.imported) expect(readFor).toContain(imported);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a FHIR import through the fhir-to-ctp mapping', () => {
  it('names elements the mapping read and dropped though the record holds equal values from elsewhere', () => {
    const patientUrl = 'urn:uuid:11111111-1111-4111-8111-111111111111';
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: patientUrl, resource: { resourceType: 'Patient', id: 'p', name: [{ family: 'Walk' }], birthDate: '1980-02-03' } },
        {
          fullUrl: 'urn:uuid:22222222-2222-4222-8222-222222222222',
          resource: {
            resourceType: 'CarePlan',
            id: 'cp',
            status: 'active',
            intent: 'plan',
            created: '2024-01-01',
            subject: { reference: patientUrl },
            // The record keeps no progress notes, but holds their date (the plan's) and text (a
            // name, an action). The mapping reads them, comparing activities whole to number
            // the actions, and drops them.
            activity: [
              { progress: [{ time: '2024-01-01', text: 'Walk' }], detail: { status: 'in-progress', description: 'Walk' } },
              { progress: [{ time: '2024-01-01', text: 'Walk' }], detail: { status: 'in-progress', description: 'Run' } },
            ],
          },
        },
      ],
    };
    const [result] = testRuntime().convert([{ origin: 'bundle.json', text: JSON.stringify(bundle), source: 'fhir' }]);
    expect(result!.record).toBeDefined();
    const named = result!.issues.filter((i) => i.severity === 'information').flatMap((i) => i.expression ?? []);
    expect(named).toEqual(expect.arrayContaining(['Bundle.entry[1].resource.activity[0].progress', 'Bundle.entry[1].resource.activity[1].progress']));
    expect(named.some((n) => n.startsWith('Bundle.entry[1].resource.created') || n.includes('.detail'))).toBe(false);
  });
});
