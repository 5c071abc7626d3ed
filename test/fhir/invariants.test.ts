import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4/index.js';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/errors/errors.js';
import type { InvariantComparison } from '../../src/fhir/invariants.js';
import { canonicalBase, compileInvariant, primitiveNode } from '../../src/fhir/invariants.js';

type Json = Record<string, unknown>;

const comparisons: InvariantComparison[] = [];
const compile = (key: string, expression: string, base: string) => compileInvariant({ key, human: '', expression }, base, { crossCheck: (c) => comparisons.push(c) });

const env = (resource: Json = { resourceType: 'Patient' }) => ({ resource, rootResource: resource });

/** fhirpath.js straight, as the reference: satisfied only when the result is exactly [true]. */
function reference(expression: string, base: string, node: unknown, resource: Json = { resourceType: 'Patient' }): boolean | undefined {
  try {
    const r = fhirpath.evaluate(node, { base, expression }, { resource, rootResource: resource }, r4 as never, { traceFn: () => {} } as never) as unknown[];
    return r.length === 1 && r[0] === true;
  } catch {
    return undefined;
  }
}

describe('canonicalBase', () => {
  it.each([
    ['Goal.target', 'Goal.target'],
    ['Practitioner.identifier.extension', 'Extension'],
    ['CarePlan.activity.detail', 'CarePlan.activity.detail'],
    ['Extension.value[x]', 'Extension.value'],
    ['Period.start', 'dateTime'],
    ['Reference', 'Reference'],
  ])('%s -> %s', (path, base) => expect(canonicalBase(path)).toBe(base));
});

const PER_1 = 'start.hasValue().not() or end.hasValue().not() or (start <= end)';
const periods: [string | undefined, string | undefined][] = [
  ['2025-01-01', '2025-01-02'],
  ['2025-01-02', '2025-01-01'],
  ['2025-01-01', '2025-01-01'],
  ['2025-01', '2025-01-15'],
  ['2025-02', '2025-01-15'],
  ['2024', '2025-01-15'],
  ['2025-01-01T10:00:00Z', '2025-01-01T11:00:00+02:00'],
  ['2025-01-01T10:00:00+01:00', '2025-01-01T09:30:00Z'],
  ['2025-01-01T10:00:00.5Z', '2025-01-01T10:00:00Z'],
  ['2025-01-01T10:00:00Z', '2025-01-01'],
  ['2025-01-01', '2025-01-02T10:00:00Z'],
  ['2025-01-01T10:00:00', '2025-01-01T11:00:00'],
  ['2025-01-01', undefined],
  [undefined, '2025-01-01'],
];

describe('per-1 (dates of every precision, time zones)', () => {
  const per1 = compile('per-1', PER_1, 'Period');
  it.each(periods)('start %s, end %s: as fhirpath.js', (start, end) => {
    const node: Json = {};
    if (start !== undefined) node.start = start;
    if (end !== undefined) node.end = end;
    expect(per1.test(node, env())).toBe(reference(PER_1, 'Period', node));
  });

  it('treats an unknown order (precision) as a failure, as medplum and the HL7 validator do', () => {
    expect(per1.test({ start: '2025-01', end: '2025-01-15' }, env())).toBe(false);
    expect(per1.test({ start: '2025-02', end: '2025-01-15' }, env())).toBe(false);
    expect(per1.test({ start: '2024', end: '2025-01-15' }, env())).toBe(true);
  });

  it('reads a primitive with an extension and no value as having no value', () => {
    const node = { start: '2025-02-01', _end: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] } };
    expect(per1.test(node, env())).toBe(true);
  });
});

