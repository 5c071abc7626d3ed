/**
 * The human-readable narrative of each generated conformance resource: its title and
 * description, and a table of what it defines (the constrained elements of a profile or
 * extension, the codes of a CodeSystem, what a ValueSet includes, the resources of the guide).
 */
import type { CodeSystem, ElementDefinition, ImplementationGuide, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { element, generatedNarrative, table, withNarrative } from '../../src/fhir/xhtml.js';

const cardinality = (e: ElementDefinition): string => (e.min === undefined && e.max === undefined ? '' : `${e.min ?? ''}..${e.max ?? ''}`);

function typeSummary(e: ElementDefinition): string {
  return (e.type ?? [])
    .map((t) => {
      const targets = [...(t.profile ?? []), ...(t.targetProfile ?? [])];
      return targets.length > 0 ? `${t.code}(${targets.join(' | ')})` : t.code;
    })
    .join(' | ');
}

function constraintSummary(e: ElementDefinition): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(e)) {
    if (key.startsWith('fixed') || key.startsWith('pattern')) parts.push(`${key.startsWith('fixed') ? 'fixed' : 'pattern'} ${JSON.stringify(value)}`);
  }
  if (e.binding?.valueSet) parts.push(`${e.binding.strength} binding ${e.binding.valueSet}`);
  if (e.sliceName) parts.push(`slice ${e.sliceName}`);
  if (e.short) parts.push(e.short);
  return parts.join('; ');
}

function structureDefinitionBody(sd: StructureDefinition): string {
  const what =
    sd.type === 'Extension'
      ? `Extension used on ${(sd.context ?? []).map((c) => c.expression).join(', ')}.`
      : `Profile of ${sd.type} (${sd.baseDefinition}), FHIR ${sd.fhirVersion}.`;
  const rows = (sd.differential?.element ?? []).slice(1).map((e) => [e.id ?? e.path, cardinality(e), typeSummary(e), constraintSummary(e)]);
  return `${element('p', what)}${rows.length > 0 ? table(['Element', 'Cardinality', 'Type', 'Constraints'], rows) : ''}`;
}

function codeSystemBody(cs: CodeSystem): string {
  const rows = (cs.concept ?? []).map((c) => [c.code ?? '', c.display ?? '', c.designation?.find((d) => d.language === 'cy')?.value ?? '', c.definition ?? '']);
  return `${element('p', `${cs.count ?? rows.length} codes.`)}${table(['Code', 'Display', 'Welsh', 'Definition'], rows)}`;
}

function valueSetBody(vs: ValueSet): string {
  const rows = (vs.compose?.include ?? []).map((i) => [i.system ?? '', i.concept ? i.concept.map((c) => c.code).join(', ') : 'all codes']);
  return table(['Code system', 'Codes'], rows);
}

function implementationGuideBody(ig: ImplementationGuide): string {
  const rows = (ig.definition?.resource ?? []).map((r) => [r.reference?.reference ?? '', r.name ?? '']);
  return `${element('p', `FHIR package ${ig.packageId}, FHIR ${(ig.fhirVersion ?? []).join(', ')}.`)}${table(['Resource', 'Title'], rows)}`;
}

function body(resource: Resource): string {
  switch (resource.resourceType) {
    case 'StructureDefinition':
      return structureDefinitionBody(resource);
    case 'CodeSystem':
      return codeSystemBody(resource);
    case 'ValueSet':
      return valueSetBody(resource);
    case 'ImplementationGuide':
      return implementationGuideBody(resource);
    default:
      throw new Error(`no narrative for a ${resource.resourceType}`);
  }
}

/** The conformance resource with its generated narrative (`text`) in place. */
export function withConformanceNarrative<T extends StructureDefinition | CodeSystem | ValueSet | ImplementationGuide>(resource: T): T {
  const heading = `${element('h3', resource.title ?? resource.id ?? '')}${resource.description ? element('p', resource.description) : ''}`;
  return withNarrative(resource, generatedNarrative(`${heading}${body(resource)}`));
}
