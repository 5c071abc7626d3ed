/**
 * Canonical URLs of pont's conformance resources and the few external ones the profiles use.
 * See profiles/README.md.
 */

/** Canonical base of every pont StructureDefinition, CodeSystem, ValueSet and identifier system. */
export const PONT_BASE = 'https://fhir.pont.wales';

export const HL7_SD_BASE = 'http://hl7.org/fhir/StructureDefinition/';

export const structureDefinitionUrl = (id: string): string => `${PONT_BASE}/StructureDefinition/${id}`;
export const codeSystemUrl = (id: string): string => `${PONT_BASE}/CodeSystem/${id}`;
export const valueSetUrl = (id: string): string => `${PONT_BASE}/ValueSet/${id}`;

/** True when a canonical URL (optionally `|version`) belongs to pont. */
export function isPontUrl(url: string): boolean {
  return url.startsWith(`${PONT_BASE}/`);
}

/** A canonical reference without its `|version` suffix. */
export function stripVersion(canonical: string): string {
  const bar = canonical.indexOf('|');
  return bar < 0 ? canonical : canonical.slice(0, bar);
}

export const DATA_ABSENT_REASON_URL = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';

/**
 * R5 ElementDefinition.mustHaveValue / valueAlternatives, as R4 cross-version extensions on an
 * ElementDefinition. pont puts them on every extension's `value[x]`: either the primitive must
 * carry a value, or (where profiles/README.md says DAR) a data-absent-reason extension may stand
 * in for it.
 */
export const MUST_HAVE_VALUE_URL = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.mustHaveValue';
export const VALUE_ALTERNATIVES_URL = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.valueAlternatives';

/** CodeSystem property marking a Welsh designation not yet checked against the statutory text. */
export const WELSH_VERIFIED_PROPERTY = 'welsh-verified';

export const FHIR_VERSION = '4.0.1';
export const PUBLISHER = 'pont';

/** `pont-care-plan` -> `PontCarePlan`: a computable name (FHIR `name`, `[A-Z][A-Za-z0-9_]*`). */
export function computableName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

export const implementationGuideUrl = (id: string): string => `${PONT_BASE}/ImplementationGuide/${id}`;

const canonicalUrls = {
  StructureDefinition: structureDefinitionUrl,
  CodeSystem: codeSystemUrl,
  ValueSet: valueSetUrl,
  ImplementationGuide: implementationGuideUrl,
} as const;

/** The version and publication date shared by every resource of one build of the package. */
export interface Release {
  readonly version: string;
  /** FHIR `date` (YYYY-MM-DD): fixed in profiles/source/package.yaml, so rebuilds are identical. */
  readonly date: string;
}

/**
 * The metadata every pont conformance resource opens with (in this order): id, canonical URL,
 * version, computable name, title, draft status, date, publisher and description.
 */
export function conformanceHeader<T extends keyof typeof canonicalUrls>(resourceType: T, id: string, release: Release, title: string, description: string) {
  return {
    resourceType,
    id,
    url: canonicalUrls[resourceType](id),
    version: release.version,
    name: computableName(id),
    title,
    status: 'draft' as const,
    experimental: false,
    date: release.date,
    publisher: PUBLISHER,
    description,
  };
}
