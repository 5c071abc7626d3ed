/**
 * Validates resources against the R4 base (medplum) and against the pont profile named in
 * `meta.profile[0]`, with checks compiled once per profile when the validator is created.
 *
 * Issues never carry resource values: each says which rule failed, and `expression` holds the
 * FHIRPath location (`CarePlan.extension[2].extension[0].value`).
 */
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { DATA_ABSENT_REASON_URL, PONT_BASE, isPontUrl, stripVersion } from '../profiles/canonical.js';
import type { ProfileRegistry } from '../profiles/load-profiles.js';
import type { CompileContext, ElementModel, TypeModel } from './compile.js';
import { PRIMITIVE_TYPES, compileStructureDefinition, deepEqual, deepIncludes, inBinding } from './compile.js';
import { ensureMedplumIndexed, r4Base } from './r4-base.js';
import type { ExpandedValueSet } from './value-sets.js';
import { expandValueSet } from './value-sets.js';

export interface Validator {
  /** All issues for one resource; never throws for invalid input. */
  validate(resource: unknown): OperationOutcomeIssue[];
  /** Canonical URLs of the profiles this validator checks against. */
  readonly profiles: ReadonlySet<string>;
}

export interface ValidatorOptions {
  /** Also run medplum's R4 base validation (default true). */
  readonly baseValidation?: boolean;
}

type IssueCode = OperationOutcomeIssue['code'];

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
const BINDABLE_PRIMITIVES = new Set(['code', 'string', 'uri']);
const DAR_VALUE_SET = 'http://hl7.org/fhir/ValueSet/data-absent-reason';

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

/** One validation pass over one resource. */
class Pass {
  readonly issues: OperationOutcomeIssue[] = [];

  constructor(private readonly v: CompiledValidator) {}

  error(code: IssueCode, expression: string, message: string): void {
    this.issues.push(issue('error', code, expression, message));
  }

  /** Walks an object against a type model. `path` is the element path (no indices). */
  object(obj: Record<string, unknown>, model: TypeModel, expr: string, path: string): void {
    let seen: Set<ElementModel> | undefined;
    for (const key of Object.keys(obj)) {
      if (key === 'resourceType') continue;
      let name = key;
      if (key.charCodeAt(0) === 95 /* _ */) {
        name = key.slice(1);
        if (name in obj) continue; // handled with the value
      }
      const found = model.lookup(name);
      if (!found) continue; // unknown property: reported by the base validation
      const { element, type } = found;
      if (model.required.length > 0) (seen ??= new Set()).add(element);
      if (element.choice && !element.typeCodes.has(type)) {
        this.error(
          'structure',
          `${expr}.${element.name}`,
          `type ${type} is not allowed here; expected ${[...element.typeCodes].join(' or ')}`,
        );
        continue;
      }
      this.element(obj[name], obj[`_${name}`], element, type, `${expr}.${element.name}`, `${path}.${element.name}`, model, path);
    }
    for (const element of model.required) {
      if (seen?.has(element)) continue;
      const at = `${expr}.${element.name}`;
      if (element.checkMin && element.min > 0) {
        this.error('required', at, `required element is missing (cardinality ${cardinality(element.min, element.max)})`);
      }
      for (const slice of element.slicing?.slices ?? []) {
        if (slice.element.min > 0) this.error('required', at, `${this.sliceLabel(slice.name, slice.element)} is missing (cardinality ${cardinality(slice.element.min, slice.element.max)})`);
      }
    }
  }

  private sliceLabel(name: string, element: ElementModel): string {
    const profile = element.types.find((t) => t.code === 'Extension')?.profiles[0];
    return profile ? `extension ${profile} (slice ${name})` : `slice ${name}`;
  }

