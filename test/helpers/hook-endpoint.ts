/**
 * A rest-hook endpoint for tests: express on 127.0.0.1 (a port the system picks) that records
 * every request it gets and answers 200, or what it is told to answer next.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface HookRequest {
  readonly method: string;
  /** Relative to the endpoint's base, e.g. `/CarePlan/1`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as text ('' when none). */
  readonly body: string;
}

export interface HookEndpoint {
  /** The endpoint's URL, to give as channel.endpoint. */
  readonly url: string;
  readonly requests: HookRequest[];
  /** The next `times` requests are answered with this status (and headers). */
  answer(status: number, times?: number, headers?: Record<string, string>): void;
  stop(): Promise<void>;
}

export async function startHookEndpoint(): Promise<HookEndpoint> {
  const requests: HookRequest[] = [];
  const answers: { status: number; headers: Record<string, string> }[] = [];
  const app = express();
  app.use(express.text({ type: () => true, limit: '10mb' }));
  app.use((req, res) => {
    requests.push({ method: req.method, path: req.path.replace(/^\/hook/, ''), headers: req.headers, body: typeof req.body === 'string' ? req.body : '' });
    const answer = answers.shift() ?? { status: 200, headers: { ETag: 'W/"1"' } };
    res.status(answer.status).set(answer.headers).end();
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    answer(status, times = 1, headers = {}) {
      for (let i = 0; i < times; i++) answers.push({ status, headers });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
