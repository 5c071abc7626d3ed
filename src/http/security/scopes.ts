/**
 * SMART resource scopes, v1 (`system/CarePlan.read`, `system/*.write`, `system/*.*`) and v2
 * (`system/CarePlan.rs`, `system/*.cruds`), as one model: a context, a resource type (or `*`)
 * and the interactions granted. v1 `read` is v2 `rs`, `write` is `cud`, `*` is `cruds`.
 * Granular v2 scopes (`…?category=…`) are refused: pont does not filter by search parameters.
 */

/** The v2 permission letters, in the order SMART writes them. */
export const PERMISSIONS = ['c', 'r', 'u', 'd', 's'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const SCOPE_CONTEXTS = ['patient', 'user', 'system'] as const;
export type ScopeContext = (typeof SCOPE_CONTEXTS)[number];

export interface Scope {
  readonly context: ScopeContext;
  /** A FHIR resource type, or `*` for every type. */
  readonly resourceType: string;
  /** Granted interactions, without repeats, in `cruds` order. */
  readonly permissions: readonly Permission[];
  /** How the scope was written, so that it is given back the same way. */
  readonly syntax: 'v1' | 'v2';
}

export type ScopeParse = { readonly ok: true; readonly scope: Scope } | { readonly ok: false; readonly problem: string };

const V1_PERMISSIONS = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ['c', 'r', 'u', 'd', 's'] } as const satisfies Record<string, readonly Permission[]>;
type V1Word = keyof typeof V1_PERMISSIONS;

const SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{0,63})\.([^?]+)(\?.*)?$/;
const V2_LETTERS = /^c?r?u?d?s?$/;

export function parseScope(text: string): ScopeParse {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  const m = SCOPE.exec(text);
  if (m === null) return { ok: false, problem: `"${shown}" is not a SMART resource scope such as system/CarePlan.rs or system/*.read` };
  const [, context, resourceType, access, granular] = m as unknown as [string, ScopeContext, string, string, string | undefined];
  if (granular !== undefined) return { ok: false, problem: `"${shown}" is a granular scope (with ?parameters), which pont does not support: ask for the whole type` };
  if (Object.hasOwn(V1_PERMISSIONS, access)) return { ok: true, scope: { context, resourceType, permissions: V1_PERMISSIONS[access as V1Word], syntax: 'v1' } };
  if (access === '' || !V2_LETTERS.test(access))
    return { ok: false, problem: `"${shown}" has neither read, write or * (SMART v1) nor the letters c, r, u, d, s in that order (SMART v2)` };
  return { ok: true, scope: { context, resourceType, permissions: [...access] as Permission[], syntax: 'v2' } };
}

/** A scope written out: v1 when it was read as v1 and v1 can say it, v2 otherwise. */
export function formatScope(scope: Scope): string {
  const v1 = scope.syntax === 'v1' ? (Object.keys(V1_PERMISSIONS) as V1Word[]).find((w) => samePermissions(V1_PERMISSIONS[w], scope.permissions)) : undefined;
  const letters = PERMISSIONS.filter((p) => scope.permissions.includes(p)).join('');
  return `${scope.context}/${scope.resourceType}.${v1 ?? letters}`;
}

/** A space-separated scope list (the OAuth `scope` parameter): every scope, and a problem per scope that is not one. */
export function parseScopeList(text: string): { readonly scopes: Scope[]; readonly problems: string[] } {
  const scopes: Scope[] = [];
  const problems: string[] = [];
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const parsed = parseScope(word);
    if (parsed.ok) scopes.push(parsed.scope);
    else problems.push(parsed.problem);
  }
  return { scopes, problems };
}

/** Whether the scopes grant `permission` on `resourceType` in `context`; only a `*` scope grants on `*` (every type). */
export function permits(scopes: readonly Scope[], resourceType: string, permission: Permission, context: ScopeContext = 'system'): boolean {
  return scopes.some((s) => s.context === context && (s.resourceType === '*' || s.resourceType === resourceType) && s.permissions.includes(permission));
}

/** Whether everything `requested` grants is granted by `granted` (taken together). */
export function covers(granted: readonly Scope[], requested: Scope): boolean {
  return requested.permissions.every((p) => permits(granted, requested.resourceType, p, requested.context));
}

function samePermissions(a: readonly Permission[], b: readonly Permission[]): boolean {
  return a.length === b.length && a.every((p) => b.includes(p));
}
