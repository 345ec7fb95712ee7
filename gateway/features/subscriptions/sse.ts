/**
 * graphql-sse (its "distinct connections" mode, graphql-sse's protocol-agnostic `createHandler`) at
 * `<GraphQL path>/stream`: one subscription per request — `POST` with `Accept: text/event-stream` and
 * the operation as the JSON body (or `GET` with it in the query string, for `EventSource`); the
 * response is the event stream (`next` events, then `complete`). A trusted document may be named by
 * its hash alone (`documentId` or `extensions.persistedQuery`), as over HTTP.
 *
 * The caller is the request's `Authorization` header, verified per operation by the same features'
 * hooks (sessions.ts); a refusal is an HTTP error with the GraphQL errors as JSON (401 for a bad
 * token, 400 otherwise) before any stream starts. When the token's `exp` passes, the stream
 * completes (SSE has no close codes: the client reconnects with a fresh token and resumes with
 * `extensions.lastEventId`). A slow reader is cut off; `close()` (graceful shutdown) completes every
 * stream.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLSchema } from 'graphql';
import type { GraphQLError } from 'graphql';
import type { FormattedExecutionResult } from 'graphql';
import { createHandler } from 'graphql-sse';
import type { OperationArgs, Response } from 'graphql-sse';
import { ErrorCode } from '../../../schema/error-codes';
import type { Accepted, Session, Sessions } from './sessions';
import { expiryOf } from './sessions';

export interface SseOptions {
  path: string;
  sessions: Sessions;
}

interface Carried {
  readonly session: Session;
  readonly accepted: Accepted;
  readonly lastEventId: unknown;
  [key: PropertyKey]: unknown;
}

const NO_SCHEMA = new GraphQLSchema({});
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export interface SseServer {
  register(app: FastifyInstance): void;
  close(): void;
}

export function sseServer(o: SseOptions): SseServer {
  const { sessions } = o;
  const open = new Set<Session>();

  const handler = createHandler<IncomingMessage, { session: Session }, Carried>({
    // Validation, limits and authorization run in the gateway's own pipeline (sessions.ts).
    validate: () => [],
    // No reservations: distinct connections only.
    authenticate: () => null,
    async onSubscribe(req, params) {
      const { session } = req.context;
      const accepted = await sessions.accept(session, params);
      if (Array.isArray(accepted)) {
        const errors = accepted as readonly GraphQLError[];
        const status = errors[0]?.extensions.code === ErrorCode.UNAUTHENTICATED ? 401 : 400;
        const body = JSON.stringify({ errors: errors.map((e) => e.toJSON()) });
        return [
          body,
          { status, statusText: status === 401 ? 'Unauthorized' : 'Bad Request', headers: JSON_TYPE },
        ] as Response;
      }
      const { body, document } = accepted as Accepted;
      const args: OperationArgs<Carried> = {
        schema: NO_SCHEMA,
        document,
        operationName: body.operationName,
        variableValues: body.variables,
        contextValue: {
          session,
          accepted: accepted as Accepted,
          lastEventId: params.extensions?.lastEventId,
        },
      };
      return args;
    },
    execute: (args) => sessions.execute(args.contextValue.session, args.contextValue.accepted) as never,
    subscribe: (args) => {
      const { session, accepted, lastEventId } = args.contextValue;
      return sessions.deliver(session, accepted, lastEventId) as never;
    },
    onNext: (_ctx, _req, result) => result as unknown as FormattedExecutionResult as never,
  });

  async function serve(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const raw = reply.raw;
    const authorization = request.headers.authorization;
    const session: Session = {
      request: request.raw,
      ip: request.ip,
      authorization: typeof authorization === 'string' && authorization !== '' ? authorization : undefined,
      deliveries: new Set(),
      active: 0,
      buffered: () => raw.writableLength,
      slow: () => end(),
    };
    const end = (): void => {
      for (const d of [...session.deliveries]) d.stop();
    };
    const [body, init] = await handler({
      method: request.method,
      url: request.url,
      headers: {
        get: (key) => {
          const value = request.headers[key.toLowerCase()];
          return Array.isArray(value) ? value.join(', ') : (value ?? null);
        },
      },
      body: withQuery(request.body as Record<string, unknown> | string | undefined),
      raw: request.raw,
      context: { session },
    });
    if (body === null || typeof body === 'string') {
      reply.code(init.status).headers((init.headers ?? {}) as Record<string, string>);
      return reply.send(body ?? '');
    }
    open.add(session);
    const exp = expiryOf(session.authorization);
    const expiry =
      exp === undefined
        ? undefined
        : setTimeout(end, Math.min(Math.max(0, exp * 1000 - Date.now()), 2 ** 31 - 1));
    reply.hijack();
    raw.writeHead(init.status, init.headers as Record<string, string>);
    // The client went away: its deliveries stop, which completes graphql-sse's stream (a `return()`
    // alone would wait for the stream's next message).
    raw.once('close', () => {
      end();
      void body.return(undefined);
    });
    try {
      for await (const chunk of body) raw.write(chunk);
    } finally {
      if (expiry) clearTimeout(expiry);
      end();
      open.delete(session);
      raw.end();
    }
  }

  return {
    register(app) {
      app.route({ method: ['GET', 'POST'], url: `${o.path}/stream`, handler: serve });
    },
    close() {
      for (const session of open) for (const d of [...session.deliveries]) d.stop();
    },
  };
}

/**
 * graphql-sse requires `query` and keeps only the standard fields: a trusted document sent by hash
 * alone gets `""` (sessions.ts `byHash`), and a `documentId` travels as `extensions.persistedQuery`.
 */
function withQuery(
  body: Record<string, unknown> | string | undefined,
): Record<string, unknown> | string | null {
  if (!body || typeof body !== 'object') return body ?? null;
  const { documentId, ...rest } = body;
  const extensions = (rest.extensions ?? {}) as Record<string, unknown>;
  if (typeof documentId === 'string' && extensions.persistedQuery === undefined)
    rest.extensions = {
      ...extensions,
      persistedQuery: { version: 1, sha256Hash: documentId.replace(/^sha(?:256|1):/, '') },
    };
  const named = (rest.extensions as { persistedQuery?: unknown } | undefined)?.persistedQuery !== undefined;
  return named && rest.query === undefined ? { ...rest, query: '' } : rest;
}
