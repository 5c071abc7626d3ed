/**
 * The FHIR target client against a real FHIR server (test/helpers/fhir-server.ts): pont's
 * Bundles from the examples delivered in each mode and read back as sent; delivered twice they
 * create nothing; a second source's Patient is merged; a stale If-Match is re-read and re-applied;
 * what the server's CapabilityStatement says is honoured.
 */
import type { Bundle, Goal, Patient } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/errors/errors.js';
import { type LoggedRequest, startFhirServer, type TestFhirServer } from '../../helpers/fhir-server.js';
import { change, type Example, exampleBundles, expectHeldAsSent, manualClock, NHS_NUMBER, target, totals } from './deliver.js';

let server: TestFhirServer;
let limited: TestFhirServer;

beforeAll(async () => {
  server = await startFhirServer();
  limited = await startFhirServer({ maxEntries: 8 });
});
afterAll(async () => {
  await server.stop();
  await limited.stop();
});
beforeEach(() => {
  server.clear();
  limited.clear();
});

const examples = exampleBundles();
const largest = examples.reduce((a, b) => (b.bundle.entry!.length > a.bundle.entry!.length ? b : a));
const writes = (log: readonly LoggedRequest[]): LoggedRequest[] => log.filter((r) => r.method !== 'GET');

describe('delivering a change', () => {
  it('in one transaction: the server holds the Bundle as sent', async () => {
    const receipt = await target(server).deliver(change(largest), { resources: [] });
    expect(receipt.mode).toBe('transaction');
    await expectHeldAsSent(server, largest.bundle, receipt);
    // Patient and Organizations are created on their own first, then one transaction of the rest.
    const bundles = server.log.flatMap((r) => (r.bundle ? [r.bundle] : []));
    expect(bundles).toHaveLength(1);
    expect(bundles[0]!.entries).toBe(largest.bundle.entry!.filter((e) => !e.request!.url.includes('?')).length);
  });

  it('in transactions split to the server limit of 8, in dependency order', async () => {
    const receipt = await target(limited, { limits: { maxEntries: 8 } }).deliver(change(largest), { resources: [] });
    await expectHeldAsSent(limited, largest.bundle, receipt);
    const bundles = limited.log.filter((r) => r.bundle);
    expect(bundles.length).toBeGreaterThan(1);
    for (const b of bundles) expect(b).toMatchObject({ status: 200, bundle: { type: 'transaction' } });
    expect(Math.max(...bundles.map((b) => b.bundle!.entries))).toBeLessThanOrEqual(8);
  });

  it('in batches', async () => {
    const receipt = await target(limited, { mode: 'batch', limits: { maxEntries: 8 } }).deliver(change(largest), { resources: [] });
    expect(receipt.mode).toBe('batch');
    await expectHeldAsSent(limited, largest.bundle, receipt);
    expect(limited.log.flatMap((r) => (r.bundle ? [r.bundle] : [])).every((b) => b.type === 'batch' && b.entries <= 8)).toBe(true);
  });

  it('one resource per request', async () => {
    const receipt = await target(server, { mode: 'per-resource' }).deliver(change(largest), { resources: [] });
    expect(receipt.mode).toBe('per-resource');
    await expectHeldAsSent(server, largest.bundle, receipt);
    expect(server.log.some((r) => r.bundle)).toBe(false);
    expect(receipt.requests).toBe(writes(server.log).length);
  });

  it('in any mode and limit, every example reads back as sent, and sent again creates nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...examples),
        fc.constantFrom('transaction' as const, 'batch' as const, 'per-resource' as const),
        fc.integer({ min: 1, max: 20 }),
        async (example: Example, mode, maxEntries) => {
          server.clear();
          const client = target(server, { mode, limits: { maxEntries } });
          const first = await client.deliver(change(example), { resources: [] });
          await expectHeldAsSent(server, example.bundle, first);
          const before = await totals(server, example.bundle);
          const second = await client.deliver(change(example), first);
          expect(await totals(server, example.bundle)).toEqual(before);
          expect(new Map(second.resources.map((r) => [r.key, r.id]))).toEqual(new Map(first.resources.map((r) => [r.key, r.id])));
          await expectHeldAsSent(server, example.bundle, second);
        },
      ),
      { numRuns: 8 },
    );
  });

  it("resolves the target's Patient by NHS number once, then by the id the ledger hands back", async () => {
    const client = target(server);
    const first = await client.deliver(change(largest), { resources: [] });
    const patient = (await server.all<Patient>('Patient'))[0]!;
    expect(first.patientId).toBe(patient.id);
    server.log.length = 0;
    await client.deliver(change(largest), { patientId: first.patientId!, resources: [] });
    expect(server.log.filter((r) => r.url.startsWith('/Patient?'))).toEqual([]);
    expect(server.log).toContainEqual(expect.objectContaining({ method: 'GET', url: `/Patient/${patient.id}` }));
  });

  it('finds a Patient the target already held (made by another system) instead of creating one', async () => {
    const held = await server.repo.createResource<Patient>({
      resourceType: 'Patient',
      identifier: [
        { system: NHS_NUMBER, value: largest.nhsNumber },
        { system: 'https://ehr.example/Id/mrn', value: 'MRN-1' },
      ],
    });
    const receipt = await target(server).deliver(change(largest), { resources: [] });
    expect(receipt.patientId).toBe(held.id);
    expect(await server.count('Patient', NHS_NUMBER)).toBe(1);
    expect(await server.count('Patient', 'https://ehr.example/Id/mrn', 'MRN-1')).toBe(1);
  });
});

