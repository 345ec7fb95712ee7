/**
 * The reference engine (`GATEWAY_ENGINE=apollo`): stock `ApolloGateway` behind the engine
 * interface, fetching through the same transport (transport/dataSource.ts). Loaded only when chosen
 * (index.ts), so the govgraph engine never loads @apollo/gateway.
 *
 * It follows the same source as the govgraph engine (supergraph/follow.ts) with one `ApolloGateway`
 * per supergraph version, each given that version's text (`supergraphSdl` as a string): a new
 * version is loaded into a new `ApolloGateway` beside the serving one (a version it cannot load is
 * refused, the serving one untouched), then takes over. Requests run on the `ApolloGateway` of the
 * API schema they were validated against, so requests in flight during a reload finish on the old
 * version. (`ApolloGateway`'s own `update` callback would swap its schema and planner under requests
 * already validated against the old schema, and cannot refuse a version without throwing into the
 * source; re-creating gives both engines the same pinning.) The old `ApolloGateway` is stopped at
 * the swap — with a static supergraph that only runs its clean-up hooks; requests holding its
 * executor finish normally.
 */
import { ApolloGateway } from '@apollo/gateway';
import type {
  GatewayExecutor,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import {
  BREAK,
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLError,
  GraphQLNonNull,
  GraphQLSchema,
  GraphQLString,
  Kind,
  visit,
} from 'graphql';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { ErrorCode } from '../../../schema/error-codes';
import { createTransport, SubgraphDataSource } from '../../transport';
import type { Transport } from '../../transport';
import { subscriptionsNotSupported } from '../../errors';
import type { EngineOptions, GatewayEngine } from '../engine';
import { refuseUnresolvablePlans } from '../plan/planCheck';
import { followSupergraph } from '../supergraph/follow';
import type { Follower } from '../supergraph/follow';
import type { SupergraphVersion } from '../supergraph/source';

type LoadOptions = Parameters<ApolloGateway['load']>[0];

interface Version {
  readonly gateway: ApolloGateway;
  readonly apiSchema: GraphQLSchema;
  readonly executor: GatewayExecutor;
}

export class ApolloEngine implements GatewayEngine {
  private readonly transport: Transport;
  private readonly follower: Follower;
  private readonly listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  private readonly versions = new WeakMap<GraphQLSchema, Version>();
  private current: Version | undefined;
  private loadOptions: LoadOptions | undefined;

  constructor(private readonly options: EngineOptions) {
    this.transport = createTransport({ wrappers: options.wrappers, dispatch: 'fetch' });
    this.follower = followSupergraph(options, {
      build: (version) => this.build(version),
      activate: (built, version) => this.activate(built, version),
    });
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback) {
    this.listeners.add(callback);
    return () => void this.listeners.delete(callback);
  }

  async load(options: LoadOptions): Promise<GatewayLoadResult> {
    this.loadOptions = options;
    await this.follower.load();
    return {
      executor: async (requestContext) => {
        // @apollo/gateway executes no subscription: refused with a code, not its uncoded throw.
        if (requestContext.operation.operation === 'subscription')
          return {
            errors: [
              subscriptionsNotSupported(
                'The reference engine (GATEWAY_ENGINE=apollo) runs no subscriptions: use the govgraph engine',
              ),
            ],
          };
        const version = this.versions.get(requestContext.schema) ?? this.current!;
        // Stock @apollo/gateway plans without @defer: refused, rather than silently answered whole.
        if (usesDefer(requestContext.operation, requestContext.document))
          return Promise.resolve({ errors: [deferNotSupported()] });
        return version.executor(requestContext);
      },
    };
  }

  async stop(): Promise<void> {
    await this.follower.stop();
    await this.current?.gateway.stop();
    await this.transport.close();
  }

  settled(): Promise<void> {
    return this.follower.settled();
  }

  async healthCheck(): Promise<void> {
    if (!this.current) throw new Error('the gateway has no schema loaded');
    await this.current.gateway.serviceHealthCheck();
  }

  private async build(version: SupergraphVersion): Promise<Version> {
    const { logger } = this.options;
    const transport = this.transport;
    const gateway = new ApolloGateway({
      logger,
      validateSupergraph: this.options.validateSupergraph,
      // An empty plan for fields a subgraph must serve would answer {} without an error (plan/planCheck.ts).
      experimental_didResolveQueryPlan: refuseUnresolvablePlans,
      supergraphSdl: version.sdl,
      buildService: ({ name, url }) =>
        new SubgraphDataSource(transport.client(name, this.options.subgraphUrl(name, url)), logger),
    });
    let apiSchema: GraphQLSchema | undefined;
    gateway.onSchemaLoadOrUpdate((schema) => (apiSchema = schema.apiSchema));
    const { executor } = await gateway.load(this.loadOptions);
    if (!apiSchema) throw new Error('the reference engine loaded no schema');
    return { gateway, apiSchema: withDeferDirective(apiSchema), executor };
  }

  private activate(version: Version, supergraph: SupergraphVersion): void {
    const previous = this.current;
    this.versions.set(version.apiSchema, version);
    this.current = version;
    for (const listener of this.listeners) {
      try {
        listener({ apiSchema: version.apiSchema, coreSupergraphSdl: supergraph.sdl });
      } catch (error) {
        this.options.logger.error(
          `an onSchemaLoadOrUpdate listener failed; the schema still updates: ${(error as Error)?.message ?? error}`,
        );
      }
    }
    previous?.gateway.stop().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'stopping the previous reference gateway failed');
    });
  }
}

/**
 * The API schema Apollo Server validates against declares `@defer` as the govgraph engine's does
 * (federation's `includeDefer`), so that an operation using it reaches the executor and gets the
 * clear refusal below instead of "Unknown directive", and introspection is the same on both engines.
 */
function withDeferDirective(schema: GraphQLSchema): GraphQLSchema {
  if (schema.getDirective('defer')) return schema;
  const defer = new GraphQLDirective({
    name: 'defer',
    locations: [DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT],
    args: {
      label: { type: GraphQLString },
      if: { type: new GraphQLNonNull(GraphQLBoolean), defaultValue: true },
    },
  });
  const config = schema.toConfig();
  return new GraphQLSchema({ ...config, directives: [...config.directives, defer] });
}

/** Whether the operation, or a fragment of its document, has a `@defer`. */
function usesDefer(operation: OperationDefinitionNode, document: DocumentNode): boolean {
  let found = false;
  const find = {
    Directive(node: { name: { value: string } }) {
      if (node.name.value !== 'defer') return undefined;
      found = true;
      return BREAK;
    },
  };
  visit(operation, find);
  for (const definition of document.definitions) {
    if (found) break;
    if (definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition, find);
  }
  return found;
}

function deferNotSupported(): GraphQLError {
  return new GraphQLError(
    'The reference engine (GATEWAY_ENGINE=apollo) does not support @defer; remove it or use the govgraph engine (docs/defer.md)',
    { extensions: { code: ErrorCode.DEFER_NOT_SUPPORTED } },
  );
}
