/**
 * The gateway core: @apollo/gateway (query planning over the supergraph) inside @apollo/server,
 * mounted on Fastify through `executeHTTPGraphQLRequest`. Generic: it serves any valid
 * Federation 2 supergraph and knows nothing about the domain. Features are plugins (plugins/) or
 * live in the subgraph data source (datasource.ts); this file only wires them together and owns
 * the HTTP edge (JSON errors, request ids, health, readiness, graceful shutdown).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin, HTTPGraphQLRequest } from '@apollo/server';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from './config';
import { subgraphEnvName } from './config';
import type { GatewayContext, GatewayLogger } from './context';
import { SubgraphDataSource } from './datasource';
import { ConfigError, GatewayErrorCode, httpErrorBody } from './errors';
import { registerGraphiql } from './graphiql';
import { defaultPlugins } from './plugins';

export interface CreateGatewayOptions {
  logger: GatewayLogger;
  /** Extra plugins, run after the default feature list (`plugins/index.ts`). */
  plugins?: ApolloServerPlugin<GatewayContext>[];
}

export interface Gateway {
  readonly app: FastifyInstance;
  /** Loads the supergraph, starts Apollo and listens. Rejects with a one-line reason on failure. */
  start(): Promise<{ url: string }>;
  /** Readiness goes 503, new connections are refused, in-flight requests drain, then everything closes. */
  stop(): Promise<void>;
  isReady(): boolean;
}

export const GRAPHQL_PATH = '/graphql';
export const GRAPHIQL_PATH = '/graphiql';
const PROBE_PATHS = new Set(['/health', '/ready']);
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Takes a sane incoming `x-request-id`, or makes one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

export function createGateway(config: GatewayConfig, options: CreateGatewayOptions): Gateway {
  const { logger } = options;
  const usedOverrides = new Set<string>();

  // @apollo/gateway sends anonymous usage metrics to Apollo (an OTLP exporter created in its
  // constructor) unless this variable is set. A gateway on an isolated government network must not
  // phone home, and the failing export also delays shutdown. This is the library's only switch.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';

  const gateway = new ApolloGateway({
    logger,
    // Read at start(), not here, so a missing file is a start-up failure like any other.
    supergraphSdl: async () => ({ supergraphSdl: await readSupergraph(config.supergraphPath) }),
    buildService({ name, url }) {
      const key = subgraphEnvName(name);
      const override = config.subgraphUrls[key];
      if (override) usedOverrides.add(key);
      const target = override ?? url;
      if (!target)
        throw new Error(`subgraph "${name}" has no URL in the supergraph; set SUBGRAPH_URL_${key}`);
      return new SubgraphDataSource({ name, url: target, logger });
    },
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    stopOnTerminationSignals: false,
    plugins: [
      ...defaultPlugins({ offline: { graphiqlPath: config.graphiql ? GRAPHIQL_PATH : null } }),
      ...(options.plugins ?? []),
    ],
  });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    // Operations are logged by the request-logging plugin; Fastify's own per-request lines would duplicate them.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    exposeHeadRoutes: false,
    // Refused in our onRequest hook instead, so the 503 has the same JSON shape as every other error.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  });

  // 'unready': stop() was called; /ready says 503 so load balancers drain us, but requests are still
  // served for GATEWAY_SHUTDOWN_DELAY. 'stopping': the listener is closed and in-flight requests drain.
  let state: 'new' | 'starting' | 'ready' | 'unready' | 'stopping' | 'stopped' = 'new';
  let stopped: Promise<void> | undefined;

  // Which methods each path accepts, so a wrong method gets 405 + Allow instead of 404.
  const methodsByPath = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = methodsByPath.get(route.url) ?? new Set<string>();
    for (const m of [route.method].flat()) methods.add(m);
    methodsByPath.set(route.url, methods);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if ((state === 'stopping' || state === 'stopped') && !PROBE_PATHS.has(request.url.split('?')[0])) {
      reply.header('connection', 'close');
      return sendJson(
        reply,
        503,
        GatewayErrorCode.SERVICE_UNAVAILABLE,
        'The gateway is shutting down; retry',
      );
    }
    return undefined;
  });

  // Responses finished while draining close their keep-alive connection, so close() is not kept
  // waiting by clients that would otherwise hold an idle socket open.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (state === 'stopping') reply.header('connection', 'close');
    return payload;
  });

  // Every body type reaches Apollo, which answers non-JSON posts with its CSRF/400 errors.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError, request, reply) => sendHttpError(request, reply, error));
  app.setNotFoundHandler((request, reply) => {
    const methods = methodsByPath.get(request.url.split('?')[0]);
    if (methods) {
      const allow = [...methods].join(', ');
      return sendJson(
        reply.header('allow', allow),
        405,
        GatewayErrorCode.METHOD_NOT_ALLOWED,
        `Method ${request.method} not allowed; use ${allow}`,
      );
    }
    return sendJson(
      reply,
      404,
      GatewayErrorCode.NOT_FOUND,
      `No route ${request.method} ${request.url.split('?')[0]}`,
    );
  });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) =>
    state === 'ready'
      ? { status: 'ready' }
      : reply.code(503).send({ status: state === 'new' || state === 'starting' ? 'starting' : 'stopping' }),
  );

  app.route({
    method: ['GET', 'POST'],
    url: GRAPHQL_PATH,
    onRequest: rejectUnsupportedEncoding,
    handler: async (request, reply) => {
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const q = request.url.indexOf('?');
      const httpGraphQLRequest: HTTPGraphQLRequest = {
        method: request.method.toUpperCase(),
        headers,
        search: q === -1 ? '' : request.url.slice(q),
        body: request.body,
      };
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: async () => ({ requestId: request.id, logger: request.log }),
      });
      for (const [name, value] of response.headers) reply.header(name, value);
      reply.code(response.status ?? 200);
      if (response.body.kind === 'complete') return reply.send(response.body.string);
      return reply.send(Readable.from(response.body.asyncIterator));
    },
  });

  if (config.graphiql) registerGraphiql(app, { path: GRAPHIQL_PATH, endpoint: GRAPHQL_PATH });

  async function start(): Promise<{ url: string }> {
    if (state !== 'new') throw new Error(`gateway cannot start: it is ${state}`);
    state = 'starting';
    try {
      await apollo.start();
    } catch (error) {
      state = 'stopped';
      throw startupError(error, config.supergraphPath);
    }
    try {
      const unused = Object.keys(config.subgraphUrls).filter((k) => !usedOverrides.has(k));
      if (unused.length > 0) {
        throw new ConfigError(
          `SUBGRAPH_URL_${unused[0]}`,
          `no subgraph named like that in ${config.supergraphPath}`,
        );
      }
      await app.listen({ host: config.host, port: config.port });
    } catch (error) {
      state = 'stopped';
      await apollo.stop().catch(() => undefined);
      await app.close().catch(() => undefined);
      throw error;
    }
    state = 'ready';
    const { port } = app.server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return { url: `http://${host}:${port}${GRAPHQL_PATH}` };
  }

  function stop(): Promise<void> {
    stopped ??= (async () => {
      const wasRunning = state === 'ready';
      if (wasRunning && config.shutdownDelayMs > 0) {
        state = 'unready';
        await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
      }
      state = 'stopping';
      if (wasRunning) {
        const force = setTimeout(() => app.server.closeAllConnections(), config.shutdownTimeoutMs);
        force.unref();
        try {
          await app.close();
        } finally {
          clearTimeout(force);
        }
        await apollo.stop();
      } else {
        await app.close();
      }
      state = 'stopped';
    })();
    return stopped;
  }

  return { app, start, stop, isReady: () => state === 'ready' };
}

