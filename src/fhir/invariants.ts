/**
 * R4 invariants (`ElementDefinition.constraint`), compiled once per expression and context path
 * with pont's FHIRPath closures over the R4 model (src/fhirpath/closures.ts), fhirpath.js answering what
 * the closures hand over, and the corrections of R4's faulty invariants (r4-corrections.ts).
 * `crossCheck` runs both evaluators on every evaluation; test/fhir/base-equivalence.test.ts
 * does so over the whole corpus.
 */
import { EngineError } from '../errors/errors.js';
import { compileR4Closures } from '../fhirpath/closures.js';
import { referenceEvaluator } from '../fhirpath/r4-fhirpath-js.js';
import { BAIL, canonicalBase, type R4Env, unwrap } from '../fhirpath/r4-model.js';
import { ExpressionFault } from '../fhirpath/types.js';
import { correctedExpression } from './r4-corrections.js';

export { canonicalBase, primitiveNode } from '../fhirpath/r4-model.js';

export type InvariantEnv = R4Env;

export interface InvariantDefinition {
  readonly key: string;
  readonly human: string;
  readonly expression: string;
}

export interface Invariant extends InvariantDefinition {
  /** True when satisfied, false when violated, undefined when it could not be evaluated. */
  test(node: unknown, env: InvariantEnv): boolean | undefined;
}

export interface InvariantOptions {
  /** Also evaluate with fhirpath.js whenever the closures answer, and report both answers. */
  readonly crossCheck?: (comparison: InvariantComparison) => void;
}

export interface InvariantComparison {
  readonly key: string;
  readonly base: string;
  readonly expression: string;
  /** The compiled closures' answer. */
  readonly native: boolean;
  /** fhirpath.js's answer (undefined: it could not evaluate the expression). */
  readonly reference: boolean | undefined;
}

/**
 * Compiles an invariant for nodes at `base` (an element path such as `Goal.target`, or a type
 * name such as `Reference`).
 */
export function compileInvariant(def: InvariantDefinition, base: string, options: InvariantOptions = {}): Invariant {
  const basePath = canonicalBase(base);
  const expression = correctedExpression(def.key, def.expression);
  const native = compileR4Closures(basePath, expression);
  const reference = native.usesResolve ? undefined : referenceEvaluator(basePath, expression);
  const nf = native.f;
  const crossCheck = options.crossCheck;
  const test = (node: unknown, env: InvariantEnv): boolean | undefined => {
    if (nf) {
      let result: boolean | undefined;
      try {
        const r = nf(node, env);
        result = r.length === 1 && unwrap(r[0]) === true;
      } catch (err) {
        // BAIL: a value only fhirpath.js can judge (below). Anything else is a fault of the closures.
        if (err !== BAIL) {
          const fault = new ExpressionFault(expression, { cause: err });
          throw new EngineError('EXPRESSION_FAILED', 'validation', `invariant ${def.key} on ${basePath}: ${fault.message}`, { cause: err });
        }
      }
      if (result !== undefined) {
        if (crossCheck && reference) {
          crossCheck({ key: def.key, base: basePath, expression, native: result, reference: reference(node, env) });
        }
        return result;
      }
    }
    return reference?.(node, env);
  };
  return { key: def.key, human: def.human, expression, test };
}