describe('shared resources', () => {
  /** The example's Bundle as a second source would send it: the same person, its own identifier and a name of its own. */
  function fromSecondSource(example: Example): Bundle {
    return {
      ...example.bundle,
      entry: example.bundle.entry!.map((e) => {
        if (e.resource?.resourceType !== 'Patient') return e;
        const p = e.resource as Patient;
        return {
          ...e,
          resource: {
            ...p,
            identifier: [
              { system: NHS_NUMBER, value: example.nhsNumber },
              { system: 'https://fhir.pont.wales/Id/wpas-case-number', value: 'WP-0001' },
            ],
            name: [{ use: 'usual', family: 'Synthetic', given: ['Second'] }],
          },
        };
      }),
    };
  }

  it("merge a second source's identifiers and names instead of overwriting them, and keep them when the first sends again", async () => {
    const client = target(server);
    const a = change(largest);
    const b = { ...change(largest, 'ehr', 'wpas'), bundle: fromSecondSource(largest) };
    const sentPatient = largest.bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource as Patient;
    const first = await client.deliver(a, { resources: [] });
    await client.deliver(b, { resources: [] });
    const again = await client.deliver(a, first);
    const patients = await server.all<Patient>('Patient');
    expect(patients).toHaveLength(1);
    expect(patients[0]!.id).toBe(again.patientId);
    const identifiers = patients[0]!.identifier!.map((i) => `${i.system}|${i.value}`);
    for (const i of [...sentPatient.identifier!, { system: 'https://fhir.pont.wales/Id/wpas-case-number', value: 'WP-0001' }])
      expect(identifiers).toContain(`${i.system}|${i.value}`);
    expect(new Set(identifiers).size).toBe(identifiers.length);
    expect(patients[0]!.name).toEqual(expect.arrayContaining([...sentPatient.name!, { use: 'usual', family: 'Synthetic', given: ['Second'] }]));
  });

  it('are not written again when the merge changes nothing', async () => {
    const client = target(server, { mode: 'per-resource' });
    const first = await client.deliver(change(largest), { resources: [] });
    server.log.length = 0;
    await client.deliver(change(largest), first);
    expect(writes(server.log).filter((r) => /^\/(Patient|Organization)\b/.test(r.url) && !/^\/Organization\/[0-9a-f-]{36}$/.test(r.url))).toEqual([]);
  });
});

