/**
 * FHIRPath expressions for mappings, compiled once at load.
 *
 * Plain member paths (`plans.outcomes.areas`, `%plan.madeOn`) are by far the most common
 * expressions in mapping files. They are evaluated by a direct walker with FHIRPath's
 * navigation semantics (flatten arrays, drop empties) because fhirpath.js spends most of its
 * time on set-up for such paths. Other expressions are compiled to closures where they can be
 * (fhirpath-closures.ts), with fhirpath.js as the fallback and the reference.
 */
import fhirpath from 'fhirpath';
import type { UserInvocationTable } from 'fhirpath';
import { compileToClosures } from './fhirpath-closures.js';

export type Env = Readonly<Record<string, unknown>>;
export interface CompiledExpression {
  (input: unknown, env: Env): unknown[];
  /**
   * Plain paths only: the one item the path yields, without building a collection; NONE when
   * it yields nothing, NOT_SINGLE when it yields several or cannot tell cheaply.
   */
  readonly single?: (input: unknown, env: Env) => unknown;
}

export const NONE: unique symbol = Symbol('none');
export const NOT_SINGLE: unique symbol = Symbol('not single');

/** Functions mapping expressions may call besides the FHIRPath built-ins. */
export type MappingFunctions = UserInvocationTable;

const SIMPLE_PATH = /^(%?[A-Za-z_][A-Za-z0-9_]*|\$this)(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** A simple path followed by calls of mapping functions with literal string arguments: `a.b.ref('Goal')`. */
const PATH_THEN_CALLS = /^((?:%?[A-Za-z_][A-Za-z0-9_]*|\$this)(?:\.[A-Za-z_][A-Za-z0-9_]*)*?)((?:\.[A-Za-z_][A-Za-z0-9_]*\((?:'[^'\\]*'(?:\s*,\s*'[^'\\]*')*)?\))+)$/;
const CALL = /\.([A-Za-z_][A-Za-z0-9_]*)\(((?:'[^'\\]*'(?:\s*,\s*'[^'\\]*')*)?)\)/g;
const RESERVED_FIRST_SEGMENTS = new Set(['true', 'false', 'today', 'now', 'and', 'or', 'not', 'exists', 'empty']);

export class ExpressionSyntaxError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`cannot compile expression "${expression}": ${reason}`);
    this.name = 'ExpressionSyntaxError';
  }
}

export function compileExpression(expression: string, functions: MappingFunctions): CompiledExpression {
  const trimmed = expression.trim();
  if (SIMPLE_PATH.test(trimmed)) {
    const segments = trimmed.split('.');
    const first = segments[0] as string;
    // A leading capital is a FHIR type name (`Patient.name`), which filters rather than navigates.
    if (!RESERVED_FIRST_SEGMENTS.has(first) && !/^[A-Z]/.test(first)) return compileSimplePath(segments);
  }
  const withCalls = compilePathThenCalls(trimmed, functions);
  if (withCalls) return withCalls;
  const general = compileWithFhirpath(trimmed, functions);
  const closures = compileToClosures(trimmed, functions);
  if (!closures) return general;
  return (input, env) => {
    try {
      return closures(input, env);
    } catch {
      // Values the closures are unsure of, and every error, are fhirpath.js's to answer.
      return general(input, env);
    }
  };
}

function compileWithFhirpath(expression: string, functions: MappingFunctions): CompiledExpression {
  let compiled: (input: unknown, env: Env) => unknown;
  try {
    compiled = fhirpath.compile(expression, undefined, { userInvocationTable: functions }) as unknown as typeof compiled;
  } catch (err) {
    throw new ExpressionSyntaxError(expression, err instanceof Error ? firstLine(err.message) : String(err));
  }
  return (input, env) => {
    const result = compiled(input ?? {}, env as Record<string, unknown>);
    return Array.isArray(result) ? result : [result];
  };
}

function compilePathThenCalls(expression: string, functions: MappingFunctions): CompiledExpression | undefined {
  const match = PATH_THEN_CALLS.exec(expression);
  if (!match) return undefined;
  const segments = match[1]!.split('.');
  const first = segments[0]!;
  if (RESERVED_FIRST_SEGMENTS.has(first) || /^[A-Z]/.test(first)) return undefined;
  const calls: { fn: (inputs: unknown[], ...args: string[]) => unknown[]; args: string[] }[] = [];
  for (const call of match[2]!.matchAll(CALL)) {
    const entry = (functions as unknown as Record<string, { fn: (inputs: unknown[], ...args: string[]) => unknown[] } | undefined>)[call[1]!];
    // Only the mapping's own functions run here; FHIRPath built-ins keep their full semantics in fhirpath.js.
    if (!entry) return undefined;
    const args = call[2] ? [...call[2].matchAll(/'([^'\\]*)'/g)].map((a) => a[1]!) : [];
    calls.push({ fn: entry.fn, args });
  }
  const path = compileSimplePath(segments);
  return (input, env) => {
    let items = path(input, env);
    for (const call of calls) {
      if (items.length === 0) return items;
      items = call.fn(items, ...call.args);
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
