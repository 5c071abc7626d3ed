/**
 * Compiles a StructureDefinition snapshot, once, into a tree of element models the validator
 * walks resources with. Every element of the snapshot is compiled, not only the constrained
 * ones: cardinality, whether it is an array in JSON, its allowed types (each JSON key a choice
 * element may take), fixed and pattern values, expanded required bindings, slices with
 * precomputed discriminator matchers, whether a primitive may stand without a value, and the
 * element's invariants (error severity; see invariants.ts). Data types that the snapshot does
 * not expand are compiled from their own R4 StructureDefinitions by the validator, once each.
 */
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';
import { R4_PRIMITIVE_TYPES } from '../fhirpath/r4-model.js';
import { DATA_ABSENT_REASON_URL, MUST_HAVE_VALUE_URL, stripVersion, VALUE_ALTERNATIVES_URL } from '../profiles/canonical.js';
import { fhirTypeCode } from '../profiles/snapshot.js';
import type { Invariant, InvariantDefinition } from './invariants.js';
import type { PrimitiveCheck } from './primitives.js';
import { primitiveCheck } from './primitives.js';
import type { ExpandedValueSet } from './value-sets.js';

/** R4's primitive types, and integer64 (R4B/R5), so that such a value is still read as a primitive. */
export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set([...R4_PRIMITIVE_TYPES, 'integer64']);

/**
 * Invariants not compiled from FHIRPath. ele-1 ("All FHIR elements must have a @value or
 * children") is checked natively by the validator: empty objects, arrays and strings, objects
 * with nothing but an id, and primitive extensions without a value or extension.
 */
export const NATIVE_INVARIANTS: ReadonlySet<string> = new Set(['ele-1']);

export interface TypeRef {
  readonly code: string;
  readonly profiles: readonly string[];
  readonly targetProfiles: readonly string[];
}

export interface BindingModel {
  readonly valueSet: string;
  readonly expansion: ExpandedValueSet;
}

export interface SliceModel {
  readonly name: string;
  readonly element: ElementModel;
  readonly matches: (item: unknown) => boolean;
}

export interface SlicingModel {
  readonly rules: 'open' | 'closed' | 'openAtEnd';
  readonly slices: readonly SliceModel[];
}

export interface ElementModel {
  /** Element id in its StructureDefinition, e.g. `CarePlan.extension:planVersion`. */
  readonly id: string;
  /** Element path (`CarePlan.extension`): the FHIRPath context of its invariants. */
  readonly path: string;
  /** Name in FHIRPath and JSON (`value` for `value[x]`). */
  readonly name: string;
  readonly choice: boolean;
  readonly min: number;
  readonly max: number;
  /** An array in JSON: the base definition allows more than one. */
  readonly isArray: boolean;
  readonly types: readonly TypeRef[];
  readonly typeCodes: ReadonlySet<string>;
  /** Every JSON key the element may take (`value`, `_value`; `valueString`, `_valueString`, ...). */
  readonly keys: readonly string[];
  readonly fixed: unknown;
  readonly pattern: unknown;
  readonly binding: BindingModel | undefined;
  /**
   * An extensible binding of a Coding or CodeableConcept, where the value set can be expanded:
   * its codes SHALL be used when one applies, which only a person can judge (R4
   * terminologies.html#extensible), so a coding outside it is a warning.
   */
  readonly extensible: BindingModel | undefined;
  /** The primitive must carry a value (no extension-only `_field`). */
  readonly mustHaveValue: boolean;
  /** A data-absent-reason extension may stand in for the value. */
  readonly darAllowed: boolean;
  /** Children defined inline (backbone elements, expanded data types, slices). */
  readonly children: TypeModel | undefined;
  readonly slicing: SlicingModel | undefined;
  /** The element's own error invariants, ele-1 excluded. */
  readonly invariants: readonly Invariant[];
  /**
   * A single value of it needs nothing beyond its type check and binding: not an array, no
   * fixed or pattern value, no slicing, no invariants, cardinality allows exactly one.
   */
  readonly plain: boolean;
  /** The validator's cache: invariants of a value of this element, by the model it is walked with. */
  readonly memo: Map<unknown, readonly Invariant[]>;
  /** The only entry of `memo`, while it has one (the usual case). */
  memoKey?: unknown;
  memoList?: readonly Invariant[];
}

