/**
 * `GET /healthz`: the process is up and answering (no dependency is asked). `GET /readyz`: it can
 * do its work now: every probe (Redis PING, a store query) answers within the time limit; else
 * 503 with an OperationOutcome naming each dependency that is down.
 */
import { Router } from 'express';
import type { Log } from '../../ports/log.js';
import { operationOutcome } from '../outcome.js';
import { logOf } from './request-context.js';

/** Each throws (or never settles) when its dependency is down. */
export type Probes = Readonly<Record<string, () => Promise<void>>>;

export interface HealthOptions {
  readonly probes: Probes;
  /** How long a probe may take before its dependency counts as down. @defaultValue 2000 */
  readonly timeoutMs?: number;
  readonly log: Log;
}

const FHIR_JSON = 'application/fhir+json';

export function healthRoutes(options: HealthOptions): Router {
  const router = Router();
  const timeoutMs = options.timeoutMs ?? 2000;

  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'up' });
  });

  router.get('/readyz', async (_req, res) => {
    const names = Object.keys(options.probes);
    const results = await Promise.all(names.map((name) => withinTime(options.probes[name]!(), timeoutMs)));
    const down = names.filter((_, i) => results[i] !== 'up');
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i] === 'up' ? 'up' : 'down']));
    res.set('Cache-Control', 'no-store');
    if (down.length === 0) return void res.json({ status: 'ready', checks });
    logOf(res, options.log).warn({ down, reasons: down.map((n) => results[names.indexOf(n)]) }, 'not ready');
    res
      .status(503)
      .set('Retry-After', '5')
      .type(FHIR_JSON)
      .json(operationOutcome(down.map((name) => ({ severity: 'error', code: 'transient', diagnostics: `${name} is down (${results[names.indexOf(name)]})` }))));
  });
  return router;
}

/** `up`, or why not (`timeout`, or the error's code or class): never an error's text. */
async function withinTime(probe: Promise<void>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([probe.then(() => 'up'), late]);
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    return typeof code === 'string' ? code : err instanceof Error ? err.name : 'error';
  } finally {
    clearTimeout(timer);
  }
}
