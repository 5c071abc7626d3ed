import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileJsonClosures } from '../../src/fhirpath/closures.js';
import { compileExpression } from '../../src/fhirpath/compile.js';
import { ExpressionFault, type ExpressionFunctions } from '../../src/fhirpath/types.js';

/** A caller function that reports which run it was given, and one that fails as callers' functions may. */
const functions: ExpressionFunctions = {
  runName: { fn: (run, inputs) => inputs.map((v) => `${(run as { name: string }).name}:${String(v)}`), arity: { 0: [] } },
  refuse: {
    fn: () => {
      throw new SyntheticCallerError();
    },
    arity: { 0: [] },
  },
};

class SyntheticCallerError extends Error {}

// The same call through each of the three evaluators: a path then calls, the closures, fhirpath.js.
const viaPathThenCalls = 'items.code.runName()';
const viaClosures = 'items.where(code.exists()).code.runName()';
const viaFhirpathJs = "items.code.runName().select($this + '')";

describe('compileExpression', () => {
  it('takes the three routes the tests below rely on', () => {
    expect(compileJsonClosures(viaClosures, functions)).toBeDefined();
    expect(compileJsonClosures(viaFhirpathJs, functions)).toBeUndefined();
  });

  it('gives the caller’s functions the run state of the evaluation that called them, on every route', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,5}$/), { maxLength: 4 }), fc.stringMatching(/^[a-z]{1,6}$/), (codes, name) => {
        const input = { items: codes.map((code) => ({ code })) };
        for (const expression of [viaPathThenCalls, viaClosures, viaFhirpathJs]) {
          const compiled = compileExpression(expression, functions);
          expect(compiled(input, {}, { name }), expression).toEqual(codes.map((c) => `${name}:${c}`));
        }
      }),
      { numRuns: 50 },
    );
  });

  it('lets errors of the caller’s functions through unchanged, evaluated once', () => {
    for (const expression of ['items.refuse()', "items.where(code = 'a').refuse()"]) {
      const compiled = compileExpression(expression, functions);
      expect(() => compiled({ items: [{ code: 'a' }] }, {}), expression).toThrow(SyntheticCallerError);
    }
  });

  it('reports a fault of the closures as an ExpressionFault naming the expression, without re-running it in fhirpath.js', () => {
    let reads = 0;
    const item = {
      get code(): string {
        reads++;
        throw new RangeError('value 9990000018 unreadable');
      },
    };
    const expression = "items.where(code = 'a').exists()";
    expect(compileJsonClosures(expression, functions)).toBeDefined();
    let thrown: unknown;
    try {
      compileExpression(expression, functions)({ items: [item] }, {});
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ExpressionFault);
    const fault = thrown as ExpressionFault;
    expect(fault.message).toBe(`the compiled expression "${expression}" failed (RangeError)`);
    expect(fault.message).not.toContain('9990000018');
    expect(fault.cause).toBeInstanceOf(RangeError);
    expect(reads).toBe(1);
  });

  it('hands the documented values (here a decimal) to fhirpath.js, which answers', () => {
    const compiled = compileExpression('ratio = 1', functions);
    expect(compileJsonClosures('ratio = 1', functions)).toBeDefined();
    expect(compiled({ ratio: 1.5 }, {})).toEqual([false]);
  });
});
