/**
 * The FhirReader port (src/ports/fhir-reader.ts) over fhir-kit-client: how pont reads a FHIR
 * source it pulls from. Authentication comes in as a function giving the request's headers, so
 * the same token handling serves sources and targets.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { PontError, PullError } from '../errors/errors.js';
import type { FhirReader } from '../ports/fhir-reader.js';
import { networkCode } from './auth/network-code.js';
import { isCutOff, isHttpFailure, isUnreadableSuccess, retryAfterMs } from './fhir-target/failures.js';

export interface FhirReaderOptions {
  readonly sourceId: string;
  readonly baseUrl: string;
  readonly headers?: () => Promise<Readonly<Record<string, string>>>;
  readonly timeoutMs?: number;
  /** The time a Retry-After date is measured from. @defaultValue the system clock */
  readonly now?: () => Date;
}

export function fhirReader(options: FhirReaderOptions): FhirReader {
  const client = new Client({ baseUrl: options.baseUrl });
  const base = options.baseUrl.replace(/\/+$/, '');
  const get = async (url: string): Promise<unknown> => {
    try {
      const headers = { ...((await options.headers?.()) ?? {}) };
      return await client.request(url.startsWith(`${base}/`) ? url.slice(base.length + 1) : url, {
        options: { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) },
      });
    } catch (err) {
      throw classify(options.sourceId, err, options.now?.() ?? new Date());
    }
  };
  return {
    async search(pathOrUrl) {
      if (/^https?:/.test(pathOrUrl) && !pathOrUrl.startsWith(`${base}/`)) {
        throw new PullError('PULL_REFUSED', `source ${options.sourceId} gave a next link outside its base URL`, false);
      }
      const page = (await get(pathOrUrl)) as Bundle;
      if (page?.resourceType !== 'Bundle') throw new PullError('PULL_REFUSED', `source ${options.sourceId} answered a search with something other than a Bundle`, false);
      return page;
    },
    async read(resourceType, id) {
      try {
        return (await get(`${resourceType}/${encodeURIComponent(id)}`)) as Resource;
      } catch (err) {
        if (err instanceof PullError && /\b(404|410)\b/.test(err.message)) return undefined;
        throw err;
      }
    },
  };
}

/**
 * fhir-kit-client throws `{ response: { status } }` for HTTP errors (with the answer's own 2xx
 * status when its body is not JSON: cut short), and the fetch error otherwise. A failure of the
 * source's credentials (the token endpoint) is the source's too, and keeps its verdict.
 */
function classify(sourceId: string, err: unknown, now: Date): PullError {
  if (err instanceof PontError) return new PullError(err.retryable ? 'PULL_UNAVAILABLE' : 'PULL_REFUSED', `source ${sourceId}: ${err.message}`, err.retryable, { cause: err });
  if (isHttpFailure(err)) {
    const { status } = err.response;
    const retryable = status >= 500 || status === 429 || status === 408 || isUnreadableSuccess(status);
    const retryAfter = status === 429 || status === 503 ? retryAfterMs(err.config?.headers?.get('retry-after'), now) : undefined;
    return new PullError(retryable ? 'PULL_UNAVAILABLE' : 'PULL_REFUSED', `source ${sourceId} answered HTTP ${status}`, retryable, { cause: err, retryAfterMs: retryAfter });
  }
  const how = isCutOff(err) ? 'was cut off mid-answer' : 'did not answer';
  return new PullError('PULL_UNAVAILABLE', `source ${sourceId} ${how} (${networkCode(err)})`, true, { cause: err });
}
