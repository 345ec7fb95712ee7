/**
 * The whole-request deadline and client disconnects, as the outermost `/graphql` request wrapper.
 * Each request gets an AbortSignal (the context's `signal`, with its `deadline`) that aborts when
 *
 * - GATEWAY_REQUEST_DEADLINE passes: the client gets HTTP 504 with GATEWAY_TIMEOUT at once, and the
 *   request's subgraph fetches are cancelled (the transport listens to the signal); or
 * - the client's connection closes before the answer: the fetches are cancelled, nobody is answered.
 *
 * The subgraph-level limits (timeouts, retries, breaker) are the transport's (transport/resilience/).
 */
import { HeaderMap } from '@apollo/server';
import type { HTTPGraphQLResponse } from '@apollo/server';
import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../schema/error-codes';
import { httpErrorBody } from './errors';
import type { GraphqlRequestWrapper } from './graphqlRoute';

export interface RequestScope {
  readonly signal: AbortSignal;
  /** Epoch ms. */
  readonly deadline: number;
}

export interface RequestDeadline {
  /** The outermost request wrapper. */
  readonly wrapper: GraphqlRequestWrapper;
  /** The scope the wrapper opened for this request (for its context), if any. */
  scopeOf(request: FastifyRequest): RequestScope | undefined;
}

const MESSAGE = 'The request did not complete within its deadline';

export function requestDeadline(deadlineMs: number): RequestDeadline {
  const scopes = new WeakMap<FastifyRequest, RequestScope>();
  const wrapper: GraphqlRequestWrapper = async ({ request }, next) => {
    const controller = new AbortController();
    scopes.set(request, { signal: controller.signal, deadline: Date.now() + deadlineMs });
    const socket = request.raw.socket;
    const onClose = () => controller.abort(new Error('the client closed the connection'));
    socket.once('close', onClose);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<HTTPGraphQLResponse>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new GraphQLError(MESSAGE, { extensions: { code: ErrorCode.GATEWAY_TIMEOUT } }));
        request.log.warn({ deadlineMs }, 'request deadline passed; answering 504');
        resolve(timeoutResponse());
      }, deadlineMs);
    });
    const release = () => {
      clearTimeout(timer);
      socket.off('close', onClose);
    };
    let streaming = false;
    try {
      const response = await Promise.race([next(), expired]);
      if (response.body.kind !== 'chunked') return response;
      // A streamed answer (@defer, incremental.ts) still fetches while it is written: the deadline
      // and the client's disconnect keep bounding it until its last part.
      streaming = true;
      return {
        ...response,
        body: { kind: 'chunked', asyncIterator: releasing(response.body.asyncIterator, release) },
      };
    } finally {
      if (!streaming) release();
    }
  };
  return { wrapper, scopeOf: (request) => scopes.get(request) };
}

async function* releasing(parts: AsyncIterator<string>, release: () => void): AsyncGenerator<string> {
  try {
    for (;;) {
      const next = await parts.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    release();
    await parts.return?.();
  }
}

function timeoutResponse(): HTTPGraphQLResponse {
  const headers = new HeaderMap();
  headers.set('content-type', 'application/json; charset=utf-8');
  return {
    status: 504,
    headers,
    body: { kind: 'complete', string: JSON.stringify(httpErrorBody(ErrorCode.GATEWAY_TIMEOUT, MESSAGE)) },
  };
}
