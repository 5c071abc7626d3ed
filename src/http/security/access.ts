/**
 * The authenticated caller as the API's handlers see it, and which people's records it may see:
 * the FHIR facade filters reads, searches and exports by `patientScopeOf(client)`.
 */
import type { Response } from 'express';
import { EngineError } from '../../errors/errors.js';
import type { PatientScope } from '../../ports/fhir-resources.js';
import { type Role, reachOf } from './roles.js';
import type { Scope } from './scopes.js';

export interface AuthenticatedClient {
  readonly id: string;
  readonly role: Role;
  /** What its access token grants, within what the client may be granted. */
  readonly scopes: readonly Scope[];
  /** source-epr: the source it ingests as. */
  readonly source?: string;
  /** gp-system: its practice's ODS code. */
  readonly organisation?: string;
}

export type { PatientScope };

export function patientScopeOf(client: AuthenticatedClient): PatientScope {
  const reach = reachOf(client.role, 'read');
  if (reach === 'all') return { kind: 'all' };
  if (reach === 'registered-patients' && client.organisation !== undefined) return { kind: 'registered-at', practiceOds: client.organisation };
  return { kind: 'none' };
}

/** The caller `authenticate` attached; its absence is a wiring fault in pont, never the caller's. */
export function clientOf(res: Response): AuthenticatedClient {
  const client = (res.locals as { client?: AuthenticatedClient }).client;
  if (client === undefined) throw new EngineError('ENGINE_FAULT', 'input', 'a protected route ran without authentication (authenticate is not mounted before it)');
  return client;
}
