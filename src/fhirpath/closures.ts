/**
 * FHIRPath compiled from the parse tree into plain closures over plain JSON (no FHIR model), for
 * mapping expressions and declarative compliance rules.
 *
 * fhirpath.js spends several microseconds setting up each evaluation, and mapping files evaluate
 * per-item look-ups (`%record.plans.where(planId = %plan.planId).first()`) for every item of a
 * record. The closures cover the part of FHIRPath those look-ups use, over plain JSON without a
 * model: navigation, `$this`/`$total`, environment variables, literals, indexing, `where`,
 * `aggregate`, `iif`, `first`/`last`/`exists`/`empty`/`count`/`not`, `=`/`!=`, `<`/`>`/`<=`/`>=`
 * on integers and on strings, `+` on integers, `+` on strings, three-valued `and`/`or`, and the caller's own functions
 * with string literal arguments.
 *
 * fhirpath.js stays the reference, in exactly two documented cases: an expression outside that
 * part is not compiled (decided here, at compile time), and a value the closures cannot be sure
 * about (a decimal, mixed types, several items where one is expected, a primitive with a
 * `_field` sibling, an undefined variable, a JavaScript property of a primitive) throws
 * NEEDS_FHIRPATH_JS so the caller evaluates that one call with fhirpath.js. Anything else the
 * closures throw is a fault (compile.ts reports it); an error thrown by one of the caller's
 * functions arrives wrapped in CallerFunctionError, so it is never mistaken for either.
 */
import fhirpath from 'fhirpath';
import type { Env, ExpressionFunction, ExpressionFunctions } from './types.js';

/** Thrown by the closures when only fhirpath.js can answer for this input. */
export const NEEDS_FHIRPATH_JS: unique symbol = Symbol('needs fhirpath.js');

/** An error thrown by one of the caller's functions, carried through the closures untouched. */
export class CallerFunctionError {
  constructor(readonly error: unknown) {}
}

type Coll = readonly unknown[];

interface Frame {
  readonly env: Env;
  /** `$total` inside `aggregate()`. */
  readonly total: Coll;
  /** The caller's state for this evaluation, handed to its functions. */
  readonly run: unknown;
}

type Fn = (focus: Coll, frame: Frame) => Coll;

interface AstNode {
  readonly type: string;
  readonly text?: string;
  readonly children?: AstNode[];
}

const EMPTY: Coll = Object.freeze([]);
const TRUE: Coll = Object.freeze([true]);
const FALSE: Coll = Object.freeze([false]);
const bool = (b: boolean): Coll => (b ? TRUE : FALSE);

/** Variables fhirpath.js defines itself; the closures leave them to it. */
const FHIRPATH_JS_VARIABLES = new Set(['context', 'ucum', 'resource', 'rootResource', 'factory', 'terminologies', 'fhirServerUrl', 'sct', 'loinc']);

/** Parse-tree nodes that only wrap their one child. */
const WRAPPERS = new Set(['EntireExpression', 'TermExpression', 'ParenthesizedTerm', 'InvocationTerm']);

const needsFhirpathJs = (): never => {
  throw NEEDS_FHIRPATH_JS;
};

/**
 * Compiles an expression to closures, or returns undefined when it uses anything the closures
 * do not cover. The result may throw NEEDS_FHIRPATH_JS for a given input.
 */
export function compileToClosures(expression: string, functions: ExpressionFunctions): ((input: unknown, env: Env, run?: unknown) => unknown[]) | undefined {
  let tree: AstNode;
  try {
    tree = fhirpath.parse(expression) as AstNode;
  } catch {
    return undefined;
  }
  const fn = new ClosureCompiler(functions).compile(tree);
  if (!fn) return undefined;
  return (input, env, run) => fn(rootCollection(input), { env, total: EMPTY, run }) as unknown[];
}

