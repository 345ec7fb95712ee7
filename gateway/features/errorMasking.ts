/**
 * Error masking: no URLs or host:port addresses in any message a client sees, and unexpected
 * internal errors say only "Internal server error" (the original goes to the log, with the request
 * id). Private extensions are already gone by then: the core strips them for every error
 * (`toClientError` in errors.ts).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../schema/error-codes';
import type { GatewayContext } from '../context';
import { env } from '../../common/env';
import { INTERNAL_ERROR_MESSAGE } from '../errors';
import { defineFeature } from '../feature';
import { formatDeferredErrors } from '../incremental';

export interface ErrorMaskingOptions {
  /** Replace INTERNAL_SERVER_ERROR messages with a generic one (default true). */
  maskInternalErrors?: boolean;
}

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
// An IPv6 literal has a colon: `[::1]`, not the list index of a path like `input.results[0].area`.
const ADDRESS_PATTERN =
  /(?:\b\d{1,3}(?:\.\d{1,3}){3}|\blocalhost|\[[0-9a-f]*:[0-9a-f:]*\])(?::\d{1,5})?(?!\w)/gi;

/** Removes URLs and network addresses from a message. */
export function redactAddresses(message: string): string {
  return message.replace(URL_PATTERN, '[redacted]').replace(ADDRESS_PATTERN, '[redacted]');
}

export function maskError(
  error: GraphQLFormattedError,
  options: ErrorMaskingOptions = {},
): GraphQLFormattedError {
  const code = error.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR;
  const internal = code === ErrorCode.INTERNAL_SERVER_ERROR && error.extensions?.serviceName === undefined;
  const message = internal && options.maskInternalErrors !== false ? INTERNAL_ERROR_MESSAGE : error.message;
  return { ...error, message: redactAddresses(message) };
}

export function errorMaskingPlugin(options: ErrorMaskingOptions = {}): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code === undefined || code === ErrorCode.INTERNAL_SERVER_ERROR) {
              contextValue.logger.error(
                { err: error.originalError ?? error },
                `internal error: ${error.message}`,
              );
            }
          }
        },
        async willSendResponse({ response, contextValue }) {
          // A deferring answer's later payloads (@defer, docs/defer.md) are masked the same way.
          formatDeferredErrors(contextValue, (e) => maskError(e, options));
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors) result.errors = result.errors.map((e) => maskError(e, options));
        },
      };
    },
  };
}

export const errorMasking = defineFeature({
  name: 'error-masking',
  env: {
    /** `false` shows internal error messages to clients (still without addresses); for debugging only. */
    GATEWAY_MASK_INTERNAL_ERRORS: env.boolean().default(true),
  },
  create: (settings) => ({
    plugins: [errorMaskingPlugin({ maskInternalErrors: settings.GATEWAY_MASK_INTERNAL_ERRORS })],
  }),
});
