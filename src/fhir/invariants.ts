/**
 * R4 invariants (`ElementDefinition.constraint`), compiled once per expression and context path.
 *
 * The reference semantics are fhirpath.js: every invariant can be evaluated with
 * `fhirpath.compile({ base, expression }, r4)`, compiled once on first need. fhirpath.js spends
 * 5-20 µs per evaluation setting up its context, though, and a CTP record evaluates a few
 * hundred invariants (ext-1 alone on every extension), which would cost more than the whole
 * validation budget. So the same parse tree (`fhirpath.parse`) is also compiled into plain
 * closures over the JSON, for the part of FHIRPath the R4 invariants use: navigation (choice
 * types, `_field` siblings, contained resources), existence, boolean logic, equality,
 * membership, string functions, number and date/dateTime comparison. Anything outside that
 * part, or a value the closures cannot be sure about (a dateTime without a timezone, a
 * comparison of quantities, `htmlChecks()`, `descendants()`), makes the closure give up for
 * that evaluation only, and fhirpath.js answers instead. `crossCheck` runs both on every
 * evaluation; test/fhir/base-equivalence.test.ts does so over the whole corpus.
 *
 * `resolve()` is the one deliberate extension: fhirpath.js only resolves references
 * asynchronously against a server, so the closures resolve them locally, as medplum does: a
 * literal reference `Type/id` (or an absolute URL ending in it, or `Reference.type` alone)
 * resolves to a stub of that type, `#id` to the contained resource, anything else to nothing.
 * Invariants using it (R4 ctm-1) are evaluated by the closures only.
 */
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4/index.js';

export interface InvariantEnv {
  /** The resource that contains the node (a contained resource for nodes inside it). */
  readonly resource: unknown;
  /** The resource being validated. */
  readonly rootResource: unknown;
}

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

interface R4Model {
  readonly choiceTypePaths: Record<string, string[]>;
  readonly pathsDefinedElsewhere: Record<string, string>;
  readonly type2Parent: Record<string, string>;
  readonly path2Type: Record<string, string | { code: string }>;
}
const model = r4Model as unknown as R4Model;

/** Thrown by the closures when only fhirpath.js can answer. */
class Bail {}
const BAIL = new Bail();

/** A primitive that has a `_field` sibling: value (possibly absent) plus its Element part. */
class Prim {
  constructor(
    readonly value: unknown,
    readonly ext: Record<string, unknown>,
  ) {}
}

type Item = unknown;
type Coll = readonly Item[];
const EMPTY: Coll = Object.freeze([]);
const TRUE: Coll = Object.freeze([true]);
const FALSE: Coll = Object.freeze([false]);
const bool = (b: boolean): Coll => (b ? TRUE : FALSE);

interface Ctx {
  env: InvariantEnv;
  /** The node the invariant is evaluated on (`%context`). */
  node: unknown;
}
type Fn = (focus: Coll, ctx: Ctx) => Coll;

/** Static type of a collection, as far as the compiler knows it. */
type SType =
  | { readonly k: 'path'; readonly p: string } // complex type, backbone element or resource path
  | { readonly k: 'prim'; readonly t: string } // FHIR primitive (`date`, `string`, ...)
  | { readonly k: 'sys'; readonly t: 'String' | 'Boolean' | 'Integer' | 'Decimal' } // literals, function results
  | { readonly k: 'resource' } // a resource of a type known only at run time
  | { readonly k: 'any' };

const ANY: SType = { k: 'any' };
const RESOURCE: SType = { k: 'resource' };
const SYS_BOOLEAN: SType = { k: 'sys', t: 'Boolean' };
const SYS_INTEGER: SType = { k: 'sys', t: 'Integer' };
const SYS_STRING: SType = { k: 'sys', t: 'String' };

interface Compiled {
  readonly f: Fn;
  readonly st: SType;
  /** For a navigation: whether it yields anything, without building the collection. */
  readonly ex?: (focus: Coll, ctx: Ctx) => boolean;
}

interface AstNode {
  readonly type: string;
  readonly text?: string;
  readonly children?: AstNode[];
}

