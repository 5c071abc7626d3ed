/**
 * The one FHIRPath compiler of pont: the parse tree (`fhirpath.parse`) compiled into plain
 * closures, for mapping expressions and declarative rules (over plain JSON, `compileJsonClosures`)
 * and for the invariants of `ElementDefinition.constraint` (over R4 resources typed by the R4
 * model of r4-model.ts, `compileR4Closures`).
 *
 * fhirpath.js spends 5-20 µs setting up each evaluation; mapping files evaluate per-item look-ups
 * (`%record.plans.where(planId = %plan.planId).first()`) for every item of a record, and a CTP
 * record evaluates a few hundred invariants (ext-1 alone on every extension). The closures cover
 * the part of FHIRPath those use. The two data models differ only where the data does:
 * - R4: navigation by the model (choice types, `_field` siblings, contained resources), static
 *   types (a `date` compares as a date), existence, boolean logic, equality, membership, string
 *   functions, number and date comparison, `resolve()`, `ofType()`.
 * - plain JSON: no model, so no static types; navigation reads JSON properties; environment
 *   variables, `$total`/`aggregate`, integers and unescaped strings, the caller's own functions
 *   with string literal arguments; and both sides of `and`/`or` are always evaluated, as
 *   fhirpath.js does, so that errors surface the same way.
 *
 * fhirpath.js stays the reference in exactly two documented cases. A form outside the covered
 * part is decided at compile time: for plain JSON the whole expression goes to fhirpath.js
 * (the compile function returns undefined); for R4 that branch of the tree hands over whenever
 * it is reached. And a value the closures cannot be sure about (a decimal, mixed types, several
 * items where one is expected, a dateTime without a timezone, a primitive with a `_field`
 * sibling in plain JSON, an undefined variable) throws BAIL for that one evaluation. Anything
 * else the closures throw is a fault for the caller to report; an error thrown by one of the
 * caller's functions arrives wrapped in CallerFunctionError, so it is never mistaken for either.
 *
 * `resolve()` is the one deliberate extension: fhirpath.js only resolves references
 * asynchronously against a server, so the closures resolve them locally, as medplum does: a
 * literal reference `Type/id` (or an absolute URL ending in it, or `Reference.type` alone)
 * resolves to a stub of that type, `#id` to the contained resource, a reference to a resource
 * validated alongside (`R4Env.resolveSibling`, e.g. a Bundle entry's `urn:uuid:`) to that
 * resource, anything else to nothing. Expressions using it are evaluated by the closures only.
 *
 * Compiled closures hold no evaluation state: the node, variables and caller's run state arrive
 * with each call.
 */
import fhirpath from 'fhirpath';
import {
  ANY,
  type AstNode,
  BAIL,
  bool,
  type Coll,
  EMPTY,
  FALSE,
  has,
  type Item,
  isObj,
  isPrim,
  type Member,
  member,
  navigate,
  type R4Env,
  RESOURCE,
  type SType,
  SYS_BOOLEAN,
  SYS_INTEGER,
  SYS_STRING,
  staticTypeOfBase,
  TRUE,
  unwrap,
} from './r4-model.js';
import type { Env, ExpressionFunction, ExpressionFunctions } from './types.js';

/** An error thrown by one of the caller's functions, carried through the closures untouched. */
export class CallerFunctionError {
  constructor(readonly error: unknown) {}
}

interface Ctx {
  /** Plain JSON: the variables an expression sees as `%name`. */
  readonly vars: Env;
  /** R4: the resources around the node. */
  readonly r4: R4Env;
  /** R4: the node the invariant is evaluated on (`%context`). */
  readonly node: unknown;
  /** `$total` inside `aggregate()`. */
  readonly total: Coll;
  /** The caller's state for this evaluation, handed to its functions. */
  readonly run: unknown;
}
type Fn = (focus: Coll, ctx: Ctx) => Coll;

/** Plain JSON, typed by nothing but what it holds. */
const JSON_VALUE: SType = { k: 'json' };

type Model = { readonly kind: 'json'; readonly functions: ExpressionFunctions } | { readonly kind: 'r4' };

/** The parse-tree nodes the plain JSON model covers (see the module header). */
const JSON_FORMS = new Set([
  'EntireExpression',
  'TermExpression',
  'ParenthesizedTerm',
  'InvocationTerm',
  'LiteralTerm',
  'ExternalConstantTerm',
  'ThisInvocation',
  'TotalInvocation',
  'MemberInvocation',
  'FunctionInvocation',
  'InvocationExpression',
  'IndexerExpression',
  'EqualityExpression',
  'InequalityExpression',
  'AdditiveExpression',
  'AndExpression',
  'OrExpression',
]);
const JSON_FUNCTIONS = new Set(['first', 'last', 'exists', 'empty', 'count', 'not', 'where', 'aggregate', 'iif']);
/** Variables fhirpath.js defines itself; the plain JSON closures leave them to it. */
const FHIRPATH_JS_VARIABLES = new Set(['context', 'ucum', 'resource', 'rootResource', 'factory', 'terminologies', 'fhirServerUrl', 'sct', 'loinc']);
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Compiled {
  readonly f: Fn;
  readonly st: SType;
  /** For a navigation: whether it yields anything, without building the collection. */
  readonly ex?: (focus: Coll, ctx: Ctx) => boolean;
}

