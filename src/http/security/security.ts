/**
 * The API's security put together from the configuration (`clients:`, `auth:`): the client
 * registry, the bearer-token check, pont's own token endpoint (when pont is the issuer) and the
 * SMART configuration document.
 */
import type { RequestHandler, Router } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { SyncConfig } from '../../config/sync-config.schema.js';
import type { Clock } from '../../ports/clock.js';
import type { ReplayGuard } from '../../ports/replay-guard.js';
import { durationMs } from '../../queue/pull-worker.js';
import { accessTokenIssuer, externalTokenVerifier, pontTokenVerifier } from './access-token.js';
import { authenticate } from './authenticate.js';
import { type ClientRegistry, clientRegistry } from './clients.js';
import { remoteKeySet } from './jwt-failure.js';
import { loadSigningKey, type SigningKeyIo } from './signing-key.js';
import { JWKS_PATH, smartConfigurationRouter, TOKEN_PATH, tokenRouter } from './token-endpoint.js';

export const DEFAULT_SCOPES_SUPPORTED = ['system/*.read', 'system/*.write', 'system/*.*', 'system/*.rs', 'system/*.cruds'];

export interface SecurityDeps {
  /** pont's URL as clients reach it, when `auth.publicUrl` does not say (e.g. `http://localhost:8080`). */
  readonly defaultPublicUrl: string;
  readonly replay: ReplayGuard;
  readonly clock: Pick<Clock, 'now'>;
  readonly io: SigningKeyIo;
  /** The key set published at a URL (a client's `jwksUrl`, the external issuer's JWKS). Default: fetched and cached by jose. */
  readonly keySetAt?: (url: URL) => JWTVerifyGetKey;
  readonly scopesSupported?: readonly string[];
}

export interface Security {
  readonly registry: ClientRegistry;
  /** Put before every protected route (`mountRoutes` does). */
  readonly authenticate: RequestHandler;
  /** POST /auth/token and GET /auth/jwks, when pont issues the tokens: mount at `/`. */
  readonly tokenRouter?: Router;
  /** GET /.well-known/smart-configuration: mount at `/fhir` and at `/`. */
  readonly smartConfiguration: Router;
  /** Things to say in the start log. */
  readonly notices: readonly string[];
}

export async function createSecurity(config: Pick<SyncConfig, 'clients' | 'auth'>, deps: SecurityDeps): Promise<Security> {
  const keySetAt = deps.keySetAt ?? ((url: URL) => remoteKeySet(url));
  const registry = clientRegistry(config.clients ?? [], keySetAt);
  const scopesSupported = deps.scopesSupported ?? DEFAULT_SCOPES_SUPPORTED;
  const auth = config.auth ?? { issuer: 'pont' as const, tokenLifetime: '5m' };

  if (auth.issuer === 'external') {
    const verify = externalTokenVerifier(keySetAt(new URL(auth.jwksUrl)), { issuer: auth.issuerUrl, audience: auth.audience }, deps.clock);
    return {
      registry,
      authenticate: authenticate({ verify, registry }),
      smartConfiguration: smartConfigurationRouter({ tokenUrl: auth.tokenUrl, scopesSupported }),
      notices: [],
    };
  }

  const publicUrl = (auth.publicUrl ?? deps.defaultPublicUrl).replace(/\/+$/, '');
  const tokenUrl = `${publicUrl}${TOKEN_PATH}`;
  const where = { issuer: publicUrl, audience: publicUrl };
  const key = await loadSigningKey(auth, deps.io);
  const issue = accessTokenIssuer(key, where, durationMs(auth.tokenLifetime) / 1000, deps.clock);
  return {
    registry,
    authenticate: authenticate({ verify: pontTokenVerifier(key, where, deps.clock), registry }),
    tokenRouter: tokenRouter({ registry, replay: deps.replay, issue, tokenUrl, clock: deps.clock, publicKeys: [key.publicJwk] }),
    smartConfiguration: smartConfigurationRouter({ tokenUrl, scopesSupported, issuer: publicUrl, jwksUri: `${publicUrl}${JWKS_PATH}` }),
    notices: key.generated
      ? [
          'pont made its access-token signing key at start: tokens it issues end with this process and are not accepted by other pont processes (set auth.signingKeyFile or auth.signingKeyEnv to share one)',
        ]
      : [],
  };
}
