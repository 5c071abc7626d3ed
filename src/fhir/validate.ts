/**
 * Validates one resource at a time against the R4 base definitions and the pont profile named
 * in `meta.profile[0]`, with checks compiled once per profile and per data type when the
 * validator is created (compile.ts), invariants compiled once per expression (invariants.ts).
 *
 * What is checked, over every element (not only the profiled ones): cardinality; JSON shape
 * (array or single value, object, JSON type of primitives); allowed types, including choice
 * types (one `value[x]` key only, no unknown `valueFoo`); primitive formats (primitives.ts);
 * `_field` siblings (Element content only, aligned with primitive arrays, null only where the
 * other side has an entry); unknown properties; fixed and pattern values; required bindings
 * wherever the value set can be expanded (an error), extensible ones on codings likewise (a
 * warning: whether one of the set's codes applies is for a person to judge); every coding's code
 * against its system, where the system is held complete (the R4 base and v3 code systems,
 * pont's own: a code its system does not define is an error, whatever the binding); slices;
 * reference target types; contained resources;
 * the R4 invariants of error severity, ele-1 natively and all others from FHIRPath.
 * Warning-severity invariants (dom-6 "should have a narrative", con-3, ...) are skipped: they
 * would flag every pont resource (pont writes no narrative) and are not conformance failures.
 *
 * Only resources are validated, never a Bundle as a whole: `validateBundleEntries` validates
 * each entry's resource, with the other entries at hand for `resolve()` (by `fullUrl`, so that
 * ctm-1 sees what a `urn:uuid:` member is), and `validate` rejects a Bundle.
 *
 * `baseValidation` (default false) adds medplum's validateResource as a second, independent
 * layer, for those who want a second opinion. It is off by default because it costs ~170 µs per
 * resource against ~12 µs for everything above (test/bench/validate.bench.ts: ~80,000 against
 * ~6,000 resources/s), and test/fhir/base-equivalence.test.ts shows that wherever medplum
 * reports an error, the compiled checks report one at the same or an enclosing location, over
 * the examples' outputs and over a corpus of ~1,000 broken resources. Where both layers report
 * at the same location, only the compiled check's issue is kept.
 *
 * An invariant that cannot be evaluated at all (fhirpath.js fails on the content) is reported
 * as a warning with code `processing`, not as an error.
 *
 * Issues never carry resource values: each says which rule failed, and `expression` holds the
 * FHIRPath location (`CarePlan.extension[2].extension[0].value`). Property names of unknown
 * properties are named (they are not patient data).
 */
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { DATA_ABSENT_REASON_URL, HL7_SD_BASE, PONT_BASE, stripVersion } from '../profiles/canonical.js';
import type { ProfileRegistry } from '../profiles/load-profiles.js';
import type { CompileContext, ElementModel, Slot, TypeModel } from './compile.js';
import { compileStructureDefinition, deepEqual, deepIncludes, inBinding, PRIMITIVE_TYPES } from './compile.js';
import type { Invariant, InvariantComparison, InvariantEnv } from './invariants.js';
import { compileInvariant, primitiveNode } from './invariants.js';
import { ensureMedplumIndexed, r4Base } from './r4-base.js';
import { literalReference } from './reference.js';
import type { ExpandedValueSet, TerminologySource } from './value-sets.js';
import { codeSystemCodes, expandValueSet } from './value-sets.js';

/** What a resource is validated together with. */
export interface ValidationContext {
  /**
   * The resources validated alongside it (a Bundle's entries by `fullUrl`), so that invariants
   * which `resolve()` a reference (ctm-1) see the resource a `urn:uuid:` reference points to.
   */
  readonly resolveSibling?: (reference: string) => unknown;
}

export interface Validator {
  /** All issues for one resource; never throws for invalid input. */
  validate(resource: unknown, context?: ValidationContext): OperationOutcomeIssue[];
  /**
   * All R4 base issues for one resource, against no pont profile: for FHIR that pont reads, as
   * pont's profiles constrain what it writes. A Bundle is checked whole, its entries' resources
   * included, so locations read `Bundle.entry[i].resource.…`.
   */
  validateBase(resource: unknown): OperationOutcomeIssue[];
  /** Canonical URLs of the profiles this validator checks against. */
  readonly profiles: ReadonlySet<string>;
}

export interface ValidatorOptions {
  /** Also run medplum's R4 base validation as a second layer (default false). */
  readonly baseValidation?: boolean;
  /**
   * For tests: whenever the compiled FHIRPath closures evaluate an invariant, evaluate it with
   * fhirpath.js as well and report both answers here (slow).
   */
  readonly crossCheckInvariants?: (comparison: InvariantComparison) => void;
}

