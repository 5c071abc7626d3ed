/**
 * Compiles a StructureDefinition snapshot, once, into a tree of element models the validator
 * walks resources with: cardinalities that differ from the base, fixed and pattern values,
 * expanded required bindings, slices with precomputed discriminator matchers, and whether a
 * primitive may stand without a value.
 */
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';
import { DATA_ABSENT_REASON_URL, MUST_HAVE_VALUE_URL, VALUE_ALTERNATIVES_URL, stripVersion } from '../profiles/canonical.js';
import { fhirTypeCode } from '../profiles/snapshot.js';
import type { ExpandedValueSet } from './value-sets.js';

export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set([
  'base64Binary', 'boolean', 'canonical', 'code', 'date', 'dateTime', 'decimal', 'id', 'instant', 'integer', 'integer64',
  'markdown', 'oid', 'positiveInt', 'string', 'time', 'unsignedInt', 'uri', 'url', 'uuid', 'xhtml',
]);

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
  /** Name in FHIRPath and JSON (`value` for `value[x]`). */
  readonly name: string;
  readonly choice: boolean;
  readonly min: number;
  readonly max: number;
  /** True where the profile tightened the base cardinality (the base is checked by medplum). */
  readonly checkMin: boolean;
  readonly checkMax: boolean;
  readonly types: readonly TypeRef[];
  readonly typeCodes: ReadonlySet<string>;
  readonly fixed: unknown;
  readonly pattern: unknown;
  readonly binding: BindingModel | undefined;
  /** The primitive must carry a value (no extension-only `_field`). */
  readonly mustHaveValue: boolean;
  /** A data-absent-reason extension may stand in for the value. */
  readonly darAllowed: boolean;
  /** Children defined inline (backbone elements, expanded data types, slices). */
  readonly children: TypeModel | undefined;
  readonly slicing: SlicingModel | undefined;
}

export interface TypeModel {
  /** The type code: `CarePlan`, `Identifier`, `BackboneElement`, `Extension`. */
  readonly name: string;
  readonly elements: readonly ElementModel[];
  /** Elements to check when absent: tightened min, or slices with a min. */
  readonly required: readonly ElementModel[];
  /** The element and type a JSON key (without `_`) stands for. */
  lookup(key: string): { element: ElementModel; type: string } | undefined;
}

export interface CompileContext {
  /** Expansion of a required value set, or undefined when it cannot be checked. */
  readonly expand: (valueSetUrl: string) => ExpandedValueSet | undefined;
  /** JSON suffix of a choice element (`String`, `CodeableConcept`) -> type code. */
  readonly choiceSuffixes: ReadonlyMap<string, string>;
}

function parseMax(max: string | undefined): number {
  return max === undefined || max === '*' ? Number.POSITIVE_INFINITY : Number(max);
}

function valueOf(ed: ElementDefinition, prefix: 'fixed' | 'pattern'): unknown {
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
    return pattern.every((p) => value.some((v) => deepIncludes(v, p)));
  }
  if (Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return Object.entries(pattern).every(([k, p]) => deepIncludes(v[k], p));
}

