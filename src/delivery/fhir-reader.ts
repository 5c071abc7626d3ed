/**
 * The FhirReader port (src/ports/fhir-reader.ts) over fhir-kit-client: how pont reads a FHIR
 * source it pulls from. Authentication comes in as a function giving the request's headers, so
 * the same token handling serves sources and targets.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { PullError } from '../errors/errors.js';
import type { FhirReader } from '../ports/fhir-reader.js';

export interface FhirReaderOptions {
  readonly sourceId: string;
  readonly baseUrl: string;
  readonly headers?: () => Promise<Readonly<Record<string, string>>>;
  readonly timeoutMs?: number;
}

export function fhirReader(options: FhirReaderOptions): FhirReader {
  const client = new Client({ baseUrl: options.baseUrl });
  const base = options.baseUrl.replace(/\/+$/, '');
  const get = async (url: string): Promise<unknown> => {
    const headers = { ...((await options.headers?.()) ?? {}) };
    try {
      return await client.request(url.startsWith(`${base}/`) ? url.slice(base.length + 1) : url, {
        options: { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) },
      });
    } catch (err) {
      throw classify(options.sourceId, err);
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

/** fhir-kit-client throws `{ response: { status } }` for HTTP errors, and the fetch error otherwise. */
function classify(sourceId: string, err: unknown): PullError {
  const status = (err as { response?: { status?: unknown } })?.response?.status;
  if (typeof status === 'number') {
    const retryable = status >= 500 || status === 429 || status === 408;
    return new PullError(retryable ? 'PULL_UNAVAILABLE' : 'PULL_REFUSED', `source ${sourceId} answered HTTP ${status}`, retryable, { cause: err });
  }
  const code = (err as { cause?: { code?: unknown }; name?: unknown })?.cause?.code ?? (err as { name?: unknown })?.name;
  return new PullError('PULL_UNAVAILABLE', `source ${sourceId} did not answer (${typeof code === 'string' ? code : 'network error'})`, true, { cause: err });
}
