/**
 * The per-request context (context.ts) built from the incoming HTTP request: the core's fields, then
 * each feature's, in list order. A feature may refuse a request with a coded GraphQLError (e.g.
 * UNAUTHENTICATED); any other failure is logged and the client gets INTERNAL_SERVER_ERROR (Apollo's
 * plugins do not run for context errors, so the error-masking feature cannot mask it later). A
 * feature may not set a field the core or an earlier feature set.
 */
import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../schema/error-codes';
import type { GatewayContext } from './context';
import type { RequestDeadline } from './deadline';
import type { SupergraphEvents } from './engine';
import { INTERNAL_ERROR_MESSAGE } from './errors';
import type { ContextFields, FeatureParts } from './feature';
import { clientRequestIdOf } from './httpEdge';

/** A feature's context hook, with the feature's name for the log. */
export interface ContextContributor {
  name: string;
  fields: NonNullable<FeatureParts['context']>;
}

export function requestContextBuilder(
  contributors: readonly ContextContributor[],
  deadline: RequestDeadline,
  supergraph: SupergraphEvents,
): (request: FastifyRequest) => Promise<GatewayContext> {
  return async (request) => {
    const context: Record<string, unknown> = {
      requestId: request.id,
      logger: request.log,
      supergraphHash: supergraph.status().hash,
    };
    const clientRequestId = clientRequestIdOf(request);
    if (clientRequestId !== undefined) context.clientRequestId = clientRequestId;
    const scope = deadline.scopeOf(request);
    if (scope) {
      context.signal = scope.signal;
      context.deadline = scope.deadline;
    }
    for (const { name, fields } of contributors) {
      try {
        const contributed: ContextFields = await fields(request);
        for (const [key, value] of Object.entries(contributed)) {
          if (key in context) throw new Error(`sets context field "${key}", which is already set`);
          context[key] = value;
        }
      } catch (error) {
        if (error instanceof GraphQLError && typeof error.extensions.code === 'string') throw error;
        request.log.error({ err: error }, `gateway feature "${name}" failed to build the request context`);
        throw new GraphQLError(INTERNAL_ERROR_MESSAGE, {
          extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
        });
      }
    }
    return context as unknown as GatewayContext;
  };
}