type IssueCode = OperationOutcomeIssue['code'];

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
const BINDABLE_PRIMITIVES = new Set(['code', 'string', 'uri']);
const DAR_VALUE_SET = 'http://hl7.org/fhir/ValueSet/data-absent-reason';
/** isPontUrl(), without building the prefix on every call. */
const PONT_PREFIX = `${PONT_BASE}/`;

interface ProfileModel {
  readonly url: string;
  readonly id: string;
  readonly type: string;
  readonly model: TypeModel;
}

interface ExtensionModel {
  readonly url: string;
  readonly id: string;
  readonly contexts: readonly string[];
  readonly model: TypeModel;
}

function issue(severity: 'error' | 'warning', code: IssueCode, expression: string, message: string): OperationOutcomeIssue {
  return { severity, code, diagnostics: `${expression}: ${message}`, expression: [expression] };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const cardinality = (min: number, max: number) => `${min}..${Number.isFinite(max) ? max : '*'}`;

const jsonKind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/** A property name as it may appear in a message: short, printable. */
const propertyName = (key: string): string =>
  /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key) ? key : `${key.slice(0, 32).replace(/[^\x20-\x7e]/g, '?')}${key.length > 32 ? '…' : ''}`;

/** What an object holds, for ele-1: nothing, only an `id`, or more. */
type Content = 0 | 1 | 2;
const EMPTY: Content = 0;
const ID_ONLY: Content = 1;
const CONTENT: Content = 2;

function hasContent(obj: Record<string, unknown>): Content {
  let any = false;
  for (const key in obj) {
    if (key !== 'id') return CONTENT;
    any = true;
  }
  return any ? ID_ONLY : EMPTY;
}

/** One validation pass over one resource. */
class Pass {
  issues: OperationOutcomeIssue[] = [];
  env: InvariantEnv;
  /**
   * The current location, kept as a stack so that no string is built unless an issue is
   * reported: `names[0]` is the resource type, `idx[k]` the index on `names[k]` (or -1).
   */
  private readonly names: string[] = [];
  private readonly idx: number[] = [];
  private depth = 1;
  /** Where the current resource starts on the stack, and its type (contained resources). */
  private resBase = 0;
  private resType: string;

  constructor(
    private readonly v: CompiledValidator,
    root: Record<string, unknown>,
    resourceType: string,
    private readonly resolveSibling: ((reference: string) => unknown) | undefined,
  ) {
    this.env = { resource: root, rootResource: root, resolveSibling };
    this.names[0] = resourceType;
    this.idx[0] = -1;
    this.resType = resourceType;
  }

  /** The FHIRPath of the current location, optionally with one more segment. */
  loc(suffix?: string): string {
    let s = this.names[0]!;
    for (let k = 1; k < this.depth; k++) {
      s += `.${this.names[k]!}`;
      const i = this.idx[k]!;
      if (i >= 0) s += `[${i}]`;
    }
    return suffix === undefined ? s : `${s}.${suffix}`;
  }

  /** The element path (no indices) of the first `upTo` segments, from the current resource. */
  private elementPath(upTo: number): string {
    let s = this.resType;
    for (let k = this.resBase + 1; k < upTo; k++) s += `.${this.names[k]!}`;
    return s;
  }

  private push(name: string): void {
    this.names[this.depth] = name;
    this.idx[this.depth] = -1;
    this.depth++;
  }

  error(code: IssueCode, message: string, suffix?: string): void {
    const at = this.loc(suffix);
    this.issues.push(issue('error', code, at, message));
  }

  errorAt(code: IssueCode, expression: string, message: string): void {
    this.issues.push(issue('error', code, expression, message));
  }

  warning(code: IssueCode, message: string, suffix?: string): void {
    const at = this.loc(suffix);
    this.issues.push(issue('warning', code, at, message));
  }

