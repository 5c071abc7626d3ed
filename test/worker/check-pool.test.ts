/**
 * The check pool: messages checked in worker threads give exactly what the core gives in the
 * calling thread (the sync stores what comes back), and faults keep their code across threads.
 */
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckOptions } from '../../src/app/check.js';
import { checkRunJson } from '../../src/app/check-json.js';
import type { SourceInput } from '../../src/app/inputs.js';
import { inThreadCheck } from '../../src/app/message-check.js';
import { EngineError, InputError, PontError } from '../../src/errors/errors.js';
import { fixedClock } from '../../src/ports/clock.js';
import { type CheckPool, startCheckPool } from '../../src/worker-pool/check-pool.js';
import { receiveError, sendError } from '../../src/worker-pool/thread-error.js';
import { ctpRecord } from '../helpers/arbitraries.js';
import { pontBuild } from '../helpers/build.js';
import { exampleFiles, FIXED_NOW, ROOT, testRuntime } from '../helpers/runtime.js';

const INGEST: CheckOptions = { compliance: false };
const PROCESS: CheckOptions = { asOf: 'extracted' };
/** The threads' module from this run's build of the sources: a thread from the sources loads them through tsx. */
const builtThread = async () => pathToFileURL((await pontBuild()).file('src/worker-pool/check-thread.ts'));

describe('the check pool', () => {
  let pool: CheckPool;
  const inThread = inThreadCheck(testRuntime().check);

  beforeAll(async () => {
    pool = await startCheckPool({ threads: 2, configDir: ROOT, clock: fixedClock(FIXED_NOW), threadEntry: await builtThread() });
  }, 120_000);
  afterAll(async () => {
    await pool?.close();
  });

  it('reads the formats the core reads', () => {
    expect(pool.sources).toEqual(testRuntime().sources);
  });

  it('gives what the core gives in this thread, for every example and a broken one, asked all at once', async () => {
    const inputs: SourceInput[] = [
      ...exampleFiles().map((e) => ({ origin: e.path, source: e.source, text: e.text })),
      { origin: 'broken.json', source: 'ctp', text: '{"schemaVersion":"1","source":{}}' },
      { origin: 'cut.json', source: 'ctp', text: '{"schemaVersion": ' },
    ];
    const asked = inputs.flatMap((input) => [INGEST, PROCESS].map((options) => ({ input, options })));
    const threaded = await Promise.all(asked.map(({ input, options }) => pool.check(input, options)));
    const here = await Promise.all(asked.map(({ input, options }) => inThread(input, options)));
    expect(threaded).toEqual(here);
    // Not vacuous: records were stored with findings, and the broken inputs were refused.
    expect(here.some((c) => c.records.some((r) => (r.outcome?.evaluation?.findings.length ?? 0) > 0))).toBe(true);
    expect(here.filter((c) => c.records.every((r) => r.errors.length > 0)).length).toBeGreaterThanOrEqual(4);
  });

  it('gives the JSON form of a check, as `pont check --format json` makes it in this thread', async () => {
    const inputs: SourceInput[] = exampleFiles().map((e) => ({ origin: e.path, source: e.source, text: e.text }));
    const options: CheckOptions = { asOf: '2026-01-05' };
    const threaded = await Promise.all(inputs.map((input) => pool.checkJson(input, options)));
    const here = inputs.map((input) => checkRunJson(testRuntime().check([input], options)));
    expect(threaded).toEqual(here);
    expect(here.flat().some((r) => r.bundle !== null && (r.compliance?.findings.length ?? 0) > 0)).toBe(true);
  });

  it('gives what the core gives in this thread for generated records', async () => {
    await fc.assert(
      fc.asyncProperty(ctpRecord(), async (record) => {
        const input: SourceInput = { origin: 'generated', source: 'ctp', text: JSON.stringify(record) };
        expect(await pool.check(input, PROCESS)).toEqual(await inThread(input, PROCESS));
      }),
      { numRuns: 10 },
    );
  });

  it('refuses to start on a configuration folder the core cannot load, naming the fault', async () => {
    const error = await startCheckPool({ threads: 1, configDir: '/nonexistent/pont', clock: fixedClock(FIXED_NOW), threadEntry: await builtThread() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PontError);
    expect((error as PontError).stage).toBe('startup');
  });
});

describe('a check thread that stops dead', () => {
  it('fails the message it was checking, and is replaced for the next', async () => {
    const pool = await startCheckPool({ threads: 1, configDir: ROOT, clock: fixedClock(FIXED_NOW), threadEntry: new URL('./fixtures/dying-thread.ts', import.meta.url) });
    try {
      const input = (text: string): SourceInput => ({ origin: 'm', source: 'ctp', text });
      const [died, waited] = await Promise.allSettled([pool.check(input('die')), pool.check(input('fine'))]);
      expect(died).toMatchObject({ status: 'rejected', reason: { name: 'CheckThreadStopped' } });
      expect(waited).toEqual({ status: 'fulfilled', value: { records: [] } });
    } finally {
      await pool.close();
    }
    await expect(pool.check({ origin: 'm', source: 'ctp', text: 'fine' })).rejects.toThrow('the check pool is closed');
  });
});

describe('errors across threads', () => {
  it('keep a PontError’s name, code, stage, retry verdict and issues', () => {
    for (const original of [new EngineError('RULE_FAILED', 'compliance', 'rule CoP-P2-99 failed'), new InputError('INPUT_NOT_JSON', 'message 1: not valid JSON')]) {
      const back = receiveError(structuredClone(sendError(original)));
      expect(back).toBeInstanceOf(PontError);
      const { name, code, stage, retryable, message, issues } = back as PontError;
      expect({ name, code, stage, retryable, message, issues }).toEqual({
        name: original.name,
        code: original.code,
        stage: original.stage,
        retryable: original.retryable,
        message: original.message,
        issues: original.issues,
      });
    }
  });

  it('carry only the class name of any other error, whose text may quote the input', () => {
    const back = receiveError(structuredClone(sendError(new SyntaxError('Unexpected token in "Siân Pritchard"'))));
    expect(back).not.toBeInstanceOf(PontError);
    expect(back.name).toBe('SyntaxError');
    expect(back.message).not.toContain('Siân');
  });
});
