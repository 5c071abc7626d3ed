/**
 * FHIRPath expressions over plain JSON (mapping files, declarative compliance rules), compiled
 * once at load.
 *
 * Plain member paths (`plans.outcomes.areas`, `%plan.madeOn`) are by far the most common
 * expressions in mapping files. They are evaluated by a direct walker with FHIRPath's
 * navigation semantics (flatten arrays, drop empties) because fhirpath.js spends most of its
 * time on set-up for such paths. Other expressions are compiled to closures where they can be
 * (closures.ts, plain JSON model), with fhirpath.js as the reference: it evaluates the
 * expressions the closures do not compile, and the single evaluations they hand over (BAIL, for
 * the values closures.ts documents). Any other error from the closures is an ExpressionFault, never
 * answered again by fhirpath.js; errors from the caller's functions pass through as they are.
 */

import type { UserInvocationTable } from 'fhirpath';
import fhirpath from 'fhirpath';
import { CallerFunctionError, compileJsonClosures } from './closures.js';
import { BAIL } from './r4-model.js';
import { type CompiledExpression, type Env, ExpressionFault, type ExpressionFunctions, ExpressionSyntaxError, NONE, NOT_SINGLE } from './types.js';

const SIMPLE_PATH = /^(%?[A-Za-z_][A-Za-z0-9_]*|\$this)(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** A simple path followed by calls of mapping functions with literal string arguments: `a.b.ref('Goal')`. */
const PATH_THEN_CALLS = /^((?:%?[A-Za-z_][A-Za-z0-9_]*|\$this)(?:\.[A-Za-z_][A-Za-z0-9_]*)*?)((?:\.[A-Za-z_][A-Za-z0-9_]*\((?:'[^'\\]*'(?:\s*,\s*'[^'\\]*')*)?\))+)$/;
const CALL = /\.([A-Za-z_][A-Za-z0-9_]*)\(((?:'[^'\\]*'(?:\s*,\s*'[^'\\]*')*)?)\)/g;
const RESERVED_FIRST_SEGMENTS = new Set(['true', 'false', 'today', 'now', 'and', 'or', 'not', 'exists', 'empty']);

/** Where fhirpath.js finds the caller's run state: in the variables of that one evaluation. */
const RUN: unique symbol = Symbol('run');

export function compileExpression(expression: string, functions: ExpressionFunctions = {}): CompiledExpression {
  const trimmed = expression.trim();
  if (SIMPLE_PATH.test(trimmed)) {
    const segments = trimmed.split('.');
    const first = segments[0] as string;
    // A leading capital is a FHIR type name (`Patient.name`), which filters rather than navigates.
    if (!RESERVED_FIRST_SEGMENTS.has(first) && !/^[A-Z]/.test(first)) return compileSimplePath(segments);
  }
  const withCalls = compilePathThenCalls(trimmed, functions);
  if (withCalls) return withCalls;
  const closures = compileJsonClosures(trimmed, functions);
  // Without closures, fhirpath.js answers every evaluation (and reports a syntax error now).
  if (!closures) return compileWithFhirpath(trimmed, functions);
  // With them, the expression parsed, so fhirpath.js compiles it too. It answers only the
  // evaluations the closures hand over, so it parses the expression (a second time) only when
  // the first of those comes, not for every expression at load.
  let general: CompiledExpression | undefined;
  return (input, env, run) => {
    try {
      return closures(input, env, run);
    } catch (err) {
      if (err === BAIL) {
        general ??= compileWithFhirpath(trimmed, functions);
        return general(input, env, run);
      }
      if (err instanceof CallerFunctionError) throw err.error;
      throw new ExpressionFault(trimmed, { cause: err });
    }
  };
}

function compileWithFhirpath(expression: string, functions: ExpressionFunctions): CompiledExpression {
  let compiled: (input: unknown, env: Record<PropertyKey, unknown>) => unknown;
  try {
    compiled = fhirpath.compile(expression, undefined, { userInvocationTable: forFhirpathJs(functions) }) as unknown as typeof compiled;
  } catch (err) {
    throw new ExpressionSyntaxError(expression, err instanceof Error ? firstLine(err.message) : String(err));
  }
  // Only an expression that calls one of the caller's functions needs the run state in its variables.
  const callsFunctions = Object.keys(functions).some((name) => new RegExp(`(^|[^A-Za-z0-9_])${name}\\s*\\(`).test(expression));
  if (!callsFunctions) {
    return (input, env) => {
      const result = compiled(input ?? {}, env);
      return Array.isArray(result) ? result : [result];
    };
  }
  return (input, env, run) => {
    const result = compiled(input ?? {}, run === undefined ? env : { ...env, [RUN]: run });
    return Array.isArray(result) ? result : [result];
  };
}

