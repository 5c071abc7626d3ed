/**
 * Reads FHIR from another system (or pont's own output): a Bundle or a single resource.
 * Checks it against the R4 base (pont's profiles constrain what pont writes, not what it
 * reads), builds the reference resolver the fhir-to-ctp mapping needs, remembers references it
 * could not resolve, and chooses the record's source defaults when the input carries no pont
 * Provenance.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { InputError } from '../errors/errors.js';
import { referenceKey } from '../fhir/reference.js';

type Json = Record<string, unknown>;

export interface FhirInput {
  /** The input as given, and the path that names it (`Bundle`, or the single resource's type). */
  readonly root: Json;
  readonly rootPath: string;
  /** The input's resources (a Bundle's entries, or the single resource), each with its path and a label for messages. */
  readonly resources: readonly { readonly resource: Json; readonly path: string; readonly label: string }[];
  readonly bundle: Json;
  readonly resolve: (reference: string) => Json | undefined;
  /** Like resolve, without remembering a reference that does not resolve. */
  readonly lookup: (reference: string) => Json | undefined;
  /** Reference strings that did not resolve inside the input, in the order first met. */
  readonly unresolved: ReadonlySet<string>;
  readonly defaults: { readonly system: string; readonly recordId: string; readonly extractedAt: string };
  /** Base validation's warnings (its errors refuse the input). */
  readonly issues: readonly OperationOutcomeIssue[];
}

export interface FhirInputOptions {
  /** Source system name used when the input has no pont Provenance. */
  readonly sourceSystem?: string;
  /** Used as the extraction time when the input carries no timestamp at all. */
  readonly now: Date;
  /** R4 base validation of a resource (a Bundle whole); its errors refuse the input. */
  readonly validateBase?: (resource: unknown) => OperationOutcomeIssue[];
  /** How the defaults read the input (e.g. through a view that records what is read). */
  readonly view?: <T>(value: T) => T;
  /** Told of the Bundle built to stand for a Bundle input (its entries plus contained resources). */
  readonly nameAs?: (node: object, path: string) => void;
}

