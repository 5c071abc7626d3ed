/**
 * The mapping engine: runs one compiled mapping file over one input document.
 *
 * A mapping to FHIR runs in two passes: the first gives every resource its deterministic id
 * (so `ref()` can point at any resource, in any order), the second builds the resources.
 * A mapping to the canonical record, or from it to an EPR's own format, builds one document
 * from its template.
 */
import { MappingError } from '../errors/errors.js';
import type { EmittedResource } from '../fhir/bundle.js';
import { deterministicUuid } from '../fhir/ids.js';
import { uriSegment } from '../fhir/origin.js';
import type { CompiledExpression, Env, ExpressionFunctions } from '../fhirpath/types.js';
import type { CodeMaps } from './code-maps.js';
import { inputLocator, type Locate } from './input-paths.js';
import type { MappingFile, ResourceRule } from './mapping.schema.js';
import { ResourceIndex } from './resource-index.js';
import {
  type CompileContext,
  compileTemplate,
  evaluate,
  expression,
  inScope,
  itemPathOf,
  Many,
  MappingFunctionError,
  type NodeFn,
  OMIT,
  type ReadSpan,
  type ReadWatch,
  type RunOptions,
  type Scope,
  stripBraces,
  Traced,
} from './template.js';

export interface TraceEntry {
  /** FHIRPath of the output element. */
  readonly path: string;
  /** The mapping rule that produced it, as `<mapping id>:<rule>`. */
  readonly rule: string;
  /** Where in the rule's template the element is defined. */
  readonly template: string;
  /** The input element being mapped when it was produced. */
  readonly input: string;
  /** The reads of the input that computed it, when the caller counts them (MapOptions.watch). */
  readonly reads?: ReadSpan;
}

export type { EmittedResource } from '../fhir/bundle.js';

export interface MapOptions {
  readonly trace?: boolean;
  /** Resolves a reference string to a resource of the input (for mappings that read FHIR). */
  readonly resolve?: (reference: string) => Record<string, unknown> | undefined;
  /** Extra variables for the mapping's expressions (e.g. defaults chosen by the caller). */
  readonly env?: Env;
  /**
   * Names where an object of the input came from, in the terms of the file it was read from
   * (e.g. `line 12` for a CSV row); objects it does not name are located by their path in the input.
   */
  readonly locate?: Locate;
  /** Watches the reads of the input that compute each value (with `trace`, values then carry their span of reads). */
  readonly watch?: ReadWatch;
}

interface CompiledResourceRule {
  readonly spec: ResourceRule;
  /** Nested iteration levels: each runs on the items of the level before. */
  readonly levels: readonly { readonly path: ReturnType<typeof itemPathOf>; readonly expr: CompiledExpression; readonly as?: string }[];
  /** Whether a level binds a variable (`as`), which then joins the mapping-wide ones. */
  readonly hasVariables: boolean;
  readonly localId: NodeFn;
  readonly key?: NodeFn;
  readonly conditional?: NodeFn;
  readonly template: NodeFn;
}

/**
 * What one run of a mapping adds to the compiled mapping, handed to the mapping's functions
 * through every evaluation: a compiled mapping holds no state of its own, so any number of runs
 * may use it at once.
 */
interface RunState {
  /** The resources planned so far (mappings to FHIR only), for `ref()` and friends. */
  readonly index: ResourceIndex | null;
  readonly resolve: ((reference: string) => Record<string, unknown> | undefined) | null;
}

export class CompiledMapping {
  readonly id: string;
  readonly version: string;
  readonly input: string;
  /** `fhir`, or the format of the one document the template writes (`ctp`, or an EPR's own). */
  readonly output: string;
  private readonly cx: CompileContext;
  private readonly scopeKey?: CompiledExpression;
  private readonly lets: [string, CompiledExpression][];
  private readonly params: Env;
  private readonly resourceRules: CompiledResourceRule[];
  private readonly documentTemplate?: NodeFn;

