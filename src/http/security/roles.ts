/**
 * What each client role may do, and how far: the one table the API's authorisation and its
 * route × role matrix test are both read from.
 *
 * - A source EPR ingests only as its own source, sees the status of its own messages and may
 *   dry-run ($check) what it is about to send. It does not read or search the shared records:
 *   it holds its own, and the merged record carries what other services wrote (minimum necessary).
 * - A GP system reads, searches and subscribes to its registered patients only.
 * - A regulator reads, searches and exports everything, and never writes.
 * - An admin reads, searches and exports everything, sees every message's status, and alone
 *   manages dead letters and reads the audit trail. It ingests nothing (only a source does) and
 *   subscribes to nothing: a Subscription sends a system its own patients' plans, and an admin has none.
 * - Every client may read the API's own description (/openapi.json); only the liveness probe
 *   and the FHIR CapabilityStatement are open to callers without a token.
 * - $check stores nothing and answers only about the data sent: it is for whoever sends data
 *   (a source EPR) and for admins; regulators and GP systems send none.
 */
import { CLIENT_ROLES, type ClientRole } from '../../config/sync-config.schema.js';
import type { Permission } from './scopes.js';

export type Role = ClientRole;
export const ROLES: readonly Role[] = CLIENT_ROLES;

export const ACTIONS = ['describe', 'ingest', 'status', 'check', 'read', 'search', 'export', 'subscribe', 'admin'] as const;
export type Action = (typeof ACTIONS)[number];

/** How far a role may take an action: not at all, for its own source's data, for its practice's registered patients, or for everyone. */
export type Reach = 'none' | 'own-source' | 'registered-patients' | 'all';

export const ROLE_TABLE: Readonly<Record<Role, Readonly<Record<Action, Reach>>>> = {
  'source-epr': {
    describe: 'all',
    ingest: 'own-source',
    status: 'own-source',
    check: 'all',
    read: 'none',
    search: 'none',
    export: 'none',
    subscribe: 'own-source',
    admin: 'none',
  },
  'gp-system': {
    describe: 'all',
    ingest: 'none',
    status: 'none',
    check: 'none',
    read: 'registered-patients',
    search: 'registered-patients',
    export: 'none',
    subscribe: 'registered-patients',
    admin: 'none',
  },
  regulator: { describe: 'all', ingest: 'none', status: 'none', check: 'none', read: 'all', search: 'all', export: 'all', subscribe: 'none', admin: 'none' },
  admin: { describe: 'all', ingest: 'none', status: 'all', check: 'all', read: 'all', search: 'all', export: 'all', subscribe: 'none', admin: 'all' },
};

/**
 * The SMART scope an action needs besides the role: the interactions, on the resource type the
 * route names (or `*`, every type, when it names none). Actions on no FHIR resource need none.
 */
export const ACTION_SCOPES: Readonly<Record<Action, { readonly permissions: readonly Permission[]; readonly resourceType?: string }>> = {
  describe: { permissions: [] },
  ingest: { permissions: ['c', 'u'] },
  status: { permissions: [] },
  check: { permissions: [] },
  read: { permissions: ['r'] },
  search: { permissions: ['s'] },
  export: { permissions: ['r', 's'] },
  subscribe: { permissions: ['c'], resourceType: 'Subscription' },
  admin: { permissions: [] },
};

export function reachOf(role: Role, action: Action): Reach {
  return ROLE_TABLE[role][action];
}
