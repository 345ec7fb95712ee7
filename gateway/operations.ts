/**
 * Operations that do not arrive as a `/graphql` HTTP request: what the subscriptions feature runs for
 * a WebSocket client (docs/subscriptions.md). The core gives features an `OperationRunner`
 * (`FeatureHost.operations`) that builds a request's context with the same features' hooks as an
 * HTTP request (identity, rate limits, trusted documents, token limits) and runs an operation
 * through the same Apollo Server pipeline (plugins: limits, authorization, error masking; the
 * document transforms; the engine) — so nothing a client sends over WebSocket escapes a rule that
 * applies over HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { FastifyRequest } from 'fastify';
import type { FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from './context';

export interface OperationBody {
  query?: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/**
 * `subscriptionEvent` of a check: the operation is parsed, validated, limited, authorized and planned
 * as for a delivery, and the engine then answers `{ data: null }` without fetching anything.
 */
export const SUBSCRIPTION_CHECK: unique symbol = Symbol('govgraph.subscriptionCheck');

export interface OperationRunner {
  /**
   * The context the features' hooks build for `request` (it needs `headers`, `ip`, `body`, `method`,
   * `log`, `id`); rejects with the coded GraphQLError of a hook that refuses it. A hook may rewrite
   * `request.body` (trusted documents put the manifest's text in `query`): run what it holds after.
   */
  context(request: FastifyRequest): Promise<GatewayContext>;
  /**
   * Runs one operation in `context` (a fresh request id each time). With `event`, one delivery of a
   * subscription: the engine runs the subscription's selection for that event, or, for
   * `SUBSCRIPTION_CHECK`, only checks it.
   */
  execute(body: OperationBody, context: GatewayContext, event?: unknown): Promise<FormattedExecutionResult>;
}

export function operationRunner(
  apollo: () => ApolloServer<GatewayContext>,
  context: (request: FastifyRequest) => Promise<GatewayContext>,
): OperationRunner {
  return {
    context,
    async execute(body, requestContext, event) {
      const contextValue: GatewayContext = {
        ...requestContext,
        requestId: randomUUID(),
        ...(event !== undefined && { subscriptionEvent: event }),
      };
      const response = await apollo().executeOperation(
        {
          query: body.query,
          operationName: body.operationName ?? undefined,
          variables: body.variables ?? undefined,
          extensions: body.extensions ?? undefined,
        },
        { contextValue },
      );
      if (response.body.kind !== 'single') throw new Error('an incremental response where one was expected');
      return response.body.singleResult;
    },
  };
}
