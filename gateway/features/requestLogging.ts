/**
 * Request logging: one line per GraphQL operation on the request's child logger (which carries the
 * request id): operation name and type, duration, HTTP status and the error codes returned.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context';
import { env } from '../../common/env';
import { defineFeature } from '../feature';

export interface RequestLoggingOptions {
  /** Operations slower than this are logged at `warn` (default 1000 ms). */
  slowMs?: number;
}

export function requestLoggingPlugin(
  options: RequestLoggingOptions = {},
): ApolloServerPlugin<GatewayContext> {
  const slowMs = options.slowMs ?? 1000;
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, operation, response }) {
          const durationMs = Math.round((performance.now() - started) * 10) / 10;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const fields = {
            operationName: operationName ?? undefined,
            operationType: operation?.operation,
            status: response.http.status ?? 200,
            durationMs,
            errorCodes: errors?.map((e) => e.extensions?.code),
          };
          if (errors?.length || durationMs >= slowMs) contextValue.logger.warn(fields, 'graphql operation');
          else contextValue.logger.info(fields, 'graphql operation');
        },
      };
    },
  };
}

export const requestLogging = defineFeature({
  name: 'request-logging',
  env: {
    /** Operations at least this slow (ms) are logged at `warn`. */
    GATEWAY_SLOW_MS: env.integer(0, 3_600_000).default(1000),
  },
  create: (settings) => ({ plugins: [requestLoggingPlugin({ slowMs: settings.GATEWAY_SLOW_MS })] }),
});