  constructor(
    readonly file: string,
    spec: MappingFile,
    codeMaps: CodeMaps,
  ) {
    this.id = spec.id;
    this.version = spec.version;
    this.input = spec.input;
    this.output = spec.output;
    this.cx = { mappingFile: file, functions: this.functions(codeMaps) };
    this.scopeKey = spec.scope === undefined ? undefined : expression(spec.scope, 'scope', 'scope', this.cx);
    this.params = spec.params ?? {};
    this.lets = Object.entries(spec.let ?? {}).map(([name, source]) => [name, expression(stripBraces(source), 'let', `let.${name}`, this.cx)]);
    this.resourceRules = (spec.resources ?? []).map((r) => this.compileResourceRule(r));
    if (spec.template !== undefined) this.documentTemplate = compileTemplate(spec.template, 'template', '', this.cx);
  }

  /** Runs a mapping to FHIR: one resource per item of each resource rule. */
  toResources(input: unknown, options: MapOptions = {}): { resources: EmittedResource[]; trace: TraceEntry[] } {
    const index = new ResourceIndex();
    const state: RunState = { index, resolve: options.resolve ?? null };
    const locate = this.locator(input, options);
    const run: RunOptions = { trace: options.trace === true, state, locate };
    const untraced: RunOptions = { trace: false, state, locate };
    const bare = this.rootScope(input, this.callerEnv(options));
    const scopeText = this.scopeKey ? this.singleString(this.scopeKey, bare, untraced, 'scope') : '';
    const root = this.rootScope(input, { ...this.callerEnv(options), scope: scopeText });
    const planned = this.planResources(root, scopeText, index, untraced);
    const scoped = this.rootScope(input, this.evaluateLets(root, untraced));
    const resources: EmittedResource[] = [];
    const trace: TraceEntry[] = [];
    for (const item of planned) {
      // The item's own variables (from `as`) layered over the mapping-wide ones (from `let`).
      const env = item.rule.hasVariables ? { ...scoped.env, ...ownVariables(item.rule, item.scope) } : scoped.env;
      const scope: Scope = { input: item.scope.input, env, inputPath: item.scope.inputPath, varPaths: item.scope.varPaths };
      const built = item.rule.template(scope, run);
      const body = built === OMIT ? {} : (built as Record<string, unknown>);
      const entryPath = `Bundle.entry[${resources.length}].resource`;
      const plain = (run.trace ? unwrap(body, entryPath, trace, `${this.id}:`) : body) as Record<string, unknown>;
      // A conditional update names its target by the criteria, not by an id: the server finds the
      // match or assigns an id (FHIR R4 http.html#cond-update), so the resource carries none.
      const criteria = item.rule.conditional?.(scope, untraced);
      const conditional = typeof criteria === 'string';
      const resource: Record<string, unknown> = {
        resourceType: item.rule.spec.resourceType,
        ...(conditional ? {} : { id: item.id }),
        meta: { profile: [item.rule.spec.profile] },
        ...plain,
      };
      if (run.trace) {
        const origin = { rule: `${this.id}:${item.rule.spec.rule}`, template: '(engine)', input: item.scope.inputPath || '(root)' };
        if (!conditional) trace.push({ path: `${entryPath}.id`, ...origin });
        trace.push({ path: `${entryPath}.meta.profile[0]`, ...origin });
      }
      const url = conditional ? `${item.rule.spec.resourceType}?${encodeCriteria(criteria)}` : `${item.rule.spec.resourceType}/${item.id}`;
      resources.push({
        rule: item.rule.spec.rule,
        localId: item.localId,
        id: item.id,
        fullUrl: `urn:uuid:${item.id}`,
        request: { method: 'PUT', url },
        resource,
      });
    }
    return { resources, trace };
  }

  /** Runs a mapping to a single document (the canonical record, or an EPR's format). */
  toDocument(input: unknown, options: MapOptions = {}): { document: Record<string, unknown>; trace: TraceEntry[] } {
    const template = this.documentTemplate;
    if (!template) throw new Error(`${this.file} has no template`);
    const state: RunState = { index: null, resolve: options.resolve ?? null };
    const run: RunOptions = { trace: options.trace === true, state, locate: this.locator(input, options), watch: options.watch };
    const root = this.rootScope(input, this.callerEnv(options));
    const scope = this.rootScope(input, this.evaluateLets(root, run));
    const built = template(scope, run);
    const trace: TraceEntry[] = [];
    const document = (built === OMIT ? {} : run.trace ? unwrap(built, '', trace, `${this.id}:`) : built) as Record<string, unknown>;
    return { document, trace };
  }

