/**
 * Failures a real server cannot easily produce, put in front of a real one with nock
 * (./nock-faults.ts): a target or a pulled source that never answers, 429 with Retry-After, 5xx
 * and connection resets in any order, a reset in the middle of an answer (also after the server
 * did the work), and an OAuth2 token endpoint that fails once. The FHIR target client and the
 * pull reader must give up in time, say whether a retry can help and when, and a delivery retried
 * after any run of such failures must leave the target holding each resource once.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle } from '@medplum/fhirtypes';
import { UnrecoverableError } from 'bullmq';
import fc from 'fast-check';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/delivery/auth/auth.js';
import { fhirReader } from '../../../src/delivery/fhir-reader.js';
import { DeliveryError, PullError } from '../../../src/errors/errors.js';
import { silentLogger } from '../../../src/log/logger.js';
import { systemClock } from '../../../src/ports/clock.js';
import type { DeliveryLedger, DeliveryReceipt, TargetClient, TargetMemory } from '../../../src/ports/delivery.js';
import { uncountedMetrics } from '../../../src/ports/metrics.js';
import { backoff, deliveryQueues, startDeliveryWorkers } from '../../../src/queue/deliver-worker.js';
import { unrecoverableIfFinal } from '../../../src/queue/job-queue.js';
import { connectRedis } from '../../../src/queue/redis.js';
import { startFhirServer, type TestFhirServer } from '../../helpers/fhir-server.js';
import { clearPrefix, testRedisUrl } from '../../helpers/redis.js';
import { change, type Example, exampleBundles, expectHeldAsSent, manualClock, NHS_NUMBER, target, totals } from './deliver.js';
import { type Fault, inject, STEPS, useNock } from './nock-faults.js';

useNock();

let server: TestFhirServer;
beforeAll(async () => void (server = await startFhirServer()));
afterAll(() => server.stop());
beforeEach(() => server.clear());

const example = exampleBundles().find((e) => e.path === 'examples/ctp/plan-not-agreed.json')!;
const noMemory: TargetMemory = { resources: [] };

async function failure<E>(p: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const outcome = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(type);
  return outcome as E;
}

/** How many resources of each type a Bundle carries. */
function carried(bundle: Bundle): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of bundle.entry!) counts[e.resource!.resourceType] = (counts[e.resource!.resourceType] ?? 0) + 1;
  return counts;
}

/** The example with its care plan's description changed: a newer version to deliver over the first. */
function edited(e: Example): Example {
  const entry = e.bundle.entry!.map((x) => (x.resource?.resourceType === 'CarePlan' ? { ...x, resource: { ...x.resource, description: 'Reviewed (synthetic)' } } : x));
  return { ...e, bundle: { ...e.bundle, entry } };
}