/**
 * Whether a value is a Prim. Not `instanceof`: under tsx (esbuild's keepNames) the class gets a
 * `name` of its own, which takes `instanceof` off V8's fast path.
 */
const PRIM_PROTO: object = Prim.prototype;
function isPrim(v: unknown): v is Prim {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === PRIM_PROTO;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !isPrim(v);
const unwrap = (v: unknown): unknown => (isPrim(v) ? v.value : v);

/** Pushes the values of a primitive element, paired with its `_field` sibling. */
function pushPrimitive(out: Item[], v: unknown, e: unknown): void {
  if (e === undefined || e === null) {
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && x !== undefined) out.push(x);
    } else if (v !== undefined && v !== null) out.push(v);
    return;
  }
  if (Array.isArray(v) || Array.isArray(e)) {
    const vs = Array.isArray(v) ? v : [];
    const es = Array.isArray(e) ? e : [];
    const n = Math.max(vs.length, es.length);
    for (let i = 0; i < n; i++) {
      const x = vs[i];
      const y = es[i];
      if (isObj(y)) out.push(new Prim(x ?? undefined, y));
      else if (x !== null && x !== undefined) out.push(x);
    }
    return;
  }
  if (isObj(e)) out.push(new Prim(v ?? undefined, e));
  else if (v !== undefined && v !== null) out.push(v);
}

function pushComplex(out: Item[], v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && x !== undefined) out.push(x);
  } else if (v !== undefined && v !== null) out.push(v);
}

function hasPrimitive(v: unknown, e: unknown): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && x !== undefined) return true;
  } else if (v !== undefined && v !== null) return true;
  if (Array.isArray(e)) {
    for (const y of e) if (isObj(y)) return true;
    return false;
  }
  return isObj(e);
}

function hasComplex(v: unknown): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && x !== undefined) return true;
    return false;
  }
  return v !== undefined && v !== null;
}

// --- The R4 model --------------------------------------------------------------------------

interface ChoiceKey {
  readonly valueKey: string;
  readonly extKey: string;
  readonly primitive: boolean;
}

interface Member {
  /** The `_field` key of a primitive element. */
  readonly extKey: string;
  /** For a choice element: each JSON key it may take (`valueString`, `_valueString`, ...). */
  readonly choice: ReadonlyMap<string, ChoiceKey> | undefined;
  readonly primitive: boolean;
  readonly st: SType;
}

const PRIMITIVE_CODES = new Set([
  'base64Binary', 'boolean', 'canonical', 'code', 'date', 'dateTime', 'decimal', 'id', 'instant', 'integer', 'markdown',
  'oid', 'positiveInt', 'string', 'time', 'unsignedInt', 'uri', 'url', 'uuid', 'xhtml',
]);

function typeToSType(path: string, t: string | { code: string }): SType {
  const code = typeof t === 'string' ? t : t.code;
  if (code === 'BackboneElement' || code === 'Element') return { k: 'path', p: path };
  if (code === 'Resource') return RESOURCE;
  if (code.startsWith('System.')) return { k: 'prim', t: code === 'System.String' ? 'string' : code.slice(7).toLowerCase() };
  if (PRIMITIVE_CODES.has(code)) return { k: 'prim', t: code };
  return { k: 'path', p: code };
}

function normalizePath(path: string): string {
  let p = path;
  for (let guard = 0; guard < 10; guard++) {
    let changed = false;
    for (const [from, to] of Object.entries(model.pathsDefinedElsewhere)) {
      if (p === from || p.startsWith(`${from}.`)) {
        p = to + p.slice(from.length);
        changed = true;
        break;
      }
    }
    if (!changed) break;
  }
  return p;
}

const memberCache = new Map<string, Member | null>();

