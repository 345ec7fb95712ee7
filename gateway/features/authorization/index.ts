/**
 * Authorization directives, enforced at the gateway before execution. The supergraph states them
 * (`@authenticated`, `@requiresScopes`, `@policy`, linked `for: SECURITY`); @apollo/gateway refuses
 * such links, so this feature reads the requirements when the supergraph loads and hands the gateway
 * the supergraph with the links demoted (authorization/requirements.ts, ../supergraphLinks.ts).
 *
 * Per request, the fields the caller may not see are removed from the operation before it is
 * planned, so no subgraph is ever asked for them (authorization/rewrite.ts); in the response each is
 * `null` with an UNAUTHORIZED_FIELD_OR_TYPE error at its path, nulls propagating like GraphQL's
 * (authorization/response.ts). The rest of the query still answers. When nothing is left of the
 * operation, nothing is executed.
 *
 * A caller's effective scopes are its token's `scope` claim plus those its role implies
 * (`GATEWAY_ROLE_SCOPES`, default in authorization/policies.ts); policies are named functions of the
 * caller: built-ins plus any a library user registers with `authorizationFeature({ policies })`. A
 * supergraph naming a policy nobody registered stops start-up.
 *
 * Cost: a document without restricted fields is looked at once (cached per parsed document); a
 * rewrite is cached per document, operation and set of denied fields.
 */
import { createHash } from 'node:crypto';
import { HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { ConfigError, env } from '../../../common/env';
import { ANONYMOUS } from '../../../common/identity';
import type { Role } from '../../../common/identity';
import { BUILTIN_POLICIES, DEFAULT_ROLE_SCOPES, effectiveScopes, parseRoleScopes } from './policies';
import type { Policy } from './policies';
import { FieldRequirements, SECURITY_FEATURES, allows, grantFor, readRequirements } from './requirements';
import type { SupergraphRequirements } from './requirements';
import { patchData } from './response';
import { restrictedFields, rewrite } from './rewrite';
import type { RestrictedField, Rewrite } from './rewrite';
import type { GatewayContext } from '../../context';
import { defineFeature } from '../../feature';
import { demoteSecurityLinks } from '../../supergraphLinks';

export type { Policy } from './policies';

export interface AuthorizationOptions {
  /** Policies `@policy` may name, in addition to (or replacing) the built-ins. */
  policies?: Readonly<Record<string, Policy>>;
}

const REWRITES_PER_DOCUMENT = 64;

interface DocumentEntry {
  restricted: RestrictedField[];
  rewrites: Map<string, Rewrite>;
}

export interface AuthorizationSettings {
  roleScopes: Readonly<Record<Role, readonly string[]>>;
  policies: Readonly<Record<string, Policy>>;
  /** The requirements of the loaded supergraph (read when it loads). */
  requirements(): SupergraphRequirements;
}

export function authorizationPlugin(settings: AuthorizationSettings): ApolloServerPlugin<GatewayContext> {
  const indexes = new WeakMap<GraphQLSchema, FieldRequirements>();
  const documents = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentEntry>>();
  const index = (schema: GraphQLSchema) => {
    let found = indexes.get(schema);
    if (!found) indexes.set(schema, (found = new FieldRequirements(schema, settings.requirements())));
    return found;
  };
  const entryOf = (schema: GraphQLSchema, document: DocumentNode, fields: FieldRequirements) => {
    let bySchema = documents.get(schema);
    if (!bySchema) documents.set(schema, (bySchema = new WeakMap()));
    let entry = bySchema.get(document);
    if (!entry) {
      const restricted = restrictedFields(schema, document, (p, f) => fields.of(p, f).length > 0);
      bySchema.set(document, (entry = { restricted, rewrites: new Map() }));
    }
    return entry;
  };
  return {
    async requestDidStart() {
      let applied: Rewrite | undefined;
      return {
        async responseForOperation(context) {
          const fields = index(context.schema);
          if (fields.empty) return null;
          const entry = entryOf(context.schema, context.document, fields);
          if (entry.restricted.length === 0) return null;
          const caller = context.contextValue.identity ?? ANONYMOUS;
          const grant = grantFor(caller, effectiveScopes(caller, settings.roleScopes), settings.policies);
          const denied = entry.restricted
            .filter((r) => !fields.of(r.parent, r.field).every((req) => allows(req, grant)))
            .map((r) => r.coordinate);
          if (denied.length === 0) return null;
          const key = `${context.operationName ?? ''}\n${denied.join(',')}`;
          let done = entry.rewrites.get(key);
          if (!done) {
            done = rewrite(context.schema, context.document, context.operation, new Set(denied));
            if (entry.rewrites.size >= REWRITES_PER_DOCUMENT) entry.rewrites.clear();
            entry.rewrites.set(key, done);
          }
          applied = done;
          if (done.nothingLeft) {
            return {
              http: { headers: new HeaderMap(), status: undefined },
              body: { kind: 'single', singleResult: { data: {} } },
            };
          }
          // The planner caches plans by query hash: the rewritten document needs a hash of its own.
          const writable = context as { document: DocumentNode; operation: unknown; queryHash: string };
          writable.document = done.document;
          writable.operation = done.operation;
          writable.queryHash = createHash('sha256')
            .update(context.queryHash ?? '')
            .update(key)
            .digest('hex');
          return null;
        },
        async willSendResponse({ response, schema, request }) {
          if (!applied || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const { data, errors } = patchData(
            schema,
            result.data as Record<string, unknown> | null | undefined,
            applied.removals,
            request.variables ?? {},
          );
          result.data = data;
          if (errors.length > 0) result.errors = [...(result.errors ?? []), ...errors];
        },
      };
    },
  };
}

function roleScopes() {
  return env.text().transform((raw, ctx) => {
    const table = parseRoleScopes(raw);
    if (typeof table === 'string') ctx.addIssue({ code: 'custom', message: table });
    return table as Record<Role, readonly string[]>;
  });
}

/** The authorization feature, with `options.policies` registered next to the built-in ones. */
export function authorizationFeature(options: AuthorizationOptions = {}) {
  return defineFeature({
    name: 'authorization',
    env: {
      /** Scopes implied by role: `role=scope scope;role=scope` (replaces the default table). */
      GATEWAY_ROLE_SCOPES: roleScopes().optional(),
    },
    create: (s) => {
      const policies = { ...BUILTIN_POLICIES, ...options.policies };
      let requirements: SupergraphRequirements = { byCoordinate: new Map(), policies: new Set() };
      return {
        supergraph(sdl) {
          const read = readRequirements(sdl);
          const unknown = [...read.policies].filter((p) => !Object.hasOwn(policies, p));
          if (unknown.length > 0)
            throw new ConfigError(
              'SUPERGRAPH_PATH',
              `the supergraph's @policy names ${unknown.map((p) => `"${p}"`).join(', ')}, which no policy is registered for (registered: ${Object.keys(policies).join(', ')})`,
            );
          requirements = read;
          return demoteSecurityLinks(sdl, SECURITY_FEATURES);
        },
        plugins: [
          authorizationPlugin({
            roleScopes: s.GATEWAY_ROLE_SCOPES ?? DEFAULT_ROLE_SCOPES,
            policies,
            requirements: () => requirements,
          }),
        ],
      };
    },
  });
}

export const authorization = authorizationFeature();
