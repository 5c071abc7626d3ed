/**
 * Turns the authored profile and extension sources into StructureDefinitions with a snapshot
 * and a differential.
 */
import type { ElementDefinition, ElementDefinitionType, StructureDefinition } from '@medplum/fhirtypes';
import { R4_PRIMITIVE_TYPES } from '../../src/fhirpath/r4-model.js';
import {
  conformanceHeader,
  DATA_ABSENT_REASON_URL,
  FHIR_VERSION,
  HL7_SD_BASE,
  isPontUrl,
  MUST_HAVE_VALUE_URL,
  type Release,
  structureDefinitionUrl,
  VALUE_ALTERNATIVES_URL,
  valueSetUrl,
} from '../../src/profiles/canonical.js';
import type { ElementChanges } from '../../src/profiles/snapshot.js';
import { fhirTypeCode, SnapshotBuilder } from '../../src/profiles/snapshot.js';
import type { ElementRuleSource, ExtensionSliceSource, ExtensionSource, ProfileSource, SubExtensionSource } from './source-schema.js';

export interface BuildContext {
  readonly release: Release;
  /** An R4 core StructureDefinition by type name, e.g. `CarePlan`. */
  readonly core: (type: string) => StructureDefinition;
  /** pont's extensions built so far, by URL. */
  readonly extensions: ReadonlyMap<string, StructureDefinition>;
  readonly profileIds: ReadonlySet<string>;
  readonly extensionIds: ReadonlySet<string>;
  readonly codeSystemIds: ReadonlySet<string>;
}

/** Where in which source a problem is, for error messages. */
class SourceError extends Error {}

function resolver(ctx: BuildContext) {
  return (typeOrUrl: string): StructureDefinition => {
    if (isPontUrl(typeOrUrl)) {
      const sd = ctx.extensions.get(typeOrUrl);
      if (!sd) throw new SourceError(`${typeOrUrl} is not a pont extension built before it is used`);
      return sd;
    }
    return ctx.core(typeOrUrl.startsWith(HL7_SD_BASE) ? typeOrUrl.slice(HL7_SD_BASE.length) : typeOrUrl);
  };
}

/** A profile reference in a source: a pont profile id, an R4 type name or a full URL. */
function profileUrl(ref: string, ctx: BuildContext): string {
  if (/^[a-z]+:/.test(ref)) return ref;
  if (ctx.profileIds.has(ref) || ctx.extensionIds.has(ref)) return structureDefinitionUrl(ref);
  if (/^[A-Z][A-Za-z]+$/.test(ref)) {
    ctx.core(ref); // must exist
    return `${HL7_SD_BASE}${ref}`;
  }
  throw new SourceError(`"${ref}" is neither a pont profile or extension id, an R4 type nor a URL`);
}

/** `Reference(pont-patient | Group)` -> `{ code: 'Reference', targetProfile: [...] }`. */
export function parseTypeSpec(spec: string | string[], ctx: BuildContext): ElementDefinitionType[] {
  return (Array.isArray(spec) ? spec : [spec]).map((one) => {
    const m = /^([A-Za-z][A-Za-z0-9]*)\s*(?:\(([^)]*)\))?$/.exec(one.trim());
    if (!m) throw new SourceError(`bad type "${one}"; write e.g. "string" or "Reference(pont-patient | Group)"`);
    const code = m[1]!;
    if (!R4_PRIMITIVE_TYPES.has(code)) ctx.core(code);
    const targets = m[2]
      ?.split('|')
      .map((t) => t.trim())
      .filter((t) => t.length > 0);
    if (!targets) return { code };
    const urls = targets.map((t) => profileUrl(t, ctx));
    if (code === 'Reference' || code === 'canonical') return { code, targetProfile: urls };
    return { code, profile: urls };
  });
}

