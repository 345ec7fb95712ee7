/**
 * The HTTP edge: the Fastify instance and everything a client sees before GraphQL runs. Every error
 * here is the same JSON shape as a GraphQL error (`{"errors":[{message, extensions:{code}}]}`),
 * every response carries `x-request-id` (the gateway's own id for the request; the client's own
 * `x-request-id` is kept apart as `clientRequestId`, common/requestId.ts), a wrong method gets 405
 * with `Allow`, an unknown path 404 ROUTE_NOT_FOUND, a body over the limit 413, and a gateway that is
 * shutting down 503.
 */
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { DEFAULT_HTTP_TIMEOUTS, fastifyTimeouts } from '../common/httpTimeouts';
import type { HttpTimeouts } from '../common/httpTimeouts';
import { clientRequestIdFrom, newRequestId } from '../common/requestId';
import { ErrorCode } from '../schema/error-codes';
import type { GatewayLogger } from './context';
import { httpErrorBody } from './errors';

export interface HttpEdgeOptions {
  bodyLimit: number;
  /** Header, request (body) and idle keep-alive timeouts (common/httpTimeouts.ts). */
  timeouts?: HttpTimeouts;
  /** Fastify's `trustProxy`: false, a hop count, or the proxies' addresses/CIDRs. */
  trustProxy?: false | number | readonly string[];
  logger: GatewayLogger;
  /** Paths always answered, even while closing (liveness and readiness probes). */
  probePaths: readonly string[];
  /** True once the listener is closing: other requests get 503 and keep-alive connections close. */
  closing(): boolean;
}

/** The client's own `x-request-id`, sanitised (common/requestId.ts); undefined without one. */
export function clientRequestIdOf(request: FastifyRequest): string | undefined {
  return clientRequestIdFrom(request.headers['x-request-id']);
}

const pathOf = (url: string) => url.split('?')[0];

/** Fastify's `trustProxy` for our setting: a hop count trusts that many proxies nearest the socket. */
function trustProxyOption(
  setting: HttpEdgeOptions['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting ? [...setting] : false;
}

export function createHttpEdge(options: HttpEdgeOptions): FastifyInstance {
  const probes = new Set(options.probePaths);
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit,
    ...fastifyTimeouts(options.timeouts ?? DEFAULT_HTTP_TIMEOUTS),
    clientErrorHandler: (error, socket) => answerClientError(error, socket, options.logger),
    trustProxy: trustProxyOption(options.trustProxy),
    // Operations are logged by the request-logging feature; Fastify's own per-request lines would duplicate them.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    // Our own id, never the client's: it is what subgraphs log and the audit log records.
    genReqId: () => newRequestId(),
    // Each request's logger also carries the client's own id, so a client can find its request.
    childLoggerFactory(logger, bindings, childOptions, raw) {
      const clientRequestId = clientRequestIdFrom(raw.headers['x-request-id']);
      return logger.child(clientRequestId ? { ...bindings, clientRequestId } : bindings, childOptions);
    },
    exposeHeadRoutes: false,
    // Refused in our onRequest hook instead, so the 503 has the same JSON shape as every other error.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  });

  // Which methods each path accepts, so a wrong method gets 405 + Allow instead of 404.
  const methodsByPath = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = methodsByPath.get(route.url) ?? new Set<string>();
    for (const m of [route.method].flat()) methods.add(m);
    methodsByPath.set(route.url, methods);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (options.closing() && !probes.has(pathOf(request.url))) {
      reply.header('connection', 'close');
      return sendJson(reply, 503, ErrorCode.SERVICE_UNAVAILABLE, 'The gateway is shutting down; retry');
    }
    return undefined;
  });

  // Responses finished while draining close their keep-alive connection, so close() is not kept
  // waiting by clients that would otherwise hold an idle socket open.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (options.closing()) reply.header('connection', 'close');
    return payload;
  });

  // Every body type reaches Apollo, which answers non-JSON posts with its CSRF/400 errors.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError, request, reply) => sendHttpError(request, reply, error));
  app.setNotFoundHandler((request, reply) => {
    const methods = methodsByPath.get(pathOf(request.url));
    if (methods) {
      const allow = [...methods].join(', ');
      return sendJson(
        reply.header('allow', allow),
        405,
        ErrorCode.METHOD_NOT_ALLOWED,
        `Method ${request.method} not allowed; use ${allow}`,
      );
    }
    return sendJson(
      reply,
      404,
      ErrorCode.ROUTE_NOT_FOUND,
      `No route ${request.method} ${pathOf(request.url)}`,
    );
  });

  return app;
}

/**
 * A request Node refused before Fastify saw it — past the header or request timeout, headers too
 * large, or not HTTP — answered in the same JSON shape as every other error, and its connection closed.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket, log: GatewayLogger): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, ErrorCode.REQUEST_TIMEOUT, 'The request did not arrive in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, ErrorCode.BAD_REQUEST, 'Request headers are too large']
        : [400, ErrorCode.BAD_REQUEST, 'Bad request'];
  log.info({ code: error.code, remoteAddress: socket.remoteAddress }, `client error: ${status}`);
  const body = JSON.stringify(httpErrorBody(code, message));
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Encodings and charsets the gateway does not decode are refused rather than misread. */
export async function rejectUnsupportedEncoding(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    return sendJson(
      reply,
      415,
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `Content-Encoding "${encoding}" is not supported`,
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8' && charset.toLowerCase() !== 'utf8') {
    return sendJson(
      reply,
      415,
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `Charset "${charset}" is not supported; use utf-8`,
    );
  }
  return undefined;
}

const BODY_ERRORS: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, ErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, ErrorCode.BAD_REQUEST, 'Request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [
    400,
    ErrorCode.BAD_REQUEST,
    'Request body is empty but content-type is application/json',
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Unsupported content-type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, ErrorCode.BAD_REQUEST, 'Content-Length does not match the body'],
};

function sendHttpError(request: FastifyRequest, reply: FastifyReply, error: FastifyError): FastifyReply {
  const known = error.code ? BODY_ERRORS[error.code] : undefined;
  if (known) return sendJson(reply, known[0], known[1], known[2]);
  const status = error.statusCode ?? 500;
  if (status === 413) return sendJson(reply, 413, ErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large');
  if (status >= 400 && status < 500) {
    // e.g. prototype-poisoned JSON or a bad header: the request is wrong, the detail stays in the log.
    request.log.info({ err: error }, 'bad request');
    return sendJson(reply, status, ErrorCode.BAD_REQUEST, 'Bad request');
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendJson(reply, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
}

export function sendJson(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(httpErrorBody(code, message));
}