  private locator(input: unknown, options: MapOptions): Locate {
    const byPath = inputLocator(input);
    const given = options.locate;
    return given ? (item) => given(item) ?? byPath(item) : byPath;
  }

  private compileResourceRule(spec: ResourceRule): CompiledResourceRule {
    const at = (part: string) => `resources.${spec.rule}.${part}`;
    const sources = spec.for === undefined ? [] : Array.isArray(spec.for) ? spec.for : [spec.for];
    const names = spec.as === undefined ? [] : Array.isArray(spec.as) ? spec.as : [spec.as];
    return {
      spec,
      hasVariables: names.length > 0,
      levels: sources.map((source, i) => ({ path: itemPathOf(source), expr: expression(stripBraces(source), spec.rule, at(`for[${i}]`), this.cx), as: names[i] })),
      localId: compileTemplate(spec.localId, spec.rule, at('localId'), this.cx),
      key: spec.key === undefined ? undefined : compileTemplate(Array.isArray(spec.key) ? { $first: spec.key } : spec.key, spec.rule, at('key'), this.cx),
      conditional: spec.conditional === undefined ? undefined : compileTemplate(spec.conditional, spec.rule, at('conditional'), this.cx),
      template: compileTemplate(spec.template, spec.rule, '', this.cx),
    };
  }

  private planResources(root: Scope, scopeText: string, index: ResourceIndex, run: RunOptions) {
    const ids = new Map<string, string>();
    const planned: { rule: CompiledResourceRule; scope: Scope; localId: string; id: string }[] = [];
    for (const rule of this.resourceRules) {
      const { spec } = rule;
      for (const scope of this.iterate(rule, root, run)) {
        const localId = this.templateString(rule.localId, scope, run, spec.rule);
        const key = rule.key ? this.templateString(rule.key, scope, run, spec.rule) : `${scopeText}|${spec.resourceType}|${localId}`;
        const id = deterministicUuid(key);
        const indexKey = `${spec.resourceType}/${localId}`;
        if (index.has(spec.resourceType, localId)) {
          throw new MappingError('MAPPING_FAILED', `two ${spec.resourceType} resources have the same local id`, this.location(spec.rule, scope));
        }
        const clash = ids.get(id);
        if (clash !== undefined) {
          throw new MappingError(
            'MAPPING_FAILED',
            `two resources have the same identity key (${spec.resourceType} and ${clash.split('/')[0]})`,
            this.location(spec.rule, scope),
          );
        }
        ids.set(id, indexKey);
        index.add(spec.resourceType, localId, `urn:uuid:${id}`);
        planned.push({ rule, scope, localId, id });
      }
    }
    return planned;
  }

  /** The scopes a resource rule produces a resource for: one per innermost item of its levels. */
  private iterate(rule: CompiledResourceRule, root: Scope, run: RunOptions): Scope[] {
    let scopes: Scope[] = [root];
    for (const level of rule.levels) {
      const next: Scope[] = [];
      for (const outer of scopes) {
        const items = evaluate(level.expr, outer, run, () => this.location(rule.spec.rule, outer)).filter((i) => i !== null && i !== undefined);
        items.forEach((item, i) => {
          const inputPath = level.path(outer, i, item, run.locate);
          next.push({
            input: item,
            env: level.as ? { ...outer.env, [level.as]: item } : outer.env,
            inputPath,
            varPaths: level.as ? { ...outer.varPaths, [level.as]: inputPath } : outer.varPaths,
          });
        });
      }
      scopes = next;
    }
    return scopes;
  }

  /** The declared parameters, overridden by what the caller passed; undeclared ones are refused. */
  private callerEnv(options: MapOptions): Env {
    for (const name of Object.keys(options.env ?? {})) {
      if (!(name in this.params)) throw new Error(`${this.file} does not declare the parameter "${name}" (add it under params:)`);
    }
    return { ...this.params, ...options.env };
  }

  private evaluateLets(root: Scope, run: RunOptions): Env {
    const env: Record<string, unknown> = { ...root.env };
    for (const [name, fn] of this.lets) {
      const items = evaluate(fn, { input: root.input, env, inputPath: root.inputPath, varPaths: root.varPaths }, run, () => this.location(`let.${name}`, root));
      env[name] = items.length === 1 ? items[0] : items;
    }
    return env;
  }

