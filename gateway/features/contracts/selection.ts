/**
 * Which contract serves a request: the one the partner token's agency or one of its scopes is given
 * (by the contracts' own `partners`, with `GATEWAY_PARTNER_CONTRACTS` overriding them), else the one
 * its path names (`/graphql/contracts/<name>`).
 */
import type { Caller } from '../../../common/identity';
import type { ContractDefinitions } from '../../../schema/contracts';

export interface PartnerContracts {
  readonly byAgency: ReadonlyMap<string, string>;
  readonly byScope: ReadonlyMap<string, string>;
}

/**
 * `GATEWAY_PARTNER_CONTRACTS`: comma-separated `<agency code>=<contract>` or
 * `scope:<scope>=<contract>`; returns the problem as a string.
 */
export function parsePartnerContracts(raw: string, known: ReadonlySet<string>): PartnerContracts | string {
  const byAgency = new Map<string, string>();
  const byScope = new Map<string, string>();
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.lastIndexOf('=');
    const key = eq > 0 ? entry.slice(0, eq).trim() : '';
    const contract = eq > 0 ? entry.slice(eq + 1).trim() : '';
    if (!key || !contract) return `"${entry}" must be <agency code>=<contract> or scope:<scope>=<contract>`;
    if (!known.has(contract)) return `"${entry}": no contract named "${contract}" in GATEWAY_CONTRACTS`;
    if (key.startsWith('scope:')) byScope.set(key.slice('scope:'.length), contract);
    else byAgency.set(key, contract);
  }
  return { byAgency, byScope };
}

/**
 * The partners of `definitions` (each contract's `partners`), then `GATEWAY_PARTNER_CONTRACTS`'
 * entries over them: for an agency or a scope both name, the setting wins (an operator's local
 * decision, e.g. during an incident). Returns the problem as a string, e.g. when the setting names a
 * contract the definitions do not have.
 */
export function servedPartners(definitions: ContractDefinitions, setting: string): PartnerContracts | string {
  const local = parsePartnerContracts(setting, new Set(Object.keys(definitions)));
  if (typeof local === 'string') return local;
  const byAgency = new Map<string, string>();
  const byScope = new Map<string, string>();
  for (const [name, { partners }] of Object.entries(definitions))
    for (const p of partners)
      if (p.startsWith('scope:')) byScope.set(p.slice('scope:'.length), name);
      else byAgency.set(p, name);
  for (const [k, v] of local.byAgency) byAgency.set(k, v);
  for (const [k, v] of local.byScope) byScope.set(k, v);
  return { byAgency, byScope };
}

/** The contract a partner caller is given, if any: its agency's first, then its scopes' in order. */
export function partnerContract(caller: Caller | undefined, map: PartnerContracts): string | undefined {
  if (!caller || caller.role !== 'partner') return undefined;
  const byAgency = caller.agencyCode ? map.byAgency.get(caller.agencyCode) : undefined;
  if (byAgency) return byAgency;
  for (const scope of caller.scopes) {
    const c = map.byScope.get(scope);
    if (c) return c;
  }
  return undefined;
}
