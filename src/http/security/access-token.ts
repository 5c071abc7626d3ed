/**
 * Access tokens: issued by pont (a JWT signed with its own key) or by an external authorisation
 * server, and checked on every API call: signature, algorithm, exp/nbf, iss and aud. What a token
 * says about its client is only its id and scopes; the role comes from pont's own registry.
 */
import { randomUUID } from 'node:crypto';
import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../ports/clock.js';
import { refusalReason } from './jwt-failure.js';
import type { SigningKey } from './signing-key.js';

/** Leeway for clocks that disagree a little, in seconds. */
export const CLOCK_SKEW_S = 30;
const TOKEN_TYPE = 'at+jwt';
/** Asymmetric algorithms only: never `none` nor a shared secret (HS*). */
const EXTERNAL_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface TokenAudience {
  /** The token's `iss`. */
  readonly issuer: string;
  /** The token's `aud`. */
  readonly audience: string;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
}

export type AccessTokenIssuer = (clientId: string, scope: string) => Promise<IssuedToken>;

export function accessTokenIssuer(key: SigningKey, where: TokenAudience, lifetimeSeconds: number, clock: Pick<Clock, 'now'>): AccessTokenIssuer {
  return async (clientId, scope) => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const accessToken = await new SignJWT({ scope, client_id: clientId })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: TOKEN_TYPE })
      .setIssuer(where.issuer)
      .setAudience(where.audience)
      .setSubject(clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { accessToken, expiresIn: lifetimeSeconds };
  };
}

export type TokenCheck = { readonly ok: true; readonly clientId: string; readonly scope: string } | { readonly ok: false; readonly reason: string; readonly expired: boolean };

/** Checks a bearer token; rejects only on a fault (an issuer's keys unreachable), never for a bad token. */
export type AccessTokenVerifier = (token: string) => Promise<TokenCheck>;

/** pont's own tokens: its key and algorithm, its `typ`. */
export function pontTokenVerifier(key: SigningKey, where: TokenAudience, clock: Pick<Clock, 'now'>): AccessTokenVerifier {
  return tokenVerifier(async () => key.publicKey, { ...where, algorithms: [key.alg], typ: TOKEN_TYPE }, clock);
}

/**
 * An external issuer's tokens, checked with its published keys (`remoteKeySet` of its JWKS URL,
 * or a local set in tests). The client is its `client_id` (RFC 9068), else `azp`, else `sub`.
 */
export function externalTokenVerifier(keys: JWTVerifyGetKey, where: TokenAudience, clock: Pick<Clock, 'now'>): AccessTokenVerifier {
  return tokenVerifier(keys, { ...where, algorithms: EXTERNAL_ALGS }, clock);
}

function tokenVerifier(
  keys: JWTVerifyGetKey,
  options: TokenAudience & { readonly algorithms: string[]; readonly typ?: string },
  clock: Pick<Clock, 'now'>,
): AccessTokenVerifier {
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: options.algorithms,
        issuer: options.issuer,
        audience: options.audience,
        ...(options.typ !== undefined ? { typ: options.typ } : {}),
        requiredClaims: ['exp'],
        currentDate: clock.now(),
        clockTolerance: CLOCK_SKEW_S,
      }));
    } catch (err) {
      const reason = refusalReason(err);
      if (reason === undefined) throw err;
      return { ok: false, reason: `the access token was refused: ${reason}`, expired: err instanceof errors.JWTExpired };
    }
    const clientId = [payload.client_id, payload.azp, payload.sub].find((v): v is string => typeof v === 'string' && v !== '');
    if (clientId === undefined) return { ok: false, reason: 'the access token names no client (client_id, azp or sub)', expired: false };
    const scope = typeof payload.scope === 'string' ? payload.scope : Array.isArray(payload.scp) ? payload.scp.filter((s) => typeof s === 'string').join(' ') : '';
    return { ok: true, clientId, scope };
  };
}