  private rootScope(input: unknown, extra: Env): Scope {
    return {
      input,
      env: { record: input, mappingId: this.id, mappingVersion: this.version, ...extra },
      inputPath: '',
      varPaths: { record: '' },
    };
  }

  private singleString(fn: CompiledExpression, scope: Scope, run: RunOptions, rule: string): string {
    const items = evaluate(fn, scope, run, () => this.location(rule, scope));
    if (items.length !== 1 || (typeof items[0] !== 'string' && typeof items[0] !== 'number')) {
      throw new MappingError('MAPPING_FAILED', `expected one id or key value but found ${items.length}`, this.location(rule, scope));
    }
    return String(items[0]);
  }

  private templateString(fn: NodeFn, scope: Scope, run: RunOptions, rule: string): string {
    const value = fn(scope, run);
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new MappingError('MAPPING_FAILED', 'expected one id or key value but found none or several', this.location(rule, scope));
    }
    return String(value);
  }

  private location(rule: string, scope: Scope) {
    return { mappingFile: this.file, rule, inputPath: scope.inputPath || '(root)', inScope: inScope(scope) };
  }

  /** The functions mapping expressions may call: bound to this mapping's code maps, given each run's state. */
  private functions(codeMaps: CodeMaps): ExpressionFunctions {
    // Compiled regular expressions for date layouts: derived from the mapping files only.
    const datePatterns = new Map<string, RegExp>();
    return {
      translate: {
        fn: (_run: unknown, inputs: unknown[], mapId: string, direction?: string) => inputs.map((code) => codeMaps.translate(mapId, String(code), direction === 'reverse')),
        arity: { 1: ['String'], 2: ['String', 'String'] },
      },
      mapped: {
        // Keeps only the codes the code map can translate (for choosing, never for translating).
        fn: (_run: unknown, inputs: unknown[], mapId: string, direction?: string) =>
          inputs.filter((code) => codeMaps.canTranslate(mapId, String(code), direction === 'reverse')),
        arity: { 1: ['String'], 2: ['String', 'String'] },
      },
      ref: {
        fn: (run: unknown, inputs: unknown[], type: string) =>
          inputs.map((localId) => {
            const target = (run as RunState).index?.reference(type, String(localId));
            if (target === undefined) throw new MappingFunctionError('MAPPING_BAD_REFERENCE', `refers to a ${type} by a local id that no ${type} in this record has`);
            return target;
          }),
        arity: { 1: ['String'] },
      },
      isoDate: {
        // Reads dates written in a source's own layout (e.g. 'DD/MM/YYYY', 'YYYYMMDD') as ISO dates.
        fn: (_run: unknown, inputs: unknown[], pattern: string) => inputs.map((value) => toIsoDate(String(value), pattern, datePatterns)),
        arity: { 1: ['String'] },
      },
      recorded: {
        // Drops `{ notRecorded: … }` markers, keeping real values.
        fn: (_run: unknown, inputs: unknown[]) => inputs.filter((v) => v === null || typeof v !== 'object' || !('notRecorded' in v)),
        arity: { 0: [] },
      },
      refKind: {
        // References items shaped { kind, id? }: the code map turns kind into a resource type, and
        // an item without an id refers to the one resource of its kind (e.g. the patient).
        fn: (run: unknown, inputs: unknown[], mapId: string) =>
          inputs.map((item) => {
            const { kind, id } = (item ?? {}) as { kind?: unknown; id?: unknown };
            const type = codeMaps.translate(mapId, String(kind));
            const localId = String(id ?? kind);
            const target = (run as RunState).index?.reference(type, localId);
            if (target === undefined) throw new MappingFunctionError('MAPPING_BAD_REFERENCE', `refers to a ${type} by a local id that no ${type} in this record has`);
            return target;
          }),
        arity: { 1: ['String'] },
      },
      localId: {
        // A resource's identifier in the first of the given systems it has one in, or else its id.
        fn: (_run: unknown, inputs: unknown[], ...systems: (string | undefined)[]) =>
          inputs.flatMap((resource) => {
            type Identifier = { system?: unknown; value?: unknown };
            const r = (resource ?? {}) as { id?: unknown; identifier?: Identifier[] | Identifier };
            // AdverseEvent is the one R4 resource whose identifier is a single Identifier, not a list.
            const identifiers = Array.isArray(r.identifier) ? r.identifier : r.identifier === undefined ? [] : [r.identifier];
            let value: unknown;
            for (const system of systems) {
              if (system === undefined || value !== undefined) continue;
              value = identifiers.find((i) => i.system === system)?.value;
            }
            value ??= r.id;
            return typeof value === 'string' ? [value] : [];
          }),
        arity: { 1: ['String'], 2: ['String', 'String'] },
      },
      uriSegment: {
        // A value as one URI path segment (e.g. a source system's name in an identifier system).
        fn: (_run: unknown, inputs: unknown[]) => inputs.map((value) => uriSegment(String(value))),
        arity: { 0: [] },
      },
      allRefs: {
        fn: (run: unknown, _inputs: unknown[], exceptType?: string) => (run as RunState).index?.references(exceptType) ?? [],
        arity: { 0: [], 1: ['String'] },
      },
      deref: {
        fn: (run: unknown, inputs: unknown[]) => {
          const out: unknown[] = [];
          for (const item of inputs) {
            const reference = typeof item === 'string' ? item : (item as { reference?: unknown } | null)?.reference;
            const resolve = (run as RunState).resolve;
            if (typeof reference !== 'string' || !resolve) continue;
            const resource = resolve(reference);
            if (resource) out.push(resource);
          }
          return out;
        },
        arity: { 0: [] },
      },
    };
  }
}

