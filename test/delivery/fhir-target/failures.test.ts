/**
 * What a delivery that fails says: a target that is down, slow, overloaded or refusing gives a
 * DeliveryError that the queue can act on (retryable or not, and when), whose message and
 * issues carry no patient data; the circuit breaker stops pressing a target that keeps failing.
 * The server is real; its misbehaviour (500, 429 with Retry-After, a slow answer) is injected by
 * the test helper.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../../../src/delivery/fhir-target/circuit-breaker.js';
import { retryAfterMs } from '../../../src/delivery/fhir-target/failures.js';
import { DeliveryError } from '../../../src/errors/errors.js';
import { startFhirServer, type TestFhirServer } from '../../helpers/fhir-server.js';
import { change, exampleBundles, expectHeldAsSent, manualClock, target } from './deliver.js';

let server: TestFhirServer;
beforeAll(async () => {
  server = await startFhirServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => server.clear());

const example = exampleBundles()[0]!;
const failure = (p: Promise<unknown>): Promise<DeliveryError> =>
  p.then(
    () => expect.fail('the delivery succeeded'),
    (e: unknown) => {
      expect(e).toBeInstanceOf(DeliveryError);
      return e as DeliveryError;
    },
  );

describe('a target that does not answer', () => {
  it('down: DELIVERY_UNAVAILABLE, retryable, naming the target and the network code; delivered once it is back', async () => {
    const client = target(server);
    await server.stop();
    try {
      const err = await failure(client.deliver(change(example), { resources: [] }));
      expect(err).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true });
      expect(err.message).toMatch(/^target ehr: GET metadata got no answer \(ECONNREFUSED\)$/);
    } finally {
      await server.restart();
    }
    const receipt = await client.deliver(change(example), { resources: [] });
    await expectHeldAsSent(server, example.bundle, receipt);
  });

  it('slower than the time limit: DELIVERY_UNAVAILABLE, retryable, timed out', async () => {
    const client = target(server, { limits: { timeoutMs: 100 } });
    server.misbehave({ delayMs: 400 });
    const err = await failure(client.deliver(change(example), { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true });
    expect(err.message).toContain('timed out');
  });

  it('5xx: DELIVERY_UNAVAILABLE, retryable', async () => {
    server.misbehave({ status: 503 });
    const err = await failure(target(server).deliver(change(example), { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true, message: 'target ehr: GET metadata answered 503' });
  });

  it('429: retryable after the Retry-After the target gave, in seconds or as a date', async () => {
    server.misbehave({ status: 429, headers: { 'Retry-After': '7' } });
    expect(await failure(target(server).deliver(change(example), { resources: [] }))).toMatchObject({ code: 'DELIVERY_UNAVAILABLE', retryable: true, retryAfterMs: 7000 });
    const clock = manualClock();
    server.misbehave({ status: 429, headers: { 'Retry-After': new Date(clock.now().getTime() + 90_000).toUTCString() } });
    expect(await failure(target(server, {}, { clock }).deliver(change(example), { resources: [] }))).toMatchObject({ retryAfterMs: 90_000 });
  });
});

describe('a target that refuses', () => {
  it('4xx: DELIVERY_REFUSED, not retryable, keeping issue codes and locations but none of the data the target quoted', async () => {
    const client = target(server);
    await client.deliver(change(example), { resources: [] });
    const quoted = [example.nhsNumber, 'Treharne', '23 August 1991'];
    server.misbehave(
      {
        status: 422,
        body: {
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: 'error',
              code: 'invariant',
              diagnostics: `Patient ${quoted.join(' ')} is not valid`,
              details: { text: `NHS number ${quoted[0]}` },
              expression: ['Patient.birthDate'],
            },
          ],
        },
      },
      100,
    );
    const err = await failure(client.deliver(change(example), { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_REFUSED', retryable: false });
    expect(err.issues).toEqual([{ severity: 'error', code: 'invariant', expression: ['Patient.birthDate'] }]);
    const said = JSON.stringify({ message: err.message, issues: err.issues });
    for (const q of quoted) expect(said).not.toContain(q);
    expect(err.message).toMatch(/^target ehr: .* answered 422$/);
  });

  it('a Bundle the server refuses for its own reasons: refused by name and status, no patient data', async () => {
    const conflicting = { ...example.bundle, entry: [...example.bundle.entry!, example.bundle.entry!.at(-1)!] };
    const err = await failure(target(server).deliver({ ...change(example), bundle: conflicting }, { resources: [] }));
    expect(err).toMatchObject({ code: 'DELIVERY_REFUSED', retryable: false, message: 'target ehr: transaction answered 400' });
    expect(JSON.stringify(err.issues)).not.toContain(example.nhsNumber);
  });
});

describe('Retry-After', () => {
  it('delta-seconds and HTTP dates give the wait from now; anything else none', () => {
    const now = new Date('2026-01-05T09:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), (s) => {
        expect(retryAfterMs(String(s), now)).toBe(s * 1000);
        expect(retryAfterMs(new Date(now.getTime() + s * 1000).toUTCString(), now)).toBe(s * 1000);
      }),
    );
    expect(retryAfterMs(new Date(now.getTime() - 5000).toUTCString(), now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('the circuit breaker', () => {
  it('opens after K deliveries in a row find the target unavailable, without touching the network, then lets one through', async () => {
    const clock = manualClock();
    const client = target(server, {}, { clock, breaker: { failures: 3, coolOffMs: 10_000 } });
    server.misbehave({ status: 500 }, 3);
    for (let i = 0; i < 3; i++) expect(await failure(client.deliver(change(example), { resources: [] }))).toMatchObject({ code: 'DELIVERY_UNAVAILABLE' });
    const sent = server.log.length;
    const open = await failure(client.deliver(change(example), { resources: [] }));
    expect(open).toMatchObject({ code: 'DELIVERY_CIRCUIT_OPEN', retryable: true, retryAfterMs: 10_000 });
    expect(server.log.length).toBe(sent);
    clock.advance(10_000);
    // Half-open: one delivery goes through; another at the same time is held back.
    const probe = client.deliver(change(example), { resources: [] });
    expect(await failure(client.deliver(change(example), { resources: [] }))).toMatchObject({ code: 'DELIVERY_CIRCUIT_OPEN' });
    await expectHeldAsSent(server, example.bundle, await probe);
    await expect(client.deliver(change(example), { resources: [] })).resolves.toBeDefined();
  });

  it('a failed probe opens it again for twice as long, capped; a refusal closes it', () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker('ehr', clock, { failures: 2, coolOffMs: 1000, maxCoolOffMs: 3000 });
    const waits: (number | undefined)[] = [];
    let settle: ((outcome: 'ok' | 'unavailable' | 'answered') => void) | undefined;
    const blocked = (): number | undefined => {
      try {
        settle = breaker.admit();
        return undefined;
      } catch (e) {
        expect(e).toMatchObject({ code: 'DELIVERY_CIRCUIT_OPEN' });
        return (e as DeliveryError).retryAfterMs;
      }
    };
    for (let i = 0; i < 2; i++) breaker.admit()('unavailable');
    for (const coolOff of [1000, 2000, 3000, 3000]) {
      waits.push(blocked());
      expect(breaker.state).toBe('open');
      clock.advance(coolOff);
      expect(blocked()).toBeUndefined();
      expect(breaker.state).toBe('half-open');
      settle!('unavailable');
    }
    expect(waits).toEqual([1000, 2000, 3000, 3000]);
    clock.advance(3000);
    breaker.admit()('answered');
    expect(breaker.state).toBe('closed');
    breaker.admit()('unavailable');
    expect(breaker.state).toBe('closed');
  });

  it('a delivery let through before it opened does not end the probe when it fails late', () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker('ehr', clock, { failures: 1, coolOffMs: 1000 });
    const early = breaker.admit();
    breaker.admit()('unavailable');
    clock.advance(1000);
    const probe = breaker.admit();
    early('unavailable');
    expect(() => breaker.admit()).toThrow(/circuit open/);
    probe('ok');
    expect(breaker.state).toBe('closed');
  });
});