/** Whether a code, Coding or CodeableConcept is in the expansion. */
export function inBinding(value: unknown, type: string, expansion: ExpandedValueSet): boolean {
  if (typeof value === 'string') return expansion.codes.has(value);
  if (typeof value !== 'object' || value === null) return false;
  if (type === 'Coding') {
    const c = value as { system?: unknown; code?: unknown };
    return typeof c.system === 'string' && typeof c.code === 'string' && expansion.codings.has(`${c.system}|${c.code}`);
  }
  if (type === 'CodeableConcept') {
    const codings = (value as { coding?: unknown }).coding;
    return Array.isArray(codings) && codings.some((c) => inBinding(c, 'Coding', expansion));
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
  return (item) => valuesAt(item, segments).some(test);
}

class CompiledType implements TypeModel {
  elements: ElementModel[] = [];
  required: ElementModel[] = [];
  private readonly byKey = new Map<string, ElementModel>();
  private choices: ElementModel[] = [];

  constructor(
    readonly name: string,
    private readonly suffixes: ReadonlyMap<string, string>,
  ) {}

  set(elements: ElementModel[]): void {
    this.elements = elements;
    for (const e of elements) {
      if (e.choice) this.choices.push(e);
      else this.byKey.set(e.name, e);
      if ((e.checkMin && e.min > 0) || e.slicing?.slices.some((s) => s.element.min > 0)) this.required.push(e);
    }
  }

  lookup(key: string): { element: ElementModel; type: string } | undefined {
    const element = this.byKey.get(key);
    if (element) return { element, type: element.types.length === 1 ? element.types[0]!.code : (element.types[0]?.code ?? 'Element') };
    for (const choice of this.choices) {
      if (key.startsWith(choice.name)) {
        const type = this.suffixes.get(key.slice(choice.name.length));
        if (type) return { element: choice, type };
      }
    }
    return undefined;
  }
}

/** Compiles a StructureDefinition's snapshot into the model of its root type. */
export function compileStructureDefinition(sd: StructureDefinition, ctx: CompileContext): TypeModel {
  const elements = sd.snapshot?.element ?? [];
  if (elements.length === 0) throw new Error(`${sd.url} has no snapshot`);
  const rootId = elements[0]!.id ?? elements[0]!.path!;
  const childrenOf = new Map<string, ElementDefinition[]>();
  const slicesOf = new Map<string, ElementDefinition[]>();
  const push = (m: Map<string, ElementDefinition[]>, k: string, v: ElementDefinition) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const ed of elements.slice(1)) {
    const id = ed.id ?? ed.path!;
    const dot = id.lastIndexOf('.');
    const parent = id.slice(0, dot);
    const segment = id.slice(dot + 1);
    const colon = segment.indexOf(':');
    if (colon >= 0) push(slicesOf, `${parent}.${segment.slice(0, colon)}`, ed);
    else push(childrenOf, parent, ed);
  }

  const types = new Map<string, CompiledType>();
  function typeModel(id: string, name: string): TypeModel {
    let model = types.get(id);
    if (!model) {
      model = new CompiledType(name, ctx.choiceSuffixes);
      types.set(id, model);
      model.set((childrenOf.get(id) ?? []).map((ed) => element(ed)));
    }
    return model;
  }

  function element(ed: ElementDefinition): ElementModel {
    const id = ed.id ?? ed.path!;
    const segment = id.slice(id.lastIndexOf('.') + 1).replace(/:.*$/, '');
    const choice = segment.endsWith('[x]');
    const typeRefs: TypeRef[] = (ed.type ?? []).map((t) => ({
      code: fhirTypeCode(t),
      profiles: t.profile ?? [],
      targetProfiles: t.targetProfile ?? [],
    }));
    const min = ed.min ?? 0;
    const max = parseMax(ed.max);
    const baseMin = ed.base?.min ?? min;
    const baseMax = parseMax(ed.base?.max ?? ed.max);
    const binding =
      ed.binding?.strength === 'required' && ed.binding.valueSet ? ctx.expand(stripVersion(ed.binding.valueSet)) : undefined;
    const mustHaveValue = ed.extension?.some((x) => x.url === MUST_HAVE_VALUE_URL && x.valueBoolean === true) ?? false;
    const darAllowed =
      ed.extension?.some((x) => x.url === VALUE_ALTERNATIVES_URL && x.valueCanonical === DATA_ABSENT_REASON_URL) ?? false;

    const model: { -readonly [K in keyof ElementModel]: ElementModel[K] } = {
      id,
      name: choice ? segment.slice(0, -3) : segment,
      choice,
      min,
      max,
      checkMin: min > baseMin,
      checkMax: max < baseMax,
      types: typeRefs,
      typeCodes: new Set(typeRefs.map((t) => t.code)),
      fixed: valueOf(ed, 'fixed'),
      pattern: valueOf(ed, 'pattern'),
      binding: binding ? { valueSet: stripVersion(ed.binding!.valueSet!), expansion: binding } : undefined,
      mustHaveValue,
      darAllowed,
      children: undefined,
      slicing: undefined,
    };

    if (childrenOf.has(id)) {
      model.children = typeModel(id, typeRefs.length === 1 ? typeRefs[0]!.code : 'Element');
    } else if (ed.contentReference) {
      const ref = ed.contentReference.slice(ed.contentReference.indexOf('#') + 1);
      if (childrenOf.has(ref)) {
        const owner = elements.find((e) => (e.id ?? e.path) === ref);
        const refName = owner?.type?.length === 1 ? fhirTypeCode(owner.type[0]!) : 'Element';
        // Lazy: a content reference may point at an ancestor (Questionnaire.item.item).
        let resolved: TypeModel | undefined;
        Object.defineProperty(model, 'children', { enumerable: true, get: () => (resolved ??= typeModel(ref, refName)) });
      }
    }

    const sliceDefs = slicesOf.get(id);
    if (ed.slicing && sliceDefs) {
      const discriminators = ed.slicing.discriminator ?? [];
      model.slicing = {
        rules: ed.slicing.rules ?? 'open',
        slices: sliceDefs.map((sliceEd) => {
          const sliceModel = element(sliceEd);
          const matchers = discriminators.map((d) => discriminatorMatcher(sliceModel, d.type ?? 'value', d.path ?? '$this'));
          return {
            name: sliceEd.sliceName ?? sliceEd.id!,
            element: sliceModel,
            matches: (item: unknown) => matchers.length > 0 && matchers.every((m) => m(item)),
          };
        }),
      };
    }
    return model;
  }

  return typeModel(rootId, sd.type ?? rootId);
}