// --- Helpers for operators -----------------------------------------------------------------

/** Singleton evaluation as a boolean: undefined for empty. */
function toBool(c: Coll): boolean | undefined {
  if (c.length === 0) return undefined;
  if (c.length > 1) throw BAIL;
  const v = unwrap(c[0]);
  if (typeof v !== 'boolean') throw BAIL;
  return v;
}

const DATE_TYPES = new Set(['date', 'dateTime', 'instant']);
const isDateType = (st: SType) => st.k === 'prim' && DATE_TYPES.has(st.t);
const isTimeType = (st: SType) => st.k === 'prim' && st.t === 'time';

const DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** FHIRPath comparison of two date/dateTime/instant strings; undefined when precision makes it unknown. */
const DATE_ONLY = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;

function compareDates(a: string, b: string): number | undefined {
  // Two dates of the same precision (the usual case): their text orders as they do.
  if (a.length === b.length && DATE_ONLY.test(a) && DATE_ONLY.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = DATE_TIME.exec(a);
  const y = DATE_TIME.exec(b);
  if (!x || !y) throw BAIL;
  const xTime = x[4] !== undefined;
  const yTime = y[4] !== undefined;
  if (xTime !== yTime) {
    // A date against a dateTime with a time: fhirpath.js decides with the timezone in mind.
    throw BAIL;
  }
  if (!xTime) {
    for (let i = 1; i <= 3; i++) {
      const p = x[i];
      const q = y[i];
      if (p === undefined && q === undefined) return 0;
      if (p === undefined || q === undefined) return undefined;
      if (p !== q) return Number(p) - Number(q);
    }
    return 0;
  }
  const instant = (m: RegExpExecArray): number => {
    const tz = m[8]!;
    const offset = tz === 'Z' ? 0 : (tz.startsWith('-') ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6)));
    const seconds = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000 - offset * 60;
    return seconds + (m[7] ? Number(`0.${m[7]}`) : 0);
  };
  return instant(x) - instant(y);
}

function compareItems(a: Coll, b: Coll, sta: SType, stb: SType): number | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  if (a.length > 1 || b.length > 1) throw BAIL;
  const x = unwrap(a[0]);
  const y = unwrap(b[0]);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') {
    if (isTimeType(sta) || isTimeType(stb)) throw BAIL;
    const da = isDateType(sta);
    const db = isDateType(stb);
    if (da && db) return compareDates(x, y);
    if (da || db) throw BAIL;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  throw BAIL;
}

/** FHIRPath `=` of two items; only for primitives (anything else goes to fhirpath.js). */
function itemEquals(x0: unknown, y0: unknown, dates: boolean): boolean {
  const x = unwrap(x0);
  const y = unwrap(y0);
  if (x === undefined || y === undefined) throw BAIL;
  if (typeof x === 'object' || typeof y === 'object') throw BAIL;
  if (typeof x !== typeof y) throw BAIL;
  if (dates && x !== y) throw BAIL; // differing precision may make the answer empty
  return x === y;
}

function equals(a: Coll, b: Coll, dates: boolean): boolean | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  if (a.length !== b.length) return false;
  if (a.length === 1) {
    // The usual case, without the unwrapping when both are plain.
    const x = a[0];
    const y = b[0];
    if (typeof x !== 'object' && typeof x === typeof y && !dates) return x === y;
  }
  for (let i = 0; i < a.length; i++) if (!itemEquals(a[i], b[i], dates)) return false;
  return true;
}

function member_in(a: Coll, b: Coll, sta: SType, stb: SType): boolean | undefined {
  if (a.length === 0) return undefined;
  if (a.length > 1) throw BAIL;
  const dates = isDateType(sta) || isDateType(stb) || isTimeType(sta) || isTimeType(stb);
  for (const y of b) if (itemEquals(a[0], y, dates)) return true;
  return false;
}

function unescapeString(text: string): string {
  const body = text.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'f':
        return '\f';
      default:
        return c;
    }
  });
}

const identifierName = (n: AstNode): string => {
  const t = n.text ?? '';
  return t.startsWith('`') ? t.slice(1, -1) : t;
};

/** Resolves a Reference locally (see the module header). */
function resolveReference(item: unknown, env: R4Env): unknown {
  if (!isObj(item)) return undefined;
  const ref = unwrap(item.reference);
  if (typeof ref === 'string') {
    if (ref.startsWith('#')) {
      const root = env.rootResource;
      const contained = isObj(root) && Array.isArray(root.contained) ? root.contained : [];
      return contained.find((c) => isObj(c) && c.id === ref.slice(1));
    }
    const sibling = env.resolveSibling?.(ref);
    if (sibling !== undefined) return sibling;
    const q = ref.indexOf('?');
    if (q > 0) return /^[A-Z][A-Za-z]+$/.test(ref.slice(0, q)) ? { resourceType: ref.slice(0, q) } : undefined;
    const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(ref);
    return m ? { resourceType: m[1], id: m[2] } : undefined;
  }
  const type = unwrap(item.type);
  return typeof type === 'string' && /^[A-Z][A-Za-z]+$/.test(type) ? { resourceType: type } : undefined;
}

