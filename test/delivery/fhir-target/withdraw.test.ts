/**
 * Cancellations and removals reaching a real FHIR target (issue 9, point 5): a person's record is
 * delivered, then a newer version from the same source that revokes the plan, marks the diagnosis
 * entered-in-error, drops one of the plan's outcomes (a Goal) and ends a care team member's part.
 * The target ends up with the new statuses, and what pont wrote before that the new version no
 * longer has is withdrawn: deleted where the target's CapabilityStatement lists delete, otherwise
 * marked entered-in-error. Nothing pont did not write, nothing another source's record put there,
 * and nothing changed at the target since pont wrote it is touched; shared resources never are.
 * The target's state is counted by identifier.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, CarePlan, Condition, Goal, Patient, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/delivery/auth/auth.js';
import { parseCapabilities } from '../../../src/delivery/fhir-target/capabilities.js';
import { fhirHttp } from '../../../src/delivery/fhir-target/fhir-http.js';
import { withdraw } from '../../../src/delivery/fhir-target/withdraw.js';
import type { DeliveryReceipt, TargetMemory } from '../../../src/ports/delivery.js';
import type { CtpRecord } from '../../../src/record/record.schema.js';
import { startFhirServer, type TestFhirServer } from '../../helpers/fhir-server.js';
import { ROOT, testRuntime } from '../../helpers/runtime.js';
import { change, type Example, expectHeldAsSent, manualClock, NHS_NUMBER, target } from './deliver.js';
import { inject, STEPS, useNock } from './nock-faults.js';

useNock();

let server: TestFhirServer;
beforeAll(async () => void (server = await startFhirServer()));
afterAll(() => server.stop());
beforeEach(() => server.clear());

const PATH = 'examples/ctp/plan-not-agreed.json';
const first = JSON.parse(readFileSync(join(ROOT, PATH), 'utf8')) as CtpRecord;
const noMemory: TargetMemory = { resources: [] };

/** The record as the core makes it into a Bundle. */
function convert(record: CtpRecord): Example {
  const bundle = testRuntime().convert([{ origin: PATH, source: 'ctp', text: JSON.stringify(record) }])[0]!.bundle!;
  return { path: PATH, bundle, nhsNumber: record.patient!.nhsNumber as string };
}

/** The next version: the plan superseded (revoked), the diagnosis entered in error, the last outcome dropped, the psychiatrist off the care team. */
function secondVersion(record: CtpRecord): CtpRecord {
  const plan = record.plans![0]!;
  return {
    ...record,
    source: { ...record.source, extractedAt: '2025-04-01T09:00:00Z' },
    careTeam: record.careTeam!.filter((m) => m.role !== 'psychiatrist'),
    diagnoses: record.diagnoses!.map((d) => ({ ...d, status: 'entered-in-error' })),
    plans: [{ ...plan, status: 'superseded', outcomes: plan.outcomes!.slice(0, -1) }],
  } as CtpRecord;
}

const v1 = convert(first);
const v2 = convert(secondVersion(first));
const keysOf = (bundle: Bundle): Set<string> => new Set(bundle.entry!.map((e) => e.request!.url));
const dropped = [...keysOf(v1.bundle)].filter((k) => !keysOf(v2.bundle).has(k));
const droppedGoal = v1.bundle.entry!.find((e) => e.resource!.resourceType === 'Goal' && dropped.includes(e.request!.url))!.resource as Goal;

/** The target's resource pont wrote under `key`, by the id the receipt gives. */
async function heldBy<T extends Resource>(receipt: DeliveryReceipt, key: string): Promise<T | undefined> {
  const id = receipt.resources.find((r) => r.key === key)?.id;
  return id === undefined ? undefined : ((await server.repo.readResource(key.slice(0, key.indexOf('/')), id).catch(() => undefined)) as T | undefined);
}

/** How many resources of the type carry each identifier the resource has (the target's count by identifier). */
async function countsByIdentifier(resource: Resource): Promise<number[]> {
  const identifiers = (resource as { identifier?: { system: string; value: string }[] }).identifier ?? [];
  expect(identifiers.length).toBeGreaterThan(0);
  return Promise.all(identifiers.map((i) => server.count(resource.resourceType, i.system, i.value)));
}