/** The input as fhirpath.js sees it (the engine passes `{}` for no input). */
function rootCollection(input: unknown): Coll {
  if (input === undefined || input === null) return [{}];
  return Array.isArray(input) ? input : [input];
}

class ClosureCompiler {
  constructor(private readonly functions: ExpressionFunctions) {}

  compile(node: AstNode): Fn | undefined {
    const c = node.children ?? [];
    if (WRAPPERS.has(node.type)) return c.length === 1 ? this.compile(c[0]!) : undefined;
    switch (node.type) {
      case 'LiteralTerm':
        return literal(c[0]!);
      case 'ExternalConstantTerm':
        return variable(c[0]!);
      case 'ThisInvocation':
        return (focus) => focus;
      case 'TotalInvocation':
        return (_focus, frame) => frame.total;
      case 'MemberInvocation':
      case 'FunctionInvocation':
        return this.invocation(node);
      case 'InvocationExpression': {
        const left = this.compile(c[0]!);
        const right = c[1] && this.invocation(c[1]);
        if (!left || !right) return undefined;
        return (focus, frame) => right(left(focus, frame), frame);
      }
      case 'IndexerExpression':
        return this.indexer(c);
      case 'EqualityExpression':
      case 'InequalityExpression':
      case 'AdditiveExpression':
      case 'AndExpression':
      case 'OrExpression':
        return this.operator(node.text ?? '', c);
      default:
        return undefined;
    }
  }

  private invocation(node: AstNode): Fn | undefined {
    if (node.type === 'ThisInvocation') return (focus) => focus;
    if (node.type === 'MemberInvocation') {
      const name = identifier(node.children?.[0]);
      // A leading capital is a FHIR type name (`Patient.name`), which filters rather than navigates.
      if (name === undefined || /^[A-Z]/.test(name)) return undefined;
      return member(name);
    }
    if (node.type !== 'FunctionInvocation') return undefined;
    const functn = node.children?.[0];
    const name = identifier(functn?.children?.[0]);
    const params = functn?.children?.[1]?.children ?? [];
    if (name === undefined) return undefined;
    // fhirpath.js looks in the caller's own functions first.
    const own = Object.hasOwn(this.functions, name) ? this.functions[name] : undefined;
    if (own) return callerFunction(own, params);
    return this.builtIn(name, params);
  }

  private builtIn(name: string, params: AstNode[]): Fn | undefined {
    if (params.length === 0) {
      switch (name) {
        case 'first':
          return (focus) => (focus.length === 0 ? EMPTY : [focus[0]]);
        case 'last':
          return (focus) => (focus.length === 0 ? EMPTY : [focus[focus.length - 1]]);
        case 'exists':
          return (focus) => bool(focus.length > 0);
        case 'empty':
          return (focus) => bool(focus.length === 0);
        case 'count':
          return (focus) => [focus.length];
        case 'not':
          return (focus) => {
            const b = singletonBoolean(focus);
            return b === undefined ? EMPTY : bool(!b);
          };
        default:
          return undefined;
      }
    }
    const args = params.map((p) => this.compile(p));
    if (args.some((a) => a === undefined)) return undefined;
    const [a, b, c] = args as Fn[];
    if (name === 'where' && args.length === 1) return where(a!);
    if (name === 'exists' && args.length === 1) {
      const filter = where(a!);
      return (focus, frame) => bool(filter(focus, frame).length > 0);
    }
    if (name === 'aggregate' && args.length === 1) return aggregate(a!);
    if (name === 'iif' && (args.length === 2 || args.length === 3)) return iif(a!, b!, c);
    return undefined;
  }

  private indexer(c: AstNode[]): Fn | undefined {
    const left = c[0] && this.compile(c[0]);
    const index = c[1] && this.compile(c[1]);
    if (!left || !index) return undefined;
    return (focus, frame) => {
      const i = index(focus, frame);
      const n = i[0];
      if (i.length !== 1 || !Number.isInteger(n)) needsFhirpathJs();
      const items = left(focus, frame);
      return (n as number) >= 0 && (n as number) < items.length ? [items[n as number]] : EMPTY;
    };
  }

