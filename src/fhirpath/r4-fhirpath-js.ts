/**
 * fhirpath.js with its R4 model: the reference the closures (closures.ts) are checked
 * against, and the evaluator for what they hand over. Compiled once per (base, expression), on
 * first need; an expression fhirpath.js cannot compile, or an evaluation it throws on, gives
 * undefined ("could not be evaluated").
 */
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4/index.js';
import { isPrim, type R4Env } from './r4-model.js';

export type ReferenceFn = (node: unknown, env: R4Env) => boolean | undefined;

const referenceCache = new Map<string, ReferenceFn>();

/** fhirpath.js, compiled once per (base, expression). */
export function referenceEvaluator(base: string, expression: string): ReferenceFn {
  const cacheKey = `${base}\u0000${expression}`;
  let fn = referenceCache.get(cacheKey);
  if (!fn) {
    let compiled: ((data: unknown, env: Record<string, unknown>) => unknown) | undefined;
    let failed = false;
    fn = (node, env) => {
      if (failed) return undefined;
      try {
        // trace() (in ref-1, dom-3) logs to the console unless given a function.
        compiled ??= fhirpath.compile({ base, expression }, r4Model, { traceFn: () => {} }) as unknown as (data: unknown, env: Record<string, unknown>) => unknown;
      } catch {
        failed = true;
        return undefined;
      }
      try {
        const result = compiled(isPrim(node) ? node.value : node, { resource: env.resource, rootResource: env.rootResource });
        if (!Array.isArray(result)) return undefined;
        return result.length === 1 && result[0] === true;
      } catch {
        return undefined;
      }
    };
    referenceCache.set(cacheKey, fn);
  }
  return fn;
}