  /**
   * Walks an object against a type model, at the current location. Returns what the object
   * holds; an empty object is not checked for required elements (it is reported as empty).
   */
  object(obj: Record<string, unknown>, model: TypeModel, isResource = false): Content {
    // Which key each choice element was given as (the first inline; more are rare).
    let choice1: ElementModel | undefined;
    let key1 = '';
    let choiceMore: Map<ElementModel, string> | undefined;
    let content: Content = EMPTY;
    for (const key in obj) {
      if (isResource && key === 'resourceType') continue;
      if (content !== CONTENT) content = key === 'id' ? ID_ONLY : CONTENT;
      const slot = model.slot(key);
      let element: ElementModel;
      let valueKey: string;
      if (slot === undefined) {
        const wrong = this.unknown(obj, key, model);
        if (!wrong) continue;
        element = wrong;
        valueKey = key;
      } else {
        element = slot.element;
        valueKey = slot.valueKey;
      }
      if (element.choice) {
        const previous = element === choice1 ? key1 : choiceMore?.get(element);
        if (previous !== undefined && previous !== valueKey) {
          this.error(
            'structure',
            `${element.name}[x] has more than one value (${propertyName(previous)} and ${propertyName(valueKey)}); only one type may be given`,
            element.name,
          );
          continue;
        }
        if (previous === undefined) {
          if (choice1 === undefined) {
            choice1 = element;
            key1 = valueKey;
          } else (choiceMore ??= new Map()).set(element, valueKey);
        }
      }
      if (slot === undefined) continue;
      if (slot.primitive && element.plain && !slot.underscore) {
        // The usual case: one primitive value, no _ sibling, valid. Anything else takes the long way.
        const value = obj[key];
        if (value !== null && typeof value !== 'object' && obj[slot.extKey] === undefined && slot.check(value) === undefined) {
          const binding = element.binding;
          if (binding === undefined || typeof value !== 'string' || !BINDABLE_PRIMITIVES.has(slot.type) || binding.expansion.codes.has(value)) continue;
        }
      }
      if (slot.underscore) {
        if (slot.valueKey in obj) continue; // handled with the value
        this.element(undefined, obj[key], slot, model);
      } else {
        this.element(obj[key], slot.primitive ? obj[slot.extKey] : undefined, slot, model);
      }
    }
    if (content === EMPTY && !isResource) return EMPTY;
    const required = model.required;
    for (let r = 0; r < required.length; r++) {
      const element = required[r]!;
      // A choice element was seen in the loop above (any of its many keys); others have two keys.
      if (element.choice ? element === choice1 || choiceMore?.has(element) === true : present(obj, element)) continue;
      if (element.min > 0) {
        this.error('required', `required element is missing (cardinality ${cardinality(element.min, element.max)})`, element.name);
      }
      for (const slice of element.slicing?.slices ?? []) {
        if (slice.element.min > 0)
          this.error('required', `${sliceLabel(slice.name, slice.element)} is missing (cardinality ${cardinality(slice.element.min, slice.element.max)})`, element.name);
      }
    }
    return content;
  }

  /** Reports a key the model does not allow; returns the choice element it names with a wrong type. */
  private unknown(obj: Record<string, unknown>, key: string, model: TypeModel): ElementModel | undefined {
    if (obj[key] === undefined) return undefined;
    const wrong = model.wrongChoice(key);
    if (wrong) {
      this.error('structure', `type ${wrong.type} is not allowed here; expected ${[...wrong.element.typeCodes].join(' or ')}`, wrong.element.name);
      return wrong.element;
    }
    // A key that is no element may itself be patient data (a value typed where a name belongs):
    // it is named by its position, never by its text.
    const keys = Object.keys(obj);
    const position = `key ${keys.indexOf(key) + 1} of ${keys.length}`;
    if (key.charCodeAt(0) === 95 && model.lookup(key.slice(1))) {
      this.error('structure', `${position} is the _ sibling of an element that is not primitive (only primitive elements have one)`);
    } else {
      this.error('structure', `${position} is not an element of ${model.name} (the key is not shown: it may hold patient data)`);
    }
    return undefined;
  }

  private element(raw: unknown, ext: unknown, slot: Slot, host: TypeModel): void {
    const element = slot.element;
    this.push(element.name);
    const top = this.depth - 1;

    const rawArray = Array.isArray(raw);
    const extArray = Array.isArray(ext);
    if (raw !== undefined) {
      if (rawArray) {
        if (!element.isArray) this.error('structure', 'expected a single value, not an array');
        if ((raw as unknown[]).length === 0) this.error('structure', 'array is empty');
      } else if (element.isArray) this.error('structure', 'expected an array');
    }
    if (ext !== undefined) {
      if (extArray) {
        if (!element.isArray) this.error('structure', `_${slot.valueKey} must be a single object, not an array`);
        if ((ext as unknown[]).length === 0) this.error('structure', 'array of primitive extensions is empty');
      } else if (element.isArray) this.error('structure', `_${slot.valueKey} must be an array`);
    }
    const valueCount = raw === undefined ? 0 : rawArray ? (raw as unknown[]).length : 1;
    const extCount = ext === undefined ? 0 : extArray ? (ext as unknown[]).length : 1;
    if (rawArray && extArray && valueCount !== extCount) {
      this.error('structure', `_${slot.valueKey} must have one entry (or null) for each entry of ${slot.valueKey}`);
    }
    const indexed = rawArray || extArray;
    const count = Math.max(valueCount, extCount);

    if (count < element.min) {
      this.error('required', `too few values: ${count} (cardinality ${cardinality(element.min, element.max)})`);
    }
    if (count > element.max) {
      this.error('structure', `too many values: ${count} (cardinality ${cardinality(element.min, element.max)})`);
    }

    const slicing = element.slicing;
    const sliceCounts = slicing ? new Array<number>(slicing.slices.length).fill(0) : undefined;
    for (let i = 0; i < count; i++) {
      if (indexed) this.idx[top] = i;
      const value = rawArray ? (raw as unknown[])[i] : i === 0 ? raw : undefined;
      let effective = element;
      if (slicing && value !== undefined && value !== null) {
        const slices = slicing.slices;
        let s = 0;
        while (s < slices.length && !slices[s]!.matches(value)) s++;
        if (s < slices.length) {
          sliceCounts![s]!++;
          effective = slicing.slices[s]!.element;
        } else if (slicing.rules === 'closed') {
          this.error('structure', `does not match any slice defined for ${element.id} (slicing is closed)`);
        }
      }
      if (slot.primitive) {
        this.primitive(value, extArray ? (ext as unknown[])[i] : i === 0 ? ext : undefined, effective, slot);
      } else if (value === null || value === undefined) {
        this.error('structure', 'null is not allowed here');
      } else {
        this.complex(value, effective, slot, host);
      }
    }
    this.idx[top] = -1;

    if (slicing) {
      for (let s = 0; s < slicing.slices.length; s++) {
        const slice = slicing.slices[s]!;
        const n = sliceCounts![s]!;
        const e = slice.element;
        if (n < e.min) this.error('required', `${sliceLabel(slice.name, e)} is missing: ${n} found (cardinality ${cardinality(e.min, e.max)})`);
        else if (n > e.max) this.error('structure', `${sliceLabel(slice.name, e)} has too many values: ${n} (cardinality ${cardinality(e.min, e.max)})`);
      }
    }
    this.depth--;
  }