function bindingOf(binding: NonNullable<ElementRuleSource['binding']>, ctx: BuildContext): ElementDefinition['binding'] {
  const { valueSet, strength, description } = typeof binding === 'string' ? { valueSet: binding, strength: 'required' as const, description: undefined } : binding;
  let url = valueSet;
  if (!/^[a-z]+:/.test(valueSet)) {
    if (!ctx.codeSystemIds.has(valueSet)) throw new SourceError(`value set "${valueSet}" is not a pont ValueSet id`);
    url = valueSetUrl(valueSet);
  }
  return { strength, ...(description ? { description } : {}), valueSet: url };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function valueKey(prefix: 'fixed' | 'pattern', b: SnapshotBuilder, id: string): string {
  const codes = [...new Set(b.typeCodes(id))];
  if (codes.length !== 1) throw new SourceError(`${id} has types ${codes.join(', ')}: restrict "type" to one before giving a ${prefix} value`);
  return `${prefix}${capitalise(codes[0]!)}`;
}

function applyValueRules(
  b: SnapshotBuilder,
  id: string,
  rule: { fixed?: unknown; pattern?: unknown; binding?: ElementRuleSource['binding'] },
  ctx: BuildContext,
  changes: ElementChanges,
): void {
  if (rule.fixed !== undefined) changes[valueKey('fixed', b, id)] = rule.fixed;
  if (rule.pattern !== undefined) changes[valueKey('pattern', b, id)] = rule.pattern;
  if (rule.binding !== undefined) changes.binding = bindingOf(rule.binding, ctx);
}

function applyRule(b: SnapshotBuilder, id: string, rule: ElementRuleSource, ctx: BuildContext): void {
  if (rule.type !== undefined) b.constrain(id, { type: parseTypeSpec(rule.type, ctx) });
  const changes: ElementChanges = {};
  if (rule.slicing) {
    changes.slicing = {
      discriminator: rule.slicing.discriminator.map((d) => {
        const colon = d.indexOf(':');
        return { type: d.slice(0, colon) as 'value', path: d.slice(colon + 1) };
      }),
      ...(rule.slicing.description ? { description: rule.slicing.description } : {}),
      ordered: rule.slicing.ordered ?? false,
      rules: rule.slicing.rules ?? 'open',
    };
  }
  if (rule.short) changes.short = rule.short;
  if (rule.definition) changes.definition = rule.definition;
  if (rule.comment) changes.comment = rule.comment;
  if (rule.min !== undefined) changes.min = rule.min;
  if (rule.max !== undefined) changes.max = String(rule.max);
  applyValueRules(b, id, rule, ctx, changes);
  if (Object.keys(changes).length > 0 || id.includes(':')) b.constrain(id, changes);
  if (rule.extensions) applyExtensionSlices(b, id, rule.extensions, ctx);
  for (const [name, slice] of Object.entries(rule.slices ?? {})) applyRule(b, `${id}:${name}`, slice, ctx);
  for (const [path, child] of Object.entries(rule.elements ?? {})) applyRule(b, `${id}.${path}`, child, ctx);
}

const EXTENSION_SLICING = {
  discriminator: [{ type: 'value' as const, path: 'url' }],
  ordered: false,
  rules: 'open' as const,
};

function applyExtensionSlices(b: SnapshotBuilder, hostId: string, slices: Record<string, ExtensionSliceSource>, ctx: BuildContext): void {
  const extensionId = `${hostId}.extension`;
  if (!b.get(extensionId).slicing) b.constrain(extensionId, { slicing: EXTENSION_SLICING });
  for (const [name, slice] of Object.entries(slices)) {
    const url = /^[a-z]+:/.test(slice.url) ? slice.url : structureDefinitionUrl(slice.url);
    const extension = ctx.extensions.get(url);
    if (isPontUrl(url) && !extension) throw new SourceError(`extension "${slice.url}" is not defined in profiles/source/extensions`);
    const sliceId = `${extensionId}:${name}`;
    b.constrain(sliceId, {
      ...((slice.short ?? extension?.title) ? { short: slice.short ?? extension?.title } : {}),
      ...(extension?.description ? { definition: extension.description } : {}),
      min: slice.min ?? 0,
      max: String(slice.max ?? 1),
      type: [{ code: 'Extension', profile: [url] }],
    });
    // The url (and value) children let slice-aware tools such as medplum tell the slices apart.
    if (extension) b.expandChildren(sliceId);
  }
}

/**
 * A StructureDefinition constraining `base` as built by `b`: the conformance header, the fields
 * of its kind, the snapshot and the differential.
 */
function constraintOn(
  base: StructureDefinition,
  b: SnapshotBuilder,
  source: { readonly id: string; readonly title: string; readonly description: string },
  ctx: BuildContext,
  fields: Pick<StructureDefinition, 'purpose' | 'kind' | 'context'>,
): StructureDefinition {
  return {
    ...conformanceHeader('StructureDefinition', source.id, ctx.release, source.title, source.description),
    ...(fields.purpose ? { purpose: fields.purpose } : {}),
    fhirVersion: FHIR_VERSION,
    ...(base.mapping ? { mapping: base.mapping } : {}),
    kind: fields.kind,
    abstract: false,
    ...(fields.context ? { context: fields.context } : {}),
    type: base.type,
    baseDefinition: base.url,
    derivation: 'constraint',
    snapshot: { element: b.snapshot() },
    differential: { element: b.differential() },
  } as StructureDefinition;
}

/** Runs `build`, naming the source in any error it throws: `profile pont-goal: …`. */
function building<T>(what: string, id: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    throw new Error(`${what} ${id}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

export function buildProfile(source: ProfileSource, ctx: BuildContext): StructureDefinition {
  return building('profile', source.id, () => {
    const base = ctx.core(source.base);
    if (base.kind !== 'resource') throw new SourceError(`base ${source.base} is not a resource type`);
    const b = new SnapshotBuilder(base, resolver(ctx));
    const root = b.rootId;
    b.constrain(root, { short: source.title, definition: source.description });
    if (source.extensions) applyExtensionSlices(b, root, source.extensions, ctx);
    for (const [path, rule] of Object.entries(source.elements ?? {})) applyRule(b, `${root}.${path}`, rule, ctx);
    return constraintOn(base, b, source, ctx, { purpose: source.purpose, kind: 'resource' });
  });
}

function valueAbsence(types: ElementDefinitionType[], dataAbsentReason: boolean): ElementDefinition['extension'] {
  if (dataAbsentReason) {
    return [
      { url: MUST_HAVE_VALUE_URL, valueBoolean: false },
      { url: VALUE_ALTERNATIVES_URL, valueCanonical: DATA_ABSENT_REASON_URL },
    ];
  }
  return types.every((t) => R4_PRIMITIVE_TYPES.has(fhirTypeCode(t))) ? [{ url: MUST_HAVE_VALUE_URL, valueBoolean: true }] : undefined;
}

function applyExtensionBody(b: SnapshotBuilder, id: string, body: SubExtensionSource, url: string, ctx: BuildContext): void {
  if (body.extensions) {
    b.constrain(`${id}.extension`, { slicing: { ...EXTENSION_SLICING, rules: 'closed' } });
    for (const [name, part] of Object.entries(body.extensions)) {
      const sliceId = `${id}.extension:${name}`;
      b.constrain(sliceId, {
        short: part.short ?? name,
        ...(part.definition ? { definition: part.definition } : part.short ? { definition: part.short } : {}),
        min: part.min ?? 0,
        max: String(part.max ?? 1),
      });
      b.expandChildren(sliceId);
      applyExtensionBody(b, sliceId, part, name, ctx);
    }
    b.constrain(`${id}.url`, { fixedUri: url });
    b.constrain(`${id}.value[x]`, { max: '0' });
    return;
  }
  b.constrain(`${id}.extension`, { max: '0' });
  b.constrain(`${id}.url`, { fixedUri: url });
  const types = parseTypeSpec(body.value!, ctx);
  const absence = valueAbsence(types, body.dataAbsentReason ?? false);
  b.constrain(`${id}.value[x]`, { ...(absence ? { extension: absence } : {}), min: 1, type: types });
  const changes: ElementChanges = {};
  applyValueRules(b, `${id}.value[x]`, body, ctx, changes);
  if (Object.keys(changes).length > 0) b.constrain(`${id}.value[x]`, changes);
}

export function buildExtension(source: ExtensionSource, ctx: BuildContext): StructureDefinition {
  return building('extension', source.id, () => {
    const base = ctx.core('Extension');
    const b = new SnapshotBuilder(base, resolver(ctx));
    b.constrain('Extension', { short: source.title, definition: source.description });
    applyExtensionBody(b, 'Extension', source, structureDefinitionUrl(source.id), ctx);
    const context = source.context.map((expression) => ({ type: 'element' as const, expression }));
    return constraintOn(base, b, source, ctx, { kind: 'complex-type', context });
  });
}