/** What one JSON key of an object stands for. */
export interface Slot {
  readonly element: ElementModel;
  /** The type code the key selects (`string` for `valueString`). */
  readonly type: string;
  readonly primitive: boolean;
  /** JSON type and format check of a primitive value. */
  readonly check: PrimitiveCheck;
  /** The key is the `_field` sibling of a primitive. */
  readonly underscore: boolean;
  /** The key of the value (`valueString`) and of its sibling (`_valueString`). */
  readonly valueKey: string;
  readonly extKey: string;
  /** The validator's cache: the base model of `type` (null: none), resolved on first use. */
  typeModel: TypeModel | null | undefined;
}

export interface TypeModel {
  /** The type code: `CarePlan`, `Identifier`, `BackboneElement`, `Extension`. */
  readonly name: string;
  readonly elements: readonly ElementModel[];
  /** Elements to check when absent: a min above 0, or slices with a min. */
  readonly required: readonly ElementModel[];
  /** Invariants of the type itself (its root element), ele-1 excluded. */
  readonly invariants: readonly Invariant[];
  /** The slot of a JSON key, or undefined when the key is not allowed. */
  slot(key: string): Slot | undefined;
  /** For a key that is not allowed: the choice element it names with a type not allowed there. */
  wrongChoice(key: string): { element: ElementModel; type: string } | undefined;
  /** The element and type a JSON key (without `_`) stands for. */
  lookup(key: string): { element: ElementModel; type: string } | undefined;
}

export interface CompileContext {
  /** Expansion of a required value set, or undefined when it cannot be checked. */
  readonly expand: (valueSetUrl: string) => ExpandedValueSet | undefined;
  /** JSON suffix of a choice element (`String`, `CodeableConcept`) -> type code. */
  readonly choiceSuffixes: ReadonlyMap<string, string>;
  /** Compiles an invariant for nodes at `base` (cached by the caller). */
  readonly invariant: (def: InvariantDefinition, base: string) => Invariant;
}

function parseMax(max: string | undefined): number {
  return max === undefined || max === '*' ? Number.POSITIVE_INFINITY : Number(max);
}

function fixedOrPatternValue(ed: ElementDefinition, prefix: 'fixed' | 'pattern'): unknown {
  for (const [key, value] of Object.entries(ed)) {
    if (key.startsWith(prefix) && /^[A-Z]/.test(key.slice(prefix.length))) return value;
  }
  return undefined;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  return ak.length === Object.keys(bo).length && ak.every((k) => deepEqual((a as Record<string, unknown>)[k], bo[k]));
}