export function readFhirInput(json: unknown, origin: string, options: FhirInputOptions): FhirInput {
  if (json === null || typeof json !== 'object' || Array.isArray(json) || typeof (json as Json).resourceType !== 'string') {
    throw new InputError('INPUT_INVALID', `${origin}: not a FHIR resource (no resourceType)`, [
      { severity: 'error', code: 'structure', diagnostics: 'The input is not a FHIR resource: resourceType is missing.', expression: ['resourceType'] },
    ]);
  }
  const root = json as Json;
  // A Bundle's transport (each entry's request, response and search) is not read, so not held to R4 here.
  const checked = (options.validateBase?.(root) ?? []).filter((i) => !/^Bundle\.entry\[\d+\]\.(request|response|search)\b/.test(i.expression?.[0] ?? ''));
  const invalid = checked.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (invalid.length > 0) throw new InputError('INPUT_INVALID', `${origin}: the FHIR input is not valid R4`, invalid);
  if (root.resourceType === 'Bundle' && (!Array.isArray(root.entry) || root.entry.length === 0)) {
    throw new InputError('INPUT_INVALID', `${origin}: the Bundle holds no resources`, [
      { severity: 'error', code: 'required', diagnostics: 'The Bundle has no entries, so it holds no record to read.', expression: ['Bundle.entry'] },
    ]);
  }
  const rootPath = root.resourceType === 'Bundle' ? 'Bundle' : String(root.resourceType);
  const given: unknown[] = root.resourceType === 'Bundle' ? (Array.isArray(root.entry) ? root.entry : []) : [{ fullUrl: fullUrlOf(root), resource: root }];
  // R4 lets a Bundle entry's resource go without an id (its fullUrl names it), but the record
  // needs one: the mapping reads a copy with the id its fullUrl gives, else its position. The
  // input itself is left as it is.
  const identified = given.map((entry, i) => {
    const resource = (entry as Json | null)?.resource as Json | undefined;
    if (!resource || typeof resource !== 'object' || resource.id !== undefined) return entry;
    const copy = { ...resource, id: idOf((entry as Json).fullUrl) ?? `entry-${i}` };
    options.nameAs?.(copy, root.resourceType === 'Bundle' ? `Bundle.entry[${i}].resource` : rootPath);
    return { ...(entry as Json), resource: copy };
  });
  // Contained resources are lifted to entries of their own, so the mapping sees every resource
  // in one list; "#id" references resolve to them (the first container wins if ids repeat).
  const lifted = given.flatMap((entry) => {
    const contained = ((entry as Json | null)?.resource as Json | undefined)?.contained;
    return Array.isArray(contained) ? (contained as Json[]).filter((c) => typeof c?.id === 'string').map((c) => ({ fullUrl: `#${String(c.id)}`, resource: c })) : [];
  });
  const entries = [...identified, ...lifted];
  const bundle: Json = { ...(root.resourceType === 'Bundle' ? root : { resourceType: 'Bundle', type: 'collection' }), entry: entries };
  if (root.resourceType === 'Bundle') options.nameAs?.(bundle, 'Bundle');
  const problems: OperationOutcomeIssue[] = [];
  const index = new Map<string, Json>();
  const patients: Json[] = [];
  entries.forEach((entry, i) => {
    const resource = (entry as Json | null)?.resource as Json | undefined;
    if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') {
      problems.push({ severity: 'error', code: 'structure', diagnostics: `Bundle entry ${i} has no resource with a resourceType.`, expression: [`Bundle.entry[${i}]`] });
      return;
    }
    if (resource.resourceType === 'Patient') patients.push(resource);
    const fullUrl = (entry as Json).fullUrl;
    if (typeof fullUrl === 'string' && !index.has(fullUrl)) index.set(fullUrl, resource);
    if (typeof resource.id === 'string' && !fullUrl?.toString().startsWith('#')) index.set(`${resource.resourceType}/${resource.id}`, resource);
  });
  if (patients.length > 1) {
    problems.push({
      severity: 'error',
      code: 'business-rule',
      diagnostics: `The input holds ${patients.length} Patient resources; send one person per input.`,
      expression: ['Bundle.entry'],
    });
  }
  if (problems.length > 0) throw new InputError('INPUT_INVALID', `${origin}: the FHIR input cannot be read`, problems);

  const unresolved = new Set<string>();
  const lookup = (reference: string): Json | undefined => index.get(reference) ?? index.get(relativePart(reference));
  const resolve = (reference: string): Json | undefined => {
    const found = lookup(reference);
    if (!found) unresolved.add(reference);
    return found;
  };
  const view = options.view ?? (<T>(value: T) => value);
  const resources = given.map((entry, i) => {
    const resource = (entry as Json).resource as Json;
    return root.resourceType === 'Bundle'
      ? { resource, path: `Bundle.entry[${i}].resource`, label: `Bundle.entry[${i}] ${String(resource.resourceType)}` }
      : { resource, path: rootPath, label: rootPath };
  });
  const warnings = checked.filter((i) => !invalid.includes(i));
  return {
    root,
    rootPath,
    resources,
    bundle,
    resolve,
    lookup,
    unresolved,
    defaults: chooseDefaults(view(bundle), view(entries), view(patients[0]), options),
    issues: warnings,
  };
}

/** The id a fullUrl gives: `urn:uuid:<uuid>` or `…/<Type>/<id>`. */
function idOf(fullUrl: unknown): string | undefined {
  if (typeof fullUrl !== 'string') return undefined;
  const match = /^urn:uuid:([0-9a-fA-F-]{36})$/.exec(fullUrl) ?? /\/[A-Z][A-Za-z]+\/([A-Za-z0-9\-.]{1,64})$/.exec(fullUrl);
  return match?.[1];
}

function fullUrlOf(resource: Json): string {
  return typeof resource.id === 'string' ? `${String(resource.resourceType)}/${resource.id}` : 'urn:pont:input';
}

/** `http://server/fhir/Patient/1` → `Patient/1`; other forms are returned unchanged. */
const relativePart = (reference: string): string => referenceKey(reference) ?? reference;

function chooseDefaults(bundle: Json, entries: unknown[], patient: Json | undefined, options: FhirInputOptions) {
  const resources = entries.map((e) => (e as Json).resource as Json).filter(Boolean);
  const subject = resources.map((r) => ((r.subject ?? r.patient) as Json | undefined)?.reference).find((r): r is string => typeof r === 'string');
  const rawId = (patient?.id as string | undefined) ?? (subject ? relativePart(subject).split('/')[1] : undefined) ?? (bundle.id as string | undefined) ?? 'unidentified';
  const recordId =
    rawId
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 64) || 'unidentified';
  const stamps = [bundle.timestamp, (bundle.meta as Json | undefined)?.lastUpdated, ...resources.map((r) => (r.meta as Json | undefined)?.lastUpdated)].filter(
    (s): s is string => typeof s === 'string' && /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s),
  );
  const extractedAt = stamps.sort().at(-1) ?? options.now.toISOString();
  return { system: options.sourceSystem ?? 'fhir', recordId, extractedAt };
}
