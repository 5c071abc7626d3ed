/**
 * The registered API clients (from the configuration's `clients:`), found by client_id, each
 * with the role, what it may be granted and the keys its assertions are checked with.
 */
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { ClientConfig, ClientRole } from '../../config/sync-config.schema.js';
import { parseScope, type Scope } from './scopes.js';

export interface RegisteredClient {
  readonly id: string;
  readonly role: ClientRole;
  /** source-epr: the source it may ingest as. */
  readonly source?: string;
  /** gp-system: its practice's ODS code. */
  readonly organisation?: string;
  /** The most it may be granted. */
  readonly scopes: readonly Scope[];
  /** Finds the public key an assertion names (kid, alg) among the client's keys. */
  readonly keys: JWTVerifyGetKey;
}

export interface ClientRegistry {
  find(id: string): RegisteredClient | undefined;
  readonly all: readonly RegisteredClient[];
}

/**
 * @param keySetAt - The key set a client publishes at a URL (`jwksUrl`); production passes
 *   `remoteKeySet`, tests a local set.
 */
export function clientRegistry(configs: readonly ClientConfig[], keySetAt: (url: URL) => JWTVerifyGetKey): ClientRegistry {
  const all = configs.map((c): RegisteredClient => {
    const scopes = c.scopes.map((text) => {
      const parsed = parseScope(text);
      if (!parsed.ok) throw new RangeError(`client ${c.id}: ${parsed.problem}`); // the configuration's schema checked them
      return parsed.scope;
    });
    const keys = c.jwks !== undefined ? createLocalJWKSet(c.jwks as unknown as JSONWebKeySet) : keySetAt(new URL(c.jwksUrl ?? ''));
    return {
      id: c.id,
      role: c.role,
      ...(c.role === 'source-epr' ? { source: c.source, ...(c.organisation === undefined ? {} : { organisation: c.organisation }) } : {}),
      ...(c.role === 'gp-system' ? { organisation: c.organisation } : {}),
      scopes,
      keys,
    };
  });
  const byId = new Map(all.map((c) => [c.id, c]));
  return { find: (id) => byId.get(id), all };
}
