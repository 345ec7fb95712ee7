/**
 * The govgraph engine as an Apollo Server gateway (`GatewayInterface`): @apollo/gateway still loads
 * the supergraph, checks subgraph health and notifies schema changes (so start-up, errors and every
 * Apollo Server plugin behave the same with both engines); this class replaces only its executor.
 *
 * Per operation — keyed by Apollo Server's query hash (the document text) and operationName — it
 * caches the federation operation, its query plans from @apollo/query-planner (one per set of
 * progressive override labels on, overrideLabels.ts) and the compiled response shaper; per request
 * it resolves the override labels, coerces variables, runs the plan (execute.ts) over the gateway's
 * data sources and shapes the result (shape.ts). Apollo Server serialises the response once.
 */
import type { ApolloGateway, GraphQLDataSource, ServiceEndpointDefinition } from '@apollo/gateway';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import type { Operation, VariableDefinitions } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import type { PlanNode, QueryPlan } from '@apollo/query-planner';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
  GatewayUnsubscriber,
} from '@apollo/server-gateway-interface';
import { GraphQLError, Kind, OperationTypeNode, executeSync } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode, SelectionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import type { GatewayContext } from '../context';
import { fragmentsByName } from '../fragments';
import { refuseUnresolvablePlans } from '../planCheck';
import { executeNode } from './execute';
import { aliasRequiredFields, requiredFieldNames } from './requiredArguments';
import type { RequiredFieldNames, Unalias } from './requiredArguments';
import { overrideLabels } from './overrideLabels';
import { requiresConflicts, splitRequiresConflicts } from './requiresConflicts';
import type { RequiresConflicts } from './requiresConflicts';
import type { OverrideLabels } from './overrideLabels';
import { compileShaper } from './shape';
import type { Shaper } from './shape';

export interface GovgraphGatewayOptions {
  /** The reference gateway, configured as usual: it loads the supergraph and owns the schema. */
  apollo: ApolloGateway;
  /** Builds the data source of one subgraph (the same function the reference gateway is given). */
  buildService(definition: ServiceEndpointDefinition): GraphQLDataSource<GatewayContext>;
  /** Called on stop, after the reference gateway stopped (e.g. closes connection pools). */
  close?: () => Promise<void>;
  /** Most operations whose plan and shaper are kept (default 1000); the cache is cleared when full. */
  maxOperations?: number;
  /** Progressive override labels fixed by configuration (`GATEWAY_OVERRIDE_LABELS`, overrideLabels.ts). */
  overrideLabels?: ReadonlyMap<string, boolean>;
}

interface Compiled {
  /**
   * The operation as planned (several variants when it selects fields whose `@requires` clash,
   * requiresConflicts.ts), and its plans by the set of override labels on (overrideLabels.ts).
   */
  readonly forPlan: readonly Operation[];
  readonly plans: Map<string, QueryPlan>;
  readonly shape: Shaper;
  readonly operation: OperationDefinitionNode;
  readonly variableDefinitions: VariableDefinitions;
  /** Undoes the aliases given to fields a `@requires` selects with other arguments (requiredArguments.ts). */
  readonly unalias?: Unalias;
}

interface SchemaState {
  readonly planner: QueryPlanner;
  readonly apiSchema: ReturnType<Supergraph['apiSchema']>;
  readonly graphqlApiSchema: GraphQLSchema;
  readonly supergraphSchema: GraphQLSchema;
  readonly sources: ReadonlyMap<string, GraphQLDataSource<GatewayContext>>;
  readonly requiredNames: RequiredFieldNames;
  readonly labels: OverrideLabels;
  readonly conflicts: RequiresConflicts;
  readonly operations: Map<string, Compiled>;
}

type RequestContext = GatewayGraphQLRequestContext<GatewayContext>;

export class GovgraphGateway implements GatewayInterface {
  private state: SchemaState | undefined;
  private readonly maxOperations: number;

  constructor(private readonly options: GovgraphGatewayOptions) {
    this.maxOperations = options.maxOperations ?? 1000;
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): GatewayUnsubscriber {
    return this.options.apollo.onSchemaLoadOrUpdate(callback);
  }