describe('If-Match', () => {
  const goalKey = largest.bundle.entry!.find((e) => e.resource?.resourceType === 'Goal')!.request!.url;
  const goalId = goalKey.split('/')[1]!;

  const entries = largest.bundle.entry!.length - largest.bundle.entry!.filter((e) => e.request!.url.includes('?')).length;
  const expected = {
    // A transaction is refused whole (412) and sent again whole.
    transaction: [`POST ${entries} 412`, 'GET  200', `POST ${entries} 200`],
    // A batch answers 412 for the one entry, which alone is sent again.
    batch: [`POST ${entries} 200`, 'GET  200', 'POST 1 200'],
    'per-resource': ['PUT  412', 'GET  200', 'PUT  200'],
  };
  for (const mode of ['transaction', 'batch', 'per-resource'] as const) {
    it(`${mode}: a version moved at the target since pont wrote → 412 → re-read → re-applied`, async () => {
      const client = target(server, { mode });
      const first = await client.deliver(change(largest), { resources: [] });
      const remembered = first.resources.find((r) => r.key === goalKey)!.versionId!;
      const goal = await server.repo.readResource<Goal>('Goal', goalId);
      const moved = await server.repo.updateResource<Goal>({ ...goal, description: { text: 'changed at the target' } });
      server.log.length = 0;
      const second = await client.deliver(change(largest), first);
      // The stale version was sent and refused, the goal read again, and sent again.
      const tries = server.log.filter((r) => r.bundle || r.url === `/${goalKey}`).map((r) => `${r.method} ${r.bundle?.entries ?? ''} ${r.status}`);
      expect(tries).toEqual(expected[mode]);
      expect(server.log.find((r) => r.url === `/${goalKey}` && r.method === 'PUT')?.ifMatch ?? `W/"${remembered}"`).toBe(`W/"${remembered}"`);
      const now = await server.repo.readResource<Goal>('Goal', goalId);
      expect(now.meta!.versionId).not.toBe(moved.meta!.versionId);
      expect(now.description).toEqual((largest.bundle.entry!.find((e) => e.request!.url === goalKey)!.resource as Goal).description);
      expect(second.resources.find((r) => r.key === goalKey)!.versionId).toBe(now.meta!.versionId);
      await expectHeldAsSent(server, largest.bundle, second);
    });
  }

  for (const mode of ['transaction', 'batch', 'per-resource'] as const) {
    it(`${mode}: a target that lost what pont wrote (404 to If-Match) gets it all again under the same ids`, async () => {
      const client = target(server, { mode });
      const first = await client.deliver(change(largest), { resources: [] });
      server.clear();
      const second = await client.deliver(change(largest), first);
      await expectHeldAsSent(server, largest.bundle, second);
      for (const r of second.resources.filter((r) => !r.key.includes('?'))) expect(r.id).toBe(r.key.split('/')[1]);
    });
  }

  it('carries the version pont last saw of each resource it wrote', async () => {
    const client = target(server, { mode: 'per-resource' });
    const first = await client.deliver(change(largest), { resources: [] });
    server.log.length = 0;
    await client.deliver(change(largest), first);
    const put = server.log.find((r) => r.method === 'PUT' && r.url === `/${goalKey}`)!;
    expect(put.ifMatch).toBe(`W/"${first.resources.find((r) => r.key === goalKey)!.versionId}"`);
    expect(put.status).toBe(200);
  });

  it('a target whose versions keep moving is a retryable DELIVERY_CONFLICT after three rounds', async () => {
    const client = target(server, { mode: 'per-resource' });
    const first = await client.deliver(change(largest), { resources: [] });
    server.misbehave({ status: 412 }, 100);
    const err = await client.deliver(change(largest), first).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ code: 'DELIVERY_CONFLICT', retryable: true });
  });
});

