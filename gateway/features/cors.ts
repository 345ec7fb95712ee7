/**
 * CORS allow-list: browsers on the origins in `GATEWAY_CORS_ORIGINS` (comma-separated, exact
 * `scheme://host[:port]`) may call the GraphQL endpoint from their pages, with the `Authorization`
 * header; any other origin gets no CORS headers, so the browser keeps the answer from it. Empty (the
 * default) = same origin only, and no preflight route at all.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { env } from '../../common/env';
import { ErrorCode } from '../../schema/error-codes';
import type { GatewayContext } from '../context';
import { defineFeature } from '../feature';
import { sendJson } from '../httpEdge';

const ALLOWED_HEADERS =
  'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id';

function origins() {
  return env.text().transform((raw, ctx) => {
    const list = raw
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    for (const o of list) {
      if (!URL.canParse(o) || new URL(o).origin !== o)
        ctx.addIssue({
          code: 'custom',
          message: `must list origins like https://portal.example.vn, got "${o}"`,
        });
    }
    return new Set(list);
  });
}

export function corsPlugin(allowed: ReadonlySet<string>): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const origin = request.http?.headers.get('origin');
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('vary', 'Origin');
          if (origin && allowed.has(origin)) {
            response.http.headers.set('access-control-allow-origin', origin);
            response.http.headers.set('access-control-expose-headers', 'x-request-id, retry-after');
          }
        },
      };
    },
  };
}

export const cors = defineFeature({
  name: 'cors',
  env: {
    /** Origins whose pages may call the gateway, comma-separated. */
    GATEWAY_CORS_ORIGINS: origins().default(new Set<string>()),
  },
  create: (s, host) => {
    const allowed = s.GATEWAY_CORS_ORIGINS;
    if (allowed.size === 0) return {};
    return {
      plugins: [corsPlugin(allowed)],
      routes(app) {
        app.options(host.graphqlPath, async (request, reply) => {
          const origin = request.headers.origin;
          reply.header('vary', 'Origin');
          if (typeof origin !== 'string' || !allowed.has(origin))
            return sendJson(reply, 403, ErrorCode.FORBIDDEN, 'Origin not allowed');
          return reply
            .code(204)
            .header('access-control-allow-origin', origin)
            .header('access-control-allow-methods', 'GET, POST')
            .header('access-control-allow-headers', ALLOWED_HEADERS)
            .header('access-control-max-age', '600')
            .send();
        });
      },
    };
  },
});
