/**
 * A gateway feature defined as a module, for the tests: nothing in the core knows it. It reads the
 * caller's agency from an incoming header into the request context, forwards it to every subgraph
 * fetch as a header, counts fetches per subgraph, and serves those counts at `GET /caller-stats`.
 */
import { GraphQLError } from 'graphql';
import { env } from '../../../common/env';
import { defineFeature } from '../../feature';

declare module '../../context' {
  interface GatewayContext {
    /** The agency code the caller named, if any (set by the caller-agency test feature). */
    readonly callerAgency?: string;
  }
}

export const FORWARDED_HEADER = 'x-caller-agency';

export const callerAgency = defineFeature({
  name: 'caller-agency',
  env: {
    /** The incoming header that names the caller's agency. */
    GATEWAY_CALLER_HEADER: env.text().default('x-agency'),
    /** Longest agency code accepted. */
    GATEWAY_CALLER_MAX_LENGTH: env.integer(1, 64).default(16),
  },
  create(settings) {
    const fetches: Record<string, number> = {};
    const header = settings.GATEWAY_CALLER_HEADER.toLowerCase();
    return {
      context(request) {
        const value = request.headers[header];
        if (typeof value !== 'string') return {};
        if (value.length > settings.GATEWAY_CALLER_MAX_LENGTH) {
          throw new GraphQLError('agency code too long', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
        return { callerAgency: value };
      },
      async subgraphFetch(call, next) {
        fetches[call.subgraph] = (fetches[call.subgraph] ?? 0) + 1;
        if (call.context.callerAgency) call.request.headers.set(FORWARDED_HEADER, call.context.callerAgency);
        return next(call);
      },
      routes(app) {
        app.get('/caller-stats', async () => ({ fetches }));
      },
    };
  },
});
