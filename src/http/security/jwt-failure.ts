/**
 * Why jose refused a JWT, in words for the caller; and key sets whose fetch failures are told
 * apart from refusals. A failure that is not about the token itself is never worded as a refusal.
 */
import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { KeySetError } from '../../errors/errors.js';

/** The reason a token was refused, or undefined when `err` is not a refusal (a fault, to pass on). */
export function refusalReason(err: unknown): string | undefined {
  if (err instanceof errors.JWTExpired) return 'it has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return 'it is not valid yet (nbf)';
    if (err.claim === 'iat') return 'it was issued in the future (iat)';
    return err.reason === 'missing' ? `its ${err.claim} claim is missing` : `its ${err.claim} claim is not the expected one`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (err instanceof errors.JWKSNoMatchingKey) return 'no registered key matches its header (kid, alg)';
  if (err instanceof errors.JWKSMultipleMatchingKeys) return 'several registered keys match its header: name one with kid';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'its signing algorithm is not allowed';
  if (err instanceof errors.JOSENotSupported) return 'its signing algorithm or key type is not supported';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'it is not a well-formed signed JWT';
  return undefined;
}

/** Key refusals pass through as they are; anything else about a remote key set is its fetch failing. */
const REFUSALS = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_NOT_SUPPORTED', 'ERR_JOSE_ALG_NOT_ALLOWED']);

/** The key set published at `url`, its fetch failures turned into a retryable KeySetError. */
export function remoteKeySet(url: URL, fetchKeys: (url: URL) => JWTVerifyGetKey = (u) => createRemoteJWKSet(u)): JWTVerifyGetKey {
  const keys = fetchKeys(url);
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (err) {
      if (err instanceof errors.JOSEError && REFUSALS.has(err.code)) throw err;
      throw new KeySetError(`the key set at ${url.origin}${url.pathname} could not be fetched or read`, { cause: err });
    }
  };
}