  private element(
    raw: unknown,
    ext: unknown,
    element: ElementModel,
    type: string,
    expr: string,
    path: string,
    host: TypeModel,
    hostPath: string,
  ): void {
    if (Array.isArray(raw) && raw.length === 0) this.error('structure', expr, 'array is empty');
    if (Array.isArray(ext) && ext.length === 0) this.error('structure', `${expr}`, 'array of primitive extensions is empty');
    const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const exts = ext === undefined ? [] : Array.isArray(ext) ? ext : [ext];
    const indexed = Array.isArray(raw) || Array.isArray(ext);
    const count = Math.max(values.length, exts.length);

    if (element.checkMin && count < element.min) {
      this.error('required', expr, `too few values: ${count} (cardinality ${cardinality(element.min, element.max)})`);
    }
    if (element.checkMax && count > element.max) {
      this.error('structure', expr, `too many values: ${count} (cardinality ${cardinality(element.min, element.max)})`);
    }

    const slicing = element.slicing;
    const sliceCounts = slicing ? new Array<number>(slicing.slices.length).fill(0) : undefined;
    const primitive = PRIMITIVE_TYPES.has(type);
    for (let i = 0; i < count; i++) {
      const itemExpr = indexed ? `${expr}[${i}]` : expr;
      const value = values[i];
      let effective = element;
      if (slicing && value !== undefined && value !== null) {
        const s = slicing.slices.findIndex((slice) => slice.matches(value));
        if (s >= 0) {
          sliceCounts![s]!++;
          effective = slicing.slices[s]!.element;
        } else if (slicing.rules === 'closed') {
          this.error('structure', itemExpr, `does not match any slice defined for ${element.id} (slicing is closed)`);
        }
      }
      if (primitive) this.primitive(value, exts[i], effective, type, itemExpr, path);
      else this.complex(value, effective, type, itemExpr, path, host, hostPath);
    }

    if (slicing) {
      slicing.slices.forEach((slice, s) => {
        const n = sliceCounts![s]!;
        const e = slice.element;
        if (n < e.min) this.error('required', expr, `${this.sliceLabel(slice.name, e)} is missing: ${n} found (cardinality ${cardinality(e.min, e.max)})`);
        else if (n > e.max) this.error('structure', expr, `${this.sliceLabel(slice.name, e)} has too many values: ${n} (cardinality ${cardinality(e.min, e.max)})`);
      });
    }
  }

  private primitive(value: unknown, ext: unknown, element: ElementModel, type: string, expr: string, path: string): void {
    if (value !== undefined && value !== null) {
      if (typeof value === 'string' && value.trim() === '') {
        this.error('value', expr, 'string is empty or only whitespace');
        return;
      }
      if (element.fixed !== undefined && !deepEqual(value, element.fixed)) {
        this.error('value', expr, `value does not equal the fixed value ${JSON.stringify(element.fixed)} required by the profile`);
      } else if (element.pattern !== undefined && !deepEqual(value, element.pattern)) {
        this.error('value', expr, `value does not equal the pattern value ${JSON.stringify(element.pattern)} required by the profile`);
      }
      if (element.binding && typeof value === 'string' && BINDABLE_PRIMITIVES.has(type) && !element.binding.expansion.codes.has(value)) {
        this.error('code-invalid', expr, `code is not in the required value set ${element.binding.valueSet}`);
      }
    } else if (isObject(ext)) {
      if (element.mustHaveValue) {
        this.error('required', expr, 'must have a value; an extension cannot stand in for it here');
      } else if (element.darAllowed && !hasDataAbsentReason(ext)) {
        this.error('required', expr, 'has neither a value nor a data-absent-reason extension');
      } else if (element.fixed !== undefined || element.pattern !== undefined) {
        this.error('value', expr, 'has no value but the profile fixes one');
      }
    }
    if (ext !== undefined && ext !== null) {
      if (!isObject(ext)) return; // malformed: reported by the base validation
      if (Object.keys(ext).length === 0) {
        this.error('structure', expr, 'primitive extension object is empty');
        return;
      }
      const elementModel = this.v.type('Element');
      if (elementModel) this.object(ext, elementModel, expr, path);
    }
  }

  private complex(value: unknown, element: ElementModel, type: string, expr: string, path: string, host: TypeModel, hostPath: string): void {
    if (!isObject(value)) return; // wrong JSON type or null: reported by the base validation
    if (Object.keys(value).length === 0) {
      this.error('structure', expr, 'object is empty');
      return;
    }
    if (element.fixed !== undefined && !deepEqual(value, element.fixed)) {
      this.error('value', expr, 'value does not equal the fixed value required by the profile');
    } else if (element.pattern !== undefined && !deepIncludes(value, element.pattern)) {
      this.error('value', expr, 'value does not match the pattern required by the profile');
    }
    if (element.binding && (type === 'Coding' || type === 'CodeableConcept') && !inBinding(value, type, element.binding.expansion)) {
      this.error(
        'code-invalid',
        expr,
        type === 'Coding'
          ? `coding is not in the required value set ${element.binding.valueSet}`
          : `no coding is in the required value set ${element.binding.valueSet}`,
      );
    }

    if (type === 'Extension') {
      this.extension(value, element, expr, path, host, hostPath);
      return;
    }
    if (type === 'Resource' || type === 'DomainResource') {
      this.resource(value, expr);
      return;
    }
    const model = element.children ?? this.v.type(type);
    if (model) this.object(value, model, expr, path);
  }

