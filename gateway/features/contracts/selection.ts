/**
 * Which contract serves a request: the one its path names (`/graphql/contracts/<name>`), else the
 * one the partner token's agency or one of its scopes is given by `GATEWAY_PARTNER_CONTRACTS`.
 */
import type { Caller } from '../../../common/identity';

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
    if (!known.has(contract)) return `"${entry}": no contract named "${contract}" in the contracts file`;
    if (key.startsWith('scope:')) byScope.set(key.slice('scope:'.length), contract);
    else byAgency.set(key, contract);
  }
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