describe("the target's CapabilityStatement", () => {
  it('no transaction: falls back to one request per resource and says so in the receipt', async () => {
    const plain = await startFhirServer({ transaction: false, batch: false });
    try {
      const receipt = await target(plain).deliver(change(largest), { resources: [] });
      expect(receipt.mode).toBe('per-resource');
      expect(plain.log.some((r) => r.bundle)).toBe(false);
      await expectHeldAsSent(plain, largest.bundle, receipt);
    } finally {
      await plain.stop();
    }
  });

  it('no conditional update: searches, then creates (If-None-Exist) or updates by id', async () => {
    const plain = await startFhirServer({ conditionalUpdate: false });
    try {
      const client = target(plain);
      const first = await client.deliver(change(largest), { resources: [] });
      await expectHeldAsSent(plain, largest.bundle, first);
      expect(plain.log.filter((r) => r.method === 'PUT' && r.url.includes('?'))).toEqual([]);
      expect(plain.log.filter((r) => r.method === 'POST' && r.url === '/Patient')).toHaveLength(1);
      await client.deliver(change(largest), first);
      expect(await plain.count('Patient', NHS_NUMBER)).toBe(1);
    } finally {
      await plain.stop();
    }
  });

  it('is read once, and again when the target refuses a Bundle', async () => {
    const client = target(limited);
    await expect(client.deliver(change(largest), { resources: [] })).rejects.toMatchObject({
      code: 'DELIVERY_REFUSED',
      retryable: false,
      message: expect.stringContaining('413'),
    });
    expect(limited.log.filter((r) => r.url === '/metadata')).toHaveLength(2);
    const small = examples.reduce((a, b) => (b.bundle.entry!.length < a.bundle.entry!.length ? b : a));
    limited.log.length = 0;
    await expect(target(limited, { limits: { maxEntries: 8 } }).deliver(change(small), { resources: [] })).resolves.toBeDefined();
    expect(limited.log.filter((r) => r.url === '/metadata')).toHaveLength(1);
  });

  it('is read by one request however many deliveries start at once, and again after ten minutes', async () => {
    const clock = manualClock();
    const client = target(server, { mode: 'batch' }, { clock });
    const small = examples.slice(0, 3);
    await Promise.all(small.map((e) => client.deliver(change(e), { resources: [] })));
    const metadataReads = (): number => server.log.filter((r) => r.url === '/metadata').length;
    expect(metadataReads()).toBe(1);
    clock.advance(9 * 60_000);
    await client.deliver(change(small[0]!), { resources: [] });
    expect(metadataReads()).toBe(1);
    clock.advance(60_000);
    await client.deliver(change(small[0]!), { resources: [] });
    expect(metadataReads()).toBe(2);
  });

  it('a transaction refused by a target that no longer supports it: read again, and the change goes one resource per request', async () => {
    const changing = await startFhirServer();
    try {
      const client = target(changing);
      expect((await client.deliver(change(largest), { resources: [] })).mode).toBe('transaction');
      changing.reconfigure({ transaction: false });
      changing.clear();
      const receipt = await client.deliver(change(largest), { resources: [] });
      expect(receipt.mode).toBe('per-resource');
      await expectHeldAsSent(changing, largest.bundle, receipt);
      expect(changing.log.filter((r) => r.bundle).map((r) => r.status)).toEqual([400]);
    } finally {
      await changing.stop();
    }
  });

  it('no update that creates: DELIVERY_UNSUPPORTED, not retryable', async () => {
    const plain = await startFhirServer({ updateCreate: false });
    try {
      await expect(target(plain).deliver(change(largest), { resources: [] })).rejects.toMatchObject({ code: 'DELIVERY_UNSUPPORTED', retryable: false });
    } finally {
      await plain.stop();
    }
  });
});
