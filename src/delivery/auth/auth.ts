/**
 * How pont proves itself to a target: no credentials, a bearer token from an environment
 * variable, or OAuth2 client credentials. Secrets are looked up by the names the configuration
 * gives; a missing one is a ConfigError naming the variable, never showing a value.
 */
import type { FhirTargetConfig } from '../../config/sync-config.schema.js';
import { ConfigError } from '../../errors/errors.js';
import type { AuthDeps, Authenticator } from './authenticator.js';
import { clientCredentials } from './oauth2-client-credentials.js';

export type AuthConfig = FhirTargetConfig['auth'];

export type { AuthDeps, Authenticator, EnvLookup } from './authenticator.js';

export function createAuthenticator(config: AuthConfig, deps: AuthDeps): Authenticator {
  switch (config.type) {
    case 'none':
      return { authorization: async () => undefined, renew: () => false };
    case 'bearer': {
      const header = `Bearer ${secret(deps, config.tokenEnv)}`;
      return { authorization: async () => header, renew: () => false };
    }
    case 'oauth2-client-credentials':
      return clientCredentials({ ...config, clientSecret: secret(deps, config.clientSecretEnv) }, deps);
  }
}

function secret(deps: AuthDeps, name: string): string {
  const value = deps.env(name);
  if (value === undefined || value === '') throw new ConfigError(`target ${deps.targetId}: the environment variable ${name} (its credentials) is not set`);
  return value;
}
