/**
 * `pont check` over loose FHIR resources, as Bulk Data NDJSON files or a JSON list, read as one
 * record per Patient; what belongs to no Patient is reported, never dropped. HL7's own R4 example
 * Patient and the resources HL7 wrote about them are the input.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResultJson } from '../../src/app/check-json.js';
import { run } from '../../src/cli/run.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

type Json = Record<string, unknown>;
const hl7 = (name: string) => JSON.parse(readFileSync(join(ROOT, 'node_modules/hl7.fhir.r4.examples', `${name}.json`), 'utf8')) as Json;
const dir = mkdtempSync(join(tmpdir(), 'pont-bulk-input-'));
const ndjson = (name: string, resources: readonly Json[]) => {
  const path = join(dir, name);
  writeFileSync(path, resources.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return path;
};

async function check(...files: string[]): Promise<{ code: number; results: CheckResultJson[] }> {
  let stdout = '';
  const code = await run(['check', '--source', 'fhir', '--no-compliance', '--format', 'json', ...files], { stdout: (t) => void (stdout += t), stderr: () => {} }, testRuntime);
  return { code, results: JSON.parse(stdout) as CheckResultJson[] };
}

const errors = (r: CheckResultJson) => (r.outcome.issue ?? []).filter((i) => i.severity === 'error').map((i) => i.diagnostics ?? '');

describe('pont check --source fhir over loose resources', () => {
  // Patient/example and a CarePlan, a Condition and a Goal HL7 wrote about them.
  const patient = hl7('Patient-example');
  const about = ['CarePlan-example', 'Condition-example', 'Goal-example'].map(hl7);

  it('reads NDJSON files of one type each as one record per Patient, whatever file each resource is in', async () => {
    const gathered = await check(ndjson('Patient.ndjson', [patient]), ...about.map((r) => ndjson(`${String(r.resourceType)}.ndjson`, [r])));
    const alone = await check(ndjson('Patient-alone.ndjson', [patient]));
    expect(gathered.results).toHaveLength(1);
    expect(gathered.results[0]!.file).toMatch(/Patient\.ndjson$/);
    // More was read with the resources about them than of the Patient alone.
    expect(JSON.stringify(gathered.results[0]!.bundle).length).toBeGreaterThan(JSON.stringify(alone.results[0]!.bundle).length);
  });

  it('reads a JSON list of resources the same way as the same resources in NDJSON', async () => {
    const listPath = join(dir, 'list.json');
    writeFileSync(listPath, JSON.stringify([patient, ...about]));
    const fromList = await check(listPath);
    const fromLines = await check(ndjson('all.ndjson', [patient, ...about]));
    expect(fromList.results.map((r) => r.bundle)).toEqual(fromLines.results.map((r) => r.bundle));
    expect(fromList.results).toHaveLength(1);
  });

  it('reports, as an error naming its type and place, a resource about no Patient in the input', async () => {
    const carePlan = about[0]!;
    const { code, results } = await check(ndjson('orphan.ndjson', [carePlan]));
    expect(code).toBe(1);
    expect(results).toHaveLength(1);
    expect(errors(results[0]!)).toEqual([expect.stringMatching(/^This CarePlan \(.*orphan\.ndjson, record 1\) is about no Patient in the input/)]);
  });

  it('reads the first of two resources with the same type and id, and reports the second', async () => {
    const { results } = await check(ndjson('twice.ndjson', [patient, ...about, about[1]!]));
    expect(results).toHaveLength(2);
    expect(errors(results[1]!)).toEqual([expect.stringMatching(/^This Condition \(.*twice\.ndjson, record 5\) has the type and id of an earlier resource/)]);
  });

  it('still reads NDJSON of Bundles a Bundle a record', async () => {
    const bundles = ['adult-all-eight-areas', 'plan-not-agreed'].map((name) => {
      const text = readFileSync(join(ROOT, 'examples/ctp', `${name}.json`), 'utf8');
      return testRuntime().check([{ origin: name, source: 'ctp', text }], { compliance: false }).results[0]!.bundle as unknown as Json;
    });
    const { results } = await check(ndjson('bundles.ndjson', bundles));
    expect(results.map((r) => [r.record, errors(r)])).toEqual([
      [1, []],
      [2, []],
    ]);
  });

  it('still reads a file of one resource, not NDJSON by name, as that resource alone', async () => {
    const path = join(dir, 'patient.json');
    writeFileSync(path, JSON.stringify(patient));
    const { results } = await check(path);
    expect(results).toHaveLength(1);
    expect(errors(results[0]!)).toEqual([]);
  });
});