// --- The compiler ----------------------------------------------------------------------------

/** A closure that gives up whenever it is evaluated. */
const ALWAYS_BAIL: Fn = () => {
  throw BAIL;
};
/** A navigation the compiler cannot type: gives up unless there is nothing to navigate. */
const BAIL_UNLESS_EMPTY: Fn = (focus) => {
  if (focus.length === 0) return EMPTY;
  throw BAIL;
};

class Compiler {
  usesResolve = false;
  /** A form outside the covered part was met (see the module header). */
  uncovered = false;

  constructor(
    private readonly root: SType,
    private readonly model: Model,
  ) {}

  private get json(): boolean {
    return this.model.kind === 'json';
  }

  /** A form the closures do not cover: hands over whenever it is reached. */
  private cannot(): Compiled {
    this.uncovered = true;
    return { f: ALWAYS_BAIL, st: ANY };
  }

  compile(node: AstNode, focus: SType): Compiled {
    const c = node.children ?? [];
    if (this.json && !JSON_FORMS.has(node.type)) return this.cannot();
    switch (node.type) {
      case 'EntireExpression':
      case 'TermExpression':
      case 'ParenthesizedTerm':
      case 'InvocationTerm':
        return this.compile(c[0]!, focus);
      case 'LiteralTerm':
        return this.literal(c[0]!);
      case 'ExternalConstantTerm':
        return this.constant(c[0]!);
      case 'InvocationExpression': {
        const left = this.compile(c[0]!, focus);
        const lf = left.f;
        const lex = left.ex;
        // `path.exists()` / `path.empty()`: test the navigation without building its result.
        const existence = existenceFunction(c[1]!);
        if ((existence === 'exists' || existence === 'empty') && lex) {
          return existence === 'exists' ? { f: (input, ctx) => bool(lex(input, ctx)), st: SYS_BOOLEAN } : { f: (input, ctx) => bool(!lex(input, ctx)), st: SYS_BOOLEAN };
        }
        // `element.hasValue()` on a plain primitive element of the focus: read it directly.
        const plain = plainMember(c[0]!, focus);
        if (existence === 'hasValue' && plain) {
          const { name, m } = plain;
          return {
            f: (input, ctx) => {
              if (input.length === 1) {
                const it = input[0];
                if (typeof it === 'object' && it !== null && !Array.isArray(it) && !isPrim(it)) {
                  const o = it as Record<string, unknown>;
                  const v = o[name];
                  const e = o[m.extKey];
                  if ((e === undefined || e === null) && !Array.isArray(v)) return bool(v !== undefined && v !== null && typeof v !== 'object');
                }
              }
              const items = lf(input, ctx);
              if (items.length !== 1) return FALSE;
              const v = unwrap(items[0]);
              return bool(v !== undefined && v !== null && typeof v !== 'object');
            },
            st: SYS_BOOLEAN,
          };
        }
        const right = this.invocation(c[1]!, left.st);
        const rf = right.f;
        const rex = right.ex;
        return {
          f: (input, ctx) => rf(lf(input, ctx), ctx),
          st: right.st,
          ex: rex ? (input, ctx) => rex(lf(input, ctx), ctx) : undefined,
        };
      }
      case 'MemberInvocation':
      case 'FunctionInvocation':
      case 'ThisInvocation':
      case 'TotalInvocation':
        return this.invocation(node, focus);
      case 'IndexerExpression': {
        const left = this.compile(c[0]!, focus);
        const index = this.compile(c[1]!, focus);
        const lf = left.f;
        const ixf = index.f;
        return {
          f: (input, ctx) => {
            const i = ixf(input, ctx);
            const n = unwrap(i[0]);
            if (i.length !== 1 || typeof n !== 'number' || !Number.isInteger(n)) throw BAIL;
            const items = lf(input, ctx);
            return n >= 0 && n < items.length ? [items[n]] : EMPTY;
          },
          st: left.st,
        };
      }
      case 'PolarityExpression': {
        const inner = this.compile(c[0]!, focus);
        const f = inner.f;
        const sign = node.text === '-' ? -1 : 1;
        return {
          f: (input, ctx) => {
            const v = f(input, ctx);
            if (v.length === 0) return EMPTY;
            const n = unwrap(v[0]);
            if (v.length > 1 || typeof n !== 'number') throw BAIL;
            return [sign * n];
          },
          st: inner.st,
        };
      }
      case 'AndExpression':
      case 'OrExpression':
      case 'ImpliesExpression':
        return this.logic(node, focus);
      case 'EqualityExpression':
      case 'InequalityExpression':
      case 'MembershipExpression':
      case 'UnionExpression':
      case 'AdditiveExpression':
        return this.binary(node, focus);
      default:
        // TypeExpression (is/as), MultiplicativeExpression, quantities, dates, ...
        return this.cannot();
    }
  }

