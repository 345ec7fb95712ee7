/**
 * The govgraph engine (`GATEWAY_ENGINE=govgraph`), an Apollo Server gateway (`GatewayInterface`)
 * that owns its supergraph: it loads it from a `SupergraphSource` (supergraph/source.ts), builds the
 * planner and schemas with @apollo/federation-internals and @apollo/query-planner (plan/planner.ts),
 * notifies Apollo Server of each schema (`onSchemaLoadOrUpdate`) and follows the source's changes
 * (supergraph/follow.ts: a new version is built and checked beside the serving one, then takes
 * over; one that fails is refused). Each version is one `SchemaState`; a request runs on the state
 * of the API schema it was validated against, so a reload never changes a request's version.
 * It constructs no `ApolloGateway` and loads nothing of @apollo/gateway (test/engine-isolation).
 *
 * Per operation and version — keyed by Apollo Server's query hash (the document text) and
 * operationName, inside the version's state, dropped with it — it caches the operation as planned, its query plans (one per set of progressive override labels on)
 * and the compiled response shaper; per request it resolves the override labels, coerces variables,
 * runs the plan (execute/execute.ts) over the transport's subgraph clients and shapes the result
 * (shape/shape.ts). Apollo Server serialises the response once. A plan that defers (`@defer`) runs
 * its primary block here and leaves the deferred ones to the route (defer.ts, docs/defer.md).
 */
import { randomUUID } from 'node:crypto';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import type { Operation, VariableDefinitions } from '@apollo/federation-internals';
import type { QueryPlan } from '@apollo/query-planner';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
  GatewayUnsubscriber,
} from '@apollo/server-gateway-interface';
import { GraphQLError, Kind, OperationTypeNode, assertValidSchema, executeSync, parse } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode, SelectionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import type { GatewayContext } from '../context';
import { subscriptionsNotSupported } from '../errors';
import { SUBSCRIPTION_CHECK } from '../operations';
import { fragmentsByName } from '../fragments';
import { createTransport } from '../transport';
import type { SubgraphClient, Transport } from '../transport';
import { DeferShapers, executeDeferring, rootDefer } from './defer';
import { executeNode } from './execute/execute';
import type { PlanContext } from './execute/execute';
import type { EngineOptions, GatewayEngine } from './engine';
import { refuseUnresolvablePlans } from './plan/planCheck';
import { planFor, planOperation, preparePlanning } from './plan/planner';
import type { PlannedOperation, Planning } from './plan/planner';
import { compileShaper } from './shape/shape';
import type { Shaper } from './shape/shape';
import { followSupergraph } from './supergraph/follow';
import type { Follower } from './supergraph/follow';
import type { SupergraphVersion } from './supergraph/source';

export const HEALTH_CHECK_QUERY = 'query __ApolloServiceHealthCheck__ { __typename }';

interface Compiled extends PlannedOperation {
  readonly shape: Shaper;
  /** The shapers of its `@defer` blocks, compiled on first use (defer.ts). */
  readonly deferShapers: DeferShapers;
  readonly operation: OperationDefinitionNode;
  readonly variableDefinitions: VariableDefinitions;
}

interface SchemaState extends Planning {
  readonly hash: string;
  readonly supergraphSchema: GraphQLSchema;
  readonly clients: ReadonlyMap<string, SubgraphClient>;
  readonly operations: Map<string, Compiled>;
}

type RequestContext = GatewayGraphQLRequestContext<GatewayContext>;

export class GovgraphEngine implements GatewayEngine {
  /** The version new requests get. */
  private state: SchemaState | undefined;
  /**
   * Every version still referenced, by the API schema Apollo Server validated a request against:
   * a request runs on the version it started on, so requests in flight during a reload finish on
   * the old one; a version no request holds is garbage (its plan and shaper caches with it).
   */
  private readonly states = new WeakMap<GraphQLSchema, SchemaState>();
  private readonly maxOperations: number;
  private readonly transport: Transport;
  private readonly listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  private readonly follower: Follower;

  constructor(private readonly options: EngineOptions) {
    this.maxOperations = options.maxOperations ?? 1000;
    this.transport = createTransport({ wrappers: options.wrappers, dispatch: 'undici' });
    this.follower = followSupergraph(options, {
      build: (version) => this.build(version),
      activate: (state, version) => this.activate(state, version),
    });
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): GatewayUnsubscriber {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }

  async load(): Promise<GatewayLoadResult> {
    await this.follower.load();
    return { executor: (requestContext) => this.execute(requestContext as RequestContext) };
  }

  async stop(): Promise<void> {
    await this.follower.stop();
    await this.transport.close();
  }

  /** Resolves when the source's changes notified so far are applied or refused (tests). */
  settled(): Promise<void> {
    return this.follower.settled();
  }

  /** Asks every subgraph for `__typename`; rejects naming the first that does not answer. */
  async healthCheck(): Promise<void> {
    const state = this.state;
    if (!state) throw new Error('the gateway has no schema loaded');
    const { logger } = this.options;
    await Promise.all(
      [...state.clients.values()].map(async (client) => {
        const response = await client
          .fetch({ query: HEALTH_CHECK_QUERY }, { requestId: randomUUID(), logger })
          .catch((error: Error) => ({ errors: [{ message: error.message }] }));
        if (response.errors?.length) throw new Error(`[${client.name}]: ${response.errors[0]!.message}`);
      }),
    );
  }

