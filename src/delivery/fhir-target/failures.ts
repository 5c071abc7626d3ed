/**
 * What a FHIR target's refusal or silence means for delivery. fhir-kit-client throws
 * `{ response: { status, data }, config: { headers } }` for an HTTP error and lets fetch's own
 * errors through for a request that got no answer. The target's OperationOutcome may quote the
 * data it refused, so only each issue's severity, code and expression are kept.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { DeliveryError } from '../../errors/errors.js';
import { networkCode } from '../auth/network-code.js';

interface HttpFailure {
  readonly response: { readonly status: number; readonly data?: unknown };
  readonly config?: { readonly headers?: Headers };
}

export function isHttpFailure(err: unknown): err is HttpFailure {
  return typeof (err as HttpFailure | undefined)?.response?.status === 'number';
}

/** A request that got no answer: fetch's TypeError, or an abort by the time limit. */
function isNetworkFailure(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError' || (err instanceof TypeError && err.message === 'fetch failed'));
}

/** An answer whose body broke off: undici's TypeError `terminated` while the body was read (the connection reset mid-answer). */
export function isCutOff(err: unknown): boolean {
  return err instanceof TypeError && err.message === 'terminated';
}

/**
 * fhir-kit-client throws an HTTP failure with the answer's own status when the body is not JSON,
 * so a 2xx among failures is an answer cut short or garbled on the way (a body without a length
 * that broke off reads as truncated JSON): the request may have taken effect, and asking again is
 * what helps, as for a reset.
 */
export function isUnreadableSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export function statusOf(err: unknown): number | undefined {
  return isHttpFailure(err) ? err.response.status : undefined;
}

/**
 * The DeliveryError for a failed request to a target. `what` names the request without any of
 * its values (`PUT Patient`, `transaction`). Anything else (a fault of pont's own) is returned as
 * it is, never disguised as the target's answer.
 */
export function deliveryFailure(err: unknown, targetId: string, what: string, now: Date): unknown {
  if (err instanceof DeliveryError) return err;
  if (isNetworkFailure(err)) {
    return new DeliveryError('DELIVERY_UNAVAILABLE', `target ${targetId}: ${what} got no answer (${networkCode(err)})`, true, undefined, { cause: err });
  }
  if (isCutOff(err)) {
    return new DeliveryError('DELIVERY_UNAVAILABLE', `target ${targetId}: ${what} was cut off mid-answer (${networkCode(err)})`, true, undefined, { cause: err });
  }
  if (!isHttpFailure(err)) return err;
  const { status } = err.response;
  if (isUnreadableSuccess(status)) {
    return new DeliveryError('DELIVERY_UNAVAILABLE', `target ${targetId}: ${what} answered ${status} with a body that is not JSON (cut short?)`, true, undefined, {
      cause: err,
    });
  }
  const message = `target ${targetId}: ${what} answered ${status}`;
  const issues = safeIssues(err.response.data);
  const options = issues.length > 0 ? { issues } : {};
  // Retry-After comes with a 429, and may with a 503 (RFC 9110 §10.2.3).
  if (status === 429 || status === 503) return new DeliveryError('DELIVERY_UNAVAILABLE', message, true, retryAfterMs(err.config?.headers?.get('retry-after'), now), options);
  if (status >= 500 || status === 408) return new DeliveryError('DELIVERY_UNAVAILABLE', message, true, undefined, options);
  if (status === 412) return new DeliveryError('DELIVERY_CONFLICT', message, true, undefined, options);
  return new DeliveryError('DELIVERY_REFUSED', message, false, undefined, options);
}

/** An OperationOutcome's issues reduced to what cannot quote patient data. */
export function safeIssues(data: unknown): OperationOutcomeIssue[] {
  const issues = (data as { resourceType?: unknown; issue?: unknown } | undefined)?.resourceType === 'OperationOutcome' ? (data as { issue?: unknown }).issue : undefined;
  if (!Array.isArray(issues)) return [];
  return issues.map((i: Partial<OperationOutcomeIssue>) => ({
    severity: i.severity ?? 'error',
    code: i.code ?? 'processing',
    ...(Array.isArray(i.expression) ? { expression: i.expression.filter((e) => typeof e === 'string') } : {}),
  }));
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
