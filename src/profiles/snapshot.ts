/**
 * Snapshot generation: start from the R4 base snapshot, apply constraints element by element
 * (creating slices and expanding data types on the way), and record what changed as the
 * differential. Only what pont's profiles need is supported: cardinality, types, fixed/pattern
 * values, bindings, slicing and slices, text.
 */
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';

export type ElementChanges = Partial<ElementDefinition> & Record<string, unknown>;

/** Resolves a type code (`Identifier`) or profile URL to a StructureDefinition with a snapshot. */
export type DefinitionResolver = (typeOrUrl: string) => StructureDefinition;

/** R4 ElementDefinition property order, so generated JSON reads like the specification's. */
const ELEMENT_KEY_ORDER = [
  'id',
  'extension',
  'modifierExtension',
  'path',
  'representation',
  'sliceName',
  'sliceIsConstraining',
  'label',
  'code',
  'slicing',
  'short',
  'definition',
  'comment',
  'requirements',
  'alias',
  'min',
  'max',
  'base',
  'contentReference',
  'type',
  'defaultValue',
  'meaningWhenMissing',
  'orderMeaning',
  'fixed',
  'pattern',
  'example',
  'minValue',
  'maxValue',
  'maxLength',
  'condition',
  'constraint',
  'mustSupport',
  'isModifier',
  'isModifierReason',
  'isSummary',
  'binding',
  'mapping',
];
const CHOICE_PREFIXES = ['defaultValue', 'fixed', 'pattern', 'minValue', 'maxValue'];

function keyRank(key: string): number {
  const exact = ELEMENT_KEY_ORDER.indexOf(key);
  if (exact >= 0) return exact;
  const prefix = CHOICE_PREFIXES.find((p) => key.startsWith(p) && /^[A-Z]/.test(key.slice(p.length)));
  return prefix ? ELEMENT_KEY_ORDER.indexOf(prefix) : ELEMENT_KEY_ORDER.length;
}

/** The element with its keys in R4 order (ties keep their current order). */
export function orderElementKeys<T extends object>(element: T): T {
  const entries = Object.entries(element);
  entries.sort(([a], [b]) => keyRank(a) - keyRank(b));
  return Object.fromEntries(entries) as T;
}

export const isFixedOrPatternKey = (key: string): boolean => /^(fixed|pattern)[A-Z]/.test(key);

const clone = <T>(value: T): T => structuredClone(value);

function lastSegment(id: string): string {
  return id.slice(id.lastIndexOf('.') + 1);
}

/** `CarePlan.extension:planVersion.url` -> `CarePlan.extension.url`. */
export function unslicedId(id: string): string {
  return id.replace(/:[^.]+/g, '');
}

function parseMax(max: string | undefined): number {
  return max === undefined || max === '*' ? Number.POSITIVE_INFINITY : Number(max);
}

export class SnapshotBuilder {
  private readonly elements: ElementDefinition[];
  private readonly changes = new Map<string, ElementChanges>();

  constructor(
    base: StructureDefinition,
    private readonly resolve: DefinitionResolver,
  ) {
    const snapshot = base.snapshot?.element;
    if (!snapshot || snapshot.length === 0) throw new Error(`${base.url} has no snapshot`);
    this.elements = clone(snapshot);
    // The root's extensions (standards status etc.) describe the base, not the profile.
    delete this.elements[0]!.extension;
    this.changes.set(this.elements[0]!.id!, {});
  }

  get rootId(): string {
    return this.elements[0]!.id!;
  }

  private indexOf(id: string): number {
    return this.elements.findIndex((e) => e.id === id);
  }

  has(id: string): boolean {
    return this.indexOf(id) >= 0;
  }

  get(id: string): ElementDefinition {
    return this.elements[this.ensure(id)]!;
  }

  /** Index of the element with this id, creating it (as a slice or an expanded child) if needed. */
  ensure(id: string): number {
    let index = this.indexOf(id);
    if (index >= 0) return index;
    const dot = id.lastIndexOf('.');
    if (dot < 0) throw new Error(`unknown element ${id}`);
    const segment = id.slice(dot + 1);
    const colon = segment.indexOf(':');
    if (colon >= 0) {
      return this.createSlice(id.slice(0, dot + 1) + segment.slice(0, colon), segment.slice(colon + 1));
    }
    const parentId = id.slice(0, dot);
    this.ensure(parentId);
    this.expandChildren(parentId);
    index = this.indexOf(id);
    if (index < 0) throw new Error(`unknown element ${id}`);
    return index;
  }

