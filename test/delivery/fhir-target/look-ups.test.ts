/**
 * How a delivery finds the shared resources (Patient by NHS number, Organization by ODS code) at
 * a real FHIR server: the Organizations in one search, the Patient by one conditional create
 * that makes it or answers with the one held (searched for first where the server does not state
 * conditional create); two held under one identifier refused for a person
 * to settle; a conditional create whose answer does not carry the resource settled by a search.
 */
import type { Organization, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/errors/errors.js';
import { startFhirServer, type TestFhirServer } from '../../helpers/fhir-server.js';
import { change, exampleBundles, expectHeldAsSent, NHS_NUMBER, target } from './deliver.js';
import { inject, useNock } from './nock-faults.js';

useNock();

const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';
let server: TestFhirServer;
beforeAll(async () => void (server = await startFhirServer()));
afterAll(() => server.stop());
beforeEach(() => server.clear());

const example = exampleBundles().find((e) => e.path === 'examples/ctp/adult-all-eight-areas.json')!;
const codes = example.bundle.entry!.filter((e) => e.request!.url.startsWith('Organization?')).map((e) => e.request!.url.slice(e.request!.url.indexOf('|') + 1));

async function refusal(p: Promise<unknown>): Promise<DeliveryError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

describe('the shared resources of a change', () => {
  it('at a server that holds none: one search for the Organizations, one conditional create for the Patient, one transaction', async () => {
    expect(codes.length).toBeGreaterThan(1);
    const receipt = await target(server).deliver(change(example), { resources: [] });
    await expectHeldAsSent(server, example.bundle, receipt);
    const requests = server.log.filter((r) => r.url !== '/metadata').map((r) => `${r.method} ${r.url.replace(/\?.*/, '?…')} ${r.status}`);
    expect(requests).toEqual(['GET /Organization?… 200', 'PUT /Organization?… 201', 'PUT /Organization?… 201', 'POST /Patient 201', 'POST / 200']);
    const search = server.log.find((r) => r.method === 'GET' && r.url.startsWith('/Organization?'))!;
    for (const code of codes) expect(search.url).toContain(`${ODS}|${code}`);
  });

  it('at a server that holds them (written by another system): found, merged, and each held once', async () => {
    const orgs = await Promise.all(
      codes.map((code) =>
        server.repo.createResource<Organization>({
          resourceType: 'Organization',
          name: `Held ${code}`,
          identifier: [
            { system: 'https://ehr.example/Id/org', value: `O-${code}` },
            { system: ODS, value: code },
          ],
        }),
      ),
    );
    const patient = await server.repo.createResource<Patient>({ resourceType: 'Patient', identifier: [{ system: NHS_NUMBER, value: example.nhsNumber }] });
    server.log.length = 0;
    const receipt = await target(server).deliver(change(example), { resources: [] });
    expect(receipt.patientId).toBe(patient.id);
    for (const [n, code] of codes.entries()) {
      expect(await server.count('Organization', ODS, code)).toBe(1);
      expect(receipt.resources.find((r) => r.key === `Organization?identifier=${ODS}|${code}`)?.id).toBe(orgs[n]!.id);
    }
    expect(await server.count('Patient', NHS_NUMBER, example.nhsNumber)).toBe(1);
    expect(server.log.filter((r) => r.method === 'GET' && r.url.startsWith('/Organization?'))).toHaveLength(1);
    expect(server.log.filter((r) => r.url.startsWith('/Patient?'))).toEqual([]);
  });

  it('two Patients carrying the NHS number: refused, not retryable, and nothing written', async () => {
    for (const mrn of ['A', 'B']) {
      await server.repo.createResource<Patient>({ resourceType: 'Patient', identifier: [{ system: NHS_NUMBER, value: example.nhsNumber }, { value: mrn }] });
    }
    const err = await refusal(target(server).deliver(change(example), { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_REFUSED', retryable: false });
    expect(err.message).toMatch(/^target ehr: 2 Patient resources carry the identifier pont finds it by/);
    expect(await server.count('Patient', NHS_NUMBER)).toBe(2);
    expect(server.log.filter((r) => r.bundle)).toEqual([]);
  });

  it('two Organizations carrying one ODS code: refused, not retryable, before anything is written', async () => {
    for (const name of ['A', 'B']) await server.repo.createResource<Organization>({ resourceType: 'Organization', name, identifier: [{ system: ODS, value: codes[0]! }] });
    const err = await refusal(target(server).deliver(change(example), { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_REFUSED', retryable: false });
    expect(err.message).toMatch(/^target ehr: 2 Organization resources carry the identifier/);
    expect(server.log.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it.each([false, true])('a conditional create answered 200 without the resource is settled by a search (Patient held before: %s)', async (heldBefore) => {
    const held = heldBefore
      ? await server.repo.createResource<Patient>({ resourceType: 'Patient', identifier: [{ system: NHS_NUMBER, value: example.nhsNumber }] })
      : undefined;
    const scope = inject(server.baseUrl, { method: 'POST', path: /\/Patient$/ }, { kind: 'status', status: 200 });
    const receipt = await target(server).deliver(change(example), { resources: [] });
    expect(scope.isDone()).toBe(true);
    expect(server.log.filter((r) => r.url.startsWith('/Patient?') && r.method === 'GET')).toHaveLength(1);
    expect(await server.count('Patient', NHS_NUMBER, example.nhsNumber)).toBe(1);
    if (held) expect(receipt.patientId).toBe(held.id);
    await expectHeldAsSent(server, example.bundle, receipt);
  });

  it.each([false, true])(
    'at a server that does not state conditional create: the Patient is searched for before anything is created (Patient held before: %s)',
    async (heldBefore) => {
      const plain = await startFhirServer({ conditionalCreate: false });
      try {
        const held = heldBefore
          ? await plain.repo.createResource<Patient>({ resourceType: 'Patient', identifier: [{ system: NHS_NUMBER, value: example.nhsNumber }] })
          : undefined;
        const receipt = await target(plain).deliver(change(example), { resources: [] });
        const patientRequests = plain.log.filter((r) => r.url.startsWith('/Patient')).map((r) => `${r.method} ${r.url.replace(/\?.*/, '?…')}`);
        expect(patientRequests).toEqual(heldBefore ? ['GET /Patient?…'] : ['GET /Patient?…', 'PUT /Patient?…']);
        expect(await plain.count('Patient', NHS_NUMBER, example.nhsNumber)).toBe(1);
        if (held) expect(receipt.patientId).toBe(held.id);
        await expectHeldAsSent(plain, example.bundle, receipt);
      } finally {
        await plain.stop();
      }
    },
  );
});