  private operator(op: string, c: AstNode[]): Fn | undefined {
    const left = c[0] && this.compile(c[0]);
    const right = c[1] && this.compile(c[1]);
    if (!left || !right) return undefined;
    const apply = OPERATORS[op];
    if (!apply) return undefined;
    // Both sides are always evaluated, as fhirpath.js does, so errors surface the same way.
    return (focus, frame) => apply(left(focus, frame), right(focus, frame));
  }
}

function member(name: string): Fn {
  const sibling = `_${name}`;
  return (focus) => {
    if (focus.length === 0) return EMPTY;
    const out: unknown[] = [];
    for (let i = 0; i < focus.length; i++) {
      const item = focus[i];
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        // fhirpath.js reads JavaScript properties of primitives too (`'abc'.length` is 3).
        if ((item as Record<string, unknown> | null | undefined)?.[name] === undefined) continue;
        needsFhirpathJs();
      }
      const record = item as Record<string, unknown>;
      // fhirpath.js merges a primitive's `_field` extensions into its value: leave those to it.
      if (record[sibling] !== undefined) needsFhirpathJs();
      const value = record[name];
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) {
        for (let j = 0; j < value.length; j++) if (value[j] !== undefined && value[j] !== null) out.push(value[j]);
      } else out.push(value);
    }
    return out;
  };
}

function callerFunction(own: ExpressionFunction, params: AstNode[]): Fn | undefined {
  const args: string[] = [];
  for (const param of params) {
    const text = stringLiteral(param);
    if (text === undefined) return undefined;
    args.push(text);
  }
  // fhirpath.js refuses a call whose argument count the function does not declare.
  if (!own.arity[args.length]) return undefined;
  const fn = own.fn;
  return (focus, frame) => {
    let result: unknown;
    try {
      result = fn(frame.run, focus as unknown[], ...args);
    } catch (err) {
      throw new CallerFunctionError(err);
    }
    if (Array.isArray(result)) return result;
    return result === undefined || result === null ? EMPTY : [result];
  };
}

function where(condition: Fn): Fn {
  return (focus, frame) => {
    const out: unknown[] = [];
    for (let i = 0; i < focus.length; i++) {
      const item = focus[i];
      const keep = singletonBoolean(condition([item], frame));
      if (keep === true) out.push(item);
    }
    return out;
  };
}

function aggregate(aggregator: Fn): Fn {
  return (focus, frame) => {
    let total: Coll = EMPTY;
    for (let i = 0; i < focus.length; i++) total = aggregator([focus[i]], { env: frame.env, total, run: frame.run });
    return total;
  };
}

function iif(condition: Fn, then: Fn, otherwise: Fn | undefined): Fn {
  return (focus, frame) => {
    if (singletonBoolean(condition(focus, frame)) === true) return then(focus, frame);
    return otherwise ? otherwise(focus, frame) : EMPTY;
  };
}

/** `[]` → undefined, `[true]`/`[false]` → the boolean; anything else only fhirpath.js decides. */
function singletonBoolean(c: Coll): boolean | undefined {
  if (c.length === 0) return undefined;
  if (c.length === 1 && typeof c[0] === 'boolean') return c[0];
  return needsFhirpathJs();
}

type Operator = (a: Coll, b: Coll) => Coll;

/** One item each of the same plain type (string, integer or boolean), or undefined for an empty side. */
function operands(a: Coll, b: Coll): [unknown, unknown] | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  if (a.length > 1 || b.length > 1) needsFhirpathJs();
  const x = a[0];
  const y = b[0];
  const plain = (typeof x === 'string' || typeof x === 'boolean' || Number.isInteger(x)) && typeof x === typeof y && (typeof y !== 'number' || Number.isInteger(y));
  if (!plain) needsFhirpathJs();
  return [x, y];
}

