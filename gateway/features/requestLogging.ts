/**
 * Request logging: one line per GraphQL operation on the request's child logger (which carries the
 * request id): operation name and type, duration, HTTP status and the error codes returned.
 *
 * A subscription's delivery (one event run for one receiver, operations.ts) is an operation too, but
 * one per receiver per event: its line is at `debug`, with the event's id, as is a receiver refused
 * the entity (NOT_FOUND, FORBIDDEN: the delivery skips it, docs/subscriptions.md). A slow delivery or
 * another error is still a warning. The subscriptions feature logs one `info` line per event read.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context';
import { SUBSCRIPTION_CHECK } from '../operations';
import { env } from '../../common/env';
import { defineFeature } from '../feature';

export interface RequestLoggingOptions {
  /** Operations slower than this are logged at `warn` (default 1000 ms). */
  slowMs?: number;
}

/** What a delivery answers a receiver who may not see the entity: not a problem, nothing is sent. */
const NOT_FOR_THIS_RECEIVER = new Set(['NOT_FOUND', 'FORBIDDEN']);

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
          const event = contextValue.subscriptionEvent;
          const delivery = event !== undefined && event !== SUBSCRIPTION_CHECK;
          const errorCodes = errors?.map((e) => e.extensions?.code);
          const fields = {
            operationName: operationName ?? undefined,
            operationType: operation?.operation,
            status: response.http.status ?? 200,
            durationMs,
            errorCodes,
            ...(delivery && { eventId: (event as { id?: unknown }).id }),
          };
          const problem = delivery
            ? errorCodes?.some((code) => !NOT_FOR_THIS_RECEIVER.has(String(code)))
            : Boolean(errors?.length);
          if (problem || durationMs >= slowMs) contextValue.logger.warn(fields, 'graphql operation');
          else if (delivery) contextValue.logger.debug(fields, 'graphql operation');
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
