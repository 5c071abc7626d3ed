/**
 * Bearer-token authentication for the API (RFC 6750): the token checked by the configured
 * verifier, its client looked up in pont's registry (the role comes from there, never from the
 * token), and the caller attached as `res.locals.client`. A refusal is 401 with WWW-Authenticate
 * and an OperationOutcome.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { PontError } from '../../errors/errors.js';
import { problem } from '../outcome.js';
import type { AuthenticatedClient } from './access.js';
import type { AccessTokenVerifier } from './access-token.js';
import type { ClientRegistry } from './clients.js';
import { covers, parseScopeList } from './scopes.js';

export const REALM = 'pont';
const FHIR_JSON = 'application/fhir+json';
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

export interface AuthenticateDeps {
  readonly verify: AccessTokenVerifier;
  readonly registry: ClientRegistry;
}

export function authenticate(deps: AuthenticateDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const token = BEARER.exec(req.get('authorization') ?? '')?.[1];
      if (token === undefined) {
        res.set('WWW-Authenticate', `Bearer realm="${REALM}"`);
        return void res.status(401).type(FHIR_JSON).json(problem('login', 'this endpoint needs a bearer access token (SMART Backend Services: POST /auth/token)'));
      }
      const checked = await deps.verify(token);
      if (!checked.ok) return refuse(res, checked.reason, checked.expired ? 'expired' : 'security');
      const registered = deps.registry.find(checked.clientId);
      if (registered === undefined) return refuse(res, 'the access token was refused: its client is not registered with pont', 'security');
      // A token grants at most what its client may be granted, whoever issued it.
      const scopes = parseScopeList(checked.scope).scopes.filter((s) => s.context === 'system' && covers(registered.scopes, s));
      const client: AuthenticatedClient = {
        id: registered.id,
        role: registered.role,
        scopes,
        ...(registered.source !== undefined ? { source: registered.source } : {}),
        ...(registered.organisation !== undefined ? { organisation: registered.organisation } : {}),
      };
      res.locals.client = client;
      next();
    } catch (err) {
      if (err instanceof PontError && err.retryable) return void res.status(503).set('Retry-After', '10').type(FHIR_JSON).json(problem('transient', err.message));
      next(err);
    }
  };
}

function refuse(res: Response, reason: string, code: 'expired' | 'security'): void {
  res.set('WWW-Authenticate', `Bearer realm="${REALM}", error="invalid_token", error_description="${reason}"`);
  res.status(401).type(FHIR_JSON).json(problem(code, reason));
}
