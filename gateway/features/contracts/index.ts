/**
 * Schema contracts (issue 19, docs/contracts.md): a partner is served an API schema cut from the
 * graph by `@tag` filters (schema/contracts.ts), chosen by its token (`GATEWAY_PARTNER_CONTRACTS`)
 * or by the path `/graphql/contracts/<name>`. Validation and introspection use the contract's
 * schema, so a field outside it is an unknown field ("Cannot query field …"), never an
 * authorization error; execution is the normal engine path, so row rules and masking still apply.
 */
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { Supergraph } from '@apollo/federation-internals';
import { execute, GraphQLError, Kind, validate } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { ConfigError, env } from '../../../common/env';
import { ErrorCode } from '../../../schema/error-codes';
import { contractSchema, parseContractDefinitions } from '../../../schema/contracts';
import type { ContractDefinitions } from '../../../schema/contracts';
import type { GatewayContext } from '../../context';
import { defineFeature } from '../../feature';
import { parsePartnerContracts, partnerContract } from './selection';
import type { PartnerContracts } from './selection';

declare module '../../context' {
  interface GatewayContext {
    /** The contract the request's path names (`/graphql/contracts/<name>`). */
    readonly contractPath?: string;
  }
}

interface ContractState {
  readonly schema: GraphQLSchema;
  /** Validation errors against the contract's schema, per parsed document. */
  readonly checked: WeakMap<DocumentNode, readonly GraphQLError[]>;
}

const INTROSPECTION = new Set(['__schema', '__type', '__typename']);

function invalid(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
  });
}

/** The root field names of an operation, through fragments. */
function rootFields(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const names: string[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) names.push(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const f = fragments.get(s.name.value);
        if (f) walk(f.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return names;
}

export function contractsPlugin(
  current: () => ReadonlyMap<string, ContractState>,
  partners: PartnerContracts,
): ApolloServerPlugin<GatewayContext> {
  const errorsFor = (state: ContractState, document: DocumentNode) => {
    let errors = state.checked.get(document);
    if (!errors) state.checked.set(document, (errors = validate(state.schema, document)));
    return errors;
  };
  return {
    async requestDidStart({ contextValue }) {
      // A partner given a contract keeps it whatever path it asks: a path cannot widen its view.
      const name = partnerContract(contextValue.identity, partners) ?? contextValue.contractPath;
      const state = name === undefined ? undefined : current().get(name);
      if (!state) return {};
      return {
        async validationDidStart({ document }) {
          // Apollo validates against the whole graph; when that fails, the caller is told what
          // the contract's schema says instead (no suggestion names a field outside it).
          return async (errors) => {
            if (errors)
              (errors as Error[]).splice(0, errors.length, ...errorsFor(state, document).map(invalid));
          };
        },
        async didResolveOperation({ document }) {
          const errors = errorsFor(state, document);
          if (errors.length > 0) throw invalid(errors[0]!);
        },
        async responseForOperation({ document, operation, request, operationName }) {
          const roots = rootFields(document, operation);
          if (!roots.some((r) => r === '__schema' || r === '__type')) return null;
          if (!roots.every((r) => INTROSPECTION.has(r)))
            throw invalid(
              new GraphQLError(
                'Under a schema contract, introspection (__schema, __type) must be an operation of its own',
              ),
            );
          const result = await execute({
            schema: state.schema,
            document,
            operationName,
            variableValues: request.variables,
          });
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: result.data, errors: result.errors } },
          };
        },
      };
    },
  };
}

/** Every contract's schema for one supergraph; throws when a contract leaves no query. */
export function buildContracts(sdl: string, definitions: ContractDefinitions): Map<string, ContractState> {
  const api = Supergraph.build(sdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
  const out = new Map<string, ContractState>();
  for (const [name, filter] of Object.entries(definitions)) {
    const schema = contractSchema(api, sdl, filter);
    if (!schema.getQueryType()) throw new Error(`contract "${name}" leaves no Query field`);
    out.set(name, { schema, checked: new WeakMap() });
  }
  return out;
}

export const contracts = defineFeature({
  name: 'contracts',
  env: {
    /** The contracts file (JSON, name → { include, exclude } tags); unset: no contracts. */
    GATEWAY_CONTRACTS: env.text().optional(),
    /** `<agency code>=<contract>` or `scope:<scope>=<contract>`, comma-separated: partners' contracts. */
    GATEWAY_PARTNER_CONTRACTS: env.text().default(''),
  },
  create: (s) => {
    if (!s.GATEWAY_CONTRACTS) {
      if (s.GATEWAY_PARTNER_CONTRACTS)
        throw new ConfigError('GATEWAY_PARTNER_CONTRACTS', 'needs GATEWAY_CONTRACTS (the contracts file)');
      return {};
    }
    let definitions: ContractDefinitions;
    try {
      definitions = parseContractDefinitions(JSON.parse(readFileSync(s.GATEWAY_CONTRACTS, 'utf8')));
    } catch (error) {
      throw new ConfigError('GATEWAY_CONTRACTS', `${s.GATEWAY_CONTRACTS}: ${(error as Error).message}`);
    }
    const partners = parsePartnerContracts(s.GATEWAY_PARTNER_CONTRACTS, new Set(Object.keys(definitions)));
    if (typeof partners === 'string') throw new ConfigError('GATEWAY_PARTNER_CONTRACTS', partners);
    let states = new Map<string, ContractState>();
    return {
      graphqlPaths: ['/graphql/contracts/:contract'],
      context: (request) => {
        const name = (request.params as { contract?: string } | undefined)?.contract;
        if (name === undefined) return {};
        if (!states.has(name))
          throw new GraphQLError(`No schema contract named "${name}"`, {
            extensions: { code: ErrorCode.NOT_FOUND, http: { status: 404 } },
          });
        return { contractPath: name };
      },
      supergraph: (sdl) => {
        try {
          states = buildContracts(sdl, definitions);
        } catch (error) {
          throw new ConfigError('GATEWAY_CONTRACTS', (error as Error).message);
        }
        return sdl;
      },
      plugins: [contractsPlugin(() => states, partners)],
    };
  },
});