describe('the FHIR target client', () => {
  it('gives up on a target that never answers after its time limit: DELIVERY_UNAVAILABLE, retryable', async () => {
    for (const step of [STEPS.metadata, STEPS.transaction]) {
      const client = target(server, { limits: { timeoutMs: 1_000 } });
      if (step === STEPS.transaction) await client.deliver(change(example), noMemory); // capabilities read and kept
      const scope = inject(server.baseUrl, step, { kind: 'silence' });
      const started = Date.now();
      const err = await failure(client.deliver(change(example), noMemory), DeliveryError);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(err).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true });
      expect(err.message).toMatch(/^target ehr: (GET metadata|transaction) got no answer \(timed out\)$/);
      expect(scope.isDone()).toBe(true);
    }
  });

  it('429 with Retry-After in seconds or as an HTTP date: the wait is on the error, and the queue backs off by it', async () => {
    const clock = manualClock();
    for (const [retryAfter, ms] of [
      ['7', 7_000],
      [new Date(clock.now().getTime() + 90_000).toUTCString(), 90_000],
    ] as const) {
      const client = target(server, {}, { clock });
      inject(server.baseUrl, STEPS.transaction, { kind: 'status', status: 429, headers: { 'Retry-After': retryAfter } });
      const err = await failure(client.deliver(change(example), noMemory), DeliveryError);
      expect(err).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true, retryAfterMs: ms, message: 'target ehr: transaction answered 429' });
      for (const attemptsMade of [1, 4]) expect(backoff(attemptsMade, 1000, err)).toBe(ms);
      expect(unrecoverableIfFinal(err)).toBe(err);
      await expectHeldAsSent(server, example.bundle, await client.deliver(change(example), noMemory));
    }
  });

  it('5xx, resets and lost answers in any order, then success: each resource held once, as sent', async () => {
    const faults = fc.oneof(
      fc.constantFrom<Fault>({ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'reset' }, { kind: 'lost-answer' }),
      fc.boolean().map((withLength): Fault => ({ kind: 'cut', withLength })),
    );
    const steps = fc.constantFrom(STEPS.metadata, STEPS.search, STEPS.read, STEPS.put, STEPS.transaction);
    const second = edited(example);
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(fc.tuple(steps, faults), { maxLength: 4 }), async (deliveredBefore, run) => {
        server.clear();
        nock.cleanAll();
        const client = target(server);
        // What the ledger would hold: the last receipt, kept only when a delivery went through.
        let memory = deliveredBefore ? await client.deliver(change(example), noMemory) : noMemory;
        for (const [step, fault] of run) {
          inject(server.baseUrl, step, fault);
          await client.deliver(change(second), memory).then(
            (receipt) => {
              memory = receipt; // the fault's request was not made this time
            },
            (err: unknown) => {
              expect(err).toBeInstanceOf(DeliveryError);
              expect(err).toMatchObject({ retryable: true });
            },
          );
          nock.cleanAll();
        }
        const receipt = await client.deliver(change(second), memory);
        await expectHeldAsSent(server, second.bundle, receipt);
        expect(await totals(server, second.bundle)).toEqual(carried(second.bundle));
      }),
      { numRuns: 25 },
    );
  });

  it.each([400, 404, 422])('%i: DELIVERY_REFUSED, not retried by the client nor by the queue', async (status) => {
    const client = target(server);
    inject(server.baseUrl, STEPS.transaction, { kind: 'status', status });
    const err = await failure(client.deliver(change(example), noMemory), DeliveryError);
    expect(err).toMatchObject({ code: 'DELIVERY_REFUSED', retryable: false, message: `target ehr: transaction answered ${status}` });
    expect(unrecoverableIfFinal(err)).toBeInstanceOf(UnrecoverableError);
    // The refused transaction went to nock, not the server: the server saw no transaction at all.
    expect(server.log.filter((r) => r.bundle)).toEqual([]);
  });

  it.each([true, false])('a connection reset mid-answer (length stated: %s): DELIVERY_UNAVAILABLE, retryable; delivered on the next try', async (withLength) => {
    const client = target(server);
    for (const step of [STEPS.metadata, STEPS.transaction]) {
      inject(server.baseUrl, step, { kind: 'cut', withLength });
      const err = await failure(client.deliver(change(example), noMemory), DeliveryError);
      expect(err).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true });
      expect(err.message).toMatch(withLength ? /cut off mid-answer/ : /answered 200 with a body that is not JSON/);
    }
    await expectHeldAsSent(server, example.bundle, await client.deliver(change(example), noMemory));
  });

  it('an OAuth2 token endpoint answering 500, then 200: unavailable and retryable, then delivered with the token', async () => {
    server.reconfigure({ bearer: (token) => token === 'synthetic-token-1' });
    try {
      const tokens = nock('https://auth.example.invalid')
        .post('/token')
        .reply(500)
        .post('/token')
        .reply(200, { access_token: 'synthetic-token-1', token_type: 'Bearer', expires_in: 300 });
      const client = target(
        server,
        { auth: { type: 'oauth2-client-credentials', tokenUrl: 'https://auth.example.invalid/token', clientId: 'pont', clientSecretEnv: 'EHR_SECRET' } },
        { env: () => 'synthetic-secret' },
      );
      const err = await failure(client.deliver(change(example), noMemory), DeliveryError);
      expect(err).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true, message: 'target ehr: the token endpoint answered 500' });
      await expectHeldAsSent(server, example.bundle, await client.deliver(change(example), noMemory));
      expect(tokens.isDone()).toBe(true);
    } finally {
      server.reconfigure({ bearer: undefined });
    }
  });
});

describe('the delivery queue', () => {
  it('waits the Retry-After a target gave (not its own backoff) before the next attempt, then delivers', async () => {
    const [connection, workerConnection] = [await connectRedis(testRedisUrl()), await connectRedis(testRedisUrl())];
    const prefix = `pont-test-${randomUUID()}`;
    const limits = new Map([['ehr', { concurrency: 1, attempts: 3 }]]);
    const client = target(server);
    const attempts: number[] = [];
    let done!: (receipt: DeliveryReceipt) => void;
    const delivered = new Promise<DeliveryReceipt>((resolve) => {
      done = resolve;
    });
    const task = {
      id: '1',
      targetId: 'ehr',
      personKey: 'person-1',
      recordVersionId: '1',
      sourceSystem: 'carepath',
      messageSource: 'hb-a',
      bundle: example.bundle,
      createdAt: new Date(),
    };
    const ledger: DeliveryLedger = {
      claim: async () => ({ kind: 'claimed', task, memory: noMemory }),
      complete: async (_id, _owner, receipt) => done(receipt),
      renew: async () => true,
      release: async () => {},
      deadLetter: async () => expect.fail('a dead letter'),
      pending: async () => [],
    };
    const timed: TargetClient = {
      targetId: 'ehr',
      deliver: (c, m) => {
        attempts.push(Date.now());
        return client.deliver(c, m);
      },
      close: async () => {},
    };
    const deps = { ledger, clients: new Map([['ehr', timed]]), prepare: (_t: string, b: Bundle) => b, clock: systemClock(), leaseMs: 30_000 };
    inject(server.baseUrl, STEPS.transaction, { kind: 'status', status: 429, headers: { 'Retry-After': '2' } });
    const queues = deliveryQueues(limits, { connection, prefix, backoffMs: 10 });
    const workers = startDeliveryWorkers(deps, limits, { connection: workerConnection, prefix, backoffMs: 10 }, { log: silentLogger(), metrics: uncountedMetrics() });
    try {
      await queues.enqueue({ deliveryId: '1', targetId: 'ehr' });
      await expectHeldAsSent(server, example.bundle, await delivered);
      expect(attempts).toHaveLength(2);
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(2_000);
    } finally {
      await workers.close();
      await queues.close();
      await clearPrefix(connection, prefix);
      await Promise.all([connection.quit(), workerConnection.quit()]);
    }
  });
});

