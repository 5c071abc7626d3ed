/**
 * The R4 model as the FHIRPath closures (closures.ts) navigate it: the element a name
 * means on a type or backbone element (choice types, `_field` siblings of primitives), the
 * static type of a path, and the collection values the closures pass around. Built from
 * fhirpath.js's own R4 model, so both evaluators read the same definitions. The member cache
 * holds only what the model says, never anything of an evaluation.
 */
import r4Model from 'fhirpath/fhir-context/r4/index.js';

/** The variables an R4 expression sees besides `%context`. */
export interface R4Env {
  /** The resource that contains the node (a contained resource for nodes inside it). */
  readonly resource: unknown;
  /** The resource being validated. */
  readonly rootResource: unknown;
  /**
   * Looks up a reference among the resources validated together (a Bundle's entries by
   * `fullUrl`, e.g. `urn:uuid:…`); undefined when it is not one of them.
   */
  readonly resolveSibling?: (reference: string) => unknown;
}

interface R4Model {
  readonly choiceTypePaths: Record<string, string[]>;
  readonly pathsDefinedElsewhere: Record<string, string>;
  readonly type2Parent: Record<string, string>;
  readonly path2Type: Record<string, string | { code: string }>;
}
const model = r4Model as unknown as R4Model;

/** Thrown by the closures when only fhirpath.js can answer (closures.ts). */
class Bail {}
export const BAIL = new Bail();

/** A primitive that has a `_field` sibling: value (possibly absent) plus its Element part. */
export class Prim {
  constructor(
    readonly value: unknown,
    readonly ext: Record<string, unknown>,
  ) {}
}

export type Item = unknown;
export type Coll = readonly Item[];
export const EMPTY: Coll = Object.freeze([]);
export const TRUE: Coll = Object.freeze([true]);
export const FALSE: Coll = Object.freeze([false]);
export const bool = (b: boolean): Coll => (b ? TRUE : FALSE);

/** Static type of a collection, as far as the compiler knows it. */
export type SType =
  | { readonly k: 'path'; readonly p: string } // complex type, backbone element or resource path
  | { readonly k: 'prim'; readonly t: string } // FHIR primitive (`date`, `string`, ...)
  | { readonly k: 'sys'; readonly t: 'String' | 'Boolean' | 'Integer' | 'Decimal' } // literals, function results
  | { readonly k: 'resource' } // a resource of a type known only at run time
  | { readonly k: 'json' } // plain JSON, no model (mapping expressions, declarative rules)
  | { readonly k: 'any' };

export const ANY: SType = { k: 'any' };
export const RESOURCE: SType = { k: 'resource' };
export const SYS_BOOLEAN: SType = { k: 'sys', t: 'Boolean' };
export const SYS_INTEGER: SType = { k: 'sys', t: 'Integer' };
export const SYS_STRING: SType = { k: 'sys', t: 'String' };

export interface AstNode {
  readonly type: string;
  readonly text?: string;
  readonly children?: AstNode[];
}

/**
 * Whether a value is a Prim. Not `instanceof`: under tsx (esbuild's keepNames) the class gets a
 * `name` of its own, which takes `instanceof` off V8's fast path.
 */
const PRIM_PROTO: object = Prim.prototype;
export function isPrim(v: unknown): v is Prim {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === PRIM_PROTO;
}

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !isPrim(v);
export const unwrap = (v: unknown): unknown => (isPrim(v) ? v.value : v);

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

export interface Member {
  /** The `_field` key of a primitive element. */
  readonly extKey: string;
  /** For a choice element: each JSON key it may take (`valueString`, `_valueString`, ...). */
  readonly choice: ReadonlyMap<string, ChoiceKey> | undefined;
  readonly primitive: boolean;
  readonly st: SType;
}

/** The primitive data types of FHIR R4 (their values may have `_name` siblings). */
export const R4_PRIMITIVE_TYPES: ReadonlySet<string> = new Set([
  'base64Binary',
  'boolean',
  'canonical',
  'code',
  'date',
  'dateTime',
  'decimal',
  'id',
  'instant',
  'integer',
  'markdown',
  'oid',
  'positiveInt',
  'string',
  'time',
  'unsignedInt',
  'uri',
  'url',
  'uuid',
  'xhtml',
]);

function typeToSType(path: string, t: string | { code: string }): SType {
  const code = typeof t === 'string' ? t : t.code;
  if (code === 'BackboneElement' || code === 'Element') return { k: 'path', p: path };
  if (code === 'Resource') return RESOURCE;
  if (code.startsWith('System.')) return { k: 'prim', t: code === 'System.String' ? 'string' : code.slice(7).toLowerCase() };
  if (R4_PRIMITIVE_TYPES.has(code)) return { k: 'prim', t: code };
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
export function member(path: string, name: string): Member | null {
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
        const key: ChoiceKey = { valueKey: name + suffix, extKey: `_${name}${suffix}`, primitive: R4_PRIMITIVE_TYPES.has(code) };
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
export function staticTypeOfBase(base: string): SType {
  if (!base.includes('.')) return R4_PRIMITIVE_TYPES.has(base) ? { k: 'prim', t: base } : { k: 'path', p: base };
  const dot = base.lastIndexOf('.');
  const m = member(base.slice(0, dot), base.slice(dot + 1));
  return m ? m.st : ANY;
}

/** A JSON array as a collection, when it holds no nulls (collections are never modified). */
function asCollection(v: unknown[]): Coll | undefined {
  for (let i = 0; i < v.length; i++) if (v[i] === null || v[i] === undefined) return undefined;
  return v;
}

export function navigate(items: Coll, name: string, m: Member): Coll {
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
export function has(items: Coll, name: string, m: Member): boolean {
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

/** Wraps a primitive value and its `_field` sibling as one node for expressions on primitives. */
export function primitiveNode(value: unknown, ext: unknown): unknown {
  return isObj(ext) ? new Prim(value, ext) : value;
}
