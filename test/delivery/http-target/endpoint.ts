/**
 * A small real HTTP endpoint on 127.0.0.1 (express, port 0) standing in for an EPR that imports
 * its own format: it records every request it receives and answers as the test says (202 by
 * default). Also serves an OAuth2 token endpoint at /token.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** How the endpoint answers one import request; the default accepts it. */
export type Answer = (request: Received, response: Response) => void;

export interface TestEndpoint {
  /** The import URL. */
  readonly url: string;
  readonly tokenUrl: string;
  /** Import requests, in the order they came. */
  readonly received: Received[];
  /** Tokens handed out by /token, in order. */
  readonly tokens: string[];
  /** Answers the next requests with these, in turn, then accepts again. */
  answer(...answers: Answer[]): void;
  clear(): void;
  stop(): Promise<void>;
}

export const accept: Answer = (_req, res) => void res.status(202).json({ accepted: true });

export async function startEndpoint(): Promise<TestEndpoint> {
  const received: Received[] = [];
  const tokens: string[] = [];
  let queue: Answer[] = [];
  const app = express();
  app.post('/token', express.urlencoded({ extended: false }), (_req, res) => {
    const token = `token-${tokens.length + 1}`;
    tokens.push(token);
    res.json({ access_token: token, token_type: 'Bearer', expires_in: 3600 });
  });
  app.post('/import', express.text({ type: () => true, limit: '10mb' }), (req: Request, res: Response) => {
    const request: Received = { method: req.method, path: req.path, headers: { ...req.headers }, body: typeof req.body === 'string' ? req.body : '' };
    received.push(request);
    (queue.shift() ?? accept)(request, res);
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/import`,
    tokenUrl: `http://127.0.0.1:${port}/token`,
    received,
    tokens,
    answer: (...answers) => void (queue = [...queue, ...answers]),
    clear: () => {
      received.splice(0);
      tokens.splice(0);
      queue = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
