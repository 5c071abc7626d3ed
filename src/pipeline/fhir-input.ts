/**
 * Reads FHIR from another system (or pont's own output): a Bundle or a single resource.
 * Builds the reference resolver the fhir-to-ctp mapping needs, remembers references it could
 * not resolve, and chooses the record's source defaults when the input carries no pont
 * Provenance.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { InputError } from '../errors/errors.js';

type Json = Record<string, unknown>;

export interface FhirInput {
  readonly bundle: Json;
  readonly resolve: (reference: string) => Json | undefined;
  /** Reference strings that did not resolve inside the input, in the order first met. */
  readonly unresolved: ReadonlySet<string>;
  readonly defaults: { readonly system: string; readonly recordId: string; readonly extractedAt: string };
}

export interface FhirInputOptions {
  /** Source system name used when the input has no pont Provenance. */
  readonly sourceSystem?: string;
  /** Used as the extraction time when the input carries no timestamp at all. */
  readonly now: Date;
}

export function readFhirInput(json: unknown, origin: string, options: FhirInputOptions): FhirInput {
  if (json === null || typeof json !== 'object' || Array.isArray(json) || typeof (json as Json).resourceType !== 'string') {
    throw new InputError('INPUT_INVALID', `${origin}: not a FHIR resource (no resourceType)`, [
      { severity: 'error', code: 'structure', diagnostics: 'The input is not a FHIR resource: resourceType is missing.', expression: ['resourceType'] },
    ]);
  }
  const root = json as Json;
  const given: unknown[] = root.resourceType === 'Bundle' ? (Array.isArray(root.entry) ? root.entry : []) : [{ fullUrl: fullUrlOf(root), resource: root }];
  // Contained resources are lifted to entries of their own, so the mapping sees every resource
  // in one list; "#id" references resolve to them (the first container wins if ids repeat).
  const lifted = given.flatMap((entry) => {
    const contained = ((entry as Json | null)?.resource as Json | undefined)?.contained;
    return Array.isArray(contained) ? (contained as Json[]).filter((c) => typeof c?.id === 'string').map((c) => ({ fullUrl: `#${String(c.id)}`, resource: c })) : [];
  });
  const entries = [...given, ...lifted];
  const bundle: Json = { ...(root.resourceType === 'Bundle' ? root : { resourceType: 'Bundle', type: 'collection' }), entry: entries };
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
  const resolve = (reference: string): Json | undefined => {
    const found = index.get(reference) ?? index.get(relativePart(reference));
    if (!found) unresolved.add(reference);
    return found;
  };
  return { bundle, resolve, unresolved, defaults: chooseDefaults(bundle, entries, patients[0], options) };
}

function fullUrlOf(resource: Json): string {
  return typeof resource.id === 'string' ? `${String(resource.resourceType)}/${resource.id}` : 'urn:pont:input';
}

/** `http://server/fhir/Patient/1` → `Patient/1`; other forms are returned unchanged. */
function relativePart(reference: string): string {
  const match = /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(\/_history\/[^/]+)?$/.exec(reference);
  return match ? match[1]! : reference;
}

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
