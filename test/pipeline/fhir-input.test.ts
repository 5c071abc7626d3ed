/**
 * FHIR in: held to the R4 base (not to pont's profiles), located in the input's own terms,
 * refused when it holds no record, and nothing left out unsaid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureMedplumIndexed } from '../../src/fhir/r4-base.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';

type Json = Record<string, unknown>;

const hl7 = (name: string) => JSON.parse(readFileSync(join(ROOT, 'node_modules/hl7.fhir.r4.examples', name), 'utf8')) as Json;
const bundleOf = (...resources: Json[]) => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) });

function medplumRefuses(resource: Json): boolean {
  try {
    return validateResource(resource as unknown as Resource).some((i) => i.severity === 'error');
  } catch (err) {
    if (err instanceof OperationOutcomeError) return true;
    throw err;
  }
}

describe('FHIR input', () => {
  const { pipeline } = testRuntime();
  const read = (json: unknown) => pipeline.reverse(typeof json === 'string' ? json : JSON.stringify(json), 'input.json');
  const errorsOf = (json: unknown) => read(json).issues.filter((i) => i.severity === 'error');
  beforeAll(() => ensureMedplumIndexed());

  describe('is held to the R4 base, and an invalid resource is refused naming its element in the input', () => {
    const patient = () => hl7('Patient-example.json');
    const encounter = () => hl7('Encounter-example.json');
    const cases: [string, (p: Json, e: Json) => void, string, boolean][] = [
      ['an unknown element (located by its object: the key may be patient data)', (p) => Object.assign(p, { favouriteColour: 'x' }), 'Bundle.entry[0].resource', true],
      ['a wrong JSON type', (p) => Object.assign(p, { birthDate: 1974 }), 'Bundle.entry[0].resource.birthDate', true],
      ['a list where one value belongs', (p) => Object.assign(p, { gender: ['male'] }), 'Bundle.entry[0].resource.gender', true],
      [
        'a date-time malformed after its first 10 characters',
        (_p, e) => Object.assign(e, { period: { start: '2013-05-05T99:99' } }),
        'Bundle.entry[1].resource.period.start',
        true,
      ],
      ['a date malformed after its first 10 characters', (p) => Object.assign(p, { birthDate: '1974-12-25junk' }), 'Bundle.entry[0].resource.birthDate', true],
      ['a cardinality breach', (_p, e) => Object.assign(e, { status: undefined }), 'Bundle.entry[1].resource', true],
    ];
    for (const [what, change, location, medplumToo] of cases) {
      it(what, () => {
        const p = patient();
        const e = encounter();
        change(p, e);
        const errors = errorsOf(bundleOf(p, e));
        expect(errors.length).toBeGreaterThan(0);
        expect(errors.map((i) => i.expression?.[0])).toContainEqual(expect.stringMatching(new RegExp(`^${location.replace(/[.[\]]/g, '\\$&')}`)));
        expect(read(bundleOf(p, e)).record).toBeUndefined();
        // An independent validator agrees the resource is not valid R4.
        expect(medplumRefuses(location.startsWith('Bundle.entry[0]') ? p : e)).toBe(medplumToo);
      });
    }

    it('a __proto__ or constructor key, which is no R4 element', () => {
      for (const key of ['__proto__', 'constructor']) {
        const text = JSON.stringify(bundleOf(patient())).replace('"resourceType":"Patient"', `"resourceType":"Patient","${key}":{"x":1}`);
        const errors = errorsOf(text);
        expect(errors.map((i) => [i.expression?.[0], i.diagnostics?.includes('is not an element of Patient')])).toContainEqual(['Bundle.entry[0].resource', true]);
      }
    });

    it("a Bundle entry's local references resolve to its own contained resources (its %rootResource is itself)", () => {
      const plan = hl7('CarePlan-example.json');
      expect(plan.contained).toBeDefined();
      expect(errorsOf(bundleOf(patient(), plan))).toEqual([]);
      const orphan = { ...hl7('CarePlan-example.json'), contained: undefined };
      expect(errorsOf(bundleOf(patient(), orphan)).map((i) => i.diagnostics)).toContainEqual(expect.stringMatching(/ref-1/));
    });

    it('a reference that does not resolve is located where the input holds it', () => {
      const result = read(hl7('CarePlan-f201.json'));
      expect(result.issues).toContainEqual(
        expect.objectContaining({
          severity: 'warning',
          code: 'not-found',
          expression: ['CarePlan.addresses[0].reference'],
          diagnostics: expect.stringMatching(/^A Condition reference/),
        }),
      );
    });

    it('a single resource is located by its own type', () => {
      const p = Object.assign(patient(), { favouriteColour: 'x' });
      const errors = errorsOf(p);
      expect(errors.map((i) => i.expression?.[0])).toContain('Patient');
      expect(JSON.stringify(errors)).not.toContain('favouriteColour');
    });

    it('no message quotes a value of the input', () => {
      const p = Object.assign(patient(), { birthDate: 'MARKER-1974', gender: 'MARKER-G' });
      const text = JSON.stringify(read(bundleOf(p)).issues);
      expect(text).not.toContain('MARKER');
    });
  });

  describe("pont's profiles constrain what it writes, not what it reads", () => {
    it('a contact point with no value, a pager and an identifier with no value are imported as far as the record holds them', () => {
      const p = hl7('Patient-example.json');
      p.telecom = [{ use: 'home' }, { system: 'pager', value: '0000' }, { system: 'phone', value: '(03) 5555 6473', use: 'work' }];
      // Distinct systems: a value read that equals one the record holds counts as held (import-coverage.ts).
      p.identifier = [{ system: 'urn:oid:2.16.840.1.113883.19.5' }, { system: 'urn:oid:1.2.36.146.595.217.0.1', value: '12345' }];
      const result = read(p);
      expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(result.record?.patient?.telecom).toEqual([{ system: 'phone', value: '(03) 5555 6473', use: 'work' }]);
      expect(result.record?.patient?.localIdentifiers).toEqual([{ system: 'urn:oid:1.2.36.146.595.217.0.1', value: '12345' }]);
      const named = result.issues.filter((i) => i.severity === 'information').flatMap((i) => i.expression ?? []);
      expect(named).toEqual(expect.arrayContaining(['Patient.telecom[0]', 'Patient.telecom[1]', 'Patient.identifier[0]']));
      expect(named).not.toContain('Patient.telecom[2]');
    });
  });

  describe('imports valid R4 that pont would not write', () => {
    it('resources known only by their fullUrl, with no id', () => {
      const uuid = (n: number) => `urn:uuid:6b8a4c2e-0000-4000-8000-00000000000${n}`;
      const bundle = {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          { fullUrl: uuid(1), resource: { resourceType: 'Patient', gender: 'female' } },
          { fullUrl: uuid(2), resource: { resourceType: 'Condition', subject: { reference: uuid(1) }, code: { text: 'low mood' } } },
        ],
      };
      const result = read(bundle);
      expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(result.record?.diagnoses).toEqual([{ id: '6b8a4c2e-0000-4000-8000-000000000002', text: 'low mood' }]);
      expect(bundle.entry[1]!.resource).not.toHaveProperty('id');
    });

    it('actors of kinds the record has no place for (a PractitionerRole member, a Device performer), named as left out', () => {
      const bundle = bundleOf(
        { resourceType: 'Patient', id: 'p', gender: 'male' },
        { resourceType: 'PractitionerRole', id: 'r', active: true },
        { resourceType: 'CareTeam', id: 't', subject: { reference: 'Patient/p' }, participant: [{ role: [{ text: 'nurse' }], member: { reference: 'PractitionerRole/r' } }] },
      );
      const result = read(bundle);
      expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(result.record?.careTeam).toEqual([{ id: 'care-team-member-0', role: 'other', roleText: 'nurse' }]);
      const named = result.issues.filter((i) => i.severity === 'information').flatMap((i) => i.expression ?? []);
      expect(named).toEqual(expect.arrayContaining(['Bundle.entry[1].resource', 'Bundle.entry[2].resource.participant[0].member']));
    });
  });

  describe('names what it did not import', () => {
    it('a whole resource the record has no place for', () => {
      const result = read(bundleOf(hl7('Patient-example.json'), hl7('ServiceRequest-example.json')));
      expect(result.record).toBeDefined();
      expect(result.issues).toContainEqual(
        expect.objectContaining({
          severity: 'information',
          diagnostics: "Bundle.entry[1] ServiceRequest: not imported, pont's record has no place for it.",
          expression: ['Bundle.entry[1].resource'],
        }),
      );
    });

    it("a Bundle's own elements, but for its entries and type", () => {
      const bundle = { ...bundleOf(hl7('Patient-example.json')), identifier: { system: 'urn:x', value: 'MARKER' }, timestamp: '2024-01-02T03:04:05Z' };
      const result = read(bundle);
      const named = result.issues.filter((i) => i.severity === 'information').flatMap((i) => i.expression ?? []);
      expect(named).toContain('Bundle.identifier');
      expect(named).not.toContain('Bundle.timestamp');
      expect(result.record?.source.extractedAt).toBe('2024-01-02T03:04:05Z');
    });

    it('an extension the record does not know, by its path and not its url or value', () => {
      const p = hl7('Patient-example.json');
      p.extension = [{ url: 'http://example.org/MARKER-url', valueString: 'MARKER-value' }];
      const issues = read(p).issues.filter((i) => i.severity === 'information');
      expect(issues.flatMap((i) => i.expression ?? [])).toContain('Patient.extension');
      expect(JSON.stringify(issues)).not.toContain('MARKER');
    });

    it("nothing of pont's own output beyond what the record derives again", () => {
      const [converted] = pipeline.convert('ctp', readFileSync(join(ROOT, 'examples/ctp/adult-all-eight-areas.json'), 'utf8'), 'adult');
      const back = read(converted!.bundle);
      const named = back.issues.filter((i) => i.severity === 'information').flatMap((i) => i.expression ?? []);
      expect(back.record).toEqual(converted!.record);
      // pont's extensions carry record data: none is said to be left out whole.
      const bundle = converted!.bundle as unknown;
      for (const path of named) {
        const at = pick(bundle, path) as Json | undefined;
        expect(typeof at?.url === 'string' && at.url.startsWith('https://fhir.pont.wales/'), path).toBe(false);
      }
      expect(named.length).toBeGreaterThan(0);
    });
  });

  describe('refuses input that holds no record', () => {
    const refusals: [string, unknown, RegExp][] = [
      ['a Bundle with nothing but its type', { resourceType: 'Bundle' }, /Bundle/],
      ['a Bundle with no entries', { resourceType: 'Bundle', type: 'collection' }, /no entries/],
      ['a list', [], /not a FHIR resource/],
      ['resources about no one', bundleOf(hl7('Organization-1.json'), hl7('Practitioner-example.json')), /holds no record pont can read/],
      ['a resource about a patient that pont has no place for', hl7('ServiceRequest-example.json'), /holds no record pont can read/],
      ['a Patient with nothing the record holds', { resourceType: 'Patient', active: true }, /holds no record pont can read/],
    ];
    for (const [what, json, reason] of refusals) {
      it(what, () => {
        const result = read(json);
        expect(result.record).toBeUndefined();
        expect(result.issues.filter((i) => i.severity === 'error').map((i) => i.diagnostics)).toContainEqual(expect.stringMatching(reason));
      });
    }
  });

  describe('care plans that are not Care and Treatment Plans', () => {
    it('are imported, reported as outside the Measure, and judged by no rule', () => {
      const plan = hl7('CarePlan-f201.json');
      const [result] = testRuntime().check([{ origin: 'plan', text: JSON.stringify(plan), source: 'fhir' }], { asOf: '2020-01-01' }).results;
      expect(result!.record?.plans?.[0]?.kind).toBe('other');
      expect(result!.issues).toContainEqual(
        expect.objectContaining({ severity: 'information', expression: ['plans[0]'], diagnostics: expect.stringMatching(/^Outside the Measure/) }),
      );
      expect(result!.issues.filter((i) => i.expression?.[0]?.startsWith('plans[0].'))).toEqual([]);
    });

    it("pont's own CTP, by profile or by category, is one", () => {
      const [converted] = pipeline.convert('ctp', readFileSync(join(ROOT, 'examples/ctp/adult-all-eight-areas.json'), 'utf8'), 'adult');
      const bundle = converted!.bundle as unknown as { entry: { resource: Json }[] };
      const plan = bundle.entry.find((e) => e.resource.resourceType === 'CarePlan')!.resource;
      const byCategory = structuredClone(bundle);
      const copy = byCategory.entry.find((e) => e.resource.resourceType === 'CarePlan')!.resource;
      delete copy.meta;
      expect(read(bundle).record?.plans?.every((p) => p.kind === undefined)).toBe(true);
      expect(read(byCategory).record?.plans?.every((p) => p.kind === undefined)).toBe(true);
      const neither = structuredClone(byCategory);
      const stripped = neither.entry.find((e) => e.resource.resourceType === 'CarePlan')!.resource;
      stripped.category = [];
      delete stripped.category;
      expect(read(neither).record?.plans?.[0]?.kind).toBe('other');
      expect(plan.meta).toBeDefined();
    });
  });

  describe('keeps the source mapping through a round trip', () => {
    it('the mapping named in Provenance.policy is read back and written again', () => {
      const text = readFileSync(join(ROOT, 'examples/carepath-json/adult-all-eight-areas.json'), 'utf8');
      const [first] = pipeline.convert('carepath-json', text, 'carepath');
      const policy = (b: unknown) => (b as { entry: { resource: Json }[] }).entry.map((e) => e.resource).find((r) => r.resourceType === 'Provenance')!.policy;
      expect(policy(first!.bundle)).toEqual([expect.stringMatching(/\/mapping\/carepath-json-to-ctp\|/), expect.stringMatching(/\/mapping\/ctp-to-fhir\|/)]);
      const [again] = pipeline.convert('fhir', JSON.stringify(first!.bundle), 'bundle');
      expect(again!.record?.source.mappings).toEqual([{ id: 'carepath-json-to-ctp', version: expect.any(String) }]);
      expect(policy(again!.bundle)).toEqual(policy(first!.bundle));
    });

    it('FHIR from another system names fhir-to-ctp as its source mapping', () => {
      const [converted] = pipeline.convert('fhir', JSON.stringify(hl7('Patient-example.json')), 'patient');
      expect(converted!.record?.source.mappings).toEqual([{ id: 'fhir-to-ctp', version: expect.any(String) }]);
    });
  });
});

/** The value at a path of a Bundle (`Bundle.entry[0].resource.name[0]`). */
function pick(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const step of path.split(/\.|(?=\[)/).slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    const index = /^\[(\d+)\]$/.exec(step);
    node = index ? (node as unknown[])[Number(index[1])] : (node as Json)[step];
  }
  return node;
}
