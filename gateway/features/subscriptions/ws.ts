/**
 * graphql-ws (the graphql-transport-ws protocol, graphql-ws's `makeServer`) over a `ws` server on the
 * gateway's HTTP server: upgrades of the GraphQL path.
 *
 * - `connection_init`: the payload's `authorization` ("Bearer <JWT>", or `token`: the JWT alone;
 *   else the upgrade request's `Authorization` header) is verified by the same features' hooks as an
 *   HTTP request (identity). A refused token closes with 4403 Forbidden; so does the token's `exp`
 *   passing while connected. Over `maxConnectionsPerCaller` (by subject; by IP for anonymous
 *   callers) closes with 4429.
 * - `subscribe`: sessions.ts checks it (the `error` message on failure); a subscription streams its
 *   deliveries, a query or mutation runs once. `extensions.lastEventId` resumes.
 * - Upgrades over `maxConnectionsPerIp` are refused with HTTP 429 before the protocol starts.
 * - A slow consumer is closed with 1013 Try Again Later; `close()` (graceful shutdown) closes every
 *   connection with 1001 Going Away.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, GraphQLSchema } from 'graphql';
import type { ExecutionArgs, FormattedExecutionResult } from 'graphql';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import type { SubscribePayload } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { ErrorCode } from '../../../schema/error-codes';
import type { GatewayLogger } from '../../context';
import type { Accepted, Session, Sessions, SubscriptionLimits } from './sessions';
import { expiryOf } from './sessions';

export interface WsServerOptions {
  path: string;
  sessions: Sessions;
  limits: SubscriptionLimits;
  logger: GatewayLogger;
}

/** One connection; graphql-ws's `ctx.extra`. */
interface Connection extends Session {
  readonly socket: WebSocket;
  callerKey?: string;
  expiry?: NodeJS.Timeout;
}

/** What `onSubscribe` hands `execute`/`subscribe` (graphql-ws passes them only the arguments). */
interface Carried {
  readonly connection: Connection;
  readonly accepted: Accepted;
  readonly payload: SubscribePayload;
}

/** graphql-ws needs a schema in the arguments; every operation runs through the gateway instead. */
const NO_SCHEMA = new GraphQLSchema({});
const SLOW_CONSUMER = 1013;
const GOING_AWAY = 1001;

export interface WsServer {
  /** Handles an HTTP upgrade of `path`; ignores others (returns false). */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

export function wsServer(o: WsServerOptions): WsServer {
  const { limits, sessions, logger } = o;
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

  const server = makeServer<Record<string, unknown> | undefined, Connection>({
    connectionInitWaitTimeout: limits.initTimeoutMs,
    async onConnect(ctx) {
      const c = ctx.extra;
      c.authorization = authorizationOf(ctx.connectionParams, c.request);
      let caller;
      try {
        caller = (await sessions.connect(c)).identity;
      } catch (error) {
        const code = error instanceof GraphQLError ? error.extensions.code : undefined;
        if (code === ErrorCode.RATE_LIMITED)
          return void c.socket.close(CloseCode.TooManyInitialisationRequests, 'Rate limited');
        if (code !== ErrorCode.UNAUTHENTICATED)
          logger.warn({ err: error }, 'subscriptions: connection refused');
        return false; // 4403 Forbidden
      }
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
    async onSubscribe(ctx, _id, payload) {
      const c = ctx.extra;
      const accepted = await sessions.accept(c, payload);
      if (Array.isArray(accepted)) {
        const errors = accepted as readonly GraphQLError[];
        if (errors[0]?.extensions.code === ErrorCode.UNAUTHENTICATED)
          c.socket.close(CloseCode.Forbidden, 'Forbidden');
        return errors;
      }
      const { body, document } = accepted as Accepted;
      const carried: Carried = { connection: c, accepted: accepted as Accepted, payload };
      const args: ExecutionArgs = {
        schema: NO_SCHEMA,
        document,
        operationName: body.operationName,
        variableValues: body.variables,
        contextValue: carried,
      };
      return args;
    },
    execute: (args) => {
      const { connection, accepted } = args.contextValue as Carried;
      return sessions.execute(connection, accepted) as never;
    },
    subscribe: (args) => {
      const { connection, accepted, payload } = args.contextValue as Carried;
      return sessions.deliver(connection, accepted, payload.extensions?.lastEventId) as never;
    },
    onNext: (_ctx, _id, _payload, _args, result) => result as unknown as FormattedExecutionResult,
  });

  wss.on('connection', (socket: WebSocket, request: IncomingMessage, ip: string) => {
    const c: Connection = {
      socket,
      request,
      ip,
      deliveries: new Set(),
      active: 0,
      buffered: () => socket.bufferedAmount,
      slow: () => socket.close(SLOW_CONSUMER, 'Slow consumer'),
    };
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
      // Counted once the handshake succeeds (a refused handshake never reaches the callback).
      wss.handleUpgrade(request, socket, head, (ws) => {
        count(perIp, ip, 1);
        wss.emit('connection', ws, request, ip);
      });
      return true;
    },
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
