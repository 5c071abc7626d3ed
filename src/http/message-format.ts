/**
 * The format of a message sent to `POST /ingest/{source}` or `POST /$check`: named by `?format=`,
 * or, for FHIR, by its FHIR media type alone. A Content-Type that contradicts the format (CSV
 * sent as JSON, a FHIR Bundle as text/csv) is refused with 415 before the body is read, naming
 * what the format may be sent as; a body sent without a Content-Type, as bytes
 * (application/octet-stream) or as plain text, is read as the format says.
 */
import type { Request } from 'express';
import { RequestError } from '../errors/errors.js';

const NDJSON = ['application/x-ndjson', 'application/ndjson'];

/** The media types each known format may be sent as; a format not listed here takes any. */
const MEDIA_TYPES: Readonly<Record<string, readonly string[]>> = {
  ctp: ['application/json', ...NDJSON],
  fhir: ['application/fhir+json', 'application/fhir+ndjson', 'application/json', ...NDJSON],
  'carepath-json': ['application/json'],
  'wpas-csv': ['text/csv'],
};

/** Media types that say nothing of the format: bytes, or text (what a client sends a string as by default, e.g. fetch). */
const NEUTRAL = new Set(['application/octet-stream', 'text/plain']);

/** Formats a media type names on its own. */
const IMPLIED: Readonly<Record<string, string>> = { 'application/fhir+json': 'fhir', 'application/fhir+ndjson': 'fhir' };

/** A media type as RFC 9110 writes one (type/subtype), so that only such a token is ever quoted back. */
const TOKEN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

/** The request's message format, checked against its Content-Type. @throws RequestError */
export function messageFormat(req: Request, formats: readonly string[]): string {
  const mediaType = req.get('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;
  const named = typeof req.query.format === 'string' ? req.query.format : undefined;
  const format = named ?? (mediaType === undefined ? undefined : IMPLIED[mediaType]);
  if (format === undefined || !formats.includes(format)) {
    throw new RequestError('REQUEST_INVALID', `give the message's format as ?format=…, one of: ${formats.join(', ')}`);
  }
  const allowed = MEDIA_TYPES[format];
  if (mediaType !== undefined && allowed !== undefined && !NEUTRAL.has(mediaType) && !allowed.includes(mediaType)) {
    const given = TOKEN.test(mediaType) ? mediaType : 'this Content-Type';
    throw new RequestError('REQUEST_MEDIA_TYPE', `a ${format} message is sent as ${allowed.join(', ')}, text/plain or application/octet-stream, not ${given}`);
  }
  return format;
}
