/**
 * The API's routes declared as data: each with the action it takes (or `open`), so that the app
 * mounts its routes from this list (a route cannot be added without saying who may use it) and a
 * test can check every route × role against the role table.
 */
import type { RequestHandler, Router } from 'express';
import { type PermissionOptions, requirePermission } from './require-permission.js';
import { type Action, ROLES, type Role, reachOf } from './roles.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface RouteRule {
  readonly method: HttpMethod;
  /** An express path, e.g. `/fhir/:type/:id`. */
  readonly path: string;
  /** `open`: no token needed (only /healthz, /fhir/metadata, the token endpoint and the SMART configuration). */
  readonly permission: Action | 'open';
  readonly options?: PermissionOptions;
}

export interface MatrixCell {
  readonly rule: RouteRule;
  readonly role: Role;
  /** Whether the role may use the route at all (for some of its data: its own source, its patients). */
  readonly allowed: boolean;
}

/** Every route × every role, allowed or denied by the role table. */
export function routeMatrix(rules: readonly RouteRule[]): MatrixCell[] {
  return rules.flatMap((rule) => ROLES.map((role) => ({ rule, role, allowed: rule.permission === 'open' || reachOf(role, rule.permission) !== 'none' })));
}

/**
 * Mounts each rule on `router`: its authentication and permission check, then its handlers.
 * Throws at start when a rule has no handlers.
 */
export function mountRoutes(
  router: Router,
  rules: readonly RouteRule[],
  authenticate: RequestHandler,
  handlersFor: (rule: RouteRule) => readonly RequestHandler[] | undefined,
): void {
  for (const rule of rules) {
    const handlers = handlersFor(rule);
    if (handlers === undefined || handlers.length === 0) throw new RangeError(`no handler for ${rule.method} ${rule.path}`);
    const guards = rule.permission === 'open' ? [] : [authenticate, requirePermission(rule.permission, rule.options)];
    const method = rule.method.toLowerCase() as Lowercase<HttpMethod>;
    router[method](rule.path, ...guards, ...handlers);
  }
}
