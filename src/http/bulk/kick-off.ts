/**
 * A Bulk Data kick-off request read into what the job needs: its headers checked (the
 * asynchronous pattern asked for, an OperationOutcome readable) and its parameters, from the
 * query string or a POSTed Parameters resource. Anything wrong is a RequestError naming the header
 * or parameter, never its value.
 */
import type { Request } from 'express';
import { RequestError } from '../../errors/errors.js';
import { EXPORT_TYPES, isExportType } from '../../fhir/export-types.js';
import type { ExportLevel } from '../../ports/bulk-export.js';
import { isLenient } from '../fhir/router.js';

export interface KickOffParameters {
  readonly types: readonly string[];
  readonly since?: Date;
  readonly patients?: readonly string[];
}

const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);
/** Parameters of the IG pont does not offer: refused, unless the client asked for lenient handling. */
const NOT_OFFERED = new Set(['_elements', '_typeFilter', 'includeAssociatedData', 'organizeOutputBy', 'allowPartialManifests']);
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The headers every kick-off needs: `Prefer: respond-async`, and an Accept that takes application/fhir+json. */
export function checkKickOffHeaders(req: Request): void {
  if (!/(^|[,;\s])respond-async\b/i.test(req.get('prefer') ?? '')) {
    throw new RequestError('REQUEST_INVALID', 'the Prefer header must be respond-async: $export runs asynchronously (FHIR asynchronous request pattern)');
  }
  const accept = req.get('accept');
  if (accept === undefined || accept.trim() === '') return;
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  if (!types.some((t) => t === 'application/fhir+json' || t === '*/*' || t === 'application/*')) {
    throw new RequestError('REQUEST_INVALID', 'the Accept header must allow application/fhir+json, the format of the OperationOutcome a kick-off may be answered with');
  }
}

/** The parameters as name and value pairs, in order: a POSTed Parameters resource's, or the query string's. */
export function parametersOf(body: unknown): [string, string][] {
  const resource = body as { resourceType?: unknown; parameter?: unknown } | undefined;
  if (resource?.resourceType !== 'Parameters') throw new RequestError('REQUEST_INVALID', 'a POSTed $export takes a FHIR Parameters resource (application/fhir+json)');
  const parameters = Array.isArray(resource.parameter) ? (resource.parameter as Record<string, unknown>[]) : [];
  return parameters.map((p, i) => {
    const name = typeof p?.name === 'string' ? p.name : undefined;
    if (name === undefined) throw new RequestError('REQUEST_INVALID', `Parameters.parameter[${i}] has no name`);
    const value = p.valueString ?? p.valueInstant ?? p.valueCode ?? p.valueDateTime ?? (p.valueReference as { reference?: unknown } | undefined)?.reference;
    if (typeof value !== 'string')
      throw new RequestError('REQUEST_INVALID', `parameter "${name.slice(0, 64)}" has no value pont reads (valueString, valueInstant, valueCode or valueReference)`);
    return [name, value];
  });
}

export function readKickOff(req: Request, pairs: readonly (readonly [string, string])[], level: ExportLevel): KickOffParameters {
  const lenient = isLenient(req);
  const types: string[] = [];
  const patients: string[] = [];
  let since: Date | undefined;
  for (const [name, value] of pairs) {
    switch (name) {
      case '_format':
        break;
      case '_outputFormat':
        if (!NDJSON_FORMATS.has(value.trim())) throw invalid(name, `one of ${[...NDJSON_FORMATS].join(', ')}: pont exports NDJSON only`);
        break;
      case '_type':
        for (const type of value.split(',').map((t) => t.trim())) {
          if (!isExportType(type)) throw invalid(name, `a comma-separated list of the types pont exports: ${EXPORT_TYPES.join(', ')}`);
          if (!types.includes(type)) types.push(type);
        }
        break;
      case '_since': {
        // A "+01:00" zone sent unencoded in a query string arrives as a space.
        const instant = value.replace(/ (\d{2}:\d{2})$/, '+$1');
        if (!INSTANT.test(instant) || Number.isNaN(Date.parse(instant))) throw invalid(name, 'a FHIR instant, with seconds and a time zone (2025-01-31T12:00:00Z)');
        since = new Date(instant);
        break;
      }
      case 'patient': {
        if (level.kind === 'system') throw invalid(name, 'absent at system level: it applies to Patient and Group exports');
        const id = /^(?:.*\/)?Patient\/([^/]+)$/.exec(value)?.[1];
        if (id === undefined || !ID.test(id)) throw invalid(name, 'a reference Patient/{id}');
        patients.push(id);
        break;
      }
      default:
        if (lenient) break;
        throw new RequestError(
          'REQUEST_NOT_SUPPORTED',
          NOT_OFFERED.has(name)
            ? `parameter "${name}" is not supported by this server (send Prefer: handling=lenient to have it ignored)`
            : `$export takes no parameter "${name.slice(0, 64)}"; it takes _outputFormat, _type, _since and (Patient and Group) patient`,
        );
    }
  }
  return { types: types.length > 0 ? types : EXPORT_TYPES, ...(since === undefined ? {} : { since }), ...(patients.length === 0 ? {} : { patients }) };
}

const invalid = (name: string, expected: string) => new RequestError('REQUEST_INVALID', `parameter "${name}" must be ${expected}`);
