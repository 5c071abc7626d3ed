/**
 * The facade's CapabilityStatement, generated from the tables the router and the store work from
 * (src/fhir/search-parameters.ts), so it advertises exactly what is answered.
 */
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { SERVED_TYPES, searchParameters } from '../../fhir/search-parameters.js';

export const FHIR_FORMATS = ['application/fhir+json', 'json'] as const;

export function capabilityStatement(options: {
  readonly baseUrl: string;
  readonly date: string;
  readonly software: { readonly name: string; readonly version: string };
}): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date,
    kind: 'instance',
    software: { name: options.software.name, version: options.software.version },
    implementation: { description: 'pont FHIR facade: read-only; records are written through ingest', url: options.baseUrl },
    fhirVersion: '4.0.1',
    format: [...FHIR_FORMATS],
    rest: [
      {
        mode: 'server',
        documentation:
          'Search pages are given in id order; follow the next link (its cursor is opaque). _count sets the page size. Unknown parameters are refused unless the request says Prefer: handling=lenient.',
        resource: SERVED_TYPES.map(
          (type): CapabilityStatementRestResource => ({
            type: type as CapabilityStatementRestResource['type'],
            interaction: [{ code: 'read' }, { code: 'vread' }, { code: 'history-instance' }, { code: 'search-type' }],
            versioning: 'versioned',
            readHistory: true,
            updateCreate: false,
            conditionalCreate: false,
            conditionalUpdate: false,
            conditionalDelete: 'not-supported',
            conditionalRead: 'not-match',
            searchParam: searchParameters(type).map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
          }),
        ),
      },
    ],
  };
}
