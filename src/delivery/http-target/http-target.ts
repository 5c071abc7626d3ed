/**
 * A target of kind http (PONT_CONFIG): an EPR that takes its own format rather than FHIR. Each
 * change is the person's canonical record written in that format (document-writer.ts) and POSTed
 * whole to the configured URL: the endpoint imports a client's document, replacing what it held
 * for that client, so a POST names no resource of the target's and needs none of its ids. It
 * carries an Idempotency-Key derived from the record version, the target and the body, so a
 * retry of the same delivery is recognisable as one (the ledger already never sends an older
 * version after a newer one). Failures are classified as for a FHIR target (failures.ts) and
 * count towards the target's own circuit breaker; retrying later is the queue's job.
 */
import { DeliveryError } from '../../errors/errors.js';
import { deterministicUuid } from '../../fhir/ids.js';
import type { Clock } from '../../ports/clock.js';
import type { Change, DeliveryReceipt, TargetClient } from '../../ports/delivery.js';
import { createAuthenticator, type EnvLookup } from '../auth/auth.js';
import { type BreakerOptions, createCircuitBreaker } from '../fhir-target/circuit-breaker.js';
import { deliveryFailure } from '../fhir-target/failures.js';
import type { DocumentWriter, HttpTargetConfig } from './document-writer.js';

export interface HttpTargetDeps {
  /** Secrets by the environment variable names the configuration gives. */
  readonly env: EnvLookup;
  readonly clock: Clock;
  /** Writes the record in the target's format (documentWriter). */
  readonly writer: DocumentWriter;
  /** For the target and an OAuth2 token endpoint; the platform's fetch when left out. */
  readonly fetch?: typeof fetch;
  readonly breaker?: BreakerOptions;
}

/** The most of a refusal's body read, to find an OperationOutcome's issue codes in it. */
const MAX_ANSWER_BYTES = 64 * 1024;

export function createHttpTarget(config: HttpTargetConfig, deps: HttpTargetDeps): TargetClient {
  const { timeoutMs } = config.limits;
  const send = deps.fetch ?? fetch;
  const auth = createAuthenticator(config.auth, { targetId: config.id, env: deps.env, clock: deps.clock, timeoutMs, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  const breaker = createCircuitBreaker(config.id, deps.clock, deps.breaker);
  const what = `POST ${deps.writer.format}`;

  /** Sends the document, once more with a fresh token after a 401; returns the number of requests made. */
  async function post(body: string, idempotencyKey: string): Promise<number> {
    for (let requests = 1; ; requests++) {
      const authorization = await auth.authorization();
      let response: Response;
      try {
        response = await send(config.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, ...(authorization ? { authorization } : {}) },
          body,
          // A redirected POST would arrive as a GET: a redirect is the target's answer, not a place to follow.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw deliveryFailure(err, config.id, what, deps.clock.now());
      }
      if (response.ok) {
        await response.body?.cancel();
        return requests;
      }
      if (response.status === 401 && requests === 1 && auth.renew()) {
        await response.body?.cancel();
        continue;
      }
      const failure = { response: { status: response.status, data: await answerOf(response) }, config: { headers: response.headers } };
      throw deliveryFailure(failure, config.id, what, deps.clock.now());
    }
  }

  return {
    targetId: config.id,
    needsRecord: true,
    async deliver(change: Change): Promise<DeliveryReceipt> {
      if (change.targetId !== config.id) throw new Error(`a change for target ${change.targetId} was handed to the client of target ${config.id}`);
      if (change.record === undefined) throw new Error(`a change for target ${config.id} came without its record`);
      // Written before the breaker is asked: a record the format cannot hold says nothing about the target.
      const { body, leftOut } = deps.writer.write(change.record);
      const settle = breaker.admit();
      try {
        const requests = await post(body, idempotencyKey(config.id, change.recordVersionId, body));
        settle('ok');
        return { mode: 'http', requests, resources: [], ...(leftOut.length > 0 ? { leftOut } : {}) };
      } catch (err) {
        settle(err instanceof DeliveryError && err.code === 'DELIVERY_UNAVAILABLE' ? 'unavailable' : 'answered');
        throw err;
      }
    },
    async close() {},
  };
}

/**
 * The same for every attempt of one delivery, different for another record version or target.
 * The body is part of it: a store's version ids start again in a new database, and a new
 * mapping version writes the same version differently, and neither may pass for a retry.
 */
export function idempotencyKey(targetId: string, recordVersionId: string, body: string): string {
  return deterministicUuid(`pont http delivery|${targetId}|${recordVersionId}|${body}`);
}

/** A refusal's body when it is JSON (an OperationOutcome, maybe), read up to a limit; undefined otherwise. */
async function answerOf(response: Response): Promise<unknown> {
  const length = Number(response.headers.get('content-length') ?? 0);
  if (!/\bjson\b/i.test(response.headers.get('content-type') ?? '') || length > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    return undefined;
  }
  try {
    const text = await response.text();
    return text.length > MAX_ANSWER_BYTES ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
