/**
 * What a caller can reach in a supergraph, judged by the gateway's own reading of the authorization
 * directives (gateway/features/authorization/requirements.ts): starting at the root types, every field whose
 * requirements the caller meets is reachable, and so is every field of the type it returns; through an
 * interface or a union, every possible type is entered (`... on T`), since a query may spread any of
 * them. Entity fields that several subgraphs contribute are one type in the supergraph, so every
 * route through another subgraph's type is walked too. Used by test/access-policy.unit.test.ts to
 * hold the supergraph to docs/access-policy.json.
 */
import {
  buildASTSchema,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  parse,
} from 'graphql';
import type { GraphQLCompositeType, GraphQLField, GraphQLSchema } from 'graphql';
import {
  BUILTIN_POLICIES,
  DEFAULT_ROLE_SCOPES,
  effectiveScopes,
} from '../../gateway/features/authorization/policies';
import {
  FieldRequirements,
  allows,
  grantFor,
  readRequirements,
} from '../../gateway/features/authorization/requirements';
import type { Caller } from '../../common/identity';

/** A reachable field, by coordinate, with the first (shortest) route found to it. */
export interface Reached {
  readonly coordinate: string;
  /** e.g. `Query.document › Document.signer › Signer.official` (`… on T` where a type is spread). */
  readonly path: string;
}

const hidden = (node: { astNode?: { directives?: readonly { name: { value: string } }[] } | null }) =>
  node.astNode?.directives?.some((d) => d.name.value === 'inaccessible') ?? false;

/** The supergraph as graphql-js reads it (join and link types included, unreached from the roots). */
export function supergraphSchema(sdl: string): GraphQLSchema {
  return buildASTSchema(parse(sdl), { assumeValidSDL: true });
}

/** Every field `caller` reaches from the root types of `sdl`, breadth first (shortest route kept). */
export function reachableFields(sdl: string, caller: Caller): Map<string, Reached> {
  const schema = supergraphSchema(sdl);
  const fields = new FieldRequirements(schema, readRequirements(sdl));
  const grant = grantFor(caller, effectiveScopes(caller, DEFAULT_ROLE_SCOPES), BUILTIN_POLICIES);
  const reached = new Map<string, Reached>();
  const entered = new Set<string>();
  const queue: { type: GraphQLCompositeType; path: string }[] = [];
  const enter = (type: GraphQLCompositeType, path: string) => {
    if (entered.has(type.name) || hidden(type)) return;
    entered.add(type.name);
    queue.push({ type, path });
  };
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()])
    if (root) enter(root, '');
  while (queue.length > 0) {
    const { type, path } = queue.shift()!;
    if (isAbstractType(type))
      for (const possible of schema.getPossibleTypes(type)) enter(possible, `${path} … on ${possible.name}`);
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      if (hidden(field)) continue;
      if (!fields.of(type, field).every((r) => allows(r, grant))) continue;
      const coordinate = `${type.name}.${field.name}`;
      const here = path === '' ? coordinate : `${path} › ${coordinate}`;
      if (!reached.has(coordinate)) reached.set(coordinate, { coordinate, path: here });
      const named = getNamedType(field.type);
      if (isCompositeType(named)) enter(named, here);
    }
  }
  return reached;
}
