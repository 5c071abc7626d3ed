/**
 * pont's OAuth 2.0 token endpoint for SMART Backend Services: client_credentials with a JWT
 * assertion signed RS384 or ES384 by one of the client's registered keys (private_key_jwt).
 * Answers and errors are OAuth JSON (RFC 6749 §5): a failed client authentication is 401
 * invalid_client, a bad request 400. Also pont's public key set, for anyone checking its tokens.
 */
import { createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { decodeJwt, decodeProtectedHeader, type JWK, type JWTPayload, jwtVerify } from 'jose';
import { PontError } from '../../errors/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { ReplayGuard } from '../../ports/replay-guard.js';
import { type AccessTokenIssuer, CLOCK_SKEW_S } from './access-token.js';
import type { ClientRegistry, RegisteredClient } from './clients.js';
import { refusalReason } from './jwt-failure.js';
import { covers, formatScope, parseScopeList } from './scopes.js';

export const TOKEN_PATH = '/auth/token';
export const JWKS_PATH = '/auth/jwks';
export const ASSERTION_ALGS = ['RS384', 'ES384'];
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The furthest ahead an assertion's exp may be (SMART: five minutes). */
const MAX_ASSERTION_LIFETIME_S = 300;

export interface TokenEndpointDeps {
  readonly registry: ClientRegistry;
  readonly replay: ReplayGuard;
  readonly issue: AccessTokenIssuer;
  /** This endpoint's own URL as clients reach it: the `aud` every assertion must carry. */
  readonly tokenUrl: string;
  readonly clock: Pick<Clock, 'now'>;
  /** pont's public signing keys, published at /auth/jwks. */
  readonly publicKeys: readonly JWK[];
}

type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';
interface OAuthError {
  readonly error: OAuthErrorCode;
  readonly description: string;
}
interface Grant {
  readonly clientId: string;
  readonly scope: string;
}

export function tokenRouter(deps: TokenEndpointDeps): express.Router {
  const router = express.Router();
  router.post(TOKEN_PATH, express.urlencoded({ extended: false, limit: '32kb' }), async (req: Request, res: Response, next: NextFunction) => {
    try {
      const result = await grant(req.body as unknown, deps);
      res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      if ('error' in result) return void res.status(result.error === 'invalid_client' ? 401 : 400).json({ error: result.error, error_description: result.description });
      const { accessToken, expiresIn } = await deps.issue(result.clientId, result.scope);
      res.status(200).json({ access_token: accessToken, token_type: 'bearer', expires_in: expiresIn, scope: result.scope });
    } catch (err) {
      if (err instanceof PontError && err.retryable)
        return void res.status(503).set('Retry-After', '10').json({ error: 'temporarily_unavailable', error_description: err.message });
      next(err);
    }
  });
  router.get(JWKS_PATH, (_req: Request, res: Response) => {
    res.set('Cache-Control', 'max-age=300').json({ keys: deps.publicKeys });
  });
  return router;
}

async function grant(body: unknown, deps: TokenEndpointDeps): Promise<Grant | OAuthError> {
  if (typeof body !== 'object' || body === null) return invalid('invalid_request', 'send the parameters as an application/x-www-form-urlencoded body');
  const form = body as Record<string, unknown>;
  const repeated = Object.keys(form).find((k) => typeof form[k] !== 'string');
  if (repeated !== undefined) return invalid('invalid_request', `the parameter ${safeName(repeated)} is given more than once`);
  const field = (name: string): string | undefined => (typeof form[name] === 'string' && form[name] !== '' ? (form[name] as string) : undefined);

  const grantType = field('grant_type');
  if (grantType === undefined) return invalid('invalid_request', 'grant_type is missing');
  if (grantType !== 'client_credentials') return invalid('unsupported_grant_type', 'only grant_type=client_credentials is supported');
  if (field('client_assertion_type') !== JWT_BEARER) return invalid('invalid_client', `authenticate with client_assertion_type=${JWT_BEARER} and a signed client_assertion`);
  const assertion = field('client_assertion');
  if (assertion === undefined) return invalid('invalid_client', 'client_assertion is missing');
  const requested = field('scope');
  if (requested === undefined) return invalid('invalid_request', 'scope is missing: ask for the SMART system scopes needed, e.g. system/CarePlan.rs');

  const authenticated = await authenticateClient(assertion, field('client_id'), deps);
  if ('error' in authenticated) return authenticated;

  const { scopes, problems } = parseScopeList(requested);
  if (problems.length > 0) return invalid('invalid_scope', problems.join('; '));
  if (scopes.length === 0) return invalid('invalid_scope', 'scope names no scope');
  const refused = scopes.filter((s) => !covers(authenticated.scopes, s));
  if (refused.length > 0) return invalid('invalid_scope', `this client may not be granted ${refused.map(formatScope).join(' ')}`);
  return { clientId: authenticated.id, scope: scopes.map(formatScope).join(' ') };
}

/** The client whose key signed a valid, fresh, first-use assertion meant for this endpoint. */
async function authenticateClient(assertion: string, formClientId: string | undefined, deps: TokenEndpointDeps): Promise<RegisteredClient | OAuthError> {
  let alg: unknown;
  let kid: unknown;
  let claims: JWTPayload;
  try {
    ({ alg, kid } = decodeProtectedHeader(assertion));
    claims = decodeJwt(assertion);
  } catch {
    return invalid('invalid_client', 'client_assertion is not a JWT');
  }
  if (typeof alg !== 'string' || !ASSERTION_ALGS.includes(alg)) return invalid('invalid_client', 'client_assertion must be signed with RS384 or ES384');
  if (typeof kid !== 'string' || kid === '') return invalid('invalid_client', "client_assertion's header must name its key (kid)");
  if (typeof claims.iss !== 'string' || claims.iss !== claims.sub) return invalid('invalid_client', 'client_assertion must have iss and sub both equal to the client_id');
  if (formClientId !== undefined && formClientId !== claims.iss) return invalid('invalid_client', 'client_id differs from the assertion’s iss');
  const client = deps.registry.find(claims.iss);
  if (client === undefined) return invalid('invalid_client', 'no client is registered under the assertion’s iss');

  const now = deps.clock.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, client.keys, {
      algorithms: ASSERTION_ALGS,
      issuer: client.id,
      subject: client.id,
      audience: deps.tokenUrl,
      requiredClaims: ['exp', 'jti'],
      currentDate: now,
      clockTolerance: CLOCK_SKEW_S,
    }));
  } catch (err) {
    const reason = refusalReason(err);
    if (reason === undefined) throw err;
    return invalid('invalid_client', `client_assertion was refused: ${reason}`);
  }
  const nowS = now.getTime() / 1000;
  const exp = payload.exp as number;
  if (exp > nowS + MAX_ASSERTION_LIFETIME_S + CLOCK_SKEW_S) return invalid('invalid_client', 'client_assertion expires more than five minutes ahead');
  const jti = payload.jti;
  if (typeof jti !== 'string' || jti === '') return invalid('invalid_client', "client_assertion's jti must be a non-empty string");
  // Held until the assertion could no longer pass the exp check.
  const key = createHash('sha256').update(client.id).update('\0').update(jti).digest('hex');
  if (!(await deps.replay.firstUse(key, (exp - nowS + CLOCK_SKEW_S) * 1000))) return invalid('invalid_client', 'client_assertion was used before (its jti is not new)');
  return client;
}