it('the second version differs from the first as the test means: only a Goal and no shared resource dropped', () => {
  expect(dropped.map((k) => k.slice(0, k.indexOf('/')))).toEqual(['Goal']);
});

describe.each([
  { deletes: true, withdrawn: 'deleted' },
  { deletes: false, withdrawn: 'marked entered-in-error' },
])('a target that supports delete: $deletes', ({ deletes, withdrawn }) => {
  beforeEach(() => server.reconfigure({ delete: deletes }));

  it(`holds the new statuses, and the dropped Goal ${withdrawn}`, async () => {
    const client = target(server);
    const r1 = await client.deliver(change(v1), noMemory);
    const goalKey = `Goal/${droppedGoal.id}`;
    expect(r1.resources.find((r) => r.key === goalKey)).toMatchObject({ sourceSystem: 'carepath' });
    const r2 = await client.deliver(change(v2), r1);

    await expectHeldAsSent(server, v2.bundle, r2);
    const plan = v2.bundle.entry!.find((e) => e.resource!.resourceType === 'CarePlan')!;
    expect((await heldBy<CarePlan>(r2, plan.request!.url))?.status).toBe('revoked');
    const condition = v2.bundle.entry!.find((e) => e.resource!.resourceType === 'Condition')!;
    const held = await heldBy<Condition>(r2, condition.request!.url);
    expect(held?.verificationStatus?.coding?.[0]?.code).toBe('entered-in-error');
    expect(held?.clinicalStatus).toBeUndefined();

    const goals = await server.all<Goal>('Goal');
    if (deletes) {
      // Deleted: the ledger forgets it.
      expect(r2.released).toEqual([goalKey]);
      expect(r2.resources.map((r) => r.key)).not.toContain(goalKey);
      expect(await countsByIdentifier(droppedGoal)).toEqual((droppedGoal.identifier ?? []).map(() => 0));
      expect(server.log.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([`/${goalKey}`]);
    } else {
      // Marked: still pont's write, kept under the version the target gave the mark (an echo if pulled back).
      const marked = goals.find((g) => g.id === droppedGoal.id);
      expect(r2.released).toBeUndefined();
      expect(r2.resources.find((r) => r.key === goalKey)).toEqual({
        key: goalKey,
        resourceType: 'Goal',
        id: droppedGoal.id,
        versionId: marked?.meta?.versionId,
        sourceSystem: 'carepath',
        withdrawn: true,
      });
      expect(await countsByIdentifier(droppedGoal)).toEqual((droppedGoal.identifier ?? []).map(() => 1));
      expect(marked?.lifecycleStatus).toBe('entered-in-error');
      expect(server.log.filter((r) => r.method === 'DELETE')).toEqual([]);
    }
    // The other goals stand, once each.
    expect(goals.filter((g) => g.lifecycleStatus !== 'entered-in-error')).toHaveLength(v2.bundle.entry!.filter((e) => e.resource!.resourceType === 'Goal').length);

    // Delivered again, nothing more is withdrawn, and the Goal is not even read.
    const sent = server.log.length;
    const r3 = await client.deliver(change(v2), r2);
    expect(r3.released).toBeUndefined();
    expect(server.log.slice(sent).filter((r) => r.method === 'DELETE' || r.url.startsWith(`/${goalKey}`))).toEqual([]);
  });
});

it('a delete the target refuses (something there refers to it) becomes a mark instead', async () => {
  server.reconfigure({ delete: true });
  const client = target(server);
  const r1 = await client.deliver(change(v1), noMemory);
  inject(server.baseUrl, STEPS.delete, { kind: 'status', status: 409 });
  const r2 = await client.deliver(change(v2), r1);
  expect(r2.released).toBeUndefined();
  expect(r2.resources.find((r) => r.key === `Goal/${droppedGoal.id}`)).toMatchObject({ withdrawn: true });
  expect((await server.repo.readResource<Goal>('Goal', droppedGoal.id!)).lifecycleStatus).toBe('entered-in-error');
});

it('withdraws what refers to another withdrawn resource before it (for a target that checks references on delete)', async () => {
  server.reconfigure({ delete: true });
  const subject = { reference: 'Patient/synthetic-1' };
  const goal = await server.repo.createResource<Goal>({ resourceType: 'Goal', lifecycleStatus: 'active', description: { text: 'Synthetic' }, subject });
  const plan = await server.repo.createResource<CarePlan>({ resourceType: 'CarePlan', status: 'active', intent: 'plan', subject, goal: [{ reference: `Goal/${goal.id}` }] });
  const ledger = [goal, plan].map((r) => ({
    key: `${r.resourceType}/${r.id}`,
    resourceType: r.resourceType,
    id: r.id!,
    versionId: r.meta!.versionId!,
    sourceSystem: 'carepath',
  }));
  const clock = manualClock();
  const http = fhirHttp({
    targetId: 'ehr',
    baseUrl: server.baseUrl,
    timeoutMs: 5_000,
    auth: createAuthenticator({ type: 'none' }, { targetId: 'ehr', env: () => undefined, clock, timeoutMs: 5_000 }),
    clock,
  });
  const result = await withdraw({ http, capabilities: parseCapabilities(server.capabilities) }, ledger);
  expect(server.log.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([`/CarePlan/${plan.id}`, `/Goal/${goal.id}`]);
  expect(result).toMatchObject({ released: [ledger[1], ledger[0]], marked: [], requests: 4 });
});

describe('what is never withdrawn', () => {
  beforeEach(() => server.reconfigure({ delete: true }));

  it("the target's own Patient and its own Goal, another source's resources, and a Goal changed at the target since pont wrote it", async () => {
    const own = await server.repo.createResource<Patient>({
      resourceType: 'Patient',
      identifier: [
        { system: NHS_NUMBER, value: v1.nhsNumber },
        { system: 'https://gp.example.invalid/Id/patient', value: 'gp-000123' },
      ],
    });
    const ownGoal = await server.repo.createResource<Goal>({
      resourceType: 'Goal',
      lifecycleStatus: 'active',
      description: { text: 'Synthetic goal of the target' },
      subject: { reference: `Patient/${own.id}` },
    });
    const client = target(server);
    const r1 = await client.deliver(change(v1), noMemory);
    expect(r1.patientId).toBe(own.id);
    // The same person's record from another source: its resources are under other ids.
    const other = convert({ ...first, source: { ...first.source, system: 'other-epr' } });
    const otherKeys = [...keysOf(other.bundle)].filter((k) => !k.includes('?') && !keysOf(v1.bundle).has(k));
    expect(otherKeys.length).toBeGreaterThan(0);
    const r1b = await client.deliver(change(other, 'ehr', 'other-epr'), r1);
    // Someone at the target takes the dropped Goal on before the second version comes.
    const goalKey = `Goal/${droppedGoal.id}`;
    const before = (await heldBy<Goal>(r1b, goalKey))!;
    const taken = await server.repo.updateResource<Goal>({ ...before, note: [{ text: 'Synthetic note by the target' }] });

    const r2 = await client.deliver(change(v2), r1b);
    expect(r2.released).toEqual([goalKey]); // forgotten by pont, left to the target
    expect((await server.repo.readResource<Goal>('Goal', droppedGoal.id!)).meta?.versionId).toBe(taken.meta?.versionId);
    expect((await server.repo.readResource<Goal>('Goal', ownGoal.id!)).meta?.versionId).toBe(ownGoal.meta?.versionId);
    const patient = await server.repo.readResource<Patient>('Patient', own.id!);
    expect(patient.identifier).toContainEqual({ system: 'https://gp.example.invalid/Id/patient', value: 'gp-000123' });
    for (const key of otherKeys) expect(await heldBy(r2, key), key).toBeDefined();
    expect(server.log.filter((r) => r.method === 'DELETE')).toEqual([]);
  });
});
