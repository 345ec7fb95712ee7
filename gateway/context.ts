/**
 * The per-request context every plugin, feature and subgraph fetch can rely on, and the caller of a
 * request: features never import each other, so the one that verifies the caller (identity) records
 * it here and the others (rate limits, trusted documents, authorization, schema visibility…) read it
 * here.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Caller } from '../common/identity';

/** Any pino logger (Fastify's request loggers included). */
export type GatewayLogger = FastifyBaseLogger;

/** The fields the core sets on every request. */
export interface CoreContext {
  /** The gateway's own id for the request: sent back in `x-request-id`, forwarded to every subgraph. */
  readonly requestId: string;
  /**
   * The client's own `x-request-id`, sanitised and cut to 128 characters (common/requestId.ts):
   * logged and forwarded as `x-client-request-id`, never used as the request id.
   */
  readonly clientRequestId?: string;
  /** Child logger bound to this request's id. */
  readonly logger: GatewayLogger;
  /**
   * Aborted when the client disconnects or the request's deadline (GATEWAY_REQUEST_DEADLINE) passes;
   * the transport then cancels the request's subgraph fetches (gateway/deadline.ts). Absent for
   * fetches no client request started (health checks).
   */
  readonly signal?: AbortSignal;
  /** When the request's deadline passes (epoch ms): no retry is started that would end after it. */
  readonly deadline?: number;
  /** The supergraph version serving when the request arrived (its sha256, engine/supergraph/events.ts). */
  readonly supergraphHash?: string;
  /**
   * One delivery of a subscription only: the event (its envelope, docs/subscriptions.md) the engine
   * runs the subscription's selection for. Set by the core for the subscriptions feature, never from
   * a client's request; without it the engine refuses a subscription (SUBSCRIPTIONS_NOT_SUPPORTED).
   */
  readonly subscriptionEvent?: unknown;
}

/** Attributes of an engine phase, as OpenTelemetry takes them. */
export type PhaseAttributes = Record<string, string | number | boolean>;

/**
 * Told of the engine's phases of one request as they run, e.g. to make a span of each: called as a
 * phase starts, it returns the function to call as the phase ends (with what was learnt meanwhile,
 * e.g. whether the plan came from the cache, and whether the phase failed).
 */
export type PhaseObserver = (
  phase: 'plan' | 'shape',
  attributes: PhaseAttributes,
) => (end?: { attributes?: PhaseAttributes; failed?: boolean }) => void;

/**
 * The core fields plus whatever the installed features declare (see feature.ts): a feature adds a
 * field by augmenting this interface with `declare module`.
 */
export interface GatewayContext extends CoreContext {
  /**
   * The verified caller (anonymous without a token), set by the identity feature; unset when no
   * feature verifies callers, and on fetches the gateway makes on its own (health checks).
   */
  readonly identity?: Caller;
  /**
   * The observer of the engine's phases (plan, shape), set by a feature (tracing) and called by the
   * govgraph engine; the reference engine's phases are @apollo/gateway's own and are not reported.
   */
  readonly phases?: PhaseObserver;
}

const callers = new WeakMap<FastifyRequest, Caller>();

/** Records the caller verified for an HTTP request (the identity feature, in its context hook). */
export function setCaller(request: FastifyRequest, caller: Caller): void {
  callers.set(request, caller);
}

/**
 * The caller verified for this HTTP request, for features whose context hooks run after the
 * verifying one (features/index.ts order; e.g. rate limiting per subject); undefined before it or
 * when none is installed. Once the context is built, read `context.identity`.
 */
export function callerOf(request: FastifyRequest): Caller | undefined {
  return callers.get(request);
}

const connectionInits = new WeakSet<FastifyRequest>();

/**
 * Marks the request the subscriptions feature builds for a connection's `connection_init`: it
 * verifies the caller and carries no operation (each `subscribe` is checked as a request of its
 * own), so operation-level hooks (trusted documents) let it through. Only in-process code can mark.
 */
export function markConnectionInit(request: FastifyRequest): void {
  connectionInits.add(request);
}

/** Whether `request` is a connection's `connection_init` (markConnectionInit), not an operation. */
export function isConnectionInit(request: FastifyRequest): boolean {
  return connectionInits.has(request);
}