describe('the pull reader', () => {
  const search = `Patient?identifier=${encodeURIComponent(NHS_NUMBER)}|`;
  const reader = (timeoutMs = 5_000) => fhirReader({ sourceId: 'hb-a', baseUrl: server.baseUrl, timeoutMs });

  it('gives up on a source that never answers after its time limit: PULL_UNAVAILABLE, retryable', async () => {
    inject(server.baseUrl, STEPS.search, { kind: 'silence' });
    const started = Date.now();
    const err = await failure(reader(1_000).search(search), PullError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toMatchObject({ code: 'PULL_UNAVAILABLE', retryable: true, message: 'source hb-a did not answer (timed out)' });
  });

  it('429 with Retry-After in seconds or as an HTTP date: the wait is on the error', async () => {
    const now = new Date('2026-01-05T09:00:00Z');
    for (const [retryAfter, ms] of [
      ['30', 30_000],
      [new Date(now.getTime() + 120_000).toUTCString(), 120_000],
    ] as const) {
      inject(server.baseUrl, STEPS.search, { kind: 'status', status: 429, headers: { 'Retry-After': retryAfter } });
      const err = await failure(fhirReader({ sourceId: 'hb-a', baseUrl: server.baseUrl, now: () => now }).search(search), PullError);
      expect(err).toMatchObject({ code: 'PULL_UNAVAILABLE', retryable: true, retryAfterMs: ms, message: 'source hb-a answered HTTP 429' });
    }
  });

  it('5xx, resets and answers cut short in any order are each retryable, and the search then reads the page', async () => {
    await server.repo.createResource({ resourceType: 'Patient', identifier: [{ system: NHS_NUMBER, value: '9990000018' }] });
    const faults = fc.constantFrom<Fault>(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503 },
      { kind: 'reset' },
      { kind: 'cut', withLength: true },
      { kind: 'cut', withLength: false },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(faults, { maxLength: 4 }), async (run) => {
        const r = reader();
        for (const fault of run) {
          inject(server.baseUrl, STEPS.search, fault);
          expect(await failure(r.search(search), PullError)).toMatchObject({ code: 'PULL_UNAVAILABLE', retryable: true });
        }
        expect((await r.search(search)).entry).toHaveLength(1);
      }),
      { numRuns: 20 },
    );
  });

  it.each([400, 422])('%i: PULL_REFUSED, not retryable', async (status) => {
    inject(server.baseUrl, STEPS.search, { kind: 'status', status });
    expect(await failure(reader().search(search), PullError)).toMatchObject({ code: 'PULL_REFUSED', retryable: false });
  });

  it('404 to a read is no resource; 404 to a search a refusal', async () => {
    inject(server.baseUrl, STEPS.read, { kind: 'status', status: 404 });
    expect(await reader().read('Patient', 'absent-id')).toBeUndefined();
    inject(server.baseUrl, STEPS.search, { kind: 'status', status: 404 });
    expect(await failure(reader().search(search), PullError)).toMatchObject({ code: 'PULL_REFUSED', retryable: false });
  });

  it('an OAuth2 token endpoint answering 500, then 200: unavailable and retryable, then the search goes through', async () => {
    nock('https://auth.example.invalid').post('/token').reply(500).post('/token').reply(200, { access_token: 'synthetic-token-2', expires_in: 300 });
    const auth = createAuthenticator(
      { type: 'oauth2-client-credentials', tokenUrl: 'https://auth.example.invalid/token', clientId: 'pont', clientSecretEnv: 'HB_A_SECRET' },
      { targetId: 'hb-a', env: () => 'synthetic-secret', clock: manualClock(), timeoutMs: 5_000 },
    );
    const sent: string[] = [];
    const r = fhirReader({
      sourceId: 'hb-a',
      baseUrl: server.baseUrl,
      headers: async () => {
        const authorization = (await auth.authorization()) ?? '';
        sent.push(authorization);
        return { authorization };
      },
    });
    expect(await failure(r.search(search), PullError)).toMatchObject({ code: 'PULL_UNAVAILABLE', retryable: true });
    expect((await r.search(search)).resourceType).toBe('Bundle');
    expect(sent).toEqual(['Bearer synthetic-token-2']);
  });
});
