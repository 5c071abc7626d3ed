import fhirpath, { type UserInvocationTable } from 'fhirpath';
import { describe, expect, it } from 'vitest';
import { compileJsonClosures, compileR4Closures } from '../../src/fhirpath/closures.js';
import { compileExpression } from '../../src/fhirpath/compile.js';
import { BAIL } from '../../src/fhirpath/r4-model.js';
import type { ExpressionFunctions } from '../../src/fhirpath/types.js';

const functions: ExpressionFunctions = {
  shout: { fn: (_run, inputs) => inputs.map((s) => `${String(s).toUpperCase()}!`), arity: { 0: [] } },
  tag: { fn: (_run, inputs, label) => inputs.map((s) => `${label}:${String(s)}`), arity: { 1: ['String'] } },
  everything: { fn: () => ['a', 'b'], arity: { 0: [], 1: ['String'] } },
};
/** The same functions as fhirpath.js takes them (no run state). */
const fhirpathJsFunctions = Object.fromEntries(
  Object.entries(functions).map(([name, f]) => [name, { arity: f.arity, fn: (inputs: unknown[], ...args: string[]) => f.fn(undefined, inputs, ...args) }]),
) as unknown as UserInvocationTable;

const record = {
  plans: [
    { id: 'p1', planId: 'A', version: 1, status: 'draft' },
    { id: 'p2', planId: 'A', version: 3, status: 'active' },
    { id: 'p3', planId: 'A', version: 2 },
    { id: 'p4', planId: 'B', version: 1, status: 'active' },
  ],
  appointments: [
    { id: 'c1', episode: 'e1', temporary: false, practitioner: 'dr1' },
    { id: 'c2', episode: 'e1', temporary: true, practitioner: 'dr2' },
    { id: 'c3', episode: 'e1', temporary: false, end: '2024-01-01', practitioner: 'dr3' },
    { id: 'c4', episode: 'e2', practitioner: 'dr4' },
  ],
  source: { system: 'wpas', recordId: 'r-9' },
  name: 'Ann',
  count: 3,
  ratio: 1.5,
  flag: true,
  nothing: null,
  tags: ['x', 'y', 'x'],
  mixed: ['1', 1, true, { a: 1 }],
  birthDate: '1980-01-02',
  _birthDate: { extension: [{ url: 'u', valueCode: 'masked' }] },
  address: { notRecorded: 'asked-declined' },
  gp: 'surgery-1',
  madeOn: '2025-02-01',
  reviewBy: '2026-01-31',
};

const env = { record, plan: record.plans[2], other: record.plans[3], episodeId: 'e1', none: [], many: ['x', 'y'], text: 'abc' };

const inputs: unknown[] = [record, record.plans[0], record.appointments[3], 'plain text', 7, [record.plans[0], record.plans[1]], {}, undefined];

const expressions = [
  // look-ups of the kind mapping files make per item
  '%record.plans.where(planId = %plan.planId and version < %plan.version).aggregate(iif($total.empty() or $this.version > $total.version, $this, $total))',
  '%record.plans.where(planId = %plan.planId and version = %plan.version).id',
  "%record.plans.where(planId = %other.planId).id.tag('CarePlan')",
  '%record.appointments.where(episode = %episodeId and temporary = false and end.empty()).first().practitioner',
  '%record.appointments.where(episode = %episodeId).count()',
  'plans.where(status.exists()).last().id',
  "plans.where(version > 1 or status = 'draft').id",
  "plans.where(status != 'active').id",
  'plans.exists(version >= 3)',
  'plans[1].id',
  'plans[7].id',
  'plans.version[0] + count',
  "source.system + '|' + source.recordId",
  'name + nothing',
  'iif(flag, name, gp)',
  "iif(count = 3, 'three')",
  // string comparison, as rule packs compare ISO dates held as text
  'reviewBy > madeOn',
  "madeOn <= '2025-02-01'",
  "madeOn < '2025-02-01'",
  "name >= 'Ann'",
  "name < 'B'",
  'iif(name, 1, 2)',
  "'patient'.tag('Patient')",
  "everything('Provenance')",
  'name.shout()',
  'tags.shout().first()',
  // values the closures hand to fhirpath.js
  'ratio = 1.5',
  "count = '3'",
  "name < 'B'",
  'mixed.where($this = 1)',
  'mixed = 1',
  "tags = 'x'",
  'birthDate',
  'birthDate.exists()',
  'name.length',
  'name.notRecorded.empty()',
  'address.notRecorded.empty()',
  '%undefinedVariable.x',
  '%none.exists()',
  '%many.count()',
  '%text.not()',
  'flag.not()',
  'nothing.not()',
  "id = 'p1'",
  "version = 1 and status = 'draft'",
  'version = 1 or {}',
  '{} and false',
  '$this.id',
  'count > 2',
  'count <= 2',
];

