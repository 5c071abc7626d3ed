/**
 * pont's Bundles against a real FHIR server: @medplum/fhir-router with its in-memory repository,
 * behind express on 127.0.0.1 (a random port), spoken to over HTTP with fhir-kit-client.
 *
 * - Every example's Bundle, split with `splitTransaction` at the server's limit (8 entries in a
 *   transaction with conditional updates), is accepted transaction by transaction, and what is
 *   read back is what was sent, the ids the server assigned aside.
 * - The same, unsplit, through a server that runs a transaction Bundle entry by entry (medplum
 *   with transactions off): the server states of the two imports are the same.
 * - The whole Bundle in one transaction is refused by the server for its size, which is why
 *   `--max-entries` exists.
 * - Sent twice, or with the other examples of the same people, no Patient or Organization is
 *   created twice (the conditional updates find them).
 * - What pont wrote is found by its origin tag and by its source-named local identifiers, in URLs
 *   pont percent-encodes, whatever the source system is called.
 */
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitTransaction } from '../../src/fhir/bundle.js';
import { localIdentifierSystem, ORIGIN_TAG_SYSTEM, originOf, uriSegment } from '../../src/fhir/origin.js';
import { encodeCriteria } from '../../src/mapping/engine.js';
import { contentOf, renameReferences, startFhirServer, type TestFhirServer } from '../helpers/fhir-server.js';
import { minimalRecord } from '../helpers/minimal-record.js';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';

type Json = Record<string, unknown>;

/** The server's limit on a transaction with conditional updates (measured; see the README). */
const SERVER_MAX_ENTRIES = 8;

/** Posts a transaction Bundle; every entry must succeed. Returns the server's `Type/id` for each entry's fullUrl. */
async function post(client: Client, bundle: Bundle): Promise<Map<string, string>> {
  let response: Bundle;
  try {
    response = (await client.transaction({ body: bundle as never })) as unknown as Bundle;
  } catch (err) {
    const { status, data } = (err as { response?: { status?: number; data?: OperationOutcome } }).response ?? {};
    throw new Error(`the server refused the transaction (${status}): ${data?.issue?.map((i) => i.details?.text).join('; ')}`);
  }
  expect(response.type).toBe('transaction-response');
  const ids = new Map<string, string>();
  bundle.entry!.forEach((entry, i) => {
    const r = response.entry?.[i]?.response;
    expect(r?.status, `${entry.request!.url}: ${JSON.stringify(r?.outcome)}`).toMatch(/^20[01]$/);
    const location = /^([A-Za-z]+\/[^/]+)/.exec(r!.location!)![1]!;
    ids.set(entry.fullUrl!, location);
  });
  return ids;
}

/**
 * What a server holds, by pont's identity of each resource (its request URL: `Type/id`, or the
 * conditional `Type?identifier=…`), with references in the same terms. `sent` gives the server id
 * of every entry sent.
 */
async function serverState(client: Client, sent: Map<string, string>, bundle: Bundle): Promise<Map<string, unknown>> {
  const identity = new Map<string, string>();
  for (const entry of bundle.entry!) identity.set(sent.get(entry.fullUrl!)!, entry.request!.url);
  const state = new Map<string, unknown>();
  for (const type of new Set(bundle.entry!.map((e) => e.resource!.resourceType))) {
    const found = (await client.search({ resourceType: type, searchParams: { _count: 1000 } })) as unknown as Bundle;
    for (const e of found.entry ?? []) {
      const resource = e.resource as unknown as Json;
      const key = identity.get(`${type}/${resource.id as string}`);
      expect(key, `the server holds a ${type} pont did not send`).toBeDefined();
      state.set(
        key!,
        renameReferences(contentOf(resource), (r) => identity.get(r) ?? `unknown ${r}`),
      );
    }
  }
  return state;
}

/** What a Bundle says, in the terms of serverState. */
function sentState(bundle: Bundle): Map<string, unknown> {
  const identity = new Map(bundle.entry!.map((e) => [e.fullUrl!, e.request!.url]));
  return new Map(bundle.entry!.map((e) => [e.request!.url, renameReferences(contentOf(e.resource as unknown as Json), (r) => identity.get(r) ?? `unknown ${r}`)]));
}

const examples = exampleFiles()
  .map((e) => ({ path: e.path, bundle: testRuntime().convert([{ origin: e.path, source: e.source, text: e.text }])[0]?.bundle }))
  .filter((e): e is { path: string; bundle: Bundle } => e.bundle !== undefined);

let transactional: TestFhirServer;
let entryByEntry: TestFhirServer;

beforeAll(async () => {
  transactional = await startFhirServer();
  entryByEntry = await startFhirServer({ atomic: false });
});

afterAll(async () => {
  await transactional?.stop();
  await entryByEntry?.stop();
});