  private primitive(value: unknown, ext: unknown, element: ElementModel, slot: Slot): void {
    const type = slot.type;
    const hasValue = value !== undefined && value !== null;
    const hasExt = ext !== undefined && ext !== null;
    if (!hasValue && !hasExt) {
      this.error('structure', value === null && ext === null ? 'null in both the value and the _ sibling' : 'null is not allowed here');
      return;
    }
    if (hasValue) {
      const problem = slot.check(value);
      if (problem) {
        this.error(problem.code, problem.message);
      } else {
        if (element.fixed !== undefined && !deepEqual(value, element.fixed)) {
          this.error('value', `value does not equal the fixed value ${JSON.stringify(element.fixed)} required by the profile`);
        } else if (element.pattern !== undefined && !deepEqual(value, element.pattern)) {
          this.error('value', `value does not equal the pattern value ${JSON.stringify(element.pattern)} required by the profile`);
        }
        if (element.binding && typeof value === 'string' && BINDABLE_PRIMITIVES.has(type) && !element.binding.expansion.codes.has(value)) {
          this.error('code-invalid', `code is not in the required value set ${element.binding.valueSet}`);
        }
      }
    }
    if (hasExt) {
      if (!isObject(ext)) {
        this.error('structure', `_${slot.valueKey} must be an object (id and extension), not ${jsonKind(ext)}`);
        return;
      }
      const content = hasContent(ext);
      if (content === EMPTY) {
        this.error('structure', 'primitive extension object is empty');
        return;
      }
      const elementModel = this.v.type('Element');
      if (elementModel) this.object(ext, elementModel);
      if (!hasValue) {
        if (content === ID_ONLY || !Array.isArray(ext.extension) || ext.extension.length === 0) {
          this.error('structure', 'has neither a value nor an extension (ele-1)');
        } else if (element.mustHaveValue) {
          this.error('required', 'must have a value; an extension cannot stand in for it here');
        } else if (element.darAllowed && !hasDataAbsentReason(ext)) {
          this.error('required', 'has neither a value nor a data-absent-reason extension');
        } else if (element.fixed !== undefined || element.pattern !== undefined) {
          this.error('value', 'has no value but the profile fixes one');
        }
      }
    }
    if (element.invariants.length > 0) this.invariants(element.invariants, primitiveNode(value, ext));
  }

