/**
 * The WebSocket side of subscriptions: a `ws` server on the gateway's HTTP server (upgrades of the
 * GraphQL path) speaking graphql-transport-ws with graphql-ws's `makeServer`.
 *
 * - `connection_init`: the payload's `authorization` ("Bearer <JWT>", or `token`: the JWT alone;
 *   else the upgrade request's `Authorization` header) is verified by the same features' hooks as an
 *   HTTP request (identity). A refused token closes with 4403 Forbidden; so does the token's `exp`
 *   passing while connected. Over `maxConnectionsPerCaller` (by subject; by IP for anonymous
 *   callers) closes with 4429.
 * - `subscribe`: the payload is an HTTP request's body (query, variables, operationName,
 *   extensions) and gets the same context hooks (rate limits, trusted documents, token limits); a
 *   subscription is then checked through the whole pipeline (validation, depth/cost limits,
 *   authorization, planning) before it is accepted; an error there is the `error` message. A query
 *   or mutation simply runs. Over `maxPerConnection` subscriptions on the connection is an error.
 *   `extensions.lastEventId` (a result's `extensions.eventId`) resumes after that event.
 * - Upgrades over `maxConnectionsPerIp` are refused with HTTP 429 before the protocol starts.
 * - A slow consumer (the socket's `bufferedAmount` over `maxBufferedBytes`, or results queued past
 *   `maxQueued`) is closed with 1013 Try Again Later; nothing grows without bound.
 * - `close()` (graceful shutdown) closes every connection with 1001 Going Away.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { GraphQLError, GraphQLSchema, getOperationAST, parse } from 'graphql';
import type { DocumentNode, ExecutionArgs, FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import type { SubscribePayload } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { ErrorCode } from '../../../schema/error-codes';
import type { GatewayContext, GatewayLogger } from '../../context';
import type { OperationBody, OperationRunner } from '../../operations';
import { SUBSCRIPTION_CHECK } from '../../operations';
import { Delivery } from './delivery';
import { subscriptionRoot } from './filter';
import type { EventStream } from './stream';
import { isStreamId } from './stream';

export interface SubscriptionLimits {
  maxPerConnection: number;
  maxConnectionsPerCaller: number;
  maxConnectionsPerIp: number;
  maxBufferedBytes: number;
  maxQueued: number;
  replayMax: number;
  maxPayloadBytes: number;
  initTimeoutMs: number;
  keepAliveMs: number;
}

export interface SubscriptionServerOptions {
  path: string;
  operations: OperationRunner;
  stream: EventStream;
  limits: SubscriptionLimits;
  logger: GatewayLogger;
}

/** What one connection holds; graphql-ws's `ctx.extra`. */
interface Connection {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  readonly ip: string;
  authorization?: string;
  context?: GatewayContext;
  callerKey?: string;
  expiry?: NodeJS.Timeout;
  readonly deliveries: Set<Delivery>;
  /** Operations accepted or being checked on this connection (the per-connection limit). */
  active: number;
}

/** graphql-ws needs a schema in the arguments it is given; every operation runs through the gateway instead. */
const NO_SCHEMA = new GraphQLSchema({});
const SLOW_CONSUMER = 1013;
const GOING_AWAY = 1001;

export interface SubscriptionServer {
  /** Handles an HTTP upgrade of `path`; ignores others (returns false). */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  readonly connections: () => number;
  close(): Promise<void>;
}