const OPERATORS: Readonly<Record<string, Operator>> = {
  '=': (a, b) => {
    const pair = operands(a, b);
    return pair ? bool(pair[0] === pair[1]) : EMPTY;
  },
  '!=': (a, b) => {
    const pair = operands(a, b);
    return pair ? bool(pair[0] !== pair[1]) : EMPTY;
  },
  '<': (a, b) => compare(a, b, (x, y) => x < y),
  '<=': (a, b) => compare(a, b, (x, y) => x <= y),
  '>': (a, b) => compare(a, b, (x, y) => x > y),
  '>=': (a, b) => compare(a, b, (x, y) => x >= y),
  '+': (a, b) => {
    const pair = operands(a, b);
    if (!pair) return EMPTY;
    if (typeof pair[0] === 'boolean') needsFhirpathJs();
    return [(pair[0] as string) + (pair[1] as string)];
  },
  and: (a, b) => {
    const x = singletonBoolean(a);
    const y = singletonBoolean(b);
    if (x === false || y === false) return FALSE;
    return x === true && y === true ? TRUE : EMPTY;
  },
  or: (a, b) => {
    const x = singletonBoolean(a);
    const y = singletonBoolean(b);
    if (x === true || y === true) return TRUE;
    return x === false && y === false ? FALSE : EMPTY;
  },
};

/** Integers by value, strings by their UTF-16 code units (so ISO dates in text order by time); anything else goes to fhirpath.js. */
function compare(a: Coll, b: Coll, test: (x: number | string, y: number | string) => boolean): Coll {
  const pair = operands(a, b);
  if (!pair) return EMPTY;
  const [x, y] = pair;
  if ((typeof x === 'number' && typeof y === 'number') || (typeof x === 'string' && typeof y === 'string')) return bool(test(x, y));
  return needsFhirpathJs();
}

function literal(node: AstNode): Fn | undefined {
  switch (node.type) {
    case 'StringLiteral': {
      const text = plainString(node.text);
      if (text === undefined) return undefined;
      const value = Object.freeze([text]);
      return () => value;
    }
    case 'NumberLiteral': {
      // Decimals have their own arithmetic in fhirpath.js; only integers are plain numbers.
      if (!/^\d+$/.test(node.text ?? '')) return undefined;
      const value = Object.freeze([Number(node.text)]);
      return () => value;
    }
    case 'BooleanLiteral': {
      const value = node.text === 'true' ? TRUE : FALSE;
      return () => value;
    }
    case 'NullLiteral':
      return () => EMPTY;
    default:
      return undefined;
  }
}

function variable(node: AstNode): Fn | undefined {
  const name = identifier(node.children?.[0]);
  if (name === undefined || FHIRPATH_JS_VARIABLES.has(name)) return undefined;
  return (_focus, frame) => {
    if (!(name in frame.env)) needsFhirpathJs();
    const value = frame.env[name];
    if (value === undefined || value === null) return EMPTY;
    return Array.isArray(value) ? value : [value];
  };
}

/** A plain identifier's name (delimited `` `names` `` are left to fhirpath.js). */
function identifier(node: AstNode | undefined): string | undefined {
  if (node?.type !== 'Identifier' || !node.text || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(node.text)) return undefined;
  return node.text;
}

function stringLiteral(node: AstNode): string | undefined {
  let n: AstNode | undefined = node;
  while (n && (n.type === 'TermExpression' || n.type === 'LiteralTerm')) n = n.children?.[0];
  return n?.type === 'StringLiteral' ? plainString(n.text) : undefined;
}

/** A quoted string literal without escapes, unquoted. */
function plainString(text: string | undefined): string | undefined {
  if (!text || !/^'[^'\\]*'$/.test(text)) return undefined;
  return text.slice(1, -1);
}
