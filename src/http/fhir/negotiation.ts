/**
 * Which JSON media type a FHIR response is sent as, from `_format` (which wins, as FHIR says) or
 * the Accept header: application/fhir+json unless the client asked for application/json alone.
 * Undefined when the client accepts neither (XML, say): 406.
 */
import type { Request } from 'express';

export const FHIR_JSON = 'application/fhir+json';

const FORMATS: Readonly<Record<string, string>> = {
  json: FHIR_JSON,
  'application/fhir+json': FHIR_JSON,
  'application/json+fhir': FHIR_JSON,
  'application/json': 'application/json',
};

export function responseType(req: Request): string | undefined {
  const format = req.query._format;
  if (format !== undefined) return typeof format === 'string' ? FORMATS[format.split(';')[0]!.trim()] : undefined;
  const accept = req.get('accept');
  if (accept === undefined || accept.trim() === '') return FHIR_JSON;
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  if (types.some((t) => t === FHIR_JSON || t === 'application/json+fhir' || t === '*/*' || t === 'application/*')) return FHIR_JSON;
  return types.includes('application/json') ? 'application/json' : undefined;
}
