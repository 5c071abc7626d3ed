/**
 * The API app (createApp) for tests that exercise the HTTP edge alone: every dependency a test
 * does not give is one that fails loudly if used, so a test cannot pass by touching what it did
 * not set up.
 */
import { Registry } from 'prom-client';
import { type AppDeps, createApp } from '../../src/http/app.js';
import { silentLogger } from '../../src/log/logger.js';
import { fixedClock } from '../../src/ports/clock.js';
import { uncountedMetrics } from '../../src/ports/metrics.js';
import { FIXED_NOW } from './runtime.js';

const unused = (what: string) => () => {
  throw new Error(`${what} is not set up in this test`);
};

/** A port every method of which fails loudly. */
const unusedPort = <T>(what: string): T => new Proxy({}, { get: (_target, method) => unused(`${what} (${String(method)})`) }) as T;

export function testAppDeps(given: Partial<AppDeps>): AppDeps {
  const clock = fixedClock(FIXED_NOW);
  return {
    access: { kind: 'local-open' },
    ingest: { ingest: unused('ingest'), history: unused('message history'), formats: ['ctp'], maxBytes: 1 << 20 },
    operations: {
      formats: ['ctp'],
      maxBytes: 1 << 20,
      clock,
      checkJson: unused('$check'),
      measures: new Map(),
      evaluate: unused('$evaluate-measure'),
      patient: unused('the Patient reader'),
    },
    bulk: { jobs: unusedPort('the export jobs'), reader: unusedPort('the export reader') },
    resources: { read: unused('read'), vread: unused('vread'), history: unused('history'), search: unused('search'), stream: unused('stream') },
    subscriptions: {
      subscriptions: unusedPort('the subscription store'),
      clock,
    },
    deadLetters: { messages: unusedPort('the message store'), clock },
    audit: { record: async () => {}, search: unused('audit search') },
    log: silentLogger(),
    metrics: uncountedMetrics(),
    registry: new Registry(),
    probes: {},
    clock,
    version: 'test',
    site: 'test',
    requestTimeoutMs: 30_000,
    ingestTimeoutMs: 30_000,
    rateLimit: { windowMs: 60_000, limit: 10_000 },
    ...given,
  };
}

export const testApp = (given: Partial<AppDeps>) => createApp(testAppDeps(given));