  private complex(value: unknown, element: ElementModel, slot: Slot, host: TypeModel): void {
    const type = slot.type;
    if (!isObject(value)) {
      this.error('structure', `expected an object (${type}), not ${jsonKind(value)}`);
      return;
    }
    if (type === 'Resource') {
      if (hasContent(value) === EMPTY) this.error('structure', 'object is empty');
      else {
        this.resource(value);
        if (element.invariants.length > 0) this.invariants(element.invariants, value);
      }
      return;
    }

    let model: TypeModel | undefined;
    if (type === 'Extension') {
      model = this.extension(value, element, host);
    } else {
      if (type === 'Reference') this.referenceTarget(value, element);
      model = element.children;
      if (model === undefined) {
        let base = slot.typeModel;
        if (base === undefined) base = slot.typeModel = this.v.type(type) ?? null;
        model = base ?? undefined;
      }
    }
    const content = model ? this.object(value, model) : hasContent(value);
    if (content === EMPTY) {
      this.error('structure', 'object is empty');
      return;
    }
    if (content === ID_ONLY) this.error('structure', 'has nothing but an id: an element must have a value or children (ele-1)');

    if (element.fixed !== undefined && !deepEqual(value, element.fixed)) {
      this.error('value', 'value does not equal the fixed value required by the profile');
    } else if (element.pattern !== undefined && !deepIncludes(value, element.pattern)) {
      this.error('value', 'value does not match the pattern required by the profile');
    }
    if (element.binding && (type === 'Coding' || type === 'CodeableConcept') && !inBinding(value, type, element.binding.expansion)) {
      this.error(
        'code-invalid',
        type === 'Coding' ? `coding is not in the required value set ${element.binding.valueSet}` : `no coding is in the required value set ${element.binding.valueSet}`,
      );
    } else if (element.extensible && hasCoding(value, type) && !inBinding(value, type, element.extensible.expansion)) {
      this.warning(
        'code-invalid',
        `${type === 'Coding' ? 'coding is' : 'no coding is'} in the extensible value set ${element.extensible.valueSet}: its codes must be used when one of them applies`,
      );
    }
    if (type === 'Coding') this.codeInSystem(value);
    const invariants = this.v.invariantsOf(element, type, model);
    if (invariants.length > 0) this.invariants(invariants, value);
  }

  /**
   * A coding's code must be defined by its system: checked wherever the system is a code system
   * pont holds in full (the R4 base and v3 code systems, pont's own), whatever the binding.
   */
  private codeInSystem(coding: Record<string, unknown>): void {
    const { system, code } = coding;
    if (typeof system !== 'string' || typeof code !== 'string') return;
    const codes = this.v.codesOf(system);
    if (codes && !codes.has(code)) this.error('code-invalid', `code is not defined in the code system ${system}`, 'code');
  }

  invariants(list: readonly Invariant[], node: unknown): void {
    let previous: Invariant | undefined;
    let ok: boolean | undefined;
    for (let k = 0; k < list.length; k++) {
      const inv = list[k]!;
      // Two invariants with one expression on one node have one answer (R4's txt-1 and txt-2 are both `htmlChecks()`).
      if (previous === undefined || inv.expression !== previous.expression) ok = inv.test(node, this.env);
      previous = inv;
      if (ok === false) this.error('invariant', `invariant ${inv.key} failed: ${inv.human}`);
      else if (ok === undefined) this.warning('processing', `invariant ${inv.key} could not be evaluated`);
    }
  }

  private referenceTarget(value: Record<string, unknown>, element: ElementModel): void {
    const ref = value.reference;
    // Contained (#id) and bundle-internal (urn:uuid:) references carry no type.
    if (typeof ref !== 'string' || ref.charCodeAt(0) === 35 || ref.startsWith('urn:')) return;
    const allowed = this.v.targetTypes(element);
    if (!allowed) return;
    const type = literalReference(ref)?.type;
    if (type === undefined) return; // not a literal reference with a type
    if (!allowed.has(type)) {
      this.error('structure', `refers to a ${this.v.isResourceType(type) ? type : 'resource of an unknown type'}; allowed here: ${[...allowed].join(', ')}`);
    }
  }

  /** Checks an extension's URL and context; returns the model to walk it with. */
  private extension(value: Record<string, unknown>, element: ElementModel, host: TypeModel): TypeModel | undefined {
    const url = value.url;
    if (typeof url === 'string' && url.startsWith(PONT_PREFIX)) {
      const ext = this.v.extensions.get(url);
      if (!ext) {
        this.error('extension', `unknown extension: no pont extension under ${PONT_BASE} has this URL`);
      } else {
        const hostPath = this.elementPath(this.depth - 1);
        if (!ext.contexts.includes(hostPath) && !ext.contexts.includes(host.name)) {
          this.error('extension', `extension ${ext.id} is not allowed on ${hostPath}; its context is ${ext.contexts.join(', ')}`);
        }
        return ext.model;
      }
    }
    if (url === DATA_ABSENT_REASON_URL && this.v.darCodes && typeof value.valueCode === 'string' && !this.v.darCodes.codes.has(value.valueCode)) {
      this.error('code-invalid', `code is not in the required value set ${DAR_VALUE_SET}`, 'value');
    }
    return element.children ?? this.v.type('Extension');
  }

  /** A contained resource: validated against its R4 base definition. */
  private resource(value: Record<string, unknown>): void {
    const resourceType = value.resourceType;
    if (typeof resourceType !== 'string') {
      this.error('required', 'a contained resource must have a resourceType', 'resourceType');
      return;
    }
    const model = this.v.isResourceType(resourceType) ? this.v.type(resourceType) : undefined;
    if (!model) {
      this.error('structure', 'unknown resource type', 'resourceType');
      return;
    }
    const outer = { env: this.env, resBase: this.resBase, resType: this.resType };
    // %rootResource is the container for a contained resource, but a resource of its own in a
    // Bundle entry (or any other resource-typed element).
    this.env = { resource: value, rootResource: this.names[this.depth - 1] === 'contained' ? outer.env.rootResource : value, resolveSibling: this.resolveSibling };
    this.resBase = this.depth - 1;
    this.resType = resourceType;
    this.checkId(value);
    this.object(value, model, true);
    if (model.invariants.length > 0) this.invariants(model.invariants, value);
    this.env = outer.env;
    this.resBase = outer.resBase;
    this.resType = outer.resType;
  }