  /**
   * Everything one supergraph version needs, checked before it may serve: it must build as a
   * supergraph, give valid API and supergraph schemas, name a URL for each subgraph, and plan.
   */
  private build(version: SupergraphVersion): SchemaState {
    const supergraph = Supergraph.build(version.sdl, { validateSupergraph: this.options.validateSupergraph });
    const clients = new Map<string, SubgraphClient>();
    for (const { name, url } of supergraph.subgraphsMetadata())
      clients.set(name, this.transport.client(name, this.options.subgraphUrl(name, url)));
    const planning = preparePlanning(supergraph, this.options.overrideLabels);
    const supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    assertValidSchema(planning.graphqlApiSchema);
    planning.planner.buildQueryPlan(operationFromDocument(planning.apiSchema, parse('{ __typename }')));
    return { ...planning, hash: version.hash, supergraphSchema, clients, operations: new Map() };
  }

  /** Makes `state` the version new requests get and tells Apollo Server its API schema. */
  private activate(state: SchemaState, version: SupergraphVersion): void {
    this.states.set(state.graphqlApiSchema, state);
    this.state = state;
    for (const listener of this.listeners) {
      try {
        listener({ apiSchema: state.graphqlApiSchema, coreSupergraphSdl: version.sdl });
      } catch (error) {
        this.options.logger.error(
          `an onSchemaLoadOrUpdate listener failed; the schema still updates: ${(error as Error)?.message ?? error}`,
        );
      }
    }
  }

  /** The operation as planned and compiled, from the version's cache when `hit`. */
  private compile(state: SchemaState, requestContext: RequestContext): { compiled: Compiled; hit: boolean } {
    const { document, request } = requestContext;
    const key = request.operationName
      ? `${requestContext.queryHash}\0${request.operationName}`
      : requestContext.queryHash;
    let compiled = state.operations.get(key);
    const { stats } = this.options;
    if (compiled) {
      if (stats) stats.planCacheHits++;
      return { compiled, hit: true };
    }
    if (stats) stats.planCacheMisses++;
    const operationName = request.operationName;
    const planned = planOperation(state, document, operationName);
    const forShape: Operation = operationFromDocument(state.apiSchema, document, {
      operationName,
      validate: false,
    });
    const operation = requestContext.operation;
    const introspect = (node: SelectionNode, variables: Record<string, unknown>) =>
      runIntrospection(state.graphqlApiSchema, node, operation, variables);
    compiled = {
      ...planned,
      shape: compileShaper(forShape, introspect),
      deferShapers: new DeferShapers(forShape, introspect),
      operation,
      variableDefinitions: forShape.variableDefinitions,
    };
    if (state.operations.size >= this.maxOperations) state.operations.clear();
    state.operations.set(key, compiled);
    return { compiled, hit: false };
  }

  private async execute(requestContext: RequestContext): Promise<GatewayExecutionResult> {
    const state = this.states.get(requestContext.schema) ?? this.state;
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
    // Phases are observed (tracing's spans) only when a feature asks; attributes are built only then.
    const phases = requestContext.context.phases;
    const operationName = phases && { 'graphql.operation.name': requestContext.operationName ?? '' };
    const endPlan = phases?.('plan', operationName!);
    let hit = false;
    try {
      ({ compiled, hit } = this.compile(state, requestContext));
      plan = planFor(state, compiled);
    } catch (error) {
      endPlan?.({ attributes: { 'govgraph.plan.cache_hit': hit }, failed: true });
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
    endPlan?.({ attributes: { 'govgraph.plan.cache_hit': hit } });
    if (!plan.node) {
      // The same check as the reference engine's: an empty plan for a served field is an error (plan/planCheck.ts).
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
    const event = requestContext.context.subscriptionEvent;
    if (plan.node?.kind === 'Subscription' && event === undefined)
      return {
        errors: [
          subscriptionsNotSupported(
            'Subscriptions are served over WebSocket (graphql-ws) at this endpoint, not as an HTTP request',
          ),
        ],
      };
    // A subscription's check (operations.ts): validated, limited, authorized and planned; nothing to fetch.
    if (plan.node?.kind === 'Subscription' && event === SUBSCRIPTION_CHECK) return { data: null };
    const errors: unknown[] = [];
    const data: Record<string, unknown> = Object.create(null);
    const planContext: PlanContext = {
      requestContext,
      clients: state.clients,
      supergraphSchema: state.supergraphSchema,
      variableDefinitions: compiled.variableDefinitions,
      errors,
      event,
    };
    // A subscription's delivery runs as one payload (a Subscription node is never deferred).
    const defer = plan.node?.kind === 'Subscription' ? undefined : rootDefer(plan.node, planContext);
    if (defer) {
      return executeDeferring(planContext, defer, {
        shapers: compiled.deferShapers,
        schema: state.apiSchema,
        unalias: compiled.unalias,
      });
    }
    if (plan.node) await executeNode(planContext, plan.node, { path: [], data, fullResult: data });
    // Plan variants (requiresConflicts.ts) fetch the shared fields twice: report each error once.
    if (compiled.forPlan.length > 1 && errors.length > 1)
      errors.splice(0, errors.length, ...uniqueErrors(errors));
    const endShape = phases?.('shape', operationName!);
    compiled.unalias?.(data);
    let shaped;
    try {
      shaped = compiled.shape(data, request.variables);
      endShape?.();
    } catch (error) {
      endShape?.({ failed: true });
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
