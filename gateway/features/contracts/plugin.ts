/**
 * Serving a contract (docs/contracts.md "Serving a contract"): validation and introspection of a
 * request given a contract use the contract's schema, so a field outside it is an unknown field
 * ("Cannot query field …"), never an authorization error; execution is the normal engine path, so
 * row rules and masking still apply.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { execute, GraphQLError, Kind, validate } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { ErrorCode } from '../../../schema/error-codes';
import { contractSchemas } from '../../../schema/contracts';
import type { ContractDefinitions } from '../../../schema/contracts';
import type { GatewayContext } from '../../context';
import { partnerContract } from './selection';
import type { PartnerContracts } from './selection';

export interface ContractState {
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

/** What serves now: the contracts' schemas and which partner gets which, swapped as one. */
export interface ServedContracts {
  readonly states: ReadonlyMap<string, ContractState>;
  readonly partners: PartnerContracts;
}

export function contractsPlugin(current: () => ServedContracts): ApolloServerPlugin<GatewayContext> {
  const errorsFor = (state: ContractState, document: DocumentNode) => {
    let errors = state.checked.get(document);
    if (!errors) state.checked.set(document, (errors = validate(state.schema, document)));
    return errors;
  };
  return {
    async requestDidStart({ contextValue }) {
      // A partner given a contract keeps it whatever path it asks: a path cannot widen its view.
      const served = current();
      const name = partnerContract(contextValue.identity, served.partners) ?? contextValue.contractPath;
      if (name === undefined) return {};
      const state = served.states.get(name);
      // Never the whole graph for a caller given a contract that is not built (yet).
      if (!state)
        throw new GraphQLError(`Schema contract "${name}" is not available`, {
          extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, http: { status: 503 } },
        });
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
export function buildContracts(
  sdl: string,
  definitions: ContractDefinitions,
  apiSchema?: GraphQLSchema,
): Map<string, ContractState> {
  const out = new Map<string, ContractState>();
  for (const [name, schema] of contractSchemas(sdl, definitions, apiSchema))
    out.set(name, { schema, checked: new WeakMap() });
  return out;
}
