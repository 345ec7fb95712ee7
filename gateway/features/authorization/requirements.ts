/**
 * Authorization requirements as the supergraph states them: `@authenticated`, `@requiresScopes` and
 * `@policy` on fields, and on types (object, interface, scalar, enum), where they apply to every
 * field returning the type. Read once when the gateway loads the supergraph.
 */
import { getNamedType, isInterfaceType } from 'graphql';
import type { GraphQLField, GraphQLNamedType, GraphQLSchema } from 'graphql';
import { directiveUses, featureOf, linkedDirectiveName, parseSupergraph } from '../../supergraphLinks';
import type { Caller } from '../../../common/identity';

export const SECURITY_FEATURES = [
  'https://specs.apollo.dev/authenticated',
  'https://specs.apollo.dev/requiresScopes',
  'https://specs.apollo.dev/policy',
] as const;

/** One directive's requirement. `anyOf` is an OR of ANDs, as the directives spell it. */
export type Requirement =
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'scopes'; readonly anyOf: readonly (readonly string[])[] }
  | { readonly kind: 'policy'; readonly anyOf: readonly (readonly string[])[] };

export interface SupergraphRequirements {
  /** By coordinate: `Type.field` for fields, `Type` for types. */
  readonly byCoordinate: ReadonlyMap<string, readonly Requirement[]>;
  /** Every policy name the supergraph uses. */
  readonly policies: ReadonlySet<string>;
}

function orOfAnds(value: unknown): string[][] {
  if (!Array.isArray(value)) return [];
  return value.map((and) =>
    Array.isArray(and) ? and.filter((s): s is string => typeof s === 'string') : [],
  );
}

/** The requirements a supergraph states (empty when it links none of the security features). */
export function readRequirements(sdl: string): SupergraphRequirements {
  const document = parseSupergraph(sdl);
  const byCoordinate = new Map<string, Requirement[]>();
  const policies = new Set<string>();
  const add = (coordinate: string, requirement: Requirement) => {
    const list = byCoordinate.get(coordinate) ?? [];
    list.push(requirement);
    byCoordinate.set(coordinate, list);
  };
  const [authenticatedBase, scopesBase, policyBase] = SECURITY_FEATURES;
  const authenticated = linkedDirectiveName(document, authenticatedBase, 'authenticated');
  if (authenticated)
    for (const use of directiveUses(document, authenticated)) add(use.coordinate, { kind: 'authenticated' });
  const scopes = linkedDirectiveName(document, scopesBase, 'requiresScopes');
  if (scopes)
    for (const use of directiveUses(document, scopes))
      add(use.coordinate, { kind: 'scopes', anyOf: orOfAnds(use.args.scopes) });
  const policy = linkedDirectiveName(document, policyBase, 'policy');
  if (policy)
    for (const use of directiveUses(document, policy)) {
      const anyOf = orOfAnds(use.args.policies);
      for (const and of anyOf) for (const name of and) policies.add(name);
      add(use.coordinate, { kind: 'policy', anyOf });
    }
  return { byCoordinate, policies };
}

/** What a caller is, for the requirements: its effective scopes and the policies it satisfies. */
export interface Grant {
  readonly authenticated: boolean;
  hasScope(scope: string): boolean;
  satisfies(policy: string): boolean;
}

export function allows(requirement: Requirement, grant: Grant): boolean {
  switch (requirement.kind) {
    case 'authenticated':
      return grant.authenticated;
    case 'scopes':
      return requirement.anyOf.some((and) => and.every((s) => grant.hasScope(s)));
    case 'policy':
      return requirement.anyOf.some((and) => and.every((p) => grant.satisfies(p)));
  }
}

/** A caller's grant, from its effective scopes and the registered policies. */
export function grantFor(
  caller: Caller,
  scopes: ReadonlySet<string>,
  policies: Readonly<Record<string, (caller: Caller) => boolean>>,
): Grant {
  const memo = new Map<string, boolean>();
  return {
    authenticated: caller.role !== 'anonymous',
    hasScope: (s) => scopes.has(s),
    satisfies(p) {
      let ok = memo.get(p);
      if (ok === undefined) memo.set(p, (ok = policies[p]?.(caller) === true));
      return ok;
    },
  };
}

/**
 * The requirements of one field as the API schema sees it: the field's own, those of the type it
 * returns and those of the type it is selected on; for a field selected on an interface, also those
 * of the same field and of the type on every implementation, so an interface cannot be used to
 * bypass them (composition lifts field requirements onto the interface field too). A field selected
 * on an object type (`... on File { label }`) is judged by that type's field and that type. The type
 * it is selected on matters when no field returning it was asked: a type spread from a union or an
 * interface (`... on Vault { label }` on `[Any!]`) keeps its own requirements. Indexed per schema on
 * first use.
 */
export class FieldRequirements {
  private readonly cache = new Map<string, readonly Requirement[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly stated: SupergraphRequirements,
  ) {}

  get empty(): boolean {
    return this.stated.byCoordinate.size === 0;
  }

  of(parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>): readonly Requirement[] {
    const key = `${parent.name}.${field.name}`;
    let found = this.cache.get(key);
    if (found) return found;
    const all: Requirement[] = [];
    const take = (coordinate: string) => all.push(...(this.stated.byCoordinate.get(coordinate) ?? []));
    take(key);
    take(getNamedType(field.type).name);
    take(parent.name);
    if (isInterfaceType(parent))
      for (const impl of this.schema.getPossibleTypes(parent)) {
        take(`${impl.name}.${field.name}`);
        take(impl.name);
      }
    found = all;
    this.cache.set(key, found);
    return found;
  }
}

/**
 * The supergraph with `for: SECURITY` dropped from the links of the given features: @apollo/gateway
 * refuses to load a supergraph with a SECURITY feature it does not implement, so the feature that
 * does implement it says so by demoting the link (the directives stay; the API schema never had them).
 */
export function demoteSecurityLinks(sdl: string, featureBases: readonly string[]): string {
  return sdl.replace(/@link\(([^)]*)\)/g, (whole, inner: string) => {
    const url = /url:\s*"([^"]+)"/.exec(inner)?.[1];
    const feature = url ? featureOf(url) : undefined;
    if (!feature || !featureBases.includes(feature.base) || !/for:\s*SECURITY/.test(inner)) return whole;
    return `@link(${inner.replace(/,?\s*for:\s*SECURITY/, '')})`;
  });
}
