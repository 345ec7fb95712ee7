/**
 * The reference engine (`GATEWAY_ENGINE=apollo`): stock `ApolloGateway` behind the engine
 * interface, given the supergraph of the same source (`supergraphSdl` as a function, so the source's
 * changes reach it through `update`) and fetching through the same transport (transport/dataSource.ts).
 * Loaded only when chosen (index.ts), so the govgraph engine never loads @apollo/gateway.
 */
import { ApolloGateway } from '@apollo/gateway';
import type { GatewayLoadResult, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { createTransport, SubgraphDataSource } from '../../transport';
import type { EngineOptions, GatewayEngine } from '../engine';
import { refuseUnresolvablePlans } from '../plan/planCheck';
import { refusedVersion } from '../supergraph/source';

export class ApolloEngine implements GatewayEngine {
  private readonly gateway: ApolloGateway;
  private readonly transport;

  constructor(options: EngineOptions) {
    const { source, logger } = options;
    const transport = createTransport({ wrappers: options.wrappers, dispatch: 'fetch' });
    this.transport = transport;
    this.gateway = new ApolloGateway({
      logger,
      validateSupergraph: options.validateSupergraph,
      // An empty plan for fields a subgraph must serve would answer {} without an error (plan/planCheck.ts).
      experimental_didResolveQueryPlan: refuseUnresolvablePlans,
      // Read at load(), not here, so a missing file is a start-up failure like any other.
      supergraphSdl: async ({ update }) => {
        const { sdl } = await source.load();
        const unsubscribe = source.onChange((version) => {
          try {
            update(version.sdl);
          } catch (error) {
            logger.error(refusedVersion(source.describe, version.hash, error));
          }
        });
        return {
          supergraphSdl: sdl,
          cleanup: async () => {
            unsubscribe();
            await source.stop();
          },
        };
      },
      buildService: ({ name, url }) =>
        new SubgraphDataSource(transport.client(name, options.subgraphUrl(name, url)), logger),
    });
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback) {
    return this.gateway.onSchemaLoadOrUpdate(callback);
  }

  load(options: Parameters<ApolloGateway['load']>[0]): Promise<GatewayLoadResult> {
    return this.gateway.load(options);
  }

  async stop(): Promise<void> {
    await this.gateway.stop();
    await this.transport.close();
  }

  async healthCheck(): Promise<void> {
    await this.gateway.serviceHealthCheck();
  }
}
