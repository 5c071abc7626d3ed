/**
 * Every HL7 R4 example of the resource types the fhir-to-ctp mapping reads is either imported,
 * with what the record did not take in named, or refused with the right reason; none is
 * silently dropped, and the exit status says which.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { ensureMedplumIndexed } from '../../src/fhir/r4-base.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

type Json = Record<string, unknown>;

const EXAMPLES = join(ROOT, 'node_modules/hl7.fhir.r4.examples');
/** The types the mapping reads, taken from the mapping itself so the list cannot drift. */
const MAPPED_TYPES = new Set([...readFileSync(join(ROOT, 'mappings/fhir-to-ctp.yaml'), 'utf8').matchAll(/resourceType = '([A-Za-z]+)'/g)].map((m) => m[1]!));
const files = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json') && MAPPED_TYPES.has(f.split('-')[0]!))
  .sort();

const NO_RECORD = /holds no record pont can read/;
/**
 * Published examples that break R4 where medplum does not look, refused by pont for that reason:
 * Observation-clinical-gender names an Encounter as its performer, a target R4 does not allow.
 */
const INVALID_R4: Readonly<Record<string, RegExp>> = {
  'Observation-clinical-gender.json': /^Observation\.performer\[0\]: refers to a Encounter/,
};
const ABOUT_A_PATIENT = ['subject', 'patient', 'for'];

/** Every primitive value of the input with its path. */
function leaves(node: unknown, path: string, out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(node)) node.forEach((c, i) => leaves(c, `${path}[${i}]`, out));
  else if (node !== null && typeof node === 'object') for (const [k, c] of Object.entries(node)) leaves(c, `${path}.${k}`, out);
  else if (node !== null) out.push([path, node]);
  return out;
}

function values(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const c of node) values(c, out);
  else if (node !== null && typeof node === 'object') for (const c of Object.values(node)) values(c, out);
  else if (node !== undefined && node !== null) out.add(String(node));
  return out;
}

const isUnder = (path: string, named: string) => path === named || path.startsWith(`${named}.`) || path.startsWith(`${named}[`);
const parentOf = (path: string) => path.replace(/(\.[A-Za-z_]+|\[\d+\])$/, '');

function medplumErrors(resource: Json): OperationOutcomeIssue[] {
  try {
    return validateResource(resource as unknown as Resource).filter((i) => i.severity === 'error');
  } catch (err) {
    if (err instanceof OperationOutcomeError) return (err.outcome.issue ?? []).filter((i) => i.severity === 'error');
    throw err;
  }
}

describe('HL7 R4 examples of the mapped types', () => {
  const core = testRuntime();
  beforeAll(() => ensureMedplumIndexed());

  it('are all found: every type the mapping reads has its examples', () => {
    expect(MAPPED_TYPES).toContain('CarePlan');
    expect(files.length).toBe(229);
  });

  for (const name of files) {
    it(`${name}: imported with what was left out named, or refused for the right reason`, async () => {
      const text = readFileSync(join(EXAMPLES, name), 'utf8');
      const input = JSON.parse(text) as Json;
      const type = String(input.resourceType);
      const [result] = core.convert([{ origin: name, text, source: 'fhir' }]);
      const errors = result!.issues.filter((i) => i.severity === 'error');
      const named = result!.issues.filter((i) => i.severity === 'information').flatMap((i) => i.expression ?? []);

      // Every example is valid R4 (medplum agrees), so none is refused as invalid, but those known to break it.
      expect(medplumErrors(input)).toEqual([]);
      const invalid = INVALID_R4[name];
      if (invalid !== undefined) {
        expect(errors.map((i) => i.diagnostics)).toEqual([expect.stringMatching(invalid)]);
        expect(result!.record).toBeUndefined();
        return;
      }
      expect(errors.filter((i) => !NO_RECORD.test(i.diagnostics ?? ''))).toEqual([]);

      let stdout = '';
      const code = await run(
        ['check', '--as-of', '2020-01-01', '--source', 'fhir', join(EXAMPLES, name)],
        { stdout: (t) => void (stdout += t), stderr: () => {} },
        testRuntime,
      );

      if (result!.record) {
        expect(errors).toEqual([]);
        expect(result!.bundle).toBeDefined();
        // The status is the compliance verdict alone; a care plan that is not a CTP is outside the Measure.
        const checked = core.check([{ origin: name, text, source: 'fhir' }], { asOf: '2020-01-01' });
        expect(code, stdout).toBe(checked.failed ? 1 : 0);
        if (type === 'CarePlan') expect(code, stdout).toBe(0);
        // Nothing silently dropped: a value not named as left out is one the record holds, or
        // sits in an element of which the record holds something (a system beside its code).
        const held = values(result!.record);
        const heldUnder = (path: string) => leaves(pick(input, path), path).some(([, v]) => held.has(String(v)) || held.has(String(v).slice(0, 10)));
        const contained = Array.isArray(input.contained) ? (input.contained as Json[]) : [];
        // A link to a contained resource is held when the record holds something of that resource.
        const heldTarget = (value: unknown) => {
          const k = contained.findIndex((c) => `#${String(c.id)}` === value);
          return k >= 0 && heldUnder(`${type}.contained[${k}]`);
        };
        for (const [path, value] of leaves(input, type)) {
          if (path.endsWith('.resourceType') || named.some((n) => isUnder(path, n))) continue;
          const ok = held.has(String(value)) || held.has(String(value).slice(0, 10)) || heldUnder(parentOf(path)) || (path.endsWith('.reference') && heldTarget(value));
          expect(ok, `${name}: ${path} neither imported nor named`).toBe(true);
        }
        // What pont's record has no place for at all is always named.
        if (input.text !== undefined) expect(named).toContain(`${type}.text`);
      } else {
        // Refused: no person's record, which is true only when no Patient is there and the
        // resource (and what it contains) that is about a patient was not imported.
        expect(errors.map((i) => i.diagnostics)).toEqual([expect.stringMatching(NO_RECORD)]);
        expect(type).not.toBe('Patient');
        const contained = Array.isArray(input.contained) ? (input.contained as Json[]) : [];
        const aboutAPatient = [input, ...contained].filter((r) => ABOUT_A_PATIENT.some((k) => r[k] !== undefined));
        for (const r of aboutAPatient) {
          const at = r === input ? type : `${type}.contained[${contained.indexOf(r)}]`;
          expect(
            named.some((n) => n === type || n === at),
            `${name}: ${at} is about a patient and was not named as left out`,
          ).toBe(true);
        }
        expect(result!.issues.some((i) => i.severity === 'information')).toBe(true);
        expect(code, stdout).toBe(1);
      }
    });
  }
});

/** The value at a FHIRPath-like path of the input (`Patient.name[0].given`). */
function pick(root: unknown, path: string): unknown {
  const steps = path.split(/\.|(?=\[)/).slice(1);
  let node: unknown = root;
  for (const step of steps) {
    if (node === null || typeof node !== 'object') return undefined;
    const index = /^\[(\d+)\]$/.exec(step);
    node = index ? (node as unknown[])[Number(index[1])] : (node as Json)[step];
  }
  return node;
}
