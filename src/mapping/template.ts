/**
 * Compiles a mapping template (plain YAML data) into evaluator closures, once, at load time.
 *
 * Template language (documented for authors in mappings/README.md):
 * - a string that is wholly `{{ expr }}` takes the value of the FHIRPath expression: nothing
 *   when it is empty, the item when there is one, a list when there are several;
 * - a string mixing text and `{{ expr }}` is interpolated, and dropped if any part is empty;
 * - objects and lists are built key by key; empty strings, objects and lists are dropped;
 * - directives on an object: `$for` (repeat for each item, bound to `$this` and `%<$as>`),
 *   `$with` (change context to a single item), `$let` (bind variables), `$if` (include only
 *   when true), `$value` (the object stands for this value), `$first` (the first of several
 *   alternatives that yields something), `$needs` (keep the object only if these keys came out),
 *   `$rule` (names the rule in traces).
 */
import { ConfigError, EngineError, MappingError, type MappingLocation, type PontError } from '../errors/errors.js';
import { compileExpression } from '../fhirpath/compile.js';
import { type CompiledExpression, type Env, ExpressionFault, type ExpressionFunctions, ExpressionSyntaxError, NONE, NOT_SINGLE } from '../fhirpath/types.js';
import type { Locate } from './input-paths.js';

export const OMIT: unique symbol = Symbol('omit');

/** Several values produced by one template node; spread into lists, kept as a list in objects. */
export class Many {
  constructor(readonly items: unknown[]) {}
}

/** A value wrapped with where it came from; only produced when tracing. */
export class Traced {
  constructor(
    readonly value: unknown,
    readonly rule: string,
    readonly template: string,
    readonly input: string,
    /** The reads of the input made while computing the value (see ReadWatch). */
    readonly reads?: ReadSpan,
  ) {}
}

/** Reads of the input from `from` (inclusive) to `to` (exclusive), as counted by a ReadWatch. */
export interface ReadSpan {
  readonly from: number;
  readonly to: number;
}

export interface Scope {
  readonly input: unknown;
  readonly env: Env;
  readonly inputPath: string;
  /** Input path of each bound variable, for error messages and traces. */
  readonly varPaths: Readonly<Record<string, string>>;
}

/** One run of a mapping: everything that differs between runs of the same compiled templates. */
export interface RunOptions {
  readonly trace: boolean;
  /** Handed to the mapping's functions (its resource index and resolver), see engine.ts. */
  readonly state: unknown;
  /** Where an object of the input sits in it, for the input paths of errors and traces. */
  readonly locate?: Locate;
  /** Told when each value's computation starts and ends, by a caller that records reads of the input (FHIR import). */
  readonly watch?: ReadWatch;
}

/**
 * Watches the reads of the input that compute each value of a template (a `{{ … }}` string),
 * whether the value is kept or not; traced values carry the span of reads that computed them.
 */
export interface ReadWatch {
  /** A value's computation starts; returns where its reads begin. */
  open(): number;
  /** It ended: the span of reads that computed it. */
  close(from: number): ReadSpan;
}

export type NodeFn = (scope: Scope, run: RunOptions) => unknown;

export interface CompileContext {
  readonly mappingFile: string;
  readonly functions: ExpressionFunctions;
}

const DIRECTIVES = new Set(['$for', '$as', '$index', '$with', '$let', '$if', '$needs', '$value', '$first', '$rule']);
const WHOLE_EXPRESSION = /^\{\{([\s\S]+?)\}\}$/;
const EMBEDDED_EXPRESSION = /\{\{([\s\S]+?)\}\}/g;

/**
 * Compiles a template node. `rule` is the nearest named rule and `at` the node's path inside
 * the template, both used in errors and traces.
 */
export function compileTemplate(node: unknown, rule: string, at: string, cx: CompileContext): NodeFn {
  if (typeof node === 'string') return compileString(node, rule, at, cx);
  if (node === null || typeof node !== 'object') {
    const constant = node;
    return (scope, run) => (run.trace ? new Traced(constant, rule, at, scope.inputPath) : constant);
  }
  if (Array.isArray(node)) return compileList(node, rule, at, cx);
  return compileObject(node as Record<string, unknown>, rule, at, cx);
}