  checkId(resource: Record<string, unknown>): void {
    const id = resource.id;
    // Wrong JSON types and empty strings are reported by the element walk.
    if (typeof id === 'string' && id.trim() !== '' && !ID_PATTERN.test(id)) {
      this.error('value', 'resource id must match [A-Za-z0-9\\-\\.]{1,64}', 'id');
    }
  }
}

function present(obj: Record<string, unknown>, element: ElementModel): boolean {
  for (const key of element.keys) if (obj[key] !== undefined) return true;
  return false;
}

function sliceLabel(name: string, element: ElementModel): string {
  const profile = element.types.find((t) => t.code === 'Extension')?.profiles[0];
  return profile ? `extension ${profile} (slice ${name})` : `slice ${name}`;
}

function hasCoding(value: Record<string, unknown>, type: string): boolean {
  if (type === 'Coding') return typeof value.system === 'string' || typeof value.code === 'string';
  return Array.isArray(value.coding) && value.coding.length > 0;
}

function hasDataAbsentReason(ext: Record<string, unknown>): boolean {
  const list = ext.extension;
  return Array.isArray(list) && list.some((x) => isObject(x) && x.url === DATA_ABSENT_REASON_URL);
}

class CompiledValidator implements Validator {
  readonly profiles: ReadonlySet<string>;
  readonly extensions = new Map<string, ExtensionModel>();
  readonly darCodes: ExpandedValueSet | undefined;
  private readonly profileModels = new Map<string, ProfileModel>();
  private readonly profileTypes = new Map<string, string>();
  private readonly baseTypes = new Map<string, TypeModel | null>();
  private readonly expansions = new Map<string, ExpandedValueSet | null>();
  private readonly systemCodes = new Map<string, ReadonlySet<string> | null>();
  private readonly terminology: TerminologySource;
  private readonly invariantCache = new Map<string, Invariant>();
  private readonly targetTypeCache = new WeakMap<ElementModel, ReadonlySet<string> | null>();
  private readonly resourceTypes: ReadonlySet<string>;
  private readonly ctx: CompileContext;
  private readonly baseValidation: boolean;

  constructor(registry: ProfileRegistry, options: ValidatorOptions) {
    this.baseValidation = options.baseValidation ?? false;
    const base = r4Base();
    if (this.baseValidation) ensureMedplumIndexed();
    this.resourceTypes = new Set([...base.types.values()].filter((sd) => sd.kind === 'resource' && !sd.abstract).map((sd) => sd.type));

    const choiceSuffixes = new Map<string, string>();
    for (const p of PRIMITIVE_TYPES) choiceSuffixes.set(p.charAt(0).toUpperCase() + p.slice(1), p);
    for (const [name, sd] of base.types) if (sd.kind === 'complex-type') choiceSuffixes.set(name, name);

    const terminology: TerminologySource = {
      codeSystem: (url: string) => registry.codeSystems.get(url) ?? base.codeSystems.get(url),
      valueSet: (url: string) => registry.valueSets.get(url) ?? base.valueSets.get(url),
    };
    this.terminology = terminology;
    const crossCheck = options.crossCheckInvariants;
    this.ctx = {
      choiceSuffixes,
      expand: (url) => {
        let e = this.expansions.get(url);
        if (e === undefined) {
          e = expandValueSet(url, terminology) ?? null;
          this.expansions.set(url, e);
        }
        return e ?? undefined;
      },
      invariant: (def, at) => {
        const key = `${at}\u0000${def.key}\u0000${def.expression}`;
        let inv = this.invariantCache.get(key);
        if (!inv) {
          inv = compileInvariant(def, at, { crossCheck });
          this.invariantCache.set(key, inv);
        }
        return inv;
      },
    };
    this.darCodes = this.ctx.expand(DAR_VALUE_SET);

    for (const sd of registry.extensions) {
      this.extensions.set(sd.url, {
        url: sd.url,
        id: sd.id!,
        contexts: (sd.context ?? []).map((c) => c.expression ?? ''),
        model: compileStructureDefinition(sd, this.ctx),
      });
    }
    for (const sd of registry.profiles) {
      this.profileModels.set(sd.url, { url: sd.url, id: sd.id!, type: sd.type, model: compileStructureDefinition(sd, this.ctx) });
      this.profileTypes.set(sd.url, sd.type);
    }
    this.profiles = new Set(this.profileModels.keys());
  }

