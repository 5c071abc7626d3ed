/**
 * Authorisation for one route: the caller's role must allow the action (roles.ts), a source
 * must act as itself, and the token's scopes must grant the interactions on the resource type.
 * A refusal is 403 with an OperationOutcome. Which people a read may reach is not decided here:
 * handlers filter by `patientScopeOf`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { EngineError } from '../../errors/errors.js';
import { problem } from '../outcome.js';
import { clientOf } from './access.js';
import { REALM } from './authenticate.js';
import { ACTION_SCOPES, type Action, reachOf } from './roles.js';
import { type Permission, permits } from './scopes.js';

const FHIR_JSON = 'application/fhir+json';

export interface PermissionOptions {
  /** The resource type acted on: fixed, or read from the request (e.g. `req.params.type`). Default: the action's own, else `*` (every type). */
  readonly resourceType?: string | ((req: Request) => string | undefined);
  /** The interactions needed, in place of the action's default. */
  readonly permissions?: readonly Permission[];
  /**
   * For an action a source may take only as itself: where the request names the source
   * (default `req.params.source`), or `handler` when the handler compares the stored data's
   * source with `res.locals.client.source` itself (e.g. a message looked up by id).
   */
  readonly source?: ((req: Request) => string | undefined) | 'handler';
}

export function requirePermission(action: Action, options: PermissionOptions = {}): RequestHandler {
  const needed = options.permissions ?? ACTION_SCOPES[action].permissions;
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      const client = clientOf(res);
      const reach = reachOf(client.role, action);
      if (reach === 'none') return forbid(res, `a ${client.role} client may not ${action}`);
      if (reach === 'own-source' && options.source !== 'handler') {
        const named = options.source !== undefined ? options.source(req) : req.params.source;
        if (typeof named !== 'string') throw new EngineError('ENGINE_FAULT', 'input', `the route for ${action} does not say which source it acts for`);
        if (named !== client.source) return forbid(res, `this client may ${action} only as its own source`);
      }
      const type = (typeof options.resourceType === 'function' ? options.resourceType(req) : options.resourceType) ?? ACTION_SCOPES[action].resourceType ?? '*';
      const missing = needed.filter((p) => !permits(client.scopes, type, p));
      if (missing.length > 0) {
        res.set('WWW-Authenticate', `Bearer realm="${REALM}", error="insufficient_scope"`);
        return forbid(res, `the access token's scopes do not grant ${missing.join('')} on ${type === '*' ? 'every resource type (*)' : type}`);
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

function forbid(res: Response, reason: string): void {
  res.status(403).type(FHIR_JSON).json(problem('forbidden', reason));
}