  private literal(lit: AstNode): Compiled {
    switch (lit.type) {
      case 'StringLiteral': {
        // Without a model, fhirpath.js's own escapes are left to it.
        if (this.json && !/^'[^'\\]*'$/.test(lit.text ?? '')) return this.cannot();
        const s = unescapeString(lit.text ?? "''");
        const v = Object.freeze([s]);
        return { f: () => v, st: SYS_STRING };
      }
      case 'NumberLiteral': {
        // Without a model, decimals have their own arithmetic in fhirpath.js; only integers are plain numbers.
        if (this.json && !/^\d+$/.test(lit.text ?? '')) return this.cannot();
        const n = Number(lit.text);
        const v = Object.freeze([n]);
        return { f: () => v, st: /[.eE]/.test(lit.text ?? '') ? { k: 'sys', t: 'Decimal' } : SYS_INTEGER };
      }
      case 'BooleanLiteral': {
        const v = lit.text === 'true' ? TRUE : FALSE;
        return { f: () => v, st: SYS_BOOLEAN };
      }
      case 'NullLiteral':
        return { f: () => EMPTY, st: ANY };
      default:
        return this.cannot();
    }
  }

  private constant(node: AstNode): Compiled {
    const id = node.children?.[0];
    if (this.json) {
      const name = id?.type === 'Identifier' ? id.text : undefined;
      if (name === undefined || !PLAIN_IDENTIFIER.test(name) || FHIRPATH_JS_VARIABLES.has(name)) return this.cannot();
      return {
        f: (_i, ctx) => {
          if (!(name in ctx.vars)) throw BAIL;
          const value = ctx.vars[name];
          if (value === undefined || value === null) return EMPTY;
          return Array.isArray(value) ? value : [value];
        },
        st: JSON_VALUE,
      };
    }
    const name = id ? (id.type === 'StringLiteral' ? unescapeString(id.text ?? "''") : identifierName(id)) : '';
    switch (name) {
      case 'ucum': {
        const v = Object.freeze(['http://unitsofmeasure.org']);
        return { f: () => v, st: SYS_STRING };
      }
      case 'resource':
        return { f: (_i, ctx) => (ctx.r4.resource === undefined ? EMPTY : [ctx.r4.resource]), st: RESOURCE };
      case 'rootResource':
        return { f: (_i, ctx) => (ctx.r4.rootResource === undefined ? EMPTY : [ctx.r4.rootResource]), st: RESOURCE };
      case 'context':
        return { f: (_i, ctx) => [ctx.node], st: this.root };
      default:
        return this.cannot();
    }
  }

  private invocation(node: AstNode, focus: SType): Compiled {
    switch (node.type) {
      case 'MemberInvocation': {
        const id = node.children![0]!;
        if (this.json && !PLAIN_IDENTIFIER.test(id.text ?? '')) return this.cannot();
        return this.member(identifierName(id), focus);
      }
      case 'ThisInvocation':
        return { f: (input) => input, st: focus };
      case 'TotalInvocation':
        return { f: (_input, ctx) => ctx.total, st: this.json ? JSON_VALUE : ANY };
      case 'FunctionInvocation':
        return this.func(node.children![0]!, focus);
      default:
        return this.cannot();
    }
  }

  private member(name: string, focus: SType): Compiled {
    if (focus.k === 'json') {
      // A leading capital is a FHIR type name (`Patient.name`), which filters rather than navigates.
      if (/^[A-Z]/.test(name)) return this.cannot();
      return { f: jsonMember(name), st: JSON_VALUE };
    }
    if (focus.k === 'path') {
      // A leading type name (`Patient.name`) filters by type in FHIRPath; not used by R4 invariants.
      if (/^[A-Z]/.test(name)) return this.cannot();
      const m = member(focus.p, name);
      if (!m) return { f: BAIL_UNLESS_EMPTY, st: ANY };
      return { f: (input) => (input.length === 0 ? EMPTY : navigate(input, name, m)), st: m.st, ex: (input) => has(input, name, m) };
    }
    if (focus.k === 'prim') {
      if (name === 'extension')
        return { f: (input) => navigate(input, name, { extKey: '_extension', choice: undefined, primitive: false, st: ANY }), st: { k: 'path', p: 'Extension' } };
      if (name === 'id') return { f: (input) => navigate(input, name, { extKey: '_id', choice: undefined, primitive: true, st: ANY }), st: { k: 'prim', t: 'string' } };
      return { f: BAIL_UNLESS_EMPTY, st: ANY };
    }
    if (focus.k === 'resource') {
      // The resource type is known only at run time; the element must mean the same in all.
      const common = member('DomainResource', name);
      return {
        f: (input) => {
          if (input.length === 0) return EMPTY;
          const out: Item[] = [];
          for (const it of input) {
            if (!isObj(it) || typeof it.resourceType !== 'string') throw BAIL;
            const m = member(it.resourceType, name);
            if (!m) throw BAIL;
            for (const x of navigate([it], name, m)) out.push(x);
          }
          return out;
        },
        st: common?.st ?? ANY,
      };
    }
    return { f: BAIL_UNLESS_EMPTY, st: ANY };
  }