  private extension(value: Record<string, unknown>, element: ElementModel, expr: string, path: string, host: TypeModel, hostPath: string): void {
    const url = value.url;
    if (typeof url === 'string' && isPontUrl(url)) {
      const ext = this.v.extensions.get(url);
      if (!ext) {
        this.error('extension', expr, `unknown extension: no pont extension under ${PONT_BASE} has this URL`);
      } else {
        if (!ext.contexts.includes(hostPath) && !ext.contexts.includes(host.name)) {
          this.error('extension', expr, `extension ${ext.id} is not allowed on ${hostPath}; its context is ${ext.contexts.join(', ')}`);
        }
        this.object(value, ext.model, expr, path);
        return;
      }
    }
    if (url === DATA_ABSENT_REASON_URL && this.v.darCodes && typeof value.valueCode === 'string' && !this.v.darCodes.codes.has(value.valueCode)) {
      this.error('code-invalid', `${expr}.value`, `code is not in the required value set ${DAR_VALUE_SET}`);
    }
    const model = element.children ?? this.v.type('Extension');
    if (model) this.object(value, model, expr, path);
  }

  resource(value: Record<string, unknown>, expr: string): void {
    const resourceType = value.resourceType;
    if (typeof resourceType !== 'string') return;
    const model = this.v.type(resourceType);
    if (!model) return;
    this.checkId(value, expr);
    this.object(value, model, expr, resourceType);
  }

  checkId(resource: Record<string, unknown>, expr: string): void {
    const id = resource.id;
    // An empty id is reported as an empty string by the element walk.
    if (id !== undefined && (typeof id !== 'string' || (id.trim() !== '' && !ID_PATTERN.test(id)))) {
      this.error('value', `${expr}.id`, 'resource id must match [A-Za-z0-9\\-\\.]{1,64}');
    }
  }
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
  private readonly baseTypes = new Map<string, TypeModel | null>();
  private readonly expansions = new Map<string, ExpandedValueSet | null>();
  private readonly ctx: CompileContext;
  private readonly baseValidation: boolean;

  constructor(registry: ProfileRegistry, options: ValidatorOptions) {
    this.baseValidation = options.baseValidation ?? true;
    const base = r4Base();
    if (this.baseValidation) ensureMedplumIndexed();

    const choiceSuffixes = new Map<string, string>();
    for (const p of PRIMITIVE_TYPES) choiceSuffixes.set(p.charAt(0).toUpperCase() + p.slice(1), p);
    for (const [name, sd] of base.types) if (sd.kind === 'complex-type') choiceSuffixes.set(name, name);

    const terminology = {
      codeSystem: (url: string) => registry.codeSystems.get(url) ?? base.codeSystems.get(url),
      valueSet: (url: string) => registry.valueSets.get(url) ?? base.valueSets.get(url),
    };
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

  validate(resource: unknown): OperationOutcomeIssue[] {
    if (!isObject(resource) || typeof resource.resourceType !== 'string') {
      return [issue('error', 'structure', 'Resource', 'not a FHIR resource: a JSON object with a resourceType is required')];
    }
    const resourceType = resource.resourceType;
    const pass = new Pass(this);

    let model: TypeModel | undefined;
    const profiles = isObject(resource.meta) ? resource.meta.profile : undefined;
    if (!Array.isArray(profiles) || profiles.length === 0) {
      pass.error('required', `${resourceType}.meta.profile`, 'meta.profile must name the pont profile the resource claims to conform to');
    } else {
      const url = typeof profiles[0] === 'string' ? stripVersion(profiles[0]) : undefined;
      const profile = url === undefined ? undefined : this.profileModels.get(url);
      if (!profile) {
        pass.error('value', `${resourceType}.meta.profile[0]`, `is not a pont profile (expected one of the profiles under ${PONT_BASE}/StructureDefinition/)`);
      } else if (profile.type !== resourceType) {
        pass.error('value', `${resourceType}.meta.profile[0]`, `profile ${profile.id} is for ${profile.type}, not ${resourceType}`);
      } else {
        model = profile.model;
      }
    }
    model ??= this.type(resourceType);
    if (!model) {
      pass.error('structure', resourceType, 'unknown resource type');
    } else {
      pass.checkId(resource, resourceType);
      pass.object(resource, model, resourceType, resourceType);
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

/**
 * Validates each entry's resource; expressions are rewritten to `Bundle.entry[i].resource.…`.
 */
export function validateBundleEntries(validator: Validator, bundle: Bundle | Record<string, unknown>): OperationOutcomeIssue[] {
  const entries = (bundle as Bundle).entry;
  if (!Array.isArray(entries)) return [];
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
    for (const i of validator.validate(resource)) {
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