function invalid(error: OAuthErrorCode, description: string): OAuthError {
  return { error, description };
}

/** A parameter name in a message: only as much of it as is plainly a name. */
function safeName(name: string): string {
  return /^[a-z_]{1,40}$/.test(name) ? name : '(a parameter)';
}

export interface SmartConfigurationOptions {
  readonly tokenUrl: string;
  /** The SMART system scopes pont understands, announced to clients. */
  readonly scopesSupported: readonly string[];
  /** pont's own issuer and key set, when pont issues the tokens. */
  readonly issuer?: string;
  readonly jwksUri?: string;
}

/**
 * GET /.well-known/smart-configuration: open (clients read it before they have a token). SMART
 * places it under the FHIR base: mount this router at /fhir, and at / for clients that look there.
 */
export function smartConfigurationRouter(options: SmartConfigurationOptions): express.Router {
  const body = {
    ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
    ...(options.jwksUri !== undefined ? { jwks_uri: options.jwksUri } : {}),
    token_endpoint: options.tokenUrl,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    scopes_supported: options.scopesSupported,
    capabilities: ['client-confidential-asymmetric', 'permission-v1', 'permission-v2'],
  };
  const router = express.Router();
  router.get('/.well-known/smart-configuration', (_req: Request, res: Response) => {
    res.set('Cache-Control', 'max-age=3600').json(body);
  });
  return router;
}