describe('a real FHIR server (@medplum/fhir-router over HTTP)', () => {
  it('has every example to import', () => {
    expect(examples.length).toBe(exampleFiles().length);
  });

  it('refuses a whole Bundle larger than its limit in one transaction, as it says', async () => {
    const large = examples.find((e) => e.bundle.entry!.length > SERVER_MAX_ENTRIES)!;
    transactional.clear();
    await expect(post(transactional.client, large.bundle)).rejects.toThrow(/too many entries/);
  });

  for (const { path, bundle } of examples) {
    it(`${path}: the split series is accepted in order, reads back as sent, and equals the unsplit import`, async () => {
      transactional.clear();
      const series = splitTransaction(bundle, SERVER_MAX_ENTRIES);
      const ids = new Map<string, string>();
      for (const part of series) {
        expect(part.entry!.length).toBeLessThanOrEqual(SERVER_MAX_ENTRIES);
        for (const [fullUrl, id] of await post(transactional.client, part)) {
          // A conditional entry sent in several Bundles is the same resource on the server each time.
          if (ids.has(fullUrl)) expect(id).toBe(ids.get(fullUrl));
          ids.set(fullUrl, id);
        }
      }
      // Plain updates keep pont's ids; conditional ones get the server's.
      for (const entry of bundle.entry!) {
        if (!entry.request!.url.includes('?')) expect(ids.get(entry.fullUrl!)).toBe(entry.request!.url);
        const read = (await transactional.client.read({ resourceType: entry.resource!.resourceType, id: ids.get(entry.fullUrl!)!.split('/')[1]! })) as unknown as Resource;
        expect(read.resourceType).toBe(entry.resource!.resourceType);
      }
      const split = await serverState(transactional.client, ids, bundle);
      expect(split).toEqual(sentState(bundle));

      entryByEntry.clear();
      const whole = await post(entryByEntry.client, bundle);
      expect(await serverState(entryByEntry.client, whole, bundle)).toEqual(split);
      expect(await post(entryByEntry.client, bundle)).toEqual(whole);
      expect(await serverState(entryByEntry.client, whole, bundle)).toEqual(split);

      // Sent again: the same resources, none created twice.
      const again = new Map<string, string>();
      for (const part of series) for (const [fullUrl, id] of await post(transactional.client, part)) again.set(fullUrl, id);
      expect(again).toEqual(ids);
      expect(await serverState(transactional.client, ids, bundle)).toEqual(split);
    });
  }

  it('finds what pont wrote by its origin tag and by a source-named local identifier, whatever the source is called', async () => {
    transactional.clear();
    const system = 'Bwrdd Iechyd/ŵ #1&x=y';
    const record = { ...minimalRecord(), source: { ...minimalRecord().source, system } };
    record.patient!.sharingDecisions = [{ recipient: { kind: 'gp-practice', odsCode: 'W99001' }, decision: 'declined', recordedOn: '2025-03-01' }];
    const { bundle } = testRuntime().pipeline.toBundle(record);
    for (const part of splitTransaction(bundle!, SERVER_MAX_ENTRIES)) await post(transactional.client, part);
    const search = async (query: string): Promise<Resource[]> => {
      const response = await fetch(`${transactional.baseUrl}/${query}`);
      expect(response.status, query).toBe(200);
      return ((await response.json()) as Bundle).entry?.map((e) => e.resource!) ?? [];
    };
    const tagged = await search(`Consent?${encodeCriteria(`_tag=${ORIGIN_TAG_SYSTEM}|${uriSegment(system)}`)}`);
    expect(tagged).toHaveLength(1);
    expect(originOf(tagged)).toBe(system);
    expect(await search(`Consent?${encodeCriteria(`_tag=${ORIGIN_TAG_SYSTEM}|${uriSegment('another source')}`)}`)).toEqual([]);
    const plans = await search(`CarePlan?${encodeCriteria(`identifier=${localIdentifierSystem(system)}|${record.plans![0]!.id}`)}`);
    expect(plans.map((p) => p.id)).toEqual([bundle!.entry!.find((e) => e.resource!.resourceType === 'CarePlan')!.resource!.id]);
    expect(await search(`CarePlan?${encodeCriteria(`identifier=${localIdentifierSystem('another source')}|${record.plans![0]!.id}`)}`)).toEqual([]);
  });

  it('holds one Patient per NHS number and one Organization per ODS code after every example, twice', async () => {
    transactional.clear();
    for (let round = 0; round < 2; round++) {
      for (const { bundle } of examples) for (const part of splitTransaction(bundle, SERVER_MAX_ENTRIES)) await post(transactional.client, part);
    }
    const conditional = new Set(examples.flatMap((e) => e.bundle.entry!.map((x) => x.request!.url).filter((u) => u.includes('?'))));
    expect([...conditional].some((u) => u.startsWith('Patient?'))).toBe(true);
    expect([...conditional].some((u) => u.startsWith('Organization?'))).toBe(true);
    for (const url of conditional) {
      const [type, query] = url.split('?') as [string, string];
      const found = (await transactional.client.search({ resourceType: type, searchParams: Object.fromEntries(new URLSearchParams(query)) })) as unknown as Bundle;
      expect(found.entry?.length, url.replace(/\|.*/, '|…')).toBe(1);
    }
  });
});