  async load(options: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    // Subscribed before load(): the reference gateway notifies the first schema during load().
    this.options.apollo.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      this.state = this.buildState(coreSupergraphSdl, apiSchema);
    });
    await this.options.apollo.load(options);
    return { executor: (requestContext) => this.execute(requestContext as RequestContext) };
  }

  async stop(): Promise<void> {
    await this.options.apollo.stop();
    await this.options.close?.();
  }

  private buildState(supergraphSdl: string, graphqlApiSchema: GraphQLSchema): SchemaState {
    const supergraph = Supergraph.build(supergraphSdl);
    const sources = new Map<string, GraphQLDataSource<GatewayContext>>();
    for (const { name, url } of supergraph.subgraphsMetadata())
      sources.set(name, this.options.buildService({ name, url }));
    return {
      planner: new QueryPlanner(supergraph),
      apiSchema: supergraph.apiSchema(),
      graphqlApiSchema,
      supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
      sources,
      requiredNames: requiredFieldNames(supergraph),
      labels: overrideLabels(supergraph, this.options.overrideLabels ?? new Map()),
      conflicts: requiresConflicts(supergraph),
      operations: new Map(),
    };
  }

  private compile(state: SchemaState, requestContext: RequestContext): Compiled {
    const { document, request } = requestContext;
    const key = request.operationName
      ? `${requestContext.queryHash}\0${request.operationName}`
      : requestContext.queryHash;
    let compiled = state.operations.get(key);
    if (compiled) return compiled;
    const operationName = request.operationName;
    const aliased = aliasRequiredFields(document, state.requiredNames, operationName);
    const forPlan = splitRequiresConflicts(aliased.document, state.graphqlApiSchema, state.conflicts).map(
      (variant) => operationFromDocument(state.apiSchema, variant, { operationName }),
    );
    const forShape: Operation = operationFromDocument(state.apiSchema, document, {
      operationName,
      validate: false,
    });
    const operation = requestContext.operation;
    const introspect = (node: SelectionNode, variables: Record<string, unknown>) =>
      runIntrospection(state.graphqlApiSchema, node, operation, variables);
    compiled = {
      forPlan,
      plans: new Map(),
      shape: compileShaper(forShape, introspect),
      operation,
      variableDefinitions: forShape.variableDefinitions,
      unalias: aliased.unalias,
    };
    if (state.operations.size >= this.maxOperations) state.operations.clear();
    state.operations.set(key, compiled);
    return compiled;
  }

  private async execute(requestContext: RequestContext): Promise<GatewayExecutionResult> {
    const state = this.state;
    if (!state) throw new Error('the gateway has no schema loaded');
    const { operation, request } = requestContext;
    if (operation.variableDefinitions?.length) {
      const { errors } = getVariableValues(
        requestContext.schema,
        operation.variableDefinitions,
        request.variables ?? {},
      );
      if (errors) return { errors };
    }
    let compiled: Compiled;
    let plan: QueryPlan;
    try {
      compiled = this.compile(state, requestContext);
      plan = planFor(state, compiled);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
    if (!plan.node) {
      // The same check as the reference engine's: an empty plan for a served field is an error (planCheck.ts).
      try {
        refuseUnresolvablePlans({
          queryPlan: plan,
          operationContext: {
            operation: requestContext.operation,
            fragments: Object.fromEntries(fragmentsByName(requestContext.document)),
          },
          requestContext,
        });
      } catch (error) {
        if (error instanceof GraphQLError) return { errors: [error] };
        throw error;
      }
    }
    if (plan.node?.kind === 'Subscription')
      throw new Error('Execution of subscriptions not supported by gateway');
    const errors: unknown[] = [];
    const data: Record<string, unknown> = Object.create(null);
    if (plan.node) {
      await executeNode(
        {
          requestContext,
          sources: state.sources,
          supergraphSchema: state.supergraphSchema,
          variableDefinitions: compiled.variableDefinitions,
          errors,
        },
        plan.node,
        { path: [], data, fullResult: data },
      );
    }
    // Plan variants (requiresConflicts.ts) fetch the shared fields twice: report each error once.
    if (compiled.forPlan.length > 1 && errors.length > 1)
      errors.splice(0, errors.length, ...uniqueErrors(errors));
    compiled.unalias?.(data);
    let shaped;
    try {
      shaped = compiled.shape(data, request.variables);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      const message = error instanceof Error ? error.message : 'Unexpected error during query plan execution';
      return {
        errors: [new GraphQLError(message, { originalError: error instanceof Error ? error : undefined })],
      };
    }
    if (errors.length === 0 && shaped.errors.length > 0)
      return { extensions: { valueCompletion: shaped.errors }, data: shaped.data };
    return errors.length === 0
      ? { data: shaped.data }
      : { errors: errors as GraphQLError[], data: shaped.data };
  }
}

function uniqueErrors(errors: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = error instanceof GraphQLError ? JSON.stringify([error.message, error.path]) : undefined;
    if (key === undefined) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The operation's plan for this request's override labels (planned once per set of labels on). */
function planFor(state: SchemaState, compiled: Compiled): QueryPlan {
  const { key, conditions } = state.labels.resolve();
  const cached = compiled.plans.get(key);
  if (cached) return cached;
  const options = conditions && { overrideConditions: conditions };
  const plans = compiled.forPlan.map((operation) => state.planner.buildQueryPlan(operation, options));
  // Variants run one after the other over one result tree (requiresConflicts.ts); only queries have
  // variants, so no node is a subscription.
  const nodes = plans.flatMap((p) => (p.node ? [p.node as PlanNode] : []));
  const plan: QueryPlan =
    plans.length === 1
      ? plans[0]!
      : { kind: 'QueryPlan', node: nodes.length ? { kind: 'Sequence', nodes } : undefined };
  compiled.plans.set(key, plan);
  return plan;
}

/** Introspection fields (`__schema`, `__type`) are answered by graphql-js over the API schema. */
function runIntrospection(
  schema: GraphQLSchema,
  node: SelectionNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): unknown {
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        variableDefinitions: operation.variableDefinitions,
        selectionSet: { kind: Kind.SELECTION_SET, selections: [node] },
      },
    ],
  };
  const { data, errors } = executeSync({ schema, document, rootValue: {}, variableValues: variables });
  if (errors?.length || !data) throw new Error(`Introspection failed: ${errors?.[0]?.message ?? 'no data'}`);
  const name = node.kind === Kind.FIELD ? (node.alias?.value ?? node.name.value) : '';
  return data[name];
}
