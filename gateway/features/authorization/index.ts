/**
 * Authorization directives, enforced at the gateway before execution. The supergraph states them
 * (`@authenticated`, `@requiresScopes`, `@policy`, linked `for: SECURITY`); @apollo/gateway refuses
 * such links, so this feature reads the requirements when the supergraph loads and hands the engine
 * the supergraph with the links demoted (./requirements.ts, reading links with ../../supergraphLinks.ts).
 *
 * Per request, the plugin decides which fields the caller may not see, and the feature's document
 * transform (a feature part, ../../documentTransform.ts) removes them from the operation before it is
 * planned, so no subgraph is ever asked for them (./rewrite.ts); in the response each is `null` with
 * an UNAUTHORIZED_FIELD_OR_TYPE error at its path, nulls propagating like GraphQL's (./response.ts).
 * The rest of the query still answers. When nothing is left of the operation, nothing is executed.
 *
 * A caller's effective scopes are its token's `scope` claim plus those its role implies
 * (`GATEWAY_ROLE_SCOPES`, default in ./policies.ts); policies are named functions of the
 * caller: built-ins plus any a library user registers with `authorizationFeature({ policies })`. A
 * supergraph naming a policy nobody registered stops start-up.
 *
 * Cost: a document without restricted fields is looked at once (cached per parsed document); a
 * rewrite is cached per document, operation and set of denied fields.
 */
import { HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { ConfigError, env } from '../../../common/env';
import { ANONYMOUS } from '../../../common/identity';
import type { Role } from '../../../common/identity';
import { BUILTIN_POLICIES, DEFAULT_ROLE_SCOPES, effectiveScopes, parseRoleScopes } from './policies';
import type { Policy } from './policies';
import {
  FieldRequirements,
  SECURITY_FEATURES,
  allows,
  demoteSecurityLinks,
  grantFor,
  readRequirements,
} from './requirements';
import type { SupergraphRequirements } from './requirements';
import { patchData } from './response';
import { restrictedFields, rewrite } from './rewrite';
import type { RestrictedField, Rewrite } from './rewrite';
import type { GatewayContext } from '../../context';
import type { DocumentTransform, OperationToPlan } from '../../documentTransform';
import { defineFeature } from '../../feature';

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

/** The authorization feature's per-request parts: a plugin and the document transform. */
export interface AuthorizationParts {
  plugin: ApolloServerPlugin<GatewayContext>;
  documentTransform: DocumentTransform;
}

export function authorizationParts(settings: AuthorizationSettings): AuthorizationParts {
  const indexes = new WeakMap<GraphQLSchema, FieldRequirements>();
  const documents = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentEntry>>();
  // The rewrite decided for a request, by its context (the same object Apollo Server hands the
  // plugin hooks and the engine's executor, where the transform runs).
  const applied = new WeakMap<GatewayContext, Rewrite>();
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
  /** The rewrite of the operation for this caller, or undefined when the caller may see all of it. */
  const decide = (input: OperationToPlan): Rewrite | undefined => {
    const fields = index(input.schema);
    if (fields.empty) return undefined;
    const entry = entryOf(input.schema, input.document, fields);
    if (entry.restricted.length === 0) return undefined;
    const caller = input.context.identity ?? ANONYMOUS;
    const grant = grantFor(caller, effectiveScopes(caller, settings.roleScopes), settings.policies);
    const denied = entry.restricted
      .filter((r) => !fields.of(r.parent, r.field).every((req) => allows(req, grant)))
      .map((r) => r.coordinate);
    if (denied.length === 0) return undefined;
    // Cached per document, operation and set of denied fields: the same rewritten document object
    // for the same denial keeps the engine's plan cached (documentTransform.ts).
    const key = `${input.operationName ?? ''}\n${denied.join(',')}`;
    let done = entry.rewrites.get(key);
    if (!done) {
      done = rewrite(input.schema, input.document, input.operation, new Set(denied));
      if (entry.rewrites.size >= REWRITES_PER_DOCUMENT) entry.rewrites.clear();
      entry.rewrites.set(key, done);
    }
    return done;
  };
  return {
    plugin: {
      async requestDidStart() {
        return {
          async responseForOperation(context) {
            const done = decide({
              schema: context.schema,
              document: context.document,
              operation: context.operation,
              operationName: context.operationName ?? null,
              context: context.contextValue,
            });
            if (!done) return null;
            applied.set(context.contextValue, done);
            // Nothing left of the operation: nothing is executed, every removed field answers null.
            if (done.nothingLeft) {
              return {
                http: { headers: new HeaderMap(), status: undefined },
                body: { kind: 'single', singleResult: { data: {} } },
              };
            }
            return null;
          },
          async willSendResponse({ response, schema, request, contextValue }) {
            const done = applied.get(contextValue);
            if (!done || response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            const { data, errors } = patchData(
              schema,
              result.data as Record<string, unknown> | null | undefined,
              done.removals,
              request.variables ?? {},
            );
            result.data = data;
            if (errors.length > 0) result.errors = [...(result.errors ?? []), ...errors];
          },
        };
      },
    },
    documentTransform(input) {
      const done = applied.get(input.context);
      return done && { document: done.document, operation: done.operation };
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
      const parts = authorizationParts({
        roleScopes: s.GATEWAY_ROLE_SCOPES ?? DEFAULT_ROLE_SCOPES,
        policies,
        requirements: () => requirements,
      });
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
        plugins: [parts.plugin],
        documentTransform: parts.documentTransform,
      };
    },
  });
}

export const authorization = authorizationFeature();
