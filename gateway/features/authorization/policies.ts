/**
 * What roles mean to the authorization directives: the scopes each role implies (a caller's
 * effective scopes are its token's `scope` claim plus these), and the named policies `@policy`
 * refers to. Both are configurable: `GATEWAY_ROLE_SCOPES` replaces the table, and a library user
 * registers more policies with `authorizationFeature({ policies })`.
 */
import { ROLES } from '../../../common/identity';
import type { Caller, Role } from '../../../common/identity';

/** A named policy: true when the caller satisfies it. Must be fast and must not throw. */
export type Policy = (caller: Caller) => boolean;

/** The read scope of each system, as `@requiresScopes` names it. */
export const READ_SCOPES = ['documents:read', 'dossiers:read', 'budgets:read', 'land:read', 'mail:read'];

/**
 * Scopes implied by role. Officials, analysts and admins read every system (row-level rules inside
 * the subgraphs then narrow what they see); citizens read dossiers (their own, by the subgraph's
 * rule); partners get only the scopes in their token; anonymous callers none.
 */
export const DEFAULT_ROLE_SCOPES: Readonly<Record<Role, readonly string[]>> = Object.freeze({
  anonymous: [],
  citizen: ['dossiers:read'],
  official: READ_SCOPES,
  analyst: READ_SCOPES,
  partner: [],
  admin: READ_SCOPES,
});

/** Built-in policies: one per role, and `staff` (officials, analysts and admins). */
export const BUILTIN_POLICIES: Readonly<Record<string, Policy>> = Object.freeze({
  official: (c) => c.role === 'official' && c.agencyCode !== null,
  admin: (c) => c.role === 'admin',
  analyst: (c) => c.role === 'analyst',
  citizen: (c) => c.role === 'citizen' && c.citizenId !== null,
  partner: (c) => c.role === 'partner',
  staff: (c) => c.role === 'official' || c.role === 'analyst' || c.role === 'admin',
});

/**
 * Parses `GATEWAY_ROLE_SCOPES`: `role=scope scope;role=scope`, e.g.
 * `official=documents:read dossiers:read;citizen=dossiers:read`. Roles not named imply no scopes.
 * Returns an error message instead of throwing.
 */
export function parseRoleScopes(raw: string): Record<Role, readonly string[]> | string {
  const table = Object.fromEntries(ROLES.map((r) => [r, [] as string[]])) as Record<Role, string[]>;
  for (const part of raw.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const role = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!(ROLES as readonly string[]).includes(role))
      return `"${role}" is not a role (${ROLES.join(', ')}); write role=scope scope;role=scope`;
    if (eq === -1) return `"${part.trim()}" has no "=": write role=scope scope;role=scope`;
    table[role as Role] = part
      .slice(eq + 1)
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  return table;
}

/** A caller's effective scopes: the token's `scope` claim and the scopes its role implies. */
export function effectiveScopes(
  caller: Caller,
  roleScopes: Readonly<Record<Role, readonly string[]>>,
): ReadonlySet<string> {
  return new Set([...caller.scopes, ...(roleScopes[caller.role] ?? [])]);
}