  private args(fn: AstNode): AstNode[] {
    const params = fn.children?.find((c) => c.type === 'ParamList');
    return params?.children ?? [];
  }

  /** A literal argument, or undefined. */
  private literalArg(arg: AstNode | undefined): unknown {
    let n: AstNode | undefined = arg;
    while (n && (n.type === 'TermExpression' || n.type === 'ParenthesizedTerm') && n.children?.length === 1) n = n.children[0];
    if (n?.type === 'PolarityExpression' && node0(n)?.type === 'TermExpression') {
      const v = this.literalArg(node0(n));
      return typeof v === 'number' ? (n.text === '-' ? -v : v) : undefined;
    }
    if (n?.type !== 'LiteralTerm') return undefined;
    const lit = n.children![0]!;
    if (lit.type === 'StringLiteral') return unescapeString(lit.text ?? "''");
    if (lit.type === 'NumberLiteral') return Number(lit.text);
    if (lit.type === 'BooleanLiteral') return lit.text === 'true';
    return undefined;
  }

  /** A type specifier argument (`ofType(Practitioner)`), or undefined. */
  private typeArg(arg: AstNode | undefined): string | undefined {
    let n: AstNode | undefined = arg;
    while (n && n.children?.length === 1 && n.type !== 'MemberInvocation') n = n.children[0];
    return n?.type === 'MemberInvocation' ? identifierName(n.children![0]!) : undefined;
  }

  private func(fn: AstNode, focus: SType): Compiled {
    const name = identifierName(fn.children![0]!);
    const args = this.args(fn);
    if (this.model.kind === 'json') {
      // fhirpath.js looks in the caller's own functions first.
      const own = Object.hasOwn(this.model.functions, name) ? this.model.functions[name] : undefined;
      if (own) return this.callerFunction(own, args);
      if (!JSON_FUNCTIONS.has(name)) return this.cannot();
    }
    const stringArgs = (count: number[]): unknown[] | undefined => {
      if (!count.includes(args.length)) return undefined;
      const values = args.map((a) => this.literalArg(a));
      return values.some((v) => v === undefined) ? undefined : values;
    };
    switch (name) {
      case 'exists':
      case 'empty':
      case 'count':
      case 'hasValue':
      case 'not':
      case 'allFalse':
      case 'allTrue':
      case 'anyTrue':
      case 'anyFalse':
      case 'first':
      case 'last':
      case 'trace': {
        if (name === 'exists' && args.length === 1) {
          const where = this.where(args[0]!, focus);
          return { f: (input, ctx) => bool(where(input, ctx).length > 0), st: SYS_BOOLEAN };
        }
        if (name !== 'trace' && args.length > 0) break;
        return this.simpleFunction(name, focus);
      }
      case 'where':
        if (args.length !== 1) break;
        return { f: this.where(args[0]!, focus), st: focus };
      case 'aggregate': {
        if (args.length !== 1) break;
        const aggregator = this.compile(args[0]!, focus).f;
        return {
          f: (input, ctx) => {
            let total: Coll = EMPTY;
            for (let i = 0; i < input.length; i++) total = aggregator([input[i]], { vars: ctx.vars, r4: ctx.r4, node: ctx.node, total, run: ctx.run });
            return total;
          },
          st: this.json ? JSON_VALUE : ANY,
        };
      }
      case 'select': {
        if (args.length !== 1) break;
        const proj = this.compile(args[0]!, focus);
        const pf = proj.f;
        return {
          f: (input, ctx) => {
            const out: Item[] = [];
            for (const it of input) for (const x of pf([it], ctx)) out.push(x);
            return out;
          },
          st: proj.st,
        };
      }
      case 'all': {
        if (args.length !== 1) break;
        const crit = this.compile(args[0]!, focus).f;
        return {
          f: (input, ctx) => {
            for (const it of input) if (toBool(crit([it], ctx)) !== true) return FALSE;
            return TRUE;
          },
          st: SYS_BOOLEAN,
        };
      }
      case 'startsWith':
      case 'endsWith':
      case 'contains': {
        const a = stringArgs([1]);
        if (!a || typeof a[0] !== 'string') break;
        const s = a[0];
        const test = name === 'startsWith' ? (x: string) => x.startsWith(s) : name === 'endsWith' ? (x: string) => x.endsWith(s) : (x: string) => x.includes(s);
        return {
          f: (input) => {
            if (input.length === 0) return EMPTY;
            const v = unwrap(input[0]);
            if (input.length > 1 || typeof v !== 'string') throw BAIL;
            return bool(test(v));
          },
          st: SYS_BOOLEAN,
        };
      }
      case 'substring': {
        const a = stringArgs([1, 2]);
        if (!a || a.some((x) => typeof x !== 'number')) break;
        const [start, length] = a as number[];
        return {
          f: (input) => {
            if (input.length === 0) return EMPTY;
            const v = unwrap(input[0]);
            if (input.length > 1 || typeof v !== 'string') throw BAIL;
            if (start! < 0 || start! >= v.length) return EMPTY;
            return [length === undefined ? v.slice(start) : v.substr(start!, Math.max(0, length))];
          },
          st: SYS_STRING,
        };
      }
      case 'iif': {
        if (args.length !== 2 && args.length !== 3) break;
        const crit = this.compile(args[0]!, focus).f;
        const a = this.compile(args[1]!, focus);
        const b = args[2] ? this.compile(args[2], focus) : undefined;
        const af = a.f;
        const bf = b?.f;
        return {
          f: (input, ctx) => {
            if (input.length > 1) throw BAIL;
            if (toBool(crit(input, ctx)) === true) return af(input, ctx);
            return bf ? bf(input, ctx) : EMPTY;
          },
          st: b && b.st.k !== a.st.k ? ANY : a.st,
        };
      }
      case 'resolve': {
        if (args.length !== 0) break;
        this.usesResolve = true;
        return {
          f: (input, ctx) => {
            const out: Item[] = [];
            for (const it of input) {
              const r = resolveReference(it, ctx.r4);
              if (r !== undefined) out.push(r);
            }
            return out;
          },
          st: RESOURCE,
        };
      }
      case 'ofType': {
        const t = args.length === 1 ? this.typeArg(args[0]) : undefined;
        if (!t || !/^[A-Z]/.test(t) || t === 'Resource' || t === 'DomainResource') break;
        return {
          f: (input) => {
            const out: Item[] = [];
            for (const it of input) {
              if (!isObj(it) || typeof it.resourceType !== 'string') throw BAIL;
              if (it.resourceType === t) out.push(it);
            }
            return out;
          },
          st: { k: 'path', p: t },
        };
      }
      default:
        break;
    }
    return this.cannot();
  }