async function readSupergraph(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError('SUPERGRAPH_PATH', `cannot read supergraph file ${file} (${code})`);
  }
}

/** One line saying why start-up failed. */
function startupError(error: unknown, supergraphPath: string): Error {
  if (error instanceof ConfigError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ConfigError('SUPERGRAPH_PATH', `invalid supergraph ${supergraphPath}: ${detail.split('\n')[0]}`);
}

/** Encodings and charsets the gateway does not decode are refused rather than misread. */
async function rejectUnsupportedEncoding(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    return sendJson(
      reply,
      415,
      GatewayErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `Content-Encoding "${encoding}" is not supported`,
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8' && charset.toLowerCase() !== 'utf8') {
    return sendJson(
      reply,
      415,
      GatewayErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `Charset "${charset}" is not supported; use utf-8`,
    );
  }
  return undefined;
}

const BODY_ERRORS: Record<string, [number, GatewayErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, GatewayErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, GatewayErrorCode.BAD_REQUEST, 'Request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [
    400,
    GatewayErrorCode.BAD_REQUEST,
    'Request body is empty but content-type is application/json',
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, GatewayErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Unsupported content-type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    GatewayErrorCode.BAD_REQUEST,
    'Content-Length does not match the body',
  ],
};

function sendHttpError(request: FastifyRequest, reply: FastifyReply, error: FastifyError): FastifyReply {
  const known = error.code ? BODY_ERRORS[error.code] : undefined;
  if (known) return sendJson(reply, known[0], known[1], known[2]);
  const status = error.statusCode ?? 500;
  if (status === 413)
    return sendJson(reply, 413, GatewayErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large');
  if (status >= 400 && status < 500) {
    // e.g. prototype-poisoned JSON or a bad header: the request is wrong, the detail stays in the log.
    request.log.info({ err: error }, 'bad request');
    return sendJson(reply, status, GatewayErrorCode.BAD_REQUEST, 'Bad request');
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendJson(reply, 500, GatewayErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
}

function sendJson(
  reply: FastifyReply,
  status: number,
  code: GatewayErrorCode,
  message: string,
): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(httpErrorBody(code, message));
}