  /** The base model of an R4 type or resource, compiled on first use. */
  type(name: string): TypeModel | undefined {
    let model = this.baseTypes.get(name);
    if (model === undefined) {
      const sd = r4Base().types.get(name);
      model = sd && sd.kind !== 'primitive-type' ? compileStructureDefinition(sd, this.ctx) : null;
      this.baseTypes.set(name, model);
    }
    return model ?? undefined;
  }

  /** Every code a code system defines, or undefined when it is unknown here or not held complete. */
  codesOf(system: string): ReadonlySet<string> | undefined {
    let codes = this.systemCodes.get(system);
    if (codes === undefined) {
      codes = codeSystemCodes(system, this.terminology) ?? null;
      this.systemCodes.set(system, codes);
    }
    return codes ?? undefined;
  }

  isResourceType(name: string): boolean {
    return this.resourceTypes.has(name);
  }

  /** The element's invariants plus those of the type of its value, each key once. */
  invariantsOf(element: ElementModel, type: string, model: TypeModel | undefined): readonly Invariant[] {
    const byType = element.memo;
    const cacheKey = model ?? type;
    if (byType.size === 1 && element.memoKey === cacheKey) return element.memoList!;
    let list = byType.get(cacheKey);
    if (!list) {
      const out = [...element.invariants];
      const keys = new Set(out.map((i) => i.key));
      // The invariants of the data type (ref-1, per-1, ext-1, ...) live on its root element.
      const typeInvariants = [...(model?.invariants ?? []), ...(this.type(type)?.invariants ?? [])];
      for (const inv of typeInvariants) {
        if (keys.has(inv.key)) continue;
        keys.add(inv.key);
        out.push(inv);
      }
      list = out;
      byType.set(cacheKey, list);
      if (byType.size === 1) {
        element.memoKey = cacheKey;
        element.memoList = list;
      }
    }
    return list;
  }

  /** Resource types a Reference element may point to, or null when any (or unknown) is allowed. */
  targetTypes(element: ElementModel): ReadonlySet<string> | null {
    let cached = this.targetTypeCache.get(element);
    if (cached === undefined) {
      const types = new Set<string>();
      let open = false;
      for (const ref of element.types) {
        if (ref.code !== 'Reference') continue;
        if (ref.targetProfiles.length === 0) open = true;
        for (const url of ref.targetProfiles.map(stripVersion)) {
          const type = url.startsWith(HL7_SD_BASE) ? url.slice(HL7_SD_BASE.length) : this.profileTypes.get(url);
          if (type === undefined || type === 'Resource' || type === 'DomainResource') open = true;
          else types.add(type);
        }
      }
      cached = open || types.size === 0 ? null : types;
      this.targetTypeCache.set(element, cached);
    }
    return cached;
  }

  validate(resource: unknown, context: ValidationContext = {}): OperationOutcomeIssue[] {
    if (!isObject(resource) || typeof resource.resourceType !== 'string') {
      return [issue('error', 'structure', 'Resource', 'not a FHIR resource: a JSON object with a resourceType is required')];
    }
    const resourceType = resource.resourceType;
    if (!this.isResourceType(resourceType)) {
      return [issue('error', 'structure', 'Resource.resourceType', 'unknown resource type')];
    }
    if (resourceType === 'Bundle') {
      return [issue('error', 'not-supported', 'Bundle', 'validate the resources of a Bundle one by one (validateBundleEntries), not the Bundle')];
    }
    // One pass per call: a validator holds no state of a validation, so calls may interleave.
    const pass = new Pass(this, resource, resourceType, context.resolveSibling);

    let model: TypeModel | undefined;
    const profiles = isObject(resource.meta) ? resource.meta.profile : undefined;
    if (!Array.isArray(profiles) || profiles.length === 0) {
      pass.errorAt('required', `${resourceType}.meta.profile`, 'meta.profile must name the pont profile the resource claims to conform to');
    } else {
      const url = typeof profiles[0] === 'string' ? stripVersion(profiles[0]) : undefined;
      const profile = url === undefined ? undefined : this.profileModels.get(url);
      if (!profile) {
        pass.errorAt('value', `${resourceType}.meta.profile[0]`, `is not a pont profile (expected one of the profiles under ${PONT_BASE}/StructureDefinition/)`);
      } else if (profile.type !== resourceType) {
        pass.errorAt('value', `${resourceType}.meta.profile[0]`, `profile ${profile.id} is for ${profile.type}, not ${resourceType}`);
      } else {
        model = profile.model;
      }
    }
    return this.finish(pass, resource, resourceType, model);
  }

