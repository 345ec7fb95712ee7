/**
 * Error masking: every error a client sees has a stable `extensions.code`, no stack or debugging
 * extensions, no URLs or host:port addresses, and unexpected internal errors say only
 * "Internal server error" (the original goes to the log, with the request id).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context';
import { PRIVATE_EXTENSIONS } from '../datasource';
import { GatewayErrorCode } from '../errors';

export interface ErrorMaskingOptions {
  /** Replace INTERNAL_SERVER_ERROR messages with a generic one (default true). */
  maskInternalErrors?: boolean;
}

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const ADDRESS_PATTERN = /(?:\b\d{1,3}(?:\.\d{1,3}){3}|\blocalhost|\[[0-9a-f:]+\])(?::\d{1,5})?(?!\w)/gi;
export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/** Removes URLs and network addresses from a message. */
export function redactAddresses(message: string): string {
  return message.replace(URL_PATTERN, '[redacted]').replace(ADDRESS_PATTERN, '[redacted]');
}

export function maskError(
  error: GraphQLFormattedError,
  options: ErrorMaskingOptions = {},
): GraphQLFormattedError {
  const extensions: Record<string, unknown> = { ...error.extensions };
  for (const key of PRIVATE_EXTENSIONS) delete extensions[key];
  if (typeof extensions.code !== 'string' || extensions.code === '') {
    extensions.code = GatewayErrorCode.INTERNAL_SERVER_ERROR;
  }
  const internal =
    extensions.code === GatewayErrorCode.INTERNAL_SERVER_ERROR && extensions.serviceName === undefined;
  const message = internal && options.maskInternalErrors !== false ? INTERNAL_ERROR_MESSAGE : error.message;
  return { ...error, message: redactAddresses(message), extensions };
}

export function errorMaskingPlugin(options: ErrorMaskingOptions = {}): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code === undefined || code === GatewayErrorCode.INTERNAL_SERVER_ERROR) {
              contextValue.logger.error(
                { err: error.originalError ?? error },
                `internal error: ${error.message}`,
              );
            }
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors) result.errors = result.errors.map((e) => maskError(e, options));
        },
      };
    },
  };
}
