/**
 * Variables are coerced against the API schema as soon as the operation is resolved, before the limits
 * read them: `first: $n` with n = 99999999999 is refused as `first: Int cannot represent non 32-bit
 * signed integer value` (BAD_USER_INPUT naming the argument, errors.ts), not as an estimated cost of
 * 10^11. Both engines coerce again when they execute; this only moves the refusal ahead of the checks
 * that trust the values. The first invalid variable is reported (a hook can throw one error).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { ErrorCode } from '../../schema/error-codes';
import type { GatewayContext } from '../context';
import { defineFeature } from '../feature';

export function variablesPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, schema }) {
          const definitions = operation?.variableDefinitions;
          if (!definitions?.length) return;
          const { errors } = getVariableValues(schema, definitions, request.variables ?? {}, {
            maxErrors: 1,
          });
          const first = errors?.[0];
          if (!first) return;
          throw new GraphQLError(first.message, {
            nodes: first.nodes,
            originalError: first.originalError,
            extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
          });
        },
      };
    },
  };
}

export const variables = defineFeature({
  name: 'variables',
  create: () => ({ plugins: [variablesPlugin()] }),
});
