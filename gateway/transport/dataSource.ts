/**
 * The reference engine's data source: @apollo/gateway calls `process` for every fetch of a query
 * plan (and for health checks); this thin `GraphQLDataSource` hands it to the same subgraph client
 * the govgraph engine calls (client.ts), so both engines share one transport.
 */
import { randomUUID } from 'node:crypto';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext, GatewayLogger } from '../context';
import type { CachePolicy, SubgraphClient } from './client';

type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type GatewayResponse = Awaited<ReturnType<GraphQLDataSource<GatewayContext>['process']>>;
/** The options of a fetch that serves a client operation (the public types name the kind only by enum). */
type OperationOptions = Extract<ProcessOptions, { incomingRequestContext: unknown }>;

const isOperation = (options: ProcessOptions): options is OperationOptions =>
  'incomingRequestContext' in options;

export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  /**
   * @param logger used when a fetch has no client request (e.g. health checks)
   */
  constructor(
    private readonly client: SubgraphClient,
    private readonly logger: GatewayLogger,
  ) {}

  async process(options: ProcessOptions): Promise<GatewayResponse> {
    const { query, operationName, variables, extensions, http } = options.request;
    if (!query) throw new Error('subgraph fetch without a query');
    const operation = isOperation(options);
    const context: GatewayContext = operation
      ? options.context
      : { requestId: randomUUID(), logger: this.logger };
    const cachePolicy = operation
      ? (options.incomingRequestContext.overallCachePolicy as CachePolicy | undefined)
      : undefined;
    const response = await this.client.fetch(
      { query, operationName, variables, extensions },
      context,
      cachePolicy,
      http?.headers,
    );
    return response as GatewayResponse;
  }
}