/** The element `name` of the type or backbone element at `path`, or null when there is none. */
function member(path: string, name: string): Member | null {
  const cacheKey = `${path}|${name}`;
  const cached = memberCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let result: Member | null = null;
  const candidates = [normalizePath(`${path}.${name}`)];
  if (!path.includes('.')) {
    for (let parent = model.type2Parent[path]; parent; parent = model.type2Parent[parent]) candidates.push(`${parent}.${name}`);
  } else {
    candidates.push(`BackboneElement.${name}`, `Element.${name}`);
  }
  for (const c of candidates) {
    const choice = model.choiceTypePaths[c];
    if (choice) {
      const keys = new Map<string, ChoiceKey>();
      for (const suffix of choice) {
        const code = suffix.charAt(0).toLowerCase() + suffix.slice(1);
        const key: ChoiceKey = { valueKey: name + suffix, extKey: `_${name}${suffix}`, primitive: PRIMITIVE_CODES.has(code) };
        keys.set(key.valueKey, key);
        if (key.primitive) keys.set(key.extKey, key);
      }
      result = { extKey: `_${name}`, choice: keys, primitive: false, st: ANY };
      break;
    }
    const t = model.path2Type[c];
    if (t !== undefined) {
      const st = typeToSType(c, t);
      result = { extKey: `_${name}`, choice: undefined, primitive: st.k === 'prim', st };
      break;
    }
  }
  memberCache.set(cacheKey, result);
  return result;
}

/**
 * The FHIRPath base of an element path: a type name where the path goes through a data type
 * (`Practitioner.identifier.extension` -> `Extension`), the path itself for backbone elements
 * (`Goal.target`). fhirpath.js only knows the types of such normalized bases.
 */
export function canonicalBase(path: string): string {
  const p = path.replace(/\[x\]$/, '');
  const segments = p.split('.');
  let current = segments[0]!;
  for (const segment of segments.slice(1)) {
    const m = member(current, segment);
    if (!m) return p;
    if (m.st.k === 'path') current = m.st.p;
    else if (m.st.k === 'prim') current = m.st.t;
    else return p;
  }
  return current;
}

/** Static type of the node at a canonical base (`Goal.target`, `Reference`, `string`). */
function staticTypeOfBase(base: string): SType {
  if (!base.includes('.')) return PRIMITIVE_CODES.has(base) ? { k: 'prim', t: base } : { k: 'path', p: base };
  const dot = base.lastIndexOf('.');
  const m = member(base.slice(0, dot), base.slice(dot + 1));
  return m ? m.st : ANY;
}

/** A JSON array as a collection, when it holds no nulls (collections are never modified). */
function asCollection(v: unknown[]): Coll | undefined {
  for (let i = 0; i < v.length; i++) if (v[i] === null || v[i] === undefined) return undefined;
  return v;
}

function navigate(items: Coll, name: string, m: Member): Coll {
  if (items.length === 1 && !m.choice) {
    // The usual case, one object and a plain element: no collection built when there is nothing.
    const it = items[0];
    if (typeof it === 'object' && it !== null && !Array.isArray(it) && !isPrim(it)) {
      const o = it as Record<string, unknown>;
      const e = m.primitive ? o[m.extKey] : undefined;
      if (e === undefined || e === null) {
        const v = o[name];
        if (v === undefined || v === null) return EMPTY;
        if (!Array.isArray(v)) return [v];
        const c = asCollection(v);
        if (c) return c;
      }
    }
  }
  const out: Item[] = [];
  for (const it of items) {
    if (isPrim(it)) {
      if (name === 'extension') pushComplex(out, it.ext.extension);
      else if (name === 'id') pushPrimitive(out, it.ext.id, undefined);
      continue;
    }
    if (!isObj(it)) continue;
    if (m.choice) {
      const c = choiceKeyOf(it, m.choice);
      if (c) {
        if (c.primitive) pushPrimitive(out, it[c.valueKey], it[c.extKey]);
        else pushComplex(out, it[c.valueKey]);
      }
    } else if (m.primitive) pushPrimitive(out, it[name], it[m.extKey]);
    else pushComplex(out, it[name]);
  }
  return out;
}

/** The key a choice element is given as in an object (the first one, in the object's order). */
function choiceKeyOf(obj: Record<string, unknown>, keys: ReadonlyMap<string, ChoiceKey>): ChoiceKey | undefined {
  for (const k in obj) {
    const c = keys.get(k);
    if (c !== undefined && obj[k] !== undefined) return c;
  }
  return undefined;
}