  private callerFunction(own: ExpressionFunction, params: AstNode[]): Compiled {
    const args: string[] = [];
    for (const param of params) {
      const text = this.literalArg(param);
      if (typeof text !== 'string' || !isPlainStringLiteral(param)) return this.cannot();
      args.push(text);
    }
    // fhirpath.js refuses a call whose argument count the function does not declare.
    if (!own.arity[args.length]) return this.cannot();
    const fn = own.fn;
    return {
      f: (focus, ctx) => {
        let result: unknown;
        try {
          result = fn(ctx.run, focus as unknown[], ...args);
        } catch (err) {
          throw new CallerFunctionError(err);
        }
        if (Array.isArray(result)) return result;
        return result === undefined || result === null ? EMPTY : [result];
      },
      st: JSON_VALUE,
    };
  }

  private where(arg: AstNode, focus: SType): Fn {
    const crit = this.compile(arg, focus).f;
    return (input, ctx) => {
      if (input.length === 0) return EMPTY;
      const out: Item[] = [];
      for (const it of input) if (toBool(crit([it], ctx)) === true) out.push(it);
      return out;
    };
  }

  private simpleFunction(name: string, focus: SType): Compiled {
    switch (name) {
      case 'exists':
        return { f: (input) => bool(input.length > 0), st: SYS_BOOLEAN };
      case 'empty':
        return { f: (input) => bool(input.length === 0), st: SYS_BOOLEAN };
      case 'count':
        return { f: (input) => [input.length], st: SYS_INTEGER };
      case 'hasValue':
        return {
          f: (input) => {
            if (input.length !== 1) return FALSE;
            const v = unwrap(input[0]);
            return bool(v !== undefined && v !== null && typeof v !== 'object');
          },
          st: SYS_BOOLEAN,
        };
      case 'not':
        return {
          f: (input) => {
            const b = toBool(input);
            return b === undefined ? EMPTY : bool(!b);
          },
          st: SYS_BOOLEAN,
        };
      case 'allFalse':
      case 'allTrue':
      case 'anyTrue':
      case 'anyFalse': {
        const want = name === 'allTrue' || name === 'anyTrue';
        const all = name.startsWith('all');
        return {
          f: (input) => {
            let any = false;
            for (const it of input) {
              const v = unwrap(it);
              if (typeof v !== 'boolean') throw BAIL;
              if (v === want) any = true;
              else if (all) return FALSE;
            }
            return all ? TRUE : bool(any);
          },
          st: SYS_BOOLEAN,
        };
      }
      case 'first':
        return { f: (input) => (input.length === 0 ? EMPTY : [input[0]]), st: focus };
      case 'last':
        return { f: (input) => (input.length === 0 ? EMPTY : [input[input.length - 1]]), st: focus };
      default: // trace
        return { f: (input) => input, st: focus };
    }
  }