function ownVariables(rule: CompiledResourceRule, scope: Scope): Env {
  const out: Record<string, unknown> = {};
  for (const level of rule.levels) if (level.as) out[level.as] = scope.env[level.as];
  return out;
}

/** Strips trace wrappers, recording where each traced value landed. */
function unwrap(value: unknown, path: string, trace: TraceEntry[], rulePrefix: string): unknown {
  if (value instanceof Traced) {
    const entry = { path: path || '(root)', rule: rulePrefix + value.rule, template: value.template || '(root)', input: value.input || '(root)' };
    trace.push(value.reads ? { ...entry, reads: value.reads } : entry);
    return value.value;
  }
  if (value instanceof Many) return value.items.map((v, i) => unwrap(v, `${path}[${i}]`, trace, rulePrefix));
  if (Array.isArray(value)) return value.map((v, i) => unwrap(v, `${path}[${i}]`, trace, rulePrefix));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = unwrap(v, path ? `${path}.${k}` : k, trace, rulePrefix);
    return out;
  }
  return value;
}

/** Converts a date in the given layout (tokens YYYY, MM, DD; other characters literal) to YYYY-MM-DD. */
export function toIsoDate(value: string, pattern: string, datePatterns: Map<string, RegExp> = new Map()): string {
  let regex = datePatterns.get(pattern);
  if (!regex) {
    const source = pattern
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace('YYYY', '(?<y>\\d{4})')
      .replace('MM', '(?<m>\\d{2})')
      .replace('DD', '(?<d>\\d{2})');
    regex = new RegExp(`^${source}$`);
    datePatterns.set(pattern, regex);
  }
  const groups = regex.exec(value.trim())?.groups;
  const iso = groups ? `${groups.y}-${groups.m}-${groups.d}` : '';
  const date = new Date(`${iso}T00:00:00Z`);
  if (!groups || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
    throw new MappingFunctionError('MAPPING_FAILED', `a value is not a date in the layout ${pattern}`, value);
  }
  return iso;
}

/**
 * Search criteria (`name=value`, one parameter, as mappings write them) as a valid URI query:
 * the value percent-encoded, `&` and spaces included, keeping the `|` and the `:` and `/` of a
 * system URL, which a query may hold and which read the same either way.
 */
export function encodeCriteria(criteria: string): string {
  const eq = criteria.indexOf('=');
  if (eq < 0) return encodeURIComponent(criteria);
  const value = encodeURIComponent(criteria.slice(eq + 1))
    .replace(/%7C/g, '|')
    .replace(/%3A/g, ':')
    .replace(/%2F/g, '/');
  return `${criteria.slice(0, eq + 1)}${value}`;
}
