/**
 * The record schema and the profiles agree (issue 8, point 6): every record the schema accepts
 * maps to a Bundle that pont's profiles and the R4 base accept, and comes back unchanged. The
 * property over generated records with pont's validator is test/pipeline/round-trip.property.test.ts
 * (its generator no longer leaves anything out but an outcome's description); here the same
 * records meet medplum's R4 validation, and each place where schema and profiles disagreed,
 * settled by the Schedule 2 form (profiles/README.md, "Record schema and profiles"), is pinned.
 */
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../profiles/tools/build-profiles.js';
import { InputError } from '../../src/errors/errors.js';
import { createValidator, validateBundleEntries } from '../../src/fhir/validate.js';
import { loadProfiles } from '../../src/profiles/load-profiles.js';
import { parseRecord } from '../../src/record/parse-record.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ctpRecord } from '../helpers/arbitraries.js';
import { loadCtpExamples } from '../helpers/examples.js';
import { testRuntime } from '../helpers/runtime.js';

const { pipeline } = testRuntime();
const errors = (issues: readonly OperationOutcomeIssue[]) => issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');

/** The example as its JSON (shaped like a record), to be spoiled one field at a time. */
const example = (): CtpRecord => structuredClone(loadCtpExamples().find((e) => e.name === 'adult-all-eight-areas.json')!.json) as CtpRecord;

function refused(json: CtpRecord): OperationOutcomeIssue[] {
  try {
    parseRecord(json, 'test record');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues;
  }
  throw new Error('expected the record schema to refuse the record');
}

describe('record schema and profiles agree', () => {
  it('maps generated records to Bundles the R4 base accepts too (medplum validateResource, property)', () => {
    const withBase = createValidator(loadProfiles(join(REPO_ROOT, 'profiles')), { baseValidation: true });
    fc.assert(
      fc.property(ctpRecord(), (record) => {
        const { bundle } = pipeline.toBundle(record);
        expect(errors(validateBundleEntries(withBase, bundle!))).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });

  it('keeps a coordinator appointment without its appointing body or temporary flag: the profile allows 0..1', () => {
    for (const drop of ['appointingBody', 'temporary'] as const) {
      const json = example();
      delete json.coordinatorAppointments![0]![drop];
      const record = parseRecord(json, 'test record');
      const { bundle, issues } = pipeline.toBundle(record);
      expect(errors(issues), drop).toEqual([]);
      expect(pipeline.reverse(JSON.stringify(bundle), 'bundle').record, drop).toEqual(record);
    }
  });

  it('refuses a coding or identifier system that is not an absolute URI, naming the field and not the value', () => {
    const json = example();
    json.diagnoses![0]!.code![0]!.system = 'SNOMED CT';
    json.patient!.localIdentifiers![0]!.system = 'EPR number';
    const issues = refused(json);
    expect(issues.map((i) => i.expression?.[0])).toEqual(['patient.localIdentifiers[0].system', 'diagnoses[0].code[0].system']);
    expect(JSON.stringify(issues)).not.toContain('SNOMED CT');
    expect(JSON.stringify(issues)).not.toContain('EPR number');
  });

  it('refuses a code with a line break, a tab or repeated spaces, and trims one at the ends', () => {
    for (const bad of ['F33\n.1', 'F33\t1', 'F33  1']) {
      const json = example();
      json.diagnoses![0]!.code![0]!.code = bad;
      expect(refused(json).map((i) => i.expression?.[0])).toEqual(['diagnoses[0].code[0].code']);
    }
    const json = example();
    json.diagnoses![0]!.code![0]!.code = ' F33 1 ';
    expect(parseRecord(json, 'test record').diagnoses![0]!.code![0]!.code).toBe('F33 1');
  });

  it('refuses an empty list of milestones, an empty signature block and an empty address, which FHIR cannot carry back', () => {
    const json = example();
    json.plans![0]!.outcomes![0]!.milestones = [];
    json.plans![0]!.signatures = {};
    json.patient!.usualAddress = {};
    expect(refused(json).map((i) => i.expression?.[0])).toEqual(['patient.usualAddress', 'plans[0].outcomes[0].milestones', 'plans[0].signatures']);
  });

  it('either refuses an empty object in place of any object of any example, or brings it back unchanged', () => {
    const lost: string[] = [];
    const tried = new Set<string>();
    for (const { name, json } of loadCtpExamples()) {
      const objects: (string | number)[][] = [];
      const walk = (node: unknown, path: (string | number)[]) => {
        if (node === null || typeof node !== 'object') return;
        if (!Array.isArray(node) && path.length > 0) objects.push(path);
        for (const [key, value] of Object.entries(node)) walk(value, [...path, Array.isArray(node) ? Number(key) : key]);
      };
      walk(json, []);
      for (const path of objects) {
        const field = path.map((k) => (typeof k === 'number' ? '*' : k)).join('.');
        if (tried.has(field)) continue;
        tried.add(field);
        const copy = structuredClone(json) as Record<string | number, unknown>;
        const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
        parent[path.at(-1)!] = {};
        let record: CtpRecord;
        try {
          record = parseRecord(copy, 'test record');
        } catch {
          continue;
        }
        const { bundle, issues } = pipeline.toBundle(record);
        if (errors(issues).length > 0 || !isDeepStrictEqual(pipeline.reverse(JSON.stringify(bundle), 'bundle').record, record)) lost.push(`${name}: ${field}`);
      }
    }
    expect(tried.size).toBeGreaterThan(50);
    expect(lost).toEqual([]);
  });
});