  private logic(node: AstNode, focus: SType): Compiled {
    const l = this.compile(node.children![0]!, focus).f;
    const r = this.compile(node.children![1]!, focus).f;
    const op = node.type === 'AndExpression' ? 'and' : node.type === 'ImpliesExpression' ? 'implies' : node.text;
    if (this.json) return op === 'and' || op === 'or' ? { f: bothSides(op, l, r), st: SYS_BOOLEAN } : this.cannot();
    let f: Fn;
    switch (op) {
      case 'and':
        f = (input, ctx) => {
          const a = toBool(l(input, ctx));
          if (a === false) return FALSE;
          const b = toBool(r(input, ctx));
          if (b === false) return FALSE;
          return a === true && b === true ? TRUE : EMPTY;
        };
        break;
      case 'or':
        f = (input, ctx) => {
          const a = toBool(l(input, ctx));
          if (a === true) return TRUE;
          const b = toBool(r(input, ctx));
          if (b === true) return TRUE;
          return a === false && b === false ? FALSE : EMPTY;
        };
        break;
      case 'xor':
        f = (input, ctx) => {
          const a = toBool(l(input, ctx));
          if (a === undefined) return EMPTY;
          const b = toBool(r(input, ctx));
          return b === undefined ? EMPTY : bool(a !== b);
        };
        break;
      case 'implies':
        f = (input, ctx) => {
          const a = toBool(l(input, ctx));
          if (a === false) return TRUE;
          const b = toBool(r(input, ctx));
          if (b === true) return TRUE;
          if (a === true) return b === undefined ? EMPTY : FALSE;
          return EMPTY;
        };
        break;
      default:
        return this.cannot();
    }
    return { f, st: SYS_BOOLEAN };
  }

  private binary(node: AstNode, focus: SType): Compiled {
    const left = this.compile(node.children![0]!, focus);
    const right = this.compile(node.children![1]!, focus);
    const l = left.f;
    const r = right.f;
    const sl = left.st;
    const sr = right.st;
    const dates = isDateType(sl) || isDateType(sr) || isTimeType(sl) || isTimeType(sr);
    switch (node.text) {
      case '=':
        return {
          f: (input, ctx) => {
            const e = equals(l(input, ctx), r(input, ctx), dates);
            return e === undefined ? EMPTY : bool(e);
          },
          st: SYS_BOOLEAN,
        };
      case '!=':
        return {
          f: (input, ctx) => {
            const e = equals(l(input, ctx), r(input, ctx), dates);
            return e === undefined ? EMPTY : bool(!e);
          },
          st: SYS_BOOLEAN,
        };
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const op = node.text;
        const test = op === '<' ? (n: number) => n < 0 : op === '<=' ? (n: number) => n <= 0 : op === '>' ? (n: number) => n > 0 : (n: number) => n >= 0;
        return {
          f: (input, ctx) => {
            const c = compareItems(l(input, ctx), r(input, ctx), sl, sr);
            return c === undefined ? EMPTY : bool(test(c));
          },
          st: SYS_BOOLEAN,
        };
      }
      case 'in':
      case 'contains': {
        const swap = node.text === 'contains';
        return {
          f: (input, ctx) => {
            const a = l(input, ctx);
            const b = r(input, ctx);
            const m = swap ? member_in(b, a, sr, sl) : member_in(a, b, sl, sr);
            return m === undefined ? EMPTY : bool(m);
          },
          st: SYS_BOOLEAN,
        };
      }
      case '|':
        return {
          f: (input, ctx) => {
            const out: Item[] = [];
            for (const x of [...l(input, ctx), ...r(input, ctx)]) {
              if (typeof unwrap(x) === 'object') throw BAIL;
              if (!out.some((y) => unwrap(y) === unwrap(x))) out.push(x);
            }
            return out;
          },
          st: sl.k === sr.k ? sl : ANY,
        };
      case '+':
        return {
          f: (input, ctx) => {
            const a = l(input, ctx);
            const b = r(input, ctx);
            if (a.length === 0 || b.length === 0) return EMPTY;
            const x = unwrap(a[0]);
            const y = unwrap(b[0]);
            if (a.length > 1 || b.length > 1) throw BAIL;
            if (typeof x === 'number' && typeof y === 'number' && Number.isInteger(x) && Number.isInteger(y)) return [x + y];
            if (typeof x === 'string' && typeof y === 'string' && !isDateType(sl) && !isDateType(sr)) return [x + y];
            throw BAIL;
          },
          st: sl,
        };
      default:
        return this.cannot();
    }
  }
}

/** The function when the invocation is `exists()`, `empty()` or `hasValue()` without arguments. */
function existenceFunction(n: AstNode): 'exists' | 'empty' | 'hasValue' | undefined {
  if (n.type !== 'FunctionInvocation') return undefined;
  const fn = n.children?.[0];
  if (!fn || fn.children?.some((c) => c.type === 'ParamList')) return undefined;
  const name = identifierName(fn.children![0]!);
  return name === 'exists' || name === 'empty' || name === 'hasValue' ? name : undefined;
}

