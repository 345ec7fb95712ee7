/**
 * Operation resolution: an unknown `operationName`, or several operations without one, is the
 * client's mistake → 400 OPERATION_RESOLUTION_FAILURE. Without this, Apollo Server hands the
 * document to @apollo/gateway, which answers 500 INVALID_GRAPHQL.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';
import type { GatewayContext } from '../context';
import { defineFeature } from '../feature';

export function operationResolutionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const message = request.operationName
            ? `Unknown operation named "${request.operationName}".`
            : 'Must provide operation name if query contains multiple operations.';
          throw new GraphQLError(message, {
            extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } },
          });
        },
      };
    },
  };
}

export const operationResolution = defineFeature({
  name: 'operation-resolution',
  create: () => ({ plugins: [operationResolutionPlugin()] }),
});