export function expression(source: string, rule: string, at: string, cx: CompileContext): CompiledExpression {
  try {
    return compileExpression(source, cx.functions);
  } catch (err) {
    const reason = err instanceof ExpressionSyntaxError ? err.message : String(err);
    throw new ConfigError(`${cx.mappingFile} rule "${rule}" at ${at || '(template root)'}: ${reason}`);
  }
}

/** Evaluates a compiled expression, turning any failure into a MappingError (or EngineError) naming file, rule and input. */
export function evaluate(fn: CompiledExpression, scope: Scope, run: RunOptions, location: () => MappingLocation): unknown[] {
  try {
    return fn(scope.input, scope.env, run.state);
  } catch (err) {
    throw asMappingError(err, location());
  }
}

/** Like evaluate, for compiled nodes: the location is only built when something fails. */
function evaluateAt<T>(fn: (input: unknown, env: Env, state?: unknown) => T, scope: Scope, run: RunOptions, cx: CompileContext, rule: string, at: string): T {
  try {
    return fn(scope.input, scope.env, run.state);
  } catch (err) {
    throw asMappingError(err, locator(cx, rule, at, scope)());
  }
}

function asMappingError(err: unknown, location: MappingLocation): PontError {
  if (err instanceof MappingError || err instanceof EngineError) return err;
  if (err instanceof MappingFunctionError)
    return new MappingError(err.code, err.message, err.value === undefined ? location : { ...location, value: err.value }, { cause: err });
  // A fault of the compiled closures is pont's, not the input's: it names the mapping, never data.
  if (err instanceof ExpressionFault) {
    return new EngineError('EXPRESSION_FAILED', 'mapping', `${location.mappingFile} rule "${location.rule}": ${err.message}`, { cause: err });
  }
  return new MappingError('MAPPING_EXPRESSION', `expression failed: ${dataFree(err)}`, location, { cause: err });
}

/**
 * fhirpath.js's reason for failing, up to where it would quote the values it was given (`…, got
 * ["…"]`): those come from the input. The whole error stays available as the cause.
 */