/** For `name` at the root of an expression, on a focus of known type: a plain primitive member. */
function plainMember(n: AstNode, focus: SType): { name: string; m: Member } | undefined {
  let t: AstNode | undefined = n;
  while (t && (t.type === 'TermExpression' || t.type === 'InvocationTerm') && t.children?.length === 1) t = t.children[0];
  if (t?.type !== 'MemberInvocation' || focus.k !== 'path') return undefined;
  const name = identifierName(t.children![0]!);
  if (/^[A-Z]/.test(name)) return undefined;
  const m = member(focus.p, name);
  return m?.primitive && !m.choice ? { name, m } : undefined;
}

function node0(n: AstNode): AstNode | undefined {
  return n.children?.[0];
}

/** `and`/`or` with both sides evaluated, as fhirpath.js does (plain JSON). */
function bothSides(op: 'and' | 'or', l: Fn, r: Fn): Fn {
  return (input, ctx) => {
    const a = toBool(l(input, ctx));
    const b = toBool(r(input, ctx));
    if (op === 'and') {
      if (a === false || b === false) return FALSE;
      return a === true && b === true ? TRUE : EMPTY;
    }
    if (a === true || b === true) return TRUE;
    return a === false && b === false ? FALSE : EMPTY;
  };
}

/** Navigation of plain JSON: a property, lists flattened, empties dropped. */
function jsonMember(name: string): Fn {
  const sibling = `_${name}`;
  return (focus) => {
    if (focus.length === 0) return EMPTY;
    const out: unknown[] = [];
    for (let i = 0; i < focus.length; i++) {
      const item = focus[i];
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        // fhirpath.js reads JavaScript properties of primitives too (`'abc'.length` is 3).
        if ((item as Record<string, unknown> | null | undefined)?.[name] === undefined) continue;
        throw BAIL;
      }
      const record = item as Record<string, unknown>;
      // fhirpath.js merges a primitive's `_field` extensions into its value: leave those to it.
      if (record[sibling] !== undefined) throw BAIL;
      const value = record[name];
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) {
        for (let j = 0; j < value.length; j++) if (value[j] !== undefined && value[j] !== null) out.push(value[j]);
      } else out.push(value);
    }
    return out;
  };
}

/** A string literal without escapes (the only kind the caller's functions get from the closures). */
function isPlainStringLiteral(node: AstNode): boolean {
  let n: AstNode | undefined = node;
  while (n && (n.type === 'TermExpression' || n.type === 'LiteralTerm')) n = n.children?.[0];
  return n?.type === 'StringLiteral' && /^'[^'\\]*'$/.test(n.text ?? '');
}
const NO_VARIABLES: Env = Object.freeze({});
const NO_RESOURCES: R4Env = Object.freeze({ resource: undefined, rootResource: undefined });

/**
 * Plain JSON: the closures for an expression, or undefined when it uses anything they do not
 * cover (then fhirpath.js evaluates it). The result may throw BAIL for a given input.
 */
export function compileJsonClosures(expression: string, functions: ExpressionFunctions): ((input: unknown, vars: Env, run?: unknown) => unknown[]) | undefined {
  let tree: AstNode;
  try {
    tree = fhirpath.parse(expression) as AstNode;
  } catch {
    return undefined;
  }
  const compiler = new Compiler(JSON_VALUE, { kind: 'json', functions });
  const f = compiler.compile(tree, JSON_VALUE).f;
  if (compiler.uncovered) return undefined;
  return (input, vars, run) => f(rootCollection(input), { vars, r4: NO_RESOURCES, node: undefined, total: EMPTY, run }) as unknown[];
}

/** The input as fhirpath.js sees it (the mapping engine passes `{}` for no input). */
function rootCollection(input: unknown): Coll {
  if (input === undefined || input === null) return [{}];
  return Array.isArray(input) ? input : [input];
}

export type R4Closure = (node: unknown, env: R4Env) => Coll;

const compiledCache = new Map<string, { f: R4Closure | undefined; usesResolve: boolean }>();

/**
 * R4: the closures for an expression on nodes at a canonical base, or `f: undefined` when
 * fhirpath.js cannot parse it either. `usesResolve`: the expression calls `resolve()`, which only
 * the closures can evaluate. Cached per (base, expression): compiled code only.
 */
export function compileR4Closures(base: string, expression: string): { f: R4Closure | undefined; usesResolve: boolean } {
  const cacheKey = `${base}\u0000${expression}`;
  let c = compiledCache.get(cacheKey);
  if (!c) {
    try {
      const root = staticTypeOfBase(base);
      const compiler = new Compiler(root, { kind: 'r4' });
      const ast = fhirpath.parse(expression) as AstNode;
      const f = compiler.compile(ast, root).f;
      // A form the closures do not cover at its root: fhirpath.js answers every evaluation.
      c = {
        f: f === ALWAYS_BAIL ? undefined : (node, env) => f([node], { vars: NO_VARIABLES, r4: env, node, total: EMPTY, run: undefined }),
        usesResolve: compiler.usesResolve,
      };
    } catch {
      c = { f: undefined, usesResolve: false }; // not parseable here: fhirpath.js answers (or not)
    }
    compiledCache.set(cacheKey, c);
  }
  return c;
}
