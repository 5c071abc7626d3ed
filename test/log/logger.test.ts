/** The logger cuts patient data wherever a caller puts it, and prints errors by class and code. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryError, InputError } from '../../src/errors/errors.js';
import { CONTENT_KEYS, IDENTIFYING_KEYS, logLevelFrom, serializeError } from '../../src/log/logger.js';
import { capturedLog } from '../helpers/captured-log.js';

/** A value no log line would hold by chance. */
const SECRET = 'Zq7SECRETzq7';

describe('the logger', () => {
  it('never prints a value under an identifying or content key, at the top level or nested up to two levels (also in arrays)', () => {
    const key = fc.constantFrom(...IDENTIFYING_KEYS, ...CONTENT_KEYS);
    const value = fc.oneof(fc.constant(SECRET), fc.constant([SECRET, 'x']), fc.constant({ given: [SECRET], family: SECRET }), fc.constant(new TextEncoder().encode(SECRET)));
    const placed = fc.tuple(key, value, fc.constantFrom('top', 'one', 'two', 'array')).map(([k, v, where]) => {
      const leaf = { [k]: v };
      if (where === 'top') return leaf;
      if (where === 'one') return { outer: leaf };
      if (where === 'two') return { outer: { inner: leaf } };
      return { list: [leaf, leaf] };
    });
    fc.assert(
      fc.property(placed, fc.constantFrom('info', 'warn', 'error'), (fields, level) => {
        const captured = capturedLog();
        captured.log[level as 'info']({ messageId: 'm-1', ...fields }, 'something happened');
        const text = captured.text();
        expect(text).toContain('m-1');
        expect(text).not.toContain(SECRET);
        // A Uint8Array's bytes would print as numbers: check those too.
        expect(text).not.toContain(`${SECRET.charCodeAt(1)},${SECRET.charCodeAt(2)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('summarises content by its shape: a Bundle by its entries, a payload by its size', () => {
    const captured = capturedLog();
    captured.log.info({ bundle: { resourceType: 'Bundle', entry: [{}, {}, {}] }, payload: new Uint8Array(12), records: [{}, {}] }, 'sent');
    expect(captured.lines()[0]).toMatchObject({ bundle: { resourceType: 'Bundle', entries: 3 }, payload: { bytes: 12 }, records: { items: 2 } });
  });

  it('keeps the ids, stages, codes and counts it is given, and a child carries its bindings on every line', () => {
    const captured = capturedLog();
    const child = captured.log.child({ requestId: 'req-1', jobId: 'job-1' });
    child.info({ messageId: 'm-1', stage: 'processed', records: 2 }, 'message processed');
    child.warn({ deliveryId: '7', targetId: 'hb-a', code: 'DELIVERY_REFUSED' }, 'delivery failed');
    expect(captured.lines()).toMatchObject([
      { requestId: 'req-1', jobId: 'job-1', messageId: 'm-1', stage: 'processed', records: 2, msg: 'message processed' },
      { requestId: 'req-1', jobId: 'job-1', deliveryId: '7', targetId: 'hb-a', code: 'DELIVERY_REFUSED' },
    ]);
  });

  it("prints pont's own errors with their code and message, and only the class of anyone else's (whose text may quote data)", () => {
    const captured = capturedLog();
    const driver = Object.assign(new Error(`duplicate key value violates unique constraint: (nhs)=(${SECRET})`), { code: '23505' });
    captured.log.error({ err: driver }, 'store failed');
    captured.log.error({ err: new DeliveryError('DELIVERY_REFUSED', 'target hb-a: PUT Patient answered 422', false, undefined, { cause: driver }) }, 'refused');
    const [first, second] = captured.lines() as { err: Record<string, unknown> }[];
    expect(first!.err).toMatchObject({ type: 'Error', code: '23505' });
    expect(first!.err.message).toBeUndefined();
    expect(second!.err).toMatchObject({
      type: 'DeliveryError',
      code: 'DELIVERY_REFUSED',
      message: 'target hb-a: PUT Patient answered 422',
      cause: { type: 'Error', code: '23505' },
    });
    expect(captured.text()).not.toContain(SECRET);
    expect(serializeError(new InputError('INPUT_NOT_JSON', 'message m-1 is not valid JSON'))).toMatchObject({ stage: 'input', retryable: false });
    expect(serializeError('a string thrown')).toEqual({ type: 'string' });
  });

  it('takes LOG_LEVEL when it is a level, else info', () => {
    expect(logLevelFrom('debug')).toBe('debug');
    expect(logLevelFrom(' WARN ')).toBe('warn');
    expect(logLevelFrom('loud')).toBe('info');
    expect(logLevelFrom(undefined)).toBe('info');
  });
});