function dataFree(err: unknown): string {
  const text = err instanceof Error ? (err.message.split('\n')[0] ?? '') : '';
  return text.replace(/(,? (but )?got\b|[[{"'`]).*$/s, '').trim() || 'the expression cannot be evaluated on this input';
}

/** Thrown by mapping functions (translate, ref …); the engine adds the location. */
export class MappingFunctionError extends Error {
  constructor(
    readonly code: 'MAPPING_UNKNOWN_CODE' | 'MAPPING_BAD_REFERENCE' | 'MAPPING_FAILED',
    message: string,
    /** The input value that failed, to find its place in the input; never part of the message. */
    readonly value?: unknown,
  ) {
    super(message);
    this.name = 'MappingFunctionError';
  }
}

function locator(cx: CompileContext, rule: string, at: string, scope: Scope): () => MappingLocation {
  return () => ({ mappingFile: cx.mappingFile, rule: at ? `${rule} (${at})` : rule, inputPath: scope.inputPath || '(root)', inScope: inScope(scope) });
}

/** The item being mapped, then the values of the variables bound last to first. */
export function inScope(scope: Scope): unknown[] {
  return [scope.input, ...Object.values(scope.env).reverse()];
}

function compileString(source: string, rule: string, at: string, cx: CompileContext): NodeFn {
  const whole = WHOLE_EXPRESSION.exec(source);
  if (whole && !whole[1]!.includes('{{')) {
    const fn = expression(whole[1]!, rule, at, cx);
    return (scope, run) => {
      if (!run.trace) return presentValue(fn, scope, run, cx, rule, at);
      const from = run.watch?.open();
      const items = presentOnly(evaluateAt(fn, scope, run, cx, rule, at));
      const reads = from === undefined ? undefined : run.watch!.close(from);
      if (items.length === 0) return OMIT;
      const wrapped = items.map((v) => new Traced(v, rule, at, scope.inputPath, reads));
      return wrapped.length === 1 ? wrapped[0] : new Many(wrapped);
    };
  }
  if (!source.includes('{{')) {
    return (scope, run) => (run.trace ? new Traced(source, rule, at, scope.inputPath) : source);
  }
  const parts: (string | CompiledExpression)[] = [];
  let last = 0;
  for (const match of source.matchAll(EMBEDDED_EXPRESSION)) {
    if (match.index > last) parts.push(source.slice(last, match.index));
    parts.push(expression(match[1]!, rule, at, cx));
    last = match.index + match[0].length;
  }
  if (last < source.length) parts.push(source.slice(last));
  const interpolate = (scope: Scope, run: RunOptions): string | typeof OMIT => {
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      const value = presentValue(part, scope, run, cx, rule, at);
      if (value === OMIT) return OMIT;
      if (value instanceof Many) {
        throw new MappingError('MAPPING_EXPRESSION', 'an interpolated expression returned several values', locator(cx, rule, at, scope)());
      }
      out += String(value);
    }
    return out;
  };
  return (scope, run) => {
    if (!run.trace) return interpolate(scope, run);
    const from = run.watch?.open();
    const out = interpolate(scope, run);
    const reads = from === undefined ? undefined : run.watch!.close(from);
    return out === OMIT ? OMIT : new Traced(out, rule, at, scope.inputPath, reads);
  };
}

function compileList(nodes: unknown[], rule: string, at: string, cx: CompileContext): NodeFn {
  const children = nodes.map((n, i) => compileTemplate(n, rule, `${at}[${i}]`, cx));
  const only = children.length === 1 ? children[0]! : undefined;
  // Most lists have one entry in the template (often a $for); their output is built at its exact size.
  if (only) {
    return (scope, run) => {
      const value = only(scope, run);
      if (value === OMIT) return OMIT;
      if (!(value instanceof Many)) return [value];
      return value.items.length === 0 ? OMIT : value.items.slice();
    };
  }
  return (scope, run) => {
    const out: unknown[] = [];
    for (let i = 0; i < children.length; i++) appendValue(out, children[i]!(scope, run));
    return out.length === 0 ? OMIT : out;
  };
}

function compileObject(node: Record<string, unknown>, parentRule: string, at: string, cx: CompileContext): NodeFn {
  for (const key of Object.keys(node)) {
    if (key.startsWith('$') && !DIRECTIVES.has(key)) {
      throw new ConfigError(`${cx.mappingFile} rule "${parentRule}" at ${at || '(template root)'}: unknown directive "${key}"`);
    }
  }
  const rule = typeof node.$rule === 'string' ? node.$rule : parentRule;
  const as = node.$as;
  if (as !== undefined && (typeof as !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(as))) {
    throw new ConfigError(`${cx.mappingFile} rule "${rule}" at ${at}: $as must be a variable name`);
  }
  if (as !== undefined && node.$for === undefined && node.$with === undefined) {
    throw new ConfigError(`${cx.mappingFile} rule "${rule}" at ${at}: $as needs $for or $with`);
  }
  const indexName = node.$index;
  if (indexName !== undefined && (typeof indexName !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(indexName) || node.$for === undefined)) {
    throw new ConfigError(`${cx.mappingFile} rule "${rule}" at ${at}: $index must be a variable name and needs $for`);
  }
  const forExpr = directiveExpression(node, '$for', rule, at, cx);
  const withExpr = directiveExpression(node, '$with', rule, at, cx);
  if (forExpr && withExpr) throw new ConfigError(`${cx.mappingFile} rule "${rule}" at ${at}: use $for or $with, not both`);
  const ifExpr = directiveExpression(node, '$if', rule, at, cx);
  const lets = compileLets(node.$let, rule, at, cx);
  const body = compileBody(node, rule, at, cx);
  const itemPath = itemPathOf(typeof node.$for === 'string' ? node.$for : typeof node.$with === 'string' ? node.$with : '');

  // Most objects have neither $let nor $if: the body alone evaluates them.
  const evaluateItem: NodeFn =
    lets.length === 0 && !ifExpr
      ? body
      : (scope, run) => {
          let inner = scope;
          if (lets.length > 0) {
            const env: Record<string, unknown> = { ...scope.env };
            for (const [name, fn] of lets) {
              const items = evaluateAt(fn, inner, run, cx, rule, at);
              env[name] = items.length === 1 ? items[0] : items;
              inner = { input: inner.input, env, inputPath: inner.inputPath, varPaths: inner.varPaths };
            }
          }
          if (ifExpr && !isTrue(evaluateAt(ifExpr, inner, run, cx, rule, at))) return OMIT;
          return body(inner, run);
        };

  if (!forExpr && !withExpr) return evaluateItem;
  const visit = (scope: Scope, item: unknown, position: number | undefined, run: RunOptions): unknown => {
    let env = as ? { ...scope.env, [as]: item } : scope.env;
    if (indexName !== undefined && position !== undefined) env = { ...env, [indexName]: position };
    const varPaths = as ? { ...scope.varPaths, [as]: itemPath(scope, position, item, run.locate) } : scope.varPaths;
    return evaluateItem(new ItemScope(item, env, varPaths, scope, itemPath, position, run.locate), run);
  };

  if (withExpr) {
    return (scope, run) => {
      const item = presentValue(withExpr, scope, run, cx, rule, at);
      if (item === OMIT) return OMIT;
      if (item instanceof Many) {
        throw new MappingError('MAPPING_EXPRESSION', `$with expected one item but found ${item.items.length}`, locator(cx, rule, at, scope)());
      }
      const value = visit(scope, item, undefined, run);
      if (!(value instanceof Many)) return value;
      return value.items.length === 0 ? OMIT : value.items.length === 1 ? value.items[0] : value;
    };
  }
  const each = forExpr!;
  return (scope, run) => {
    const items = presentOnly(evaluateAt(each, scope, run, cx, rule, at));
    const results: unknown[] = [];
    for (let index = 0; index < items.length; index++) appendValue(results, visit(scope, items[index], index, run));
    return results.length === 0 ? OMIT : new Many(results);
  };
}

function compileBody(node: Record<string, unknown>, rule: string, at: string, cx: CompileContext): NodeFn {
  if ('$first' in node) {
    const alternatives = node.$first;
    const extra = Object.keys(node).filter((k) => !k.startsWith('$'));
    if (!Array.isArray(alternatives) || alternatives.length === 0 || extra.length > 0 || '$value' in node) {
      throw new ConfigError(`${cx.mappingFile} rule "${rule}" at ${at}: $first needs a non-empty list and no other keys or $value`);
    }
    const compiled = alternatives.map((alt, i) => compileTemplate(alt, rule, `${at}.$first[${i}]`, cx));
    return (scope, run) => {
      for (let i = 0; i < compiled.length; i++) {
        const value = compiled[i]!(scope, run);
        if (value !== OMIT) return value;
      }
      return OMIT;
    };
  }
  if ('$value' in node) {
    const extra = Object.keys(node).filter((k) => !k.startsWith('$'));
    if (extra.length > 0) {
      throw new ConfigError(`${cx.mappingFile} rule "${rule}" at ${at}: $value cannot be combined with keys (${extra.join(', ')})`);
    }
    const value = compileTemplate(node.$value, rule, `${at}.$value`, cx);
    // A list given as $value stands for its items, so nested $for lists flatten.
    return (scope, run) => {
      const result = value(scope, run);
      return Array.isArray(result) ? new Many(result) : result;
    };
  }
  const fields: [string, NodeFn][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('$')) continue;
    fields.push([key, compileTemplate(value, rule, at ? `${at}.${key}` : key, cx)]);
  }
  const needs = node.$needs === undefined ? [] : Array.isArray(node.$needs) ? node.$needs : [node.$needs];
  for (const key of needs) {
    if (typeof key !== 'string' || !fields.some(([name]) => name === key)) {
      throw new ConfigError(`${cx.mappingFile} rule "${rule}" at ${at}: $needs names "${String(key)}", which is not a key of this object`);
    }
  }
  const keys = fields.map(([key]) => key);
  const values = fields.map(([, fn]) => fn);
  return (scope, run) => {
    const out: Record<string, unknown> = {};
    let any = false;
    for (let i = 0; i < keys.length; i++) {
      const value = values[i]!(scope, run);
      if (value === OMIT) continue;
      out[keys[i]!] = value instanceof Many ? value.items : value;
      any = true;
    }
    for (let i = 0; i < needs.length; i++) if (!(needs[i] in out)) return OMIT;
    return any ? out : OMIT;
  };
}

function compileLets(spec: unknown, rule: string, at: string, cx: CompileContext): [string, CompiledExpression][] {
  if (spec === undefined) return [];
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ConfigError(`${cx.mappingFile} rule "${rule}" at ${at}: $let must map variable names to expressions`);
  }
  return Object.entries(spec as Record<string, unknown>).map(([name, source]) => {
    if (typeof source !== 'string') throw new ConfigError(`${cx.mappingFile} rule "${rule}" at ${at}: $let.${name} must be an expression`);
    return [name, expression(stripBraces(source), rule, `${at}.$let.${name}`, cx)];
  });
}

function directiveExpression(node: Record<string, unknown>, key: '$for' | '$with' | '$if', rule: string, at: string, cx: CompileContext): CompiledExpression | undefined {
  const source = node[key];
  if (source === undefined) return undefined;
  if (typeof source !== 'string') throw new ConfigError(`${cx.mappingFile} rule "${rule}" at ${at}: ${key} must be an expression`);
  return expression(stripBraces(source), rule, `${at}.${key}`, cx);
}

/** Directives take bare expressions, but `{{ … }}` around them is tolerated. */
export function stripBraces(source: string): string {
  const whole = WHOLE_EXPRESSION.exec(source.trim());
  return whole ? whole[1]!.trim() : source;
}

type ItemPath = (scope: Scope, index: number | undefined, item: unknown, locate: Locate | undefined) => string;

/** The scope of one item a $for or $with visits: its input path is only built if an error or a trace asks for it. */
class ItemScope implements Scope {
  private path: string | undefined = undefined;

  constructor(
    readonly input: unknown,
    readonly env: Env,
    readonly varPaths: Readonly<Record<string, string>>,
    private readonly parent: Scope,
    private readonly pathOf: ItemPath,
    private readonly index: number | undefined,
    private readonly locate: Locate | undefined,
  ) {}

  get inputPath(): string {
    return (this.path ??= this.pathOf(this.parent, this.index, this.input, this.locate));
  }
}

/**
 * Builds, once, the function that names the input path of each item a $for or $with visits, in
 * the input's terms: where the item sits in the input when it is one of its objects; else the
 * path the expression spells when it is a plain path from the input or a bound item; else the
 * path of the enclosing item. Never the expression itself, which names nothing in the input.
 */
export function itemPathOf(source: string): ItemPath {
  const expr = stripBraces(source).trim();
  const simple = /^%?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(expr);
  const suffix = (index: number | undefined) => (index === undefined ? '' : `[${index}]`);
  let spelled: (scope: Scope, index: number | undefined) => string;
  if (!simple) spelled = (scope) => scope.inputPath;
  else if (expr.startsWith('%')) {
    const [head, ...rest] = expr.split('.');
    const variable = head!.slice(1);
    const tail = rest.join('.');
    spelled = (scope, index) => {
      const base = scope.varPaths[variable];
      return base === undefined ? scope.inputPath : joinPath(base, tail) + suffix(index);
    };
  } else spelled = (scope, index) => joinPath(scope.inputPath, expr) + suffix(index);
  return (scope, index, item, locate) => locate?.(item) ?? spelled(scope, index);
}

function joinPath(base: string, rest: string): string {
  if (!rest) return base;
  return base ? `${base}.${rest}` : rest;
}

/** An expression's present items as a node value: OMIT for none, the item for one, a Many for several. */
function presentValue(fn: CompiledExpression, scope: Scope, run: RunOptions, cx: CompileContext, rule: string, at: string): unknown {
  if (fn.single !== undefined) {
    const value = evaluateAt(fn.single, scope, run, cx, rule, at);
    if (value !== NOT_SINGLE) return value === NONE || !isPresent(value) ? OMIT : value;
  }
  const items = presentOnly(evaluateAt(fn, scope, run, cx, rule, at));
  return items.length === 0 ? OMIT : items.length === 1 ? items[0] : new Many(items);
}

/** Adds a node's value to a list: nothing for OMIT, each item of a Many. */
function appendValue(list: unknown[], value: unknown): void {
  if (value === OMIT) return;
  if (value instanceof Many) for (let i = 0; i < value.items.length; i++) list.push(value.items[i]);
  else list.push(value);
}

/** The items that count as values: no nulls, empty strings or empty lists (copies only when it must). */
function presentOnly(items: unknown[]): unknown[] {
  for (let i = 0; i < items.length; i++) if (!isPresent(items[i])) return items.filter(isPresent);
  return items;
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function isTrue(items: unknown[]): boolean {
  if (items.length === 0) return false;
  if (items.length === 1 && items[0] === false) return false;
  return true;
}
