/**
 * Schema visibility by role: introspection (`__schema`, `__type`) and "Did you mean …?" field
 * suggestions are for the roles that build on the graph (analysts, officials, partners, admins by
 * default), so GraphiQL works for them; anonymous and citizen callers get a 400 for introspection
 * and validation errors without suggestions. `__typename` stays allowed for everyone.
 * (`GATEWAY_INTROSPECTION=false` still turns introspection off for all.)
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';
import type { DocumentNode, SelectionSetNode } from 'graphql';
import { env } from '../../common/env';
import { ROLES } from '../../common/identity';
import type { Role } from '../../common/identity';
import { ErrorCode } from '../../schema/error-codes';
import type { GatewayContext } from '../context';
import { defineFeature } from '../feature';

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** True when the document asks for `__schema` or `__type` anywhere. */
export function asksIntrospection(document: DocumentNode): boolean {
  const visit = (set: SelectionSetNode): boolean =>
    set.selections.some((sel) =>
      sel.kind === Kind.FIELD
        ? sel.name.value === '__schema' ||
          sel.name.value === '__type' ||
          (!!sel.selectionSet && visit(sel.selectionSet))
        : sel.kind === Kind.INLINE_FRAGMENT && visit(sel.selectionSet),
    );
  return document.definitions.some(
    (d) =>
      (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) && visit(d.selectionSet),
  );
}

export function schemaVisibilityPlugin(allowed: ReadonlySet<Role>): ApolloServerPlugin<GatewayContext> {
  const may = (ctx: GatewayContext) => allowed.has(ctx.identity?.role ?? 'anonymous');
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (!may(contextValue) && asksIntrospection(document)) {
            throw new GraphQLError('GraphQL introspection is not allowed for this caller', {
              extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
            });
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (may(contextValue) || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors)
            result.errors = result.errors.map((e) => {
              const message = e.message.replace(SUGGESTION, '');
              return message === e.message ? e : { ...e, message };
            });
        },
      };
    },
  };
}

function roles() {
  return env.text().transform((raw, ctx) => {
    const list = raw.split(',').map((r) => r.trim().toLowerCase());
    const bad = list.find((r) => !(ROLES as readonly string[]).includes(r));
    if (bad !== undefined)
      ctx.addIssue({ code: 'custom', message: `must list only ${ROLES.join(', ')}, got "${bad}"` });
    return new Set(list as Role[]);
  });
}

export const schemaVisibility = defineFeature({
  name: 'schema-visibility',
  env: {
    /** Roles that may introspect and get field suggestions, comma-separated. */
    GATEWAY_SCHEMA_ROLES: roles().default(new Set<Role>(['analyst', 'official', 'partner', 'admin'])),
  },
  create: (s) => ({ plugins: [schemaVisibilityPlugin(s.GATEWAY_SCHEMA_ROLES)] }),
});
