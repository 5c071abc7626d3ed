/** The rest-hook TargetClient against a real HTTP endpoint on 127.0.0.1. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prepareForSubscription } from '../../../src/app/subscription-plan.js';
import { carePlanResources } from '../../../src/delivery/rest-hook/care-plan-resources.js';
import { createRestHookTarget } from '../../../src/delivery/rest-hook/rest-hook-target.js';
import { DeliveryError } from '../../../src/errors/errors.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { Change } from '../../../src/ports/delivery.js';
import type { StoredSubscription } from '../../../src/ports/subscriptions.js';
import { type HookEndpoint, startHookEndpoint } from '../../helpers/hook-endpoint.js';
import { ROOT, testRuntime } from '../../helpers/runtime.js';

const NOW = new Date('2026-03-01T10:00:00Z');
const SECRET = 'Bearer not-for-logs-4711';
const text = readFileSync(join(ROOT, 'examples/ctp/adult-all-eight-areas.json'), 'utf8');
const bundle = testRuntime().check([{ origin: 'adult', source: 'ctp', text }], {}).results[0]!.bundle as Bundle;

describe('a rest-hook subscription as a delivery target', () => {
  let hook: HookEndpoint;
  beforeAll(async () => {
    hook = await startHookEndpoint();
  });
  afterAll(async () => hook?.stop());
  beforeEach(() => {
    hook.requests.length = 0;
  });

  const subscription = (changes: Partial<StoredSubscription> = {}): StoredSubscription => ({
    id: 'sub-1',
    clientId: 'c',
    status: 'active',
    versionId: 1,
    recipient: { kind: 'gp-practice', code: 'W99001' },
    criteria: 'CarePlan',
    endpoint: hook.url,
    payload: 'application/fhir+json',
    headers: [`Authorization: ${SECRET}`, 'X-Practice: W99001'],
    reason: 'r',
    createdAt: NOW,
    updatedAt: NOW,
    ...changes,
  });
  const change = (s: StoredSubscription): Change => ({
    targetId: `subscription/${s.id}`,
    personKey: 'p',
    sourceSystem: 'epr-x',
    recordVersionId: '1',
    bundle: prepareForSubscription(s, bundle),
  });
  const client = (s: StoredSubscription) => createRestHookTarget(s, { clock: fixedClock(NOW), timeoutMs: 2000 });
  const failure = async (s: StoredSubscription) => {
    const err = await client(s)
      .deliver(change(s), { resources: [] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as Error).message).not.toContain(SECRET);
    return err as DeliveryError;
  };

  it('with a payload, PUTs each resource of the change a CarePlan needs to [endpoint]/[type]/[id], with the configured headers', async () => {
    const s = subscription();
    const expected = carePlanResources(change(s).bundle);
    const receipt = await client(s).deliver(change(s), { resources: [] });
    expect(hook.requests.map((r) => `${r.method} ${r.path}`)).toEqual(expected.map((r) => `PUT /${r.resourceType}/${r.id}`));
    for (const request of hook.requests) {
      expect(request.headers.authorization).toBe(SECRET);
      expect(request.headers['x-practice']).toBe('W99001');
      expect(request.headers['content-type']).toBe('application/fhir+json');
    }
    expect(JSON.parse(hook.requests.find((r) => r.path.startsWith('/CarePlan/'))!.body)).toMatchObject({ resourceType: 'CarePlan' });
    expect(receipt).toMatchObject({ mode: 'http', requests: expected.length });
    expect(receipt.resources[0]).toEqual({
      key: `${expected[0]!.resourceType}/${expected[0]!.id}`,
      resourceType: expected[0]!.resourceType,
      id: expected[0]!.id,
      versionId: '1',
    });
  });

  it('without a payload, POSTs to the endpoint with an empty body', async () => {
    const { payload: _none, ...bare } = subscription();
    const receipt = await client(bare).deliver(change(bare), { resources: [] });
    expect(hook.requests.map((r) => [r.method, r.path, r.body])).toEqual([['POST', '', '']]);
    expect(hook.requests[0]!.headers.authorization).toBe(SECRET);
    expect(receipt).toEqual({ mode: 'http', requests: 1, resources: [] });
  });

  it('classifies failures as a FHIR target does: a 5xx or no answer may be retried, a 4xx refuses, a 429 says when', async () => {
    hook.answer(503);
    expect(await failure(subscription())).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true });
    hook.answer(429, 1, { 'Retry-After': '7' });
    expect(await failure(subscription())).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true, retryAfterMs: 7000 });
    hook.answer(403);
    expect(await failure(subscription())).toMatchObject({ code: 'DELIVERY_REFUSED', retryable: false });
    const down = await startHookEndpoint();
    await down.stop();
    expect(await failure(subscription({ endpoint: down.url }))).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true });
  });

  it('stops at the first resource refused', async () => {
    hook.answer(200);
    hook.answer(400);
    expect(await failure(subscription())).toMatchObject({ code: 'DELIVERY_REFUSED' });
    expect(hook.requests).toHaveLength(2);
  });
});
