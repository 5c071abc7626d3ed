/**
 * A FHIR target (PONT_CONFIG `kind: fhir`) as a TargetClient. Each client keeps its own
 * credentials, CapabilityStatement and circuit breaker; nothing is shared between clients.
 * Retrying a failed delivery later is the queue's job: the client only re-sends after a 412
 * (re-read and re-apply) and after a 401 (a fresh token), and says in its DeliveryError whether
 * a retry can help and when.
 */
import type { FhirTargetConfig } from '../../config/sync-config.schema.js';
import { DeliveryError } from '../../errors/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { Change, DeliveryReceipt, TargetClient, TargetMemory } from '../../ports/delivery.js';
import { createAuthenticator, type EnvLookup } from '../auth/auth.js';
import { deliveryMode, parseCapabilities, type TargetCapabilities } from './capabilities.js';
import { type BreakerOptions, createCircuitBreaker } from './circuit-breaker.js';
import { deliverChange, isBundleRefusal } from './deliver-change.js';
import { fhirHttp } from './fhir-http.js';

export interface FhirTargetDeps {
  /** Secrets by the environment variable names the configuration gives. */
  readonly env: EnvLookup;
  readonly clock: Clock;
  /** For an OAuth2 token endpoint; the platform's fetch when left out. */
  readonly fetch?: typeof fetch;
  readonly breaker?: BreakerOptions;
  /** How long a CapabilityStatement is trusted before it is read again. @defaultValue 600000 */
  readonly capabilitiesTtlMs?: number;
}

export function createFhirTarget(config: FhirTargetConfig, deps: FhirTargetDeps): TargetClient {
  const { timeoutMs, maxEntries } = config.limits;
  const auth = createAuthenticator(config.auth, { targetId: config.id, env: deps.env, clock: deps.clock, timeoutMs, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  const httpOptions = { targetId: config.id, baseUrl: config.baseUrl, timeoutMs, auth, clock: deps.clock };
  const http = fhirHttp(httpOptions);
  /** The change's requests carry its correlation id, so the target's logs can be matched with pont's. */
  const httpFor = (change: Change) => (change.requestId === undefined ? http : fhirHttp({ ...httpOptions, headers: { 'x-request-id': change.requestId } }));
  const breaker = createCircuitBreaker(config.id, deps.clock, deps.breaker);
  const ttlMs = deps.capabilitiesTtlMs ?? 600_000;
  let capabilities: { readonly value: TargetCapabilities; readonly until: number } | undefined;
  /** The read of /metadata in flight, which deliveries starting meanwhile wait for instead of reading it again. */
  let reading: Promise<TargetCapabilities> | undefined;

  async function currentCapabilities(fresh: boolean): Promise<TargetCapabilities> {
    if (!fresh && capabilities && deps.clock.now().getTime() < capabilities.until) return capabilities.value;
    reading ??= http
      .metadata()
      .then((statement) => {
        const value = parseCapabilities(statement);
        capabilities = { value, until: deps.clock.now().getTime() + ttlMs };
        return value;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  }

  async function deliver(change: Change, memory: TargetMemory): Promise<DeliveryReceipt> {
    let current = await currentCapabilities(false);
    let mode = deliveryMode(config.mode, current);
    for (let reread = false; ; reread = true) {
      const context = { targetId: config.id, http: httpFor(change), capabilities: current, mode, maxEntries, now: () => deps.clock.now() };
      try {
        return await deliverChange(context, change, memory);
      } catch (err) {
        if (reread || !isBundleRefusal(err)) throw err;
        // Refused for its size or kind: what the target supports may have changed since it was read.
        current = await currentCapabilities(true);
        const next = deliveryMode(config.mode, current);
        if (next === mode) throw err;
        mode = next;
      }
    }
  }

  return {
    targetId: config.id,
    async deliver(change, memory) {
      if (change.targetId !== config.id) throw new Error(`a change for target ${change.targetId} was handed to the client of target ${config.id}`);
      const settle = breaker.admit();
      try {
        const receipt = await deliver(change, memory);
        settle('ok');
        return receipt;
      } catch (err) {
        settle(err instanceof DeliveryError && err.code === 'DELIVERY_UNAVAILABLE' ? 'unavailable' : 'answered');
        throw err;
      }
    },
    async close() {},
  };
}