/** Whether `navigate(items, name, m)` would yield anything. */
function has(items: Coll, name: string, m: Member): boolean {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== 'object' || item === null) continue;
    if (isPrim(item)) {
      if (name === 'extension' ? hasComplex(item.ext.extension) : name === 'id' && hasPrimitive(item.ext.id, undefined)) return true;
      continue;
    }
    if (Array.isArray(item)) continue;
    const it = item as Record<string, unknown>;
    if (m.choice) {
      const c = choiceKeyOf(it, m.choice);
      if (c && (c.primitive ? hasPrimitive(it[c.valueKey], it[c.extKey]) : hasComplex(it[c.valueKey]))) return true;
    } else if (m.primitive ? hasPrimitive(it[name], it[m.extKey]) : hasComplex(it[name])) return true;
  }
  return false;
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
function resolveReference(item: unknown, env: InvariantEnv): unknown {
  if (!isObj(item)) return undefined;
  const ref = unwrap(item.reference);
  if (typeof ref === 'string') {
    if (ref.startsWith('#')) {
      const root = env.rootResource;
      const contained = isObj(root) && Array.isArray(root.contained) ? root.contained : [];
      return contained.find((c) => isObj(c) && c.id === ref.slice(1));
    }
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

  constructor(private readonly root: SType) {}

  compile(node: AstNode, focus: SType): Compiled {
    const c = node.children ?? [];
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
          return existence === 'exists'
            ? { f: (input, ctx) => bool(lex(input, ctx)), st: SYS_BOOLEAN }
            : { f: (input, ctx) => bool(!lex(input, ctx)), st: SYS_BOOLEAN };
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
            if (i.length !== 1 || typeof n !== 'number') throw BAIL;
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
        return { f: ALWAYS_BAIL, st: ANY };
    }
  }

  private literal(lit: AstNode): Compiled {
    switch (lit.type) {
      case 'StringLiteral': {
        const s = unescapeString(lit.text ?? "''");
        const v = Object.freeze([s]);
        return { f: () => v, st: SYS_STRING };
      }
      case 'NumberLiteral': {
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
        return { f: ALWAYS_BAIL, st: ANY };
    }
  }

  private constant(node: AstNode): Compiled {
    const id = node.children?.[0];
    const name = id ? (id.type === 'StringLiteral' ? unescapeString(id.text ?? "''") : identifierName(id)) : '';
    switch (name) {
      case 'ucum': {
        const v = Object.freeze(['http://unitsofmeasure.org']);
        return { f: () => v, st: SYS_STRING };
      }
      case 'resource':
        return { f: (_i, ctx) => (ctx.env.resource === undefined ? EMPTY : [ctx.env.resource]), st: RESOURCE };
      case 'rootResource':
        return { f: (_i, ctx) => (ctx.env.rootResource === undefined ? EMPTY : [ctx.env.rootResource]), st: RESOURCE };
      case 'context':
        return { f: (_i, ctx) => [ctx.node], st: this.root };
      default:
        return { f: ALWAYS_BAIL, st: ANY };
    }
  }

  private invocation(node: AstNode, focus: SType): Compiled {
    switch (node.type) {
      case 'MemberInvocation':
        return this.member(identifierName(node.children![0]!), focus);
      case 'ThisInvocation':
        return { f: (input) => input, st: focus };
      case 'FunctionInvocation':
        return this.func(node.children![0]!, focus);
      default:
        return { f: ALWAYS_BAIL, st: ANY };
    }
  }

  private member(name: string, focus: SType): Compiled {
    if (focus.k === 'path') {
      // A leading type name (`Patient.name`) filters by type in FHIRPath; not used by R4 invariants.
      if (/^[A-Z]/.test(name)) return { f: ALWAYS_BAIL, st: ANY };
      const m = member(focus.p, name);
      if (!m) return { f: BAIL_UNLESS_EMPTY, st: ANY };
      return { f: (input) => (input.length === 0 ? EMPTY : navigate(input, name, m)), st: m.st, ex: (input) => has(input, name, m) };
    }
    if (focus.k === 'prim') {
      if (name === 'extension') return { f: (input) => navigate(input, name, { extKey: '_extension', choice: undefined, primitive: false, st: ANY }), st: { k: 'path', p: 'Extension' } };
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
        const test =
          name === 'startsWith' ? (x: string) => x.startsWith(s) : name === 'endsWith' ? (x: string) => x.endsWith(s) : (x: string) => x.includes(s);
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
              const r = resolveReference(it, ctx.env);
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
    return { f: ALWAYS_BAIL, st: ANY };
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
        f = ALWAYS_BAIL;
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
        return { f: ALWAYS_BAIL, st: ANY };
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
  return m && m.primitive && !m.choice ? { name, m } : undefined;
}

function node0(n: AstNode): AstNode | undefined {
  return n.children?.[0];
}

// --- Compiled invariants ---------------------------------------------------------------------

type ReferenceFn = (node: unknown, env: InvariantEnv) => boolean | undefined;

const referenceCache = new Map<string, ReferenceFn>();

/** fhirpath.js, compiled once per (base, expression). */
function referenceEvaluator(base: string, expression: string): ReferenceFn {
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

const compiledCache = new Map<string, { f: Fn | undefined; usesResolve: boolean }>();

function compileNative(base: string, expression: string): { f: Fn | undefined; usesResolve: boolean } {
  const cacheKey = `${base}\u0000${expression}`;
  let c = compiledCache.get(cacheKey);
  if (!c) {
    try {
      const root = staticTypeOfBase(base);
      const compiler = new Compiler(root);
      const ast = fhirpath.parse(expression) as AstNode;
      c = { f: compiler.compile(ast, root).f, usesResolve: compiler.usesResolve };
    } catch {
      c = { f: undefined, usesResolve: false }; // not parseable here: fhirpath.js answers (or not)
    }
    compiledCache.set(cacheKey, c);
  }
  return c;
}

/**
 * R4 invariants whose published expression cannot do what their human text says, with the
 * correction later FHIR versions (and other validators) apply:
 * - ref-1 "SHALL have a contained resource if a local reference is provided" evaluates to empty,
 *   which fails, on every Reference without a `reference` (a logical reference by identifier,
 *   or a display only); R5 guards it with `reference.exists() implies`.
 * - dom-3 "If the resource is contained in another resource, it SHALL be referred to from
 *   elsewhere in the resource" applies `as(canonical)` to all descendants at once, which strict
 *   FHIRPath (fhirpath.js) rejects as soon as there is a contained resource ("Expected singleton
 *   on left side of 'as'"); R5 uses `ofType(canonical)`. (medplum skips dom-3 altogether.)
 */
const CORRECTIONS: Readonly<Record<string, (expression: string) => string>> = {
  'ref-1': (e) => (e.startsWith('reference.exists() implies') ? e : `reference.exists() implies (${e})`),
  'dom-3': (e) => e.replace(/\bas\(/g, 'ofType('),
};

/**
 * Compiles an invariant for nodes at `base` (an element path such as `Goal.target`, or a type
 * name such as `Reference`).
 */
export function compileInvariant(def: InvariantDefinition, base: string, options: InvariantOptions = {}): Invariant {
  const basePath = canonicalBase(base);
  const expression = CORRECTIONS[def.key]?.(def.expression) ?? def.expression;
  const native = compileNative(basePath, expression);
  const reference = native.usesResolve ? undefined : referenceEvaluator(basePath, expression);
  const nf = native.f;
  const crossCheck = options.crossCheck;
  // Reused across evaluations: an invariant never evaluates another one while it runs.
  const focus: unknown[] = [undefined];
  const ctx: Ctx = { env: undefined as unknown as InvariantEnv, node: undefined };
  const test = (node: unknown, env: InvariantEnv): boolean | undefined => {
    if (nf) {
      let result: boolean | undefined;
      focus[0] = node;
      ctx.env = env;
      ctx.node = node;
      try {
        const r = nf(focus, ctx);
        result = r.length === 1 && unwrap(r[0]) === true;
      } catch {
        // BAIL, or a closure tripped over malformed content: fhirpath.js answers instead.
      }
      focus[0] = undefined;
      ctx.node = undefined;
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

/** Wraps a primitive value and its `_field` sibling as one node for invariants on primitives. */
export function primitiveNode(value: unknown, ext: unknown): unknown {
  return isObj(ext) ? new Prim(value, ext) : value;
}
