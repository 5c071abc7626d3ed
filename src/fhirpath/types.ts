/**
 * What the FHIRPath compilers and their callers share: the compiled form, the environment, and
 * the functions a caller adds to FHIRPath. Kept apart from the compilers so that neither
 * compiler imports the other's module for its types.
 */

/** The variables an expression sees as `%name`. */
export type Env = Readonly<Record<string, unknown>>;

/**
 * A function a caller adds to FHIRPath (e.g. a mapping's `translate()` or `ref()`). `run` is
 * the caller's state for the one evaluation it asked for (its resource index, resolver …),
 * passed through unchanged, so that one compiled expression serves any number of runs at once.
 * Arguments are string literals.
 */
export interface ExpressionFunction {
  readonly fn: (run: unknown, inputs: unknown[], ...args: string[]) => unknown;
  /** The argument counts accepted, each with its argument types (fhirpath.js's convention). */
  readonly arity: Readonly<Record<number, readonly string[]>>;
}

export type ExpressionFunctions = Readonly<Record<string, ExpressionFunction>>;

export interface CompiledExpression {
  /** The collection the expression yields on `input`; `run` is passed to the caller's functions. */
  (input: unknown, env: Env, run?: unknown): unknown[];
  /**
   * Plain paths only: the one item the path yields, without building a collection; NONE when
   * it yields nothing, NOT_SINGLE when it yields several or cannot tell cheaply.
   */
  readonly single?: (input: unknown, env: Env) => unknown;
}

export const NONE: unique symbol = Symbol('none');
export const NOT_SINGLE: unique symbol = Symbol('not single');

/** The expression text is not FHIRPath (found when it is compiled, i.e. at load). */
export class ExpressionSyntaxError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`cannot compile expression "${expression}": ${reason}`);
    this.name = 'ExpressionSyntaxError';
  }
}

/**
 * The compiled closures failed on an input in a way they do not document: a fault in pont,
 * never re-run in fhirpath.js. The message names the expression only; the original error (which
 * may quote data) is kept as `cause` for debugging. Callers turn it into an EngineError naming
 * their mapping or rule.
 */
export class ExpressionFault extends Error {
  constructor(
    readonly expression: string,
    options: { cause: unknown },
  ) {
    const kind = options.cause instanceof Error ? options.cause.name : typeof options.cause;
    super(`the compiled expression "${expression}" failed (${kind})`, options);
    this.name = 'ExpressionFault';
  }
}
