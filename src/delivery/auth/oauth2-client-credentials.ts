/**
 * OAuth2 client credentials (RFC 6749 §4.4): a token from the token endpoint, kept until shortly
 * before it expires and fetched once at a time however many deliveries ask for it.
 */
import { DeliveryError } from '../../errors/errors.js';
import type { AuthDeps, Authenticator } from './authenticator.js';
import { networkCode } from './network-code.js';

export interface ClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string | undefined;
}

/** A token is dropped this long before the expiry the endpoint gave, so it does not lapse in flight. */
const EXPIRY_MARGIN_MS = 30_000;

interface Token {
  readonly header: string;
  readonly until: number;
}

export function clientCredentials(credentials: ClientCredentials, deps: AuthDeps): Authenticator {
  let token: Token | undefined;
  let pending: Promise<Token> | undefined;
  const doFetch = deps.fetch ?? fetch;

  async function fetchToken(): Promise<Token> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret });
    if (credentials.scope !== undefined) form.set('scope', credentials.scope);
    const what = `target ${deps.targetId}: the token endpoint`;
    let response: Response;
    try {
      response = await doFetch(credentials.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
    } catch (err) {
      throw new DeliveryError('DELIVERY_UNAVAILABLE', `${what} did not answer (${networkCode(err)})`, true, undefined, { cause: err });
    }
    if (!response.ok) {
      const retryable = response.status >= 500 || response.status === 429;
      throw new DeliveryError(retryable ? 'DELIVERY_UNAVAILABLE' : 'DELIVERY_REFUSED', `${what} answered ${response.status}`, retryable);
    }
    const body = (await response.json().catch(() => undefined)) as { access_token?: unknown; expires_in?: unknown; token_type?: unknown } | undefined;
    if (typeof body?.access_token !== 'string' || body.access_token === '') {
      throw new DeliveryError('DELIVERY_REFUSED', `${what} answered without an access_token`, false);
    }
    const lifetimeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 0;
    return { header: `Bearer ${body.access_token}`, until: deps.clock.now().getTime() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS) };
  }

  return {
    async authorization() {
      if (token && deps.clock.now().getTime() < token.until) return token.header;
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      token = await pending;
      return token.header;
    },
    renew() {
      token = undefined;
      return true;
    },
  };
}
