/** What the FHIR target tests share: example changes, a target's configuration, and reading a server's state in pont's terms. */
import type { Bundle, Identifier, Resource } from '@medplum/fhirtypes';
import { expect } from 'vitest';
import type { FhirTargetConfig } from '../../../src/config/sync-config.schema.js';
import { createFhirTarget, type FhirTargetDeps } from '../../../src/delivery/fhir-target/fhir-target.js';
import { type Clock, fixedClock } from '../../../src/ports/clock.js';
import type { Change, DeliveryReceipt, TargetClient } from '../../../src/ports/delivery.js';
import { contentOf, renameReferences, type TestFhirServer } from '../../helpers/fhir-server.js';
import { exampleFiles, FIXED_NOW, testRuntime } from '../../helpers/runtime.js';

export const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number';

export interface Example {
  readonly path: string;
  readonly bundle: Bundle;
  readonly nhsNumber: string;
}

let examples: Example[] | undefined;
/** Every example input's Bundle, as the core makes it. */
export function exampleBundles(): Example[] {
  examples ??= exampleFiles().map((e) => {
    const bundle = testRuntime().convert([{ origin: e.path, source: e.source, text: e.text }])[0]!.bundle!;
    const patient = bundle.entry!.find((x) => x.resource?.resourceType === 'Patient')!.resource as { identifier?: { system?: string; value?: string }[] };
    return { path: e.path, bundle, nhsNumber: patient.identifier!.find((i) => i.system === NHS_NUMBER)!.value! };
  });
  return examples;
}

export function change(example: Example, targetId = 'ehr', sourceSystem = 'carepath'): Change {
  return { targetId, personKey: `person-${example.nhsNumber}`, nhsNumber: example.nhsNumber, sourceSystem, recordVersionId: `${example.path}#1`, bundle: example.bundle };
}

/** Changes to a target's configuration: any field, and any of its limits. */
export type Overrides = Partial<Omit<FhirTargetConfig, 'limits'>> & { readonly limits?: Partial<FhirTargetConfig['limits']> };

export function targetConfig(server: Pick<TestFhirServer, 'baseUrl'>, overrides: Overrides = {}): FhirTargetConfig {
  return {
    id: 'ehr',
    kind: 'fhir',
    baseUrl: server.baseUrl,
    auth: { type: 'none' },
    mode: 'transaction',
    records: { all: true },
    ...overrides,
    limits: { concurrency: 4, timeoutMs: 5_000, attempts: 8, ...overrides.limits },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = FIXED_NOW): Clock & { advance(ms: number): void } {
  let at = start.getTime();
  return { now: () => new Date(at), today: () => fixedClock(new Date(at)).today(), advance: (ms) => void (at += ms) };
}

export function target(server: Pick<TestFhirServer, 'baseUrl'>, overrides: Overrides = {}, deps: Partial<FhirTargetDeps> = {}): TargetClient {
  return createFhirTarget(targetConfig(server, overrides), { env: () => undefined, clock: manualClock(), ...deps });
}

/**
 * Asserts that the server holds every resource of the Bundle as sent, under the ids the receipt
 * gives, with references pointing at those ids, and that each identifier the Bundle carries is
 * held by exactly as many resources as carry it in the Bundle.
 */
export async function expectHeldAsSent(server: TestFhirServer, bundle: Bundle, receipt: DeliveryReceipt): Promise<void> {
  const byKey = new Map(receipt.resources.map((r) => [r.key, r]));
  const targetRef = new Map(bundle.entry!.map((e) => [e.fullUrl!, `${e.resource!.resourceType}/${byKey.get(e.request!.url)?.id}`]));
  for (const entry of bundle.entry!) {
    const delivered = byKey.get(entry.request!.url);
    expect(delivered, entry.request!.url.replace(/\|.*/, '|…')).toBeDefined();
    const held = (await server.repo.readResource(entry.resource!.resourceType, delivered!.id)) as Resource;
    expect(held.meta?.versionId).toBe(delivered!.versionId);
    expect(contentOf(held)).toEqual(contentOf(renameReferences(entry.resource, (r) => targetRef.get(r) ?? r)));
  }
  const carried = new Map<string, number>();
  for (const e of bundle.entry!) {
    // identifier is a list on most resources, one Identifier on a few (AdverseEvent)
    for (const i of [(e.resource as { identifier?: Identifier | Identifier[] }).identifier ?? []].flat()) {
      const k = `${e.resource!.resourceType}|${i.system}|${i.value}`;
      carried.set(k, (carried.get(k) ?? 0) + 1);
    }
  }
  for (const [k, n] of carried) {
    const [type, system, value] = k.split('|') as [string, string, string];
    expect(await server.count(type, system, value), `${type} ${system}`).toBe(n);
  }
}

/** How many resources of each type the server holds. */
export async function totals(server: TestFhirServer, bundle: Bundle): Promise<Record<string, number>> {
  const types = [...new Set(bundle.entry!.map((e) => e.resource!.resourceType))].sort();
  return Object.fromEntries(await Promise.all(types.map(async (t) => [t, (await server.all(t)).length] as const)));
}