  validateBase(resource: unknown): OperationOutcomeIssue[] {
    if (!isObject(resource) || typeof resource.resourceType !== 'string') {
      return [issue('error', 'structure', 'Resource', 'not a FHIR resource: a JSON object with a resourceType is required')];
    }
    const resourceType = resource.resourceType;
    if (!this.isResourceType(resourceType)) {
      return [issue('error', 'structure', 'Resource.resourceType', 'unknown resource type')];
    }
    // A Bundle's entries resolve one another's `urn:uuid:` references (ctm-1 and the like).
    const siblings = resourceType === 'Bundle' ? entriesByFullUrl(resource.entry) : undefined;
    return this.finish(new Pass(this, resource, resourceType, siblings), resource, resourceType, undefined);
  }

  private finish(pass: Pass, resource: Record<string, unknown>, resourceType: string, profiled: TypeModel | undefined): OperationOutcomeIssue[] {
    const model = profiled ?? this.type(resourceType);
    if (!model) {
      pass.errorAt('structure', resourceType, 'unknown resource type');
    } else {
      pass.checkId(resource);
      pass.object(resource, model, true);
      pass.invariants(model.invariants.length > 0 ? model.invariants : (this.type(resourceType)?.invariants ?? []), resource);
    }

    const issues = pass.issues;
    if (this.baseValidation) {
      const ours = new Set(issues.map((i) => i.expression?.[0]));
      for (const i of baseIssues(resource as unknown as Resource)) if (!ours.has(i.expression?.[0])) issues.push(i);
    }
    return issues;
  }
}

/** medplum's R4 base validation, as issues with FHIRPath expressions and value-free messages. */
function baseIssues(resource: Resource): OperationOutcomeIssue[] {
  let raw: OperationOutcomeIssue[];
  try {
    raw = validateResource(resource);
  } catch (e) {
    if (e instanceof OperationOutcomeError) raw = e.outcome.issue ?? [];
    else return [issue('error', 'exception', resource.resourceType ?? 'Resource', 'R4 base validation failed unexpectedly')];
  }
  const out: OperationOutcomeIssue[] = [];
  for (const i of raw) {
    const expression = (i.expression?.[0] ?? resource.resourceType ?? 'Resource').replaceAll('[x]', '');
    let text = i.details?.text ?? 'invalid';
    if (text.startsWith('Invalid reference: got "urn:')) continue; // bundle-internal reference: its type is unknown here
    // medplum quotes the reference it saw; keep values out of the message.
    text = text.replace(/^Invalid reference: got "[^"]*", expected (.*)$/, 'Invalid reference: the target is not of an allowed type; expected $1');
    out.push(issue(i.severity === 'error' || i.severity === 'fatal' ? 'error' : 'warning', i.code ?? 'invalid', expression, `${text} (R4 base)`));
  }
  return out;
}

/** Compiles every profile and extension in the registry into a validator. */
export function createValidator(registry: ProfileRegistry, options: ValidatorOptions = {}): Validator {
  return new CompiledValidator(registry, options);
}

/** Looks up a Bundle's entries' resources by `fullUrl`. */
function entriesByFullUrl(entries: unknown): (reference: string) => unknown {
  const byFullUrl = new Map<string, unknown>();
  if (Array.isArray(entries))
    for (const entry of entries) if (isObject(entry) && typeof entry.fullUrl === 'string' && isObject(entry.resource)) byFullUrl.set(entry.fullUrl, entry.resource);
  return (reference) => byFullUrl.get(reference);
}

/**
 * Validates each entry's resource; expressions are rewritten to `Bundle.entry[i].resource.…`.
 */
export function validateBundleEntries(validator: Validator, bundle: Bundle | Record<string, unknown>): OperationOutcomeIssue[] {
  const entries = (bundle as Bundle).entry;
  if (!Array.isArray(entries)) return [];
  const context: ValidationContext = { resolveSibling: entriesByFullUrl(entries) };
  const out: OperationOutcomeIssue[] = [];
  entries.forEach((entry, i) => {
    const prefix = `Bundle.entry[${i}].resource`;
    const resource = isObject(entry) ? entry.resource : undefined;
    if (!isObject(resource)) {
      out.push(issue('error', 'required', prefix, 'entry has no resource'));
      return;
    }
    const type = typeof resource.resourceType === 'string' ? resource.resourceType : 'Resource';
    const rewrite = (s: string) => (s === type || s.startsWith(`${type}.`) || s.startsWith(`${type}[`) ? prefix + s.slice(type.length) : `${prefix}.${s}`);
    for (const i of validator.validate(resource, context)) {
      const expression = i.expression?.[0];
      if (expression === undefined) {
        out.push(i);
        continue;
      }
      const moved = rewrite(expression);
      const diagnostics = i.diagnostics?.startsWith(`${expression}: `) ? `${moved}: ${i.diagnostics.slice(expression.length + 2)}` : i.diagnostics;
      out.push({ ...i, diagnostics, expression: [moved] });
    }
  });
  return out;
}
