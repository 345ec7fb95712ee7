/**
 * What both transports share (docs/subscriptions.md): a session is one graphql-ws connection or one
 * SSE stream. Its operations get the features' context hooks with the operation as the request's
 * body (`accept`), a subscription is checked through the whole pipeline before it is accepted, and
 * an accepted one becomes a Delivery fed by the event stream (`deliver`), bounded per session.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { GraphQLError, getOperationAST, parse } from 'graphql';
import type { DocumentNode, FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../../schema/error-codes';
import { markConnectionInit } from '../../context';
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

export interface SessionsOptions {
  path: string;
  operations: OperationRunner;
  stream: EventStream;
  limits: SubscriptionLimits;
  logger: GatewayLogger;
}

/** One graphql-ws connection or one SSE stream. */
export interface Session {
  readonly request: IncomingMessage;
  readonly ip: string;
  /** The `Authorization` the session's operations are verified with. */
  authorization?: string;
  readonly deliveries: Set<Delivery>;
  /** Operations accepted or being checked (the per-connection limit). */
  active: number;
  /** Bytes written but not yet sent (back-pressure). */
  buffered(): number;
  /** Ends the session because of a slow consumer. */
  slow(): void;
}

/** An operation a session may run: its context, its body (after the hooks) and parsed document. */
export interface Accepted {
  readonly context: GatewayContext;
  readonly body: OperationBody;
  readonly document: DocumentNode;
  readonly subscription: boolean;
}

export interface Sessions {
  /**
   * Checks one operation of a session: the per-session limit, the context hooks, parsing and, for a
   * subscription, the whole pipeline. Errors are coded; UNAUTHENTICATED means the token no longer
   * verifies. On success the operation counts against the session until `release` (or its delivery
   * stops).
   */
  accept(session: Session, body: OperationBody): Promise<Accepted | readonly GraphQLError[]>;
  release(session: Session): void;
  /** The deliveries of an accepted subscription; `lastEventId` resumes after that event. */
  deliver(session: Session, accepted: Accepted, lastEventId: unknown): Delivery;
  /** Runs an accepted query or mutation. */
  execute(session: Session, accepted: Accepted): Promise<FormattedExecutionResult>;
  /** The context of a session's caller (connection_init), or the coded error refusing it. */
  connect(session: Session): Promise<GatewayContext>;
}

export function sessions(o: SessionsOptions): Sessions {
  const { limits, operations, logger } = o;

  /** A request as the features' context hooks read it: the session's headers and IP, a body. */
  const requestOf = (s: Session, body: OperationBody | undefined): FastifyRequest => {
    const headers: Record<string, string | string[] | undefined> = { ...s.request.headers };
    delete headers.authorization;
    if (s.authorization) headers.authorization = s.authorization;
    const id = randomUUID();
    return {
      id,
      headers,
      ip: s.ip,
      method: 'POST',
      url: o.path,
      body,
      raw: s.request,
      socket: s.request.socket,
      log: logger.child({ reqId: id, transport: 'subscriptions' }),
    } as unknown as FastifyRequest;
  };

  async function check(s: Session, given: OperationBody): Promise<Accepted | readonly GraphQLError[]> {
    const request = requestOf(s, byHash(given));
    let context: GatewayContext;
    try {
      context = await operations.context(request);
    } catch (error) {
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
    const subscription = getOperationAST(document, body.operationName)?.operation === 'subscription';
    if (subscription) {
      const checked = await operations.execute(body, context, SUBSCRIPTION_CHECK);
      if (checked.errors?.length) return checked.errors.map(toGraphQLError);
      if (!subscriptionRoot(document, body.operationName, body.variables))
        return [coded(ErrorCode.GRAPHQL_VALIDATION_FAILED, 'A subscription selects one field')];
    }
    return { context, body, document, subscription };
  }

  return {
    async accept(s, body) {
      if (s.active >= limits.maxPerConnection)
        return [
          coded(ErrorCode.RATE_LIMITED, `At most ${limits.maxPerConnection} subscriptions on one connection`),
        ];
      s.active++;
      const accepted = await check(s, body);
      if (Array.isArray(accepted)) s.active--;
      return accepted;
    },
    release(s) {
      s.active--;
    },
    deliver(s, accepted, lastEventId) {
      const { body, context, document } = accepted;
      const delivery: Delivery = new Delivery({
        operations,
        stream: o.stream,
        body,
        context,
        root: subscriptionRoot(document, body.operationName, body.variables)!,
        after: typeof lastEventId === 'string' && isStreamId(lastEventId) ? lastEventId : undefined,
        replayMax: limits.replayMax,
        maxQueued: limits.maxQueued,
        overflow: () => s.slow(),
        logger,
      });
      s.deliveries.add(delivery);
      const next = delivery.next.bind(delivery);
      // Back-pressure: what the session has not sent yet is bounded, checked before each result.
      delivery.next = async () => {
        const result = await next();
        if (!result.done && s.buffered() > limits.maxBufferedBytes) {
          s.slow();
          delivery.stop();
          return { value: undefined, done: true };
        }
        return result;
      };
      const stop = delivery.stop.bind(delivery);
      delivery.stop = () => {
        if (s.deliveries.delete(delivery)) s.active--;
        stop();
      };
      return delivery;
    },
    execute: (s, accepted) => operations.execute(accepted.body, accepted.context).finally(() => s.active--),
    connect: (s) => {
      const request = requestOf(s, {});
      markConnectionInit(request);
      return operations.context(request);
    },
  };
}

/**
 * A trusted document named by its hash (`documentId`, or `extensions.persistedQuery.sha256Hash`):
 * graphql-ws and graphql-sse require a `query` string, so a client sends `""` (sse.ts puts it in when
 * absent); the trusted-documents hook then sees no text and puts the manifest's in.
 */
export function byHash(given: OperationBody & { documentId?: unknown }): OperationBody {
  const body = { ...given };
  const persisted = (body.extensions as { persistedQuery?: unknown } | null | undefined)?.persistedQuery;
  if (body.query === '' && (typeof body.documentId === 'string' || persisted !== undefined))
    delete body.query;
  return body;
}

export function coded(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function toGraphQLError(e: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(e.message, { path: e.path, extensions: e.extensions });
}

/** The `exp` of a bearer token already verified (identity), seconds. */
export function expiryOf(authorization: string | undefined): number | undefined {
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