describe('the R4 invariants pont meets', () => {
  const cases: [string, string, string, unknown, boolean][] = [
    ['ext-1', 'extension.exists() != value.exists()', 'Extension', { url: 'x', valueString: 'a' }, true],
    ['ext-1', 'extension.exists() != value.exists()', 'Extension', { url: 'x' }, false],
    ['ext-1', 'extension.exists() != value.exists()', 'Extension', { url: 'x', valueString: 'a', extension: [{ url: 'y', valueString: 'b' }] }, false],
    ['ext-1', 'extension.exists() != value.exists()', 'Extension', { url: 'x', _valueBoolean: { extension: [{ url: 'y', valueCode: 'z' }] } }, true],
    ['ext-1', 'extension.exists() != value.exists()', 'Practitioner.identifier.extension', { url: 'x', valueCodeableConcept: { text: 'a' } }, true],
    ['gol-1', '(detail.exists() and measure.exists()) or detail.exists().not()', 'Goal.target', { detailQuantity: { value: 1 } }, false],
    ['gol-1', '(detail.exists() and measure.exists()) or detail.exists().not()', 'Goal.target', { measure: { text: 'x' }, detailString: 'a' }, true],
    ['cpl-3', 'detail.empty() or reference.empty()', 'CarePlan.activity', { detail: { status: 'scheduled' }, reference: { reference: 'x' } }, false],
    ['pat-1', 'name.exists() or telecom.exists() or address.exists() or organization.exists()', 'Patient.contact', { gender: 'male' }, false],
    [
      'con-4',
      "abatement.empty() or clinicalStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-clinical' and (code='resolved' or code='remission' or code='inactive')).exists()",
      'Condition',
      {
        resourceType: 'Condition',
        abatementString: 'x',
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'remission' }] },
      },
      true,
    ],
    [
      'inv-1',
      'lastModified.exists().not() or authoredOn.exists().not() or lastModified >= authoredOn',
      'Task',
      { resourceType: 'Task', authoredOn: '2025-01-02T00:00:00Z', lastModified: '2025-01-01T23:00:00-02:00' },
      true,
    ],
    ['org-2', "where(use = 'home').empty()", 'Organization.address', { use: 'home' }, false],
    ['tim-9', "offset.empty() or (when.exists() and when.select($this in ('C' | 'CM' | 'CD' | 'CV')).allFalse())", 'Timing.repeat', { offset: 5, when: ['AC'] }, true],
    ['tim-9', "offset.empty() or (when.exists() and when.select($this in ('C' | 'CM' | 'CD' | 'CV')).allFalse())", 'Timing.repeat', { offset: 5, when: ['CM'] }, false],
    ['qty-3', 'code.empty() or system.exists()', 'Quantity', { value: 1, code: 'mg' }, false],
    [
      'age-1',
      '(code.exists() or value.empty()) and (system.empty() or system = %ucum) and (value.empty() or value.hasValue().not() or value > 0)',
      'Age',
      { value: -1, system: 'http://unitsofmeasure.org', code: 'a' },
      false,
    ],
  ];
  it.each(cases)('%s on %s: agrees with fhirpath.js and the expected answer', (key, expression, base, node, expected) => {
    const inv = compile(key, expression, base);
    const resource = typeof node === 'object' && node !== null && 'resourceType' in node ? (node as Json) : { resourceType: 'Patient' };
    expect(inv.test(node, env(resource))).toBe(expected);
    expect(reference(expression, canonicalBase(base), node, resource)).toBe(expected);
  });
});

describe('corrected R4 invariants', () => {
  const REF_1 = "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))";
  const ref1 = compile('ref-1', REF_1, 'Reference');
  const host = { resourceType: 'CarePlan', contained: [{ resourceType: 'Goal', id: 'g1' }] };

  it('ref-1 holds for a logical reference (it fails as published in R4)', () => {
    expect(reference(REF_1, 'Reference', { identifier: { value: '1' } })).toBe(false);
    expect(ref1.test({ identifier: { value: '1' } }, env(host))).toBe(true);
    expect(ref1.test({ reference: '#g1' }, env(host))).toBe(true);
    expect(ref1.test({ reference: '#g2' }, env(host))).toBe(false);
    expect(ref1.test({ reference: 'urn:uuid:0b526747-6b4f-5db1-bd10-83870af648b4' }, env(host))).toBe(true);
  });

  it('dom-3 is evaluated (by fhirpath.js) when there are contained resources', () => {
    const DOM_3 =
      "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()";
    const dom3 = compile('dom-3', DOM_3, 'CarePlan');
    const referred = { ...host, goal: [{ reference: '#g1' }] };
    expect(reference(DOM_3, 'CarePlan', referred, referred)).toBeUndefined(); // R4's as() on a collection
    expect(dom3.test(referred, env(referred))).toBe(true);
    expect(dom3.test(host, env(host))).toBe(false);
    expect(dom3.test({ resourceType: 'CarePlan' }, env({ resourceType: 'CarePlan' }))).toBe(true);
  });
});