  private createSlice(slicedId: string, sliceName: string): number {
    const slicedIndex = this.ensure(slicedId);
    const sliced = this.elements[slicedIndex]!;
    if (!sliced.slicing) throw new Error(`${slicedId} must declare slicing before slice ${sliceName}`);
    const slice = clone(sliced);
    delete slice.slicing;
    // A slice starts optional; its max is that of the sliced element.
    const sliceEl: ElementDefinition = orderElementKeys({ ...slice, id: `${slicedId}:${sliceName}`, sliceName, min: 0 });
    let at = slicedIndex + 1;
    while (at < this.elements.length) {
      const otherId = this.elements[at]!.id!;
      if (!otherId.startsWith(`${slicedId}.`) && !otherId.startsWith(`${slicedId}:`)) break;
      at++;
    }
    this.elements.splice(at, 0, sliceEl);
    this.changes.set(sliceEl.id!, { ...this.changes.get(sliceEl.id!) });
    return at;
  }

  /** Adds the children of an element that has none in the snapshot yet (data type or slice of a backbone element). */
  expandChildren(parentId: string): void {
    const parentIndex = this.ensure(parentId);
    if (this.elements.some((e) => e.id!.startsWith(`${parentId}.`))) return;
    const parent = this.elements[parentIndex]!;
    let children: ElementDefinition[];

    const plainId = unslicedId(parentId);
    const inSnapshot = plainId !== parentId ? this.elements.filter((e) => e.id!.startsWith(`${plainId}.`) && !e.id!.slice(plainId.length).includes(':')) : [];
    if (inSnapshot.length > 0) {
      children = inSnapshot.map((e) => ({ ...clone(e), id: parentId + e.id!.slice(plainId.length) }));
    } else {
      const types = parent.type ?? [];
      if (types.length !== 1) throw new Error(`${parentId} has ${types.length} types: restrict it to one before constraining its children`);
      const type = types[0]!;
      const profile = type.profile?.[0];
      const definition = this.resolve(profile ?? type.code!);
      const defElements = definition.snapshot?.element ?? [];
      const rootPath = defElements[0]!.path!;
      children = defElements
        .slice(1)
        // From a profile, take only the direct constraints on the type's own elements, not its slices.
        .filter((e) => !profile || !e.id!.includes(':'))
        .map((e) => {
          const child = clone(e);
          child.id = parentId + e.id!.slice(rootPath.length);
          child.path = parent.path! + e.path!.slice(rootPath.length);
          return child;
        });
    }
    this.elements.splice(parentIndex + 1, 0, ...children);
  }

  /** Applies constraints to an element (creating it if needed) and records them in the differential. */
  constrain(id: string, changes: ElementChanges): ElementDefinition {
    const index = this.ensure(id);
    const element = this.elements[index]! as ElementDefinition & Record<string, unknown>;
    if (changes.min !== undefined && changes.min < (element.min ?? 0)) {
      throw new Error(`${id}: min ${changes.min} is below the base min ${element.min}`);
    }
    if (changes.max !== undefined && parseMax(changes.max) > parseMax(element.max)) {
      throw new Error(`${id}: max ${changes.max} is above the base max ${element.max}`);
    }
    const min = changes.min ?? element.min ?? 0;
    const maxValue = parseMax(changes.max ?? element.max);
    if (min > maxValue) throw new Error(`${id}: min ${min} is above max ${changes.max ?? element.max}`);
    if (Object.keys(changes).some(isFixedOrPatternKey)) {
      for (const key of Object.keys(element)) if (isFixedOrPatternKey(key)) delete element[key];
    }
    const merged = orderElementKeys({ ...element, ...clone(changes) });
    this.elements[index] = merged;
    this.changes.set(id, { ...this.changes.get(id), ...clone(changes) });
    return merged;
  }

  /** Notes an element in the differential without changing it (e.g. the root). */
  touch(id: string): void {
    this.ensure(id);
    if (!this.changes.has(id)) this.changes.set(id, {});
  }

  snapshot(): ElementDefinition[] {
    return this.elements.map((e) => orderElementKeys(clone(e)));
  }

  differential(): ElementDefinition[] {
    const out: ElementDefinition[] = [];
    for (const element of this.elements) {
      const changes = this.changes.get(element.id!);
      if (!changes) continue;
      out.push(
        orderElementKeys({
          id: element.id,
          path: element.path,
          ...(element.sliceName ? { sliceName: element.sliceName } : {}),
          ...clone(changes),
        }),
      );
    }
    return out;
  }

  /** The type codes of an element, for picking `fixedUri` vs `fixedCode`. */
  typeCodes(id: string): string[] {
    return (this.get(id).type ?? []).map((t) => fhirTypeCode(t));
  }

  lastSegment(id: string): string {
    return lastSegment(id);
  }
}

/** `http://hl7.org/fhirpath/System.String` with a structuredefinition-fhir-type extension -> `uri` etc. */
export function fhirTypeCode(type: { code?: string; extension?: { url?: string; valueUrl?: string }[] }): string {
  const fhirType = type.extension?.find((x) => x.url === 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type')?.valueUrl;
  return fhirType ?? type.code ?? '';
}
