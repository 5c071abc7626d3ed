/**
 * An R4 rest-hook subscription's channel as a TargetClient. With a payload, each resource of the
 * change that a CarePlan subscription is about (carePlanResources) is PUT to
 * `[endpoint]/[type]/[id]`; without one, the endpoint gets a POST with an empty body, the R4 signal
 * to come and look. The subscription's headers go with every request (their values are never put
 * in a message). Failures are classified as a FHIR target's are (fhir-target/failures.ts): the
 * queue retries what may succeed later.
 */
import type { Resource } from '@medplum/fhirtypes';
import { DeliveryError } from '../../errors/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { DeliveredResource, DeliveryReceipt, TargetClient } from '../../ports/delivery.js';
import type { StoredSubscription } from '../../ports/subscriptions.js';
import { subscriptionTargetId } from '../../ports/subscriptions.js';
import { deliveryFailure } from '../fhir-target/failures.js';
import { carePlanResources } from './care-plan-resources.js';

export interface RestHookDeps {
  readonly clock: Clock;
  /** One request's time limit. */
  readonly timeoutMs: number;
  /** The platform's fetch when left out. */
  readonly fetch?: typeof fetch;
}

/** The subscription's `Name: value` header lines as request headers. */
function headersOf(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function createRestHookTarget(subscription: StoredSubscription, deps: RestHookDeps): TargetClient {
  const targetId = subscriptionTargetId(subscription.id);
  const endpoint = subscription.endpoint.replace(/\/+$/, '');
  const headers = headersOf(subscription.headers);
  const doFetch = deps.fetch ?? fetch;

  /** Sends one request; answers its response, or throws the DeliveryError for the failure. `what` names it without values. */
  async function send(what: string, url: string, init: { method: string; body?: string; contentType?: string }): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: init.method,
        headers: { ...headers, ...(init.contentType === undefined ? {} : { 'content-type': init.contentType }) },
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: AbortSignal.timeout(deps.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      throw deliveryFailure(err, targetId, what, deps.clock.now());
    }
    if (response.ok) {
      await response.body?.cancel();
      return response;
    }
    const data = await response.json().catch(() => undefined);
    throw deliveryFailure({ response: { status: response.status, data }, config: { headers: response.headers } }, targetId, what, deps.clock.now());
  }

  return {
    targetId,
    async deliver(change) {
      if (change.targetId !== targetId) throw new Error(`a change for target ${change.targetId} was handed to the client of ${targetId}`);
      if (subscription.payload === undefined) {
        await send('POST notification', subscription.endpoint, { method: 'POST' });
        return { mode: 'http', requests: 1, resources: [] } satisfies DeliveryReceipt;
      }
      const resources: Resource[] = carePlanResources(change.bundle);
      if (resources.length === 0) throw new DeliveryError('DELIVERY_UNSUPPORTED', `${targetId}: the change holds no CarePlan to notify`, false);
      const delivered: DeliveredResource[] = [];
      for (const resource of resources) {
        const key = `${resource.resourceType}/${resource.id}`;
        const response = await send(`PUT ${resource.resourceType}`, `${endpoint}/${key}`, {
          method: 'PUT',
          body: JSON.stringify(resource),
          contentType: subscription.payload,
        });
        const versionId = /^(?:W\/)?"([^"]+)"$/.exec(response.headers.get('etag') ?? '')?.[1];
        delivered.push({ key, resourceType: resource.resourceType, id: resource.id!, ...(versionId === undefined ? {} : { versionId }) });
      }
      return { mode: 'http', requests: resources.length, resources: delivered };
    },
    async close() {},
  };
}