describe('resolve() (ctm-1)', () => {
  const CTM_1 = 'onBehalfOf.exists() implies (member.resolve().iif(empty(), true, ofType(Practitioner).exists()))';
  const ctm1 = compile('ctm-1', CTM_1, 'CareTeam.participant');
  it.each([
    [{ member: { reference: 'Practitioner/1' }, onBehalfOf: { reference: 'Organization/1' } }, true],
    [{ member: { reference: 'https://example.org/fhir/Practitioner/1/_history/2' }, onBehalfOf: { reference: 'Organization/1' } }, true],
    [{ member: { reference: 'Patient/1' }, onBehalfOf: { reference: 'Organization/1' } }, false],
    [{ member: { type: 'RelatedPerson', identifier: { value: '1' } }, onBehalfOf: { reference: 'Organization/1' } }, false],
    [{ member: { reference: 'urn:uuid:0b526747-6b4f-5db1-bd10-83870af648b4' }, onBehalfOf: { reference: 'Organization/1' } }, true],
    [{ member: { reference: 'Patient/1' } }, true],
  ])('%j: %s', (node, expected) => {
    expect(ctm1.test(node, env({ resourceType: 'CareTeam' }))).toBe(expected);
  });
});

describe('what the closures leave to fhirpath.js', () => {
  it('htmlChecks() on a narrative', () => {
    const txt = compile('txt-1', 'htmlChecks()', 'Narrative.div');
    expect(txt.test('<div xmlns="http://www.w3.org/1999/xhtml">ok</div>', env())).toBe(true);
    expect(txt.test(primitiveNode('<div xmlns="http://www.w3.org/1999/xhtml"><script>x</script></div>', undefined), env())).toBe(false);
  });

  it('an expression fhirpath.js cannot evaluate is reported as undecided', () => {
    const broken = compile('x-1', 'value.as(Quantity) +', 'Extension');
    expect(broken.test({ url: 'x', valueQuantity: { value: 1 } }, env())).toBeUndefined();
  });
});

describe('cross-checking', () => {
  it('found fhirpath.js in agreement on everything above', () => {
    expect(comparisons.length).toBeGreaterThan(30);
    expect(comparisons.filter((c) => c.native !== c.reference)).toEqual([]);
  });
});

describe('compiled invariants at run time', () => {
  it('hold no state of an evaluation: one started inside another leaves the outer one intact', () => {
    const inv = compileInvariant({ key: 'test-1', human: '', expression: 'start.exists() and %context.end.exists()' }, 'Period');
    const inner = { start: '2020-01-01' };
    let nested: boolean | undefined;
    const outer = {
      get start(): string {
        nested = inv.test(inner, env());
        return '2020-01-01';
      },
      end: '2021-01-01',
    };
    expect(inv.test(outer, env())).toBe(true);
    expect(nested).toBe(false);
  });

  it('report a fault of the closures as an engine error naming the invariant, never re-run in fhirpath.js', () => {
    const inv = compileInvariant({ key: 'test-2', human: '', expression: 'start.exists() and end.exists()' }, 'Period');
    let reads = 0;
    const node = {
      get start(): string {
        reads++;
        throw new RangeError('9990000018');
      },
    };
    let thrown: unknown;
    try {
      inv.test(node, env());
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(EngineError);
    const e = thrown as EngineError;
    expect([e.code, e.stage, e.retryable]).toEqual(['EXPRESSION_FAILED', 'validation', false]);
    expect(e.message).toBe('invariant test-2 on Period: the compiled expression "start.exists() and end.exists()" failed (RangeError)');
    expect(reads).toBe(1);
  });
});