/** FHIR pattern semantics: every property of the pattern is in the value; each array item of the pattern matches some item of the value. */
export function deepIncludes(value: unknown, pattern: unknown): boolean {
  if (pattern === value) return true;
  if (typeof pattern !== 'object' || pattern === null) return false;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return false;
    for (const p of pattern) {
      let found = false;
      for (const v of value) {
        if (deepIncludes(v, p)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }
  if (Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const pat = pattern as Record<string, unknown>;
  for (const k in pat) if (!deepIncludes(v[k], pat[k])) return false;
  return true;
}

/** Whether a code, Coding or CodeableConcept is in the expansion. */
export function inBinding(value: unknown, type: string, expansion: ExpandedValueSet): boolean {
  if (typeof value === 'string') return expansion.codes.has(value);
  if (typeof value !== 'object' || value === null) return false;
  if (type === 'Coding') {
    const c = value as { system?: unknown; code?: unknown };
    return typeof c.system === 'string' && typeof c.code === 'string' && expansion.bySystem.get(c.system)?.has(c.code) === true;
  }
  if (type === 'CodeableConcept') {
    const codings = (value as { coding?: unknown }).coding;
    if (!Array.isArray(codings)) return false;
    for (const c of codings) if (inBinding(c, 'Coding', expansion)) return true;
    return false;
  }
  return true;
}

/** Values at a simple dotted path (`url`, `who.identifier.system`, `$this`), arrays flattened. */
function valuesAt(item: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [item];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const c of current) {
      if (typeof c !== 'object' || c === null || Array.isArray(c)) continue;
      const v = (c as Record<string, unknown>)[segment];
      if (Array.isArray(v)) next.push(...v);
      else if (v !== undefined) next.push(v);
    }
    current = next;
  }
  return current;
}

const NEVER = (): boolean => false;

function discriminatorMatcher(slice: ElementModel, type: string, path: string): (item: unknown) => boolean {
  if (type !== 'value' && type !== 'pattern') return NEVER;
  const segments = path === '$this' ? [] : path.split('.');
  if (segments.some((s) => !/^[A-Za-z][A-Za-z0-9]*$/.test(s))) return NEVER;
  let target: ElementModel | undefined = slice;
  for (const s of segments) target = target?.children?.lookup(s)?.element;
  if (!target) return NEVER;
  const t = target;
  let test: (v: unknown) => boolean;
  if (t.fixed !== undefined) test = (v) => deepEqual(v, t.fixed);
  else if (t.pattern !== undefined) test = (v) => deepIncludes(v, t.pattern);
  else if (t.binding) {
    const typeCode = t.types[0]?.code ?? 'code';
    const expansion = t.binding.expansion;
    test = (v) => inBinding(v, typeCode, expansion);
  } else return NEVER;
  if (segments.length === 1) {
    // The common case (`url` of extensions, `system` of identifiers): no collection needed.
    const key = segments[0]!;
    const fixed = t.fixed;
    if (fixed !== undefined && typeof fixed !== 'object') {
      return (item) => {
        if (typeof item !== 'object' || item === null) return false;
        const v = (item as Record<string, unknown>)[key];
        if (v === fixed) return true;
        return Array.isArray(v) && v.includes(fixed);
      };
    }
    return (item) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
      const v = (item as Record<string, unknown>)[key];
      if (v === undefined) return false;
      if (!Array.isArray(v)) return test(v);
      for (const x of v) if (test(x)) return true;
      return false;
    };
  }
  return (item) => valuesAt(item, segments).some(test);
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

class CompiledType implements TypeModel {
  elements: ElementModel[] = [];
  required: ElementModel[] = [];
  private readonly slots = new Map<string, Slot>();
  private readonly byName = new Map<string, ElementModel>();
  private readonly choices: ElementModel[] = [];

  constructor(
    readonly name: string,
    readonly invariants: readonly Invariant[],
    private readonly suffixes: ReadonlyMap<string, string>,
  ) {}

  set(elements: ElementModel[]): void {
    this.elements = elements;
    for (const e of elements) {
      this.byName.set(e.name, e);
      if (e.choice) this.choices.push(e);
      for (const key of e.keys) {
        const underscore = key.charCodeAt(0) === 95;
        const valueKey = underscore ? key.slice(1) : key;
        const type = e.choice ? (this.suffixes.get(valueKey.slice(e.name.length)) ?? 'Element') : slotType(e);
        this.slots.set(key, {
          element: e,
          type,
          primitive: PRIMITIVE_TYPES.has(type),
          check: primitiveCheck(type),
          underscore,
          valueKey,
          extKey: `_${valueKey}`,
          typeModel: undefined,
        });
      }
      if (e.min > 0 || e.slicing?.slices.some((s) => s.element.min > 0)) this.required.push(e);
    }
  }

  slot(key: string): Slot | undefined {
    return this.slots.get(key);
  }

  wrongChoice(key: string): { element: ElementModel; type: string } | undefined {
    const name = key.charCodeAt(0) === 95 ? key.slice(1) : key;
    for (const choice of this.choices) {
      if (name.startsWith(choice.name)) {
        const type = this.suffixes.get(name.slice(choice.name.length));
        if (type) return { element: choice, type };
      }
    }
    return undefined;
  }

  lookup(key: string): { element: ElementModel; type: string } | undefined {
    const element = this.byName.get(key);
    if (element && !element.choice) return { element, type: slotType(element) };
    const slot = this.slots.get(key);
    if (slot && !slot.underscore) return { element: slot.element, type: slot.type };
    return this.wrongChoice(key);
  }
}

function slotType(e: ElementModel): string {
  return e.types.length >= 1 ? e.types[0]!.code : 'BackboneElement';
}

function jsonKeys(name: string, choice: boolean, codes: readonly string[]): string[] {
  const keys: string[] = [];
  for (const code of choice ? codes : codes.slice(0, 1)) {
    const key = choice ? name + capitalize(code) : name;
    keys.push(key);
    if (PRIMITIVE_TYPES.has(code)) keys.push(`_${key}`);
  }
  if (codes.length === 0) keys.push(name);
  return keys;
}

/** Compiles a StructureDefinition's snapshot into the model of its root type. */
export function compileStructureDefinition(sd: StructureDefinition, ctx: CompileContext): TypeModel {
  const elements = sd.snapshot?.element ?? [];
  if (elements.length === 0) throw new Error(`${sd.url} has no snapshot`);
  const root = elements[0]!;
  const rootId = root.id ?? root.path!;
  const byId = new Map<string, ElementDefinition>();
  const childrenOf = new Map<string, ElementDefinition[]>();
  const slicesOf = new Map<string, ElementDefinition[]>();
  const push = (m: Map<string, ElementDefinition[]>, k: string, v: ElementDefinition) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const ed of elements) byId.set(ed.id ?? ed.path!, ed);
  for (const ed of elements.slice(1)) {
    const id = ed.id ?? ed.path!;
    const dot = id.lastIndexOf('.');
    const parent = id.slice(0, dot);
    const segment = id.slice(dot + 1);
    const colon = segment.indexOf(':');
    if (colon >= 0) push(slicesOf, `${parent}.${segment.slice(0, colon)}`, ed);
    else push(childrenOf, parent, ed);
  }

  const invariantsOf = (ed: ElementDefinition, base: string, extra: readonly ElementDefinition[] = []): Invariant[] => {
    const out: Invariant[] = [];
    const seen = new Set<string>();
    for (const c of [ed, ...extra].flatMap((e) => e.constraint ?? [])) {
      const key = c.key ?? '';
      if (seen.has(key) || NATIVE_INVARIANTS.has(key) || c.severity !== 'error' || !c.expression) continue;
      seen.add(key);
      out.push(ctx.invariant({ key, human: c.human ?? '', expression: c.expression }, base));
    }
    return out;
  };

  const types = new Map<string, CompiledType>();
  function typeModel(id: string, name: string, invariants: readonly Invariant[]): TypeModel {
    let model = types.get(id);
    if (!model) {
      model = new CompiledType(name, invariants, ctx.choiceSuffixes);
      types.set(id, model);
      model.set((childrenOf.get(id) ?? []).map((ed) => element(ed)));
    }
    return model;
  }

  function element(ed: ElementDefinition): ElementModel {
    const id = ed.id ?? ed.path!;
    const path = ed.path ?? id.replace(/:[^.]*/g, '');
    const segment = id.slice(id.lastIndexOf('.') + 1).replace(/:.*$/, '');
    const choice = segment.endsWith('[x]');
    const name = choice ? segment.slice(0, -3) : segment;

    // A content reference (Questionnaire.item.item) takes its type and children from the target.
    const refId = ed.contentReference ? ed.contentReference.slice(ed.contentReference.indexOf('#') + 1) : undefined;
    const target = refId === undefined ? undefined : byId.get(refId);
    const typeSource = ed.type && ed.type.length > 0 ? ed.type : (target?.type ?? []);

    const typeRefs: TypeRef[] = typeSource.map((t) => ({
      code: fhirTypeCode(t),
      profiles: t.profile ?? [],
      targetProfiles: t.targetProfile ?? [],
    }));
    const min = ed.min ?? 0;
    const max = parseMax(ed.max);
    const baseMax = parseMax(ed.base?.max ?? ed.max);
    const binding = ed.binding?.strength === 'required' && ed.binding.valueSet ? ctx.expand(stripVersion(ed.binding.valueSet)) : undefined;
    const codedType = typeSource.some((t) => t.code === 'Coding' || t.code === 'CodeableConcept');
    const extensible = codedType && ed.binding?.strength === 'extensible' && ed.binding.valueSet ? ctx.expand(stripVersion(ed.binding.valueSet)) : undefined;
    const mustHaveValue = ed.extension?.some((x) => x.url === MUST_HAVE_VALUE_URL && x.valueBoolean === true) ?? false;
    const darAllowed = ed.extension?.some((x) => x.url === VALUE_ALTERNATIVES_URL && x.valueCanonical === DATA_ABSENT_REASON_URL) ?? false;
    const codes = typeRefs.map((t) => t.code);

    const model: { -readonly [K in keyof ElementModel]: ElementModel[K] } = {
      id,
      path,
      name,
      choice,
      min,
      max,
      isArray: baseMax > 1,
      types: typeRefs,
      typeCodes: new Set(codes),
      keys: jsonKeys(name, choice, codes),
      fixed: fixedOrPatternValue(ed, 'fixed'),
      pattern: fixedOrPatternValue(ed, 'pattern'),
      binding: binding ? { valueSet: stripVersion(ed.binding!.valueSet!), expansion: binding } : undefined,
      extensible: extensible ? { valueSet: stripVersion(ed.binding!.valueSet!), expansion: extensible } : undefined,
      mustHaveValue,
      darAllowed,
      children: undefined,
      slicing: undefined,
      invariants: invariantsOf(ed, path, target ? [target] : []),
      plain: false,
      memo: new Map(),
      // Present from the start, so that every element model has the same shape (hidden class).
      memoKey: undefined,
      memoList: undefined,
    };

    const inlineName = typeRefs.length === 1 ? typeRefs[0]!.code : 'BackboneElement';
    if (childrenOf.has(id)) {
      model.children = typeModel(id, inlineName, []);
    } else if (refId !== undefined && childrenOf.has(refId)) {
      // A content reference may point at an ancestor (Questionnaire.item.item): typeModel()
      // registers a model before compiling its children, so the ancestor's is returned as is.
      model.children = typeModel(refId, inlineName, []);
    }

    model.plain =
      !model.isArray && model.min <= 1 && model.max >= 1 && model.fixed === undefined && model.pattern === undefined && model.invariants.length === 0 && !ed.slicing;

    const sliceDefs = slicesOf.get(id);
    if (ed.slicing && sliceDefs) {
      const discriminators = ed.slicing.discriminator ?? [];
      model.slicing = {
        rules: ed.slicing.rules ?? 'open',
        slices: sliceDefs.map((sliceEd) => {
          const sliceModel = element(sliceEd);
          const matchers = discriminators.map((d) => discriminatorMatcher(sliceModel, d.type ?? 'value', d.path ?? '$this'));
          const only = matchers.length === 1 ? matchers[0]! : undefined;
          return {
            name: sliceEd.sliceName ?? sliceEd.id!,
            element: sliceModel,
            matches:
              only ??
              ((item: unknown) => {
                if (matchers.length === 0) return false;
                for (const m of matchers) if (!m(item)) return false;
                return true;
              }),
          };
        }),
      };
    }
    return model;
  }

  return typeModel(rootId, sd.type ?? rootId, invariantsOf(root, sd.type ?? root.path ?? rootId));
}