const valData = (fhirpath as unknown as { util: { valData(v: unknown): unknown } }).util.valData;

/**
 * The caller's functions as fhirpath.js calls them. Declared with `internalStructures` so that
 * fhirpath.js calls them with its evaluation context (whose `vars` hold the run state); the
 * arguments are unwrapped as fhirpath.js unwraps them for other user functions.
 */
function forFhirpathJs(functions: ExpressionFunctions): UserInvocationTable {
  const table: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(functions)) {
    table[name] = {
      internalStructures: true,
      arity: f.arity,
      fn(this: { vars: Record<PropertyKey, unknown> }, ...args: unknown[]) {
        const plain = args.map((arg) => (Array.isArray(arg) ? arg.map((item) => valData(item)) : arg));
        return f.fn(this.vars[RUN], ...(plain as [unknown[], ...string[]]));
      },
    };
  }
  return table as UserInvocationTable;
}

function compilePathThenCalls(expression: string, functions: ExpressionFunctions): CompiledExpression | undefined {
  const match = PATH_THEN_CALLS.exec(expression);
  if (!match) return undefined;
  const segments = match[1]!.split('.');
  const first = segments[0]!;
  if (RESERVED_FIRST_SEGMENTS.has(first) || /^[A-Z]/.test(first)) return undefined;
  const calls: { fn: ExpressionFunctions[string]['fn']; args: string[] }[] = [];
  for (const call of match[2]!.matchAll(CALL)) {
    const entry = Object.hasOwn(functions, call[1]!) ? functions[call[1]!] : undefined;
    // Only the caller's own functions run here; FHIRPath built-ins keep their full semantics in fhirpath.js.
    if (!entry) return undefined;
    const args = call[2] ? [...call[2].matchAll(/'([^'\\]*)'/g)].map((a) => a[1]!) : [];
    calls.push({ fn: entry.fn, args });
  }
  const path = compileSimplePath(segments);
  return (input, env, run) => {
    let items = path(input, env);
    for (const call of calls) {
      if (items.length === 0) return items;
      items = toCollection(call.fn(run, items, ...call.args));
    }
    return items;
  };
}

function compileSimplePath(segments: string[]): CompiledExpression {
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === '$this') return Object.assign((input: unknown) => walk(input, rest), { single: (input: unknown) => singleItem(input, rest) });
  if (head.startsWith('%')) {
    const name = head.slice(1);
    const variable = (env: Env) => {
      if (!(name in env)) throw new Error(`undefined environment variable %${name}`);
      return env[name];
    };
    return Object.assign((_input: unknown, env: Env) => walk(variable(env), rest), { single: (_input: unknown, env: Env) => singleItem(variable(env), rest) });
  }
  return Object.assign((input: unknown) => walk(input, segments), { single: (input: unknown) => singleItem(input, segments) });
}

/** What walk() would give when that is one item, without the collection (see CompiledExpression.single). */
function singleItem(start: unknown, segments: readonly string[]): unknown {
  if (start === undefined || start === null) return NONE;
  if (Array.isArray(start)) return NOT_SINGLE;
  let current = start;
  for (let i = 0; i < segments.length; i++) {
    if (current === null || typeof current !== 'object') return NONE;
    let value = (current as Record<string, unknown>)[segments[i]!];
    if (value === undefined || value === null) return NONE;
    if (Array.isArray(value)) {
      if (value.length === 0) return NONE;
      if (value.length > 1) return NOT_SINGLE;
      value = value[0];
      if (value === undefined || value === null) return NONE;
      if (Array.isArray(value)) return NOT_SINGLE;
    }
    current = value;
  }
  return current;
}

/** FHIRPath navigation from a value (an item or a collection): flattens lists, drops empties. */
function walk(start: unknown, segments: readonly string[]): unknown[] {
  if (segments.length === 0) return toCollection(start);
  let current = step(start, segments[0]!);
  for (let i = 1; i < segments.length && current.length > 0; i++) current = step(current, segments[i]!);
  return current;
}

// Most steps go from one item to one value; those build exact-size arrays rather than growing one.
function step(from: unknown, segment: string): unknown[] {
  if (!Array.isArray(from)) return memberOf(from, segment);
  if (from.length === 1) return memberOf(from[0], segment);
  const out: unknown[] = [];
  for (let i = 0; i < from.length; i++) {
    const values = memberOf(from[i], segment);
    for (let j = 0; j < values.length; j++) out.push(values[j]);
  }
  return out;
}

function memberOf(item: unknown, segment: string): unknown[] {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return [];
  const value = (item as Record<string, unknown>)[segment];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [value];
  for (let i = 0; i < value.length; i++) if (value[i] === undefined || value[i] === null) return value.filter((x) => x !== undefined && x !== null);
  return value.slice();
}

function toCollection(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