function viaFhirpathJs(expression: string, input: unknown, vars: Record<string, unknown>): unknown {
  try {
    return fhirpath.evaluate(input ?? {}, expression, vars, undefined, { userInvocationTable: fhirpathJsFunctions });
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

describe('FHIRPath closures for mapping expressions', () => {
  it('compile the look-up expressions mapping files use', () => {
    for (const expression of expressions.slice(0, 21)) expect(compileJsonClosures(expression, functions), expression).toBeDefined();
  });

  it('leave what they do not cover to fhirpath.js', () => {
    for (const expression of ['name.substring(1)', 'ratio * 2', 'plans.select(id)', "name ~ 'ann'", '`name`', 'Patient.name', '%ucum', '$index', "'a\\'b'", '1.5 = ratio']) {
      expect(compileJsonClosures(expression, functions), expression).toBeUndefined();
    }
  });

  it('give what fhirpath.js gives, or hand the input over to it', () => {
    let answered = 0;
    for (const expression of expressions) {
      const closures = compileJsonClosures(expression, functions);
      if (!closures) continue;
      for (const input of inputs) {
        let native: unknown;
        try {
          native = closures(input, env);
        } catch (err) {
          if (err === BAIL) continue;
          native = { error: err instanceof Error ? err.message : String(err) };
        }
        const reference = viaFhirpathJs(expression, input, env);
        // An error from a closure only matters as "fhirpath.js decides"; compileExpression re-runs it there.
        if (native && typeof native === 'object' && 'error' in native) continue;
        expect(native, `${expression} on ${JSON.stringify(input)}`).toEqual(reference);
        answered++;
      }
    }
    expect(answered).toBeGreaterThan(200);
  });

  it('hand over mixed types, decimals, `_field` siblings and undefined variables', () => {
    const handedOver = ['ratio = 1.5', "count = '3'", "count < 'B'", 'mixed.where($this = 1)', 'birthDate', 'name.length', '%undefinedVariable.x', '%text.not()'];
    for (const expression of handedOver) {
      const closures = compileJsonClosures(expression, functions);
      if (!closures) continue;
      expect(() => closures(record, env), expression).toThrow();
    }
  });

  it('through compileExpression, always give what fhirpath.js gives', () => {
    // Plain paths keep compile.ts's own walker, which (unlike fhirpath.js) reads no JavaScript property of a string.
    for (const expression of expressions.filter((e) => e !== 'name.length')) {
      const compiled = compileExpression(expression, functions);
      for (const input of inputs) {
        const reference = viaFhirpathJs(expression, input, env);
        if (reference && typeof reference === 'object' && 'error' in reference) {
          expect(() => compiled(input, env), expression).toThrow();
          continue;
        }
        expect(compiled(input, env), `${expression} on ${JSON.stringify(input)}`).toEqual(reference);
      }
    }
  });
});

describe('one compiler, two data models', () => {
  const patient = {
    resourceType: 'Patient',
    name: [
      { use: 'official', family: 'Example', given: ['Ann', 'B'] },
      { use: 'nickname', given: ['Annie'] },
    ],
    gender: 'female',
    birthDate: '1980-01-02',
  };
  const shared = [
    "name.where(use = 'official').given.first()",
    'name.given.count()',
    "gender = 'female' and name.exists()",
    'name[1].given',
    "iif(birthDate.exists(), 'dated', 'undated')",
  ];

  it('give the same answer over FHIR JSON with no model-only features, as fhirpath.js does', () => {
    for (const expression of shared) {
      const json = compileJsonClosures(expression, {});
      const r4 = compileR4Closures('Patient', expression).f;
      expect(json, expression).toBeDefined();
      expect(r4, expression).toBeDefined();
      const viaJson = json!(patient, {});
      const viaR4 = r4!(patient, { resource: patient, rootResource: patient });
      expect(viaR4, expression).toEqual(viaJson);
      expect(viaJson, expression).toEqual(fhirpath.evaluate(patient, expression));
    }
  });
});
