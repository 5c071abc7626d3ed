/**
 * Faults a real FHIR server does not produce on demand, injected with nock in front of one
 * (test/helpers/fhir-server.ts): a request that is never answered, a connection reset before the
 * answer or in the middle of it, and an answer lost after the server did the work. Every request
 * nock is not told to spoil goes through to the real server (`allowUnmocked`).
 *
 * nock changes globals (fetch, http) for the whole test process, and vitest runs test files one
 * after another in a shared process (isolate: false): a file using this calls `useNock()` once,
 * which activates nock for the file and restores the network as it found it afterwards.
 */
import { Readable } from 'node:stream';
import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** What goes wrong with one request. */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Record<string, string> }
  /** The connection is reset before any answer. */
  | { readonly kind: 'reset' }
  /** The answer is never sent: only the client's own time limit ends the wait. */
  | { readonly kind: 'silence' }
  /** A 200 whose body breaks off: with its length stated (the body is short), or without (truncated JSON). */
  | { readonly kind: 'cut'; readonly withLength: boolean }
  /** The server does the work (the request goes through), then the connection is reset mid-answer. */
  | { readonly kind: 'lost-answer' };

/** Which request a fault hits: its method, and a pattern for its path with the query (a RegExp, which nock matches against both). */
export interface Step {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: RegExp;
}

export const STEPS = {
  metadata: { method: 'GET', path: /\/metadata$/ },
  search: { method: 'GET', path: /\/[A-Z]\w+\?/ },
  read: { method: 'GET', path: /\/[A-Z]\w+\/[^/?]+$/ },
  put: { method: 'PUT', path: /./ },
  delete: { method: 'DELETE', path: /./ },
  transaction: { method: 'POST', path: /\/fhir\/?$/ },
} as const satisfies Record<string, Step>;

export function useNock(): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
    // The real FHIR servers listen there; every other host is nock's alone.
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });
}

/** The next request of `step` to `baseUrl`'s host gets `fault`; the rest go through. */
export function inject(baseUrl: string, step: Step, fault: Fault): nock.Scope {
  const scope = nock(new URL(baseUrl).origin, { allowUnmocked: true });
  const interceptor = scope.intercept(step.path, step.method);
  switch (fault.kind) {
    case 'status':
      return interceptor.reply(fault.status, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] }, fault.headers);
    case 'reset':
      return interceptor.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    case 'silence':
      return interceptor.reply(() => new Promise<never>(() => {}));
    case 'cut':
      return interceptor.reply(200, () => brokenBody(), fault.withLength ? { 'Content-Length': '4096' } : {});
    case 'lost-answer':
      return interceptor.reply(async (request: Request) => {
        // Through to the real server (this interceptor is used up, so nock lets it pass), then lost.
        const answer = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.method === 'GET' ? {} : { body: await request.text() }),
        });
        await answer.arrayBuffer();
        return [200, brokenBody(), { 'Content-Length': '4096' }];
      });
  }
}

/** The start of a FHIR resource, then the connection reset. */
function brokenBody(): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (sent) this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      else this.push('{"resourceType":"Bun');
      sent = true;
    },
  });
}