export function subscriptionServer(o: SubscriptionServerOptions): SubscriptionServer {
  const { limits, operations, logger } = o;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxPayloadBytes, handleProtocols });
  const perIp = new Map<string, number>();
  const perCaller = new Map<string, number>();
  let closing = false;

  const count = (map: Map<string, number>, key: string, by: number): number => {
    const n = (map.get(key) ?? 0) + by;
    if (n <= 0) map.delete(key);
    else map.set(key, n);
    return n;
  };

  /** A request as the features' context hooks read it: the upgrade's headers, the client's IP, a body. */
  const requestOf = (c: Connection, body: OperationBody | undefined): FastifyRequest => {
    const headers: Record<string, string | string[] | undefined> = { ...c.request.headers };
    delete headers.authorization;
    if (c.authorization) headers.authorization = c.authorization;
    const id = randomUUID();
    return {
      id,
      headers,
      ip: c.ip,
      method: 'POST',
      url: o.path,
      body,
      raw: c.request,
      socket: c.request.socket,
      log: logger.child({ reqId: id, transport: 'graphql-ws' }),
    } as unknown as FastifyRequest;
  };

  /** A subscribe message's checks: the context hooks, parsing, and for a subscription the whole pipeline. */
  async function accept(
    c: Connection,
    id: string,
    payload: SubscribePayload,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const request = requestOf(c, { ...payload });
    let context: GatewayContext;
    try {
      context = await operations.context(request);
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === ErrorCode.UNAUTHENTICATED) {
        c.socket.close(CloseCode.Forbidden, 'Forbidden');
        return [error];
      }
      return [
        error instanceof GraphQLError
          ? error
          : coded(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'),
      ];
    }
    // The hooks may have rewritten the body (trusted documents: the manifest's text).
    const body = request.body as OperationBody;
    let document: DocumentNode;
    try {
      document = parse(body.query ?? '');
    } catch (error) {
      return [coded(ErrorCode.GRAPHQL_PARSE_FAILED, (error as Error).message)];
    }
    const operation = getOperationAST(document, body.operationName);
    if (operation?.operation === 'subscription') {
      const checked = await operations.execute(body, context, SUBSCRIPTION_CHECK);
      if (checked.errors?.length) return checked.errors.map(toGraphQLError);
    }
    const args: ExecutionArgs = {
      schema: NO_SCHEMA,
      document,
      operationName: body.operationName,
      variableValues: body.variables,
      contextValue: { context, body, id, payload, connection: c },
    };
    return args;
  }

  const server = makeServer<Record<string, unknown> | undefined, Connection>({
    connectionInitWaitTimeout: limits.initTimeoutMs,
    async onConnect(ctx) {
      const c = ctx.extra;
      c.authorization = authorizationOf(ctx.connectionParams, c.request);
      let context: GatewayContext;
      try {
        context = await operations.context(requestOf(c, {}));
      } catch (error) {
        const code = error instanceof GraphQLError ? error.extensions.code : undefined;
        if (code === ErrorCode.RATE_LIMITED)
          return void c.socket.close(CloseCode.TooManyInitialisationRequests, 'Rate limited');
        if (code !== ErrorCode.UNAUTHENTICATED)
          logger.warn({ err: error }, 'subscriptions: connection refused');
        return false; // 4403 Forbidden
      }
      const caller = context.identity;
      c.context = context;
      c.callerKey = caller?.subject ? `sub:${caller.subject}` : `ip:${c.ip}`;
      if (count(perCaller, c.callerKey, 1) > limits.maxConnectionsPerCaller) {
        c.socket.close(CloseCode.TooManyInitialisationRequests, 'Too many connections for this caller');
        return;
      }
      const exp = expiryOf(c.authorization);
      if (exp !== undefined) {
        const ms = Math.max(0, exp * 1000 - Date.now());
        c.expiry = setTimeout(
          () => c.socket.close(CloseCode.Forbidden, 'Forbidden: the token expired'),
          Math.min(ms, 2 ** 31 - 1),
        );
        c.expiry.unref();
      }
      return true;
    },
    async onSubscribe(ctx, id, payload) {
      const c = ctx.extra;
      if (c.active >= limits.maxPerConnection)
        return [
          coded(ErrorCode.RATE_LIMITED, `At most ${limits.maxPerConnection} subscriptions on one connection`),
        ];
      c.active++;
      const accepted = await accept(c, id, payload);
      if (Array.isArray(accepted)) c.active--;
      return accepted;
    },
    execute: (args) => {
      const { context, body, connection } = args.contextValue as {
        context: GatewayContext;
        body: OperationBody;
        connection: Connection;
      };
      return operations.execute(body, context).finally(() => connection.active--) as never;
    },
    subscribe: (args) => {
      const c = connectionOf(args);
      const { context, body, payload } = args.contextValue as {
        context: GatewayContext;
        body: OperationBody;
        payload: SubscribePayload;
      };
      const root = subscriptionRoot(args.document, body.operationName, body.variables);
      if (!root)
        return {
          errors: [coded(ErrorCode.GRAPHQL_VALIDATION_FAILED, 'A subscription selects one field')],
        } as never;
      const after = payload.extensions?.lastEventId;
      const delivery: Delivery = new Delivery({
        operations,
        stream: o.stream,
        body,
        context,
        root,
        after: typeof after === 'string' && isStreamId(after) ? after : undefined,
        replayMax: limits.replayMax,
        maxQueued: limits.maxQueued,
        overflow: () => c.socket.close(SLOW_CONSUMER, 'Slow consumer'),
        logger,
      });
      c.deliveries.add(delivery);
      const next = delivery.next.bind(delivery);
      // Back-pressure: what the socket has not sent yet is bounded, checked before each result.
      delivery.next = async () => {
        const result = await next();
        if (!result.done && c.socket.bufferedAmount > limits.maxBufferedBytes) {
          c.socket.close(SLOW_CONSUMER, 'Slow consumer');
          delivery.stop();
          return { value: undefined, done: true };
        }
        return result;
      };
      const stop = delivery.stop.bind(delivery);
      delivery.stop = () => {
        if (c.deliveries.delete(delivery)) c.active--;
        stop();
      };
      return delivery as never;
    },
    onNext: (_ctx, _id, _payload, _args, result) => result as unknown as FormattedExecutionResult,
  });

  // The current subscribe's connection: graphql-ws hands `subscribe` only the arguments, so they carry it.
  const connectionOf = (args: ExecutionArgs): Connection =>
    (args.contextValue as { connection: Connection }).connection;

  wss.on('connection', (socket: WebSocket, request: IncomingMessage, ip: string) => {
    const c: Connection = { socket, request, ip, deliveries: new Set(), active: 0 };
    const ping =
      limits.keepAliveMs > 0
        ? setInterval(() => socket.readyState === socket.OPEN && socket.ping(), limits.keepAliveMs).unref()
        : undefined;
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, () => resolve());
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', async (data) => {
            try {
              await cb(String(data));
            } catch (error) {
              logger.warn({ err: error }, 'subscriptions: a message failed');
              socket.close(CloseCode.BadRequest, 'Bad request');
            }
          }),
      },
      c,
    );
    socket.once('error', () => socket.terminate());
    socket.once('close', (code, reason) => {
      if (ping) clearInterval(ping);
      if (c.expiry) clearTimeout(c.expiry);
      for (const d of [...c.deliveries]) d.stop();
      count(perIp, ip, -1);
      if (c.callerKey) count(perCaller, c.callerKey, -1);
      void closed(code, String(reason));
    });
  });

  return {
    upgrade(request, socket, head) {
      const path = (request.url ?? '').split('?')[0];
      if (path !== o.path) return false;
      const ip = request.socket.remoteAddress ?? 'unknown';
      if (closing) return (refuseUpgrade(socket, 503, 'Service Unavailable'), true);
      if ((perIp.get(ip) ?? 0) >= limits.maxConnectionsPerIp)
        return (refuseUpgrade(socket, 429, 'Too Many Requests'), true);
      count(perIp, ip, 1);
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request, ip));
      return true;
    },
    connections: () => wss.clients.size,
    async close() {
      closing = true;
      for (const socket of wss.clients) socket.close(GOING_AWAY, 'Going away');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** `authorization` ("Bearer …") or `token` of connection_init's payload, else the upgrade's header. */
function authorizationOf(
  params: Record<string, unknown> | undefined,
  request: IncomingMessage,
): string | undefined {
  const given = params?.authorization ?? params?.Authorization;
  if (typeof given === 'string' && given.trim() !== '') return given.trim();
  if (typeof params?.token === 'string' && params.token !== '') return `Bearer ${params.token}`;
  const header = request.headers.authorization;
  return typeof header === 'string' && header !== '' ? header : undefined;
}

/** The `exp` of a bearer token already verified (identity), seconds. */
function expiryOf(authorization: string | undefined): number | undefined {
  const jwt = authorization?.replace(/^Bearer +/i, '');
  const payload = jwt?.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

function coded(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function toGraphQLError(e: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(e.message, { path: e.path, extensions: e.extensions });
}
