/**
 * Subgraph HTTP server: Fastify + mercurius serving a Federation 2 schema built with
 * `buildSubgraphSchema` from the subgraph's SDL. Adds `/health` (liveness) and `/ready` (database
 * reachable), per-request context with fresh DataLoaders, and error masking: catalogued errors keep
 * their message and code; anything else becomes INTERNAL_SERVER_ERROR and is logged, never shown.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { GraphQLError, parse } from 'graphql';
import mercurius from 'mercurius';
import type { Logger } from 'pino';
import { createAccess } from './access';
import { createAuditTrail } from './auditlog/trail';
import { auditFieldNames, auditMutations, auditResolvers, recordReadsBeforeResponse } from './auditlog';
import { agencyDirectory } from '../reference/catalogue/directory';
import { ANONYMOUS } from './context';
import type { Caller, RequestContext } from './context';
import type { Database } from './db';
import type { ReadRouter, RequestDatabase } from './replica';
import { databaseFailure, ErrorCode, isCatalogued } from './errors';
import { boundTextInputs } from './inputBounds';
import { formatInputError } from './inputErrors';
import { enforceInputLimits } from './inputLimits';
import { DEFAULT_HTTP_TIMEOUTS, fastifyTimeouts } from '../../common/httpTimeouts';
import type { HttpTimeouts } from '../../common/httpTimeouts';
import {
  CALLER_HEADER,
  createCallerVerifier,
  createDelegationVerifier,
  PEERS_HEADER,
} from '../../common/identity';
import { CLIENT_REQUEST_ID_HEADER, clientRequestIdFrom, forwardedRequestId } from '../../common/requestId';
import { createPeers } from './peers';
import type { SubgraphTracing } from './tracing';
import { protectPersonalData } from './personal-data/protect';
import { bindSubscriptionRoots, subscriptionEventOf } from './subscriptions';
import type { PersonalDataOwners } from './personal-data/protect';

export interface SubgraphDefinition<Loaders> {
  name: string;
  typeDefs: string;
  /** A resolver map (e.g. one typed by GraphQL Code Generator from the SDL). */
  resolvers: object;
  createLoaders: (db: Database) => Loaders;
  /** Owners of the records whose `@personalData` fields the SDL marks, per type (kit/personal-data.ts). */
  personalData?: PersonalDataOwners;
}

export interface SubgraphServerOptions<Loaders> extends SubgraphDefinition<Loaders> {
  db: Database;
  /** Reads of queries on a streaming replica (kit/runtime/replica.ts); absent = all on `db`. */
  reads?: ReadRouter;
  logger: Logger;
  maxPageSize: number;
  /** Maximum request body in bytes. */
  bodyLimit?: number;
  /** Header, request (body) and idle keep-alive timeouts; default common/httpTimeouts.ts's. */
  httpTimeouts?: HttpTimeouts;
  /**
   * The gateway's public key (`<NAME>_GATEWAY_PUBLIC_KEY`, see identity.ts). Every request but
   * `/health` and `/ready` must carry a caller token it signed; without a key, every one is refused.
   */
  gatewayPublicKey?: string;
  /** Per request to a peer subgraph (kit/peers.ts), ms; default 5000. */
  peerTimeoutMs?: number;
  /** `/ready` answers 503 when the database does not answer within this long, ms; default 2000. */
  readyTimeoutMs?: number;
  /** OpenTelemetry spans for requests and their statements (tracing.ts); none when unset. */
  tracing?: SubgraphTracing;
}

const OPEN_PATHS = new Set(['/health', '/ready']);

function refuse(message: string) {
  return { data: null, errors: [{ message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] };
}

/**
 * Only the gateway may call: each request must carry a caller token the gateway signed for this
 * subgraph (identity.ts), or it gets 401 before any GraphQL runs — `_entities` and `_service`
 * included. The verified caller becomes `ctx.caller`.
 */
function requireGateway(
  app: FastifyInstance,
  name: string,
  publicKey: string | undefined,
): WeakMap<FastifyRequest, Caller> {
  const callers = new WeakMap<FastifyRequest, Caller>();
  const verifier = publicKey === undefined ? undefined : createCallerVerifier(publicKey, name);
  // Surfaces a bad key at start-up (app.ready / listen) rather than on the first request.
  if (verifier) app.addHook('onReady', async () => void (await verifier.ready));
  app.addHook('onRequest', async (request, reply) => {
    if (OPEN_PATHS.has(request.url.split('?')[0]!)) return;
    const token = request.headers[CALLER_HEADER];
    if (!verifier || typeof token !== 'string') {
      return reply.code(401).send(refuse('This subgraph answers the gateway only'));
    }
    try {
      callers.set(request, await verifier.verify(token));
    } catch (err) {
      request.log.warn({ err }, 'refused a request without a valid gateway token');
      return reply.code(401).send(refuse('This subgraph answers the gateway only'));
    }
  });
  return callers;
}

function formatError(err: GraphQLError, log: FastifyBaseLogger): GraphQLFormattedError {
  const input = formatInputError(err); // a value refused: BAD_USER_INPUT naming the argument's path
  if (input) return input;
  const original = err.originalError;
  if (!original) {
    // Parse or validation error: the client's fault, safe to show.
    const code = err.message.startsWith('Syntax Error')
      ? ErrorCode.GRAPHQL_PARSE_FAILED
      : ErrorCode.GRAPHQL_VALIDATION_FAILED;
    return { message: err.message, locations: err.locations, extensions: { code, ...err.extensions } };
  }
  if (isCatalogued(original) || isCatalogued(err)) {
    const ext = isCatalogued(original) ? (original as GraphQLError).extensions : err.extensions;
    return { message: err.message, locations: err.locations, path: err.path, extensions: { ...ext } };
  }
  const db = databaseFailure(original);
  if (db) {
    log.warn({ err: original, path: err.path }, 'database failure');
    return {
      message: db.message,
      locations: err.locations,
      path: err.path,
      extensions: { ...db.extensions },
    };
  }
  log.error({ err: original, path: err.path }, 'resolver failed');
  return {
    message: 'Internal server error',
    locations: err.locations,
    path: err.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/** mercurius wraps request-validation errors (including variable coercion) in one error with `errors`. */
function flattenErrors(errors: readonly unknown[]): GraphQLError[] {
  return errors.flatMap((e) => {
    const inner =
      (e as { originalError?: { errors?: unknown } }).originalError?.errors ??
      (e as { errors?: unknown }).errors;
    if (Array.isArray(inner)) return flattenErrors(inner);
    return [
      e instanceof GraphQLError
        ? e
        : new GraphQLError('Internal server error', { originalError: e as Error }),
    ];
  });
}

/**
 * The resolver map with the audit log's parts (kit/auditlog): every Mutation recorded in its own
 * transaction, and the `<name>AuditLog`/`<name>AuditChain` root fields when the SDL has them.
 */
function withAuditLog<Loaders>(opts: SubgraphDefinition<Loaders>): Record<string, unknown> {
  const resolvers = auditMutations(
    opts.resolvers as Record<string, unknown>,
    opts.typeDefs,
    opts.createLoaders,
  );
  if (!new RegExp(`\\b${auditFieldNames(opts.name).log}\\b`).test(opts.typeDefs)) return resolvers;
  const audit = auditResolvers(opts.name);
  return {
    ...resolvers,
    Query: { ...(resolvers.Query as object), ...audit.Query },
    AuditEntry: { ...(resolvers.AuditEntry as object), ...audit.AuditEntry },
  };
}

export function createSubgraphServer<Loaders>(opts: SubgraphServerOptions<Loaders>): FastifyInstance {
  // Fastify's logger type is a structural subset of pino's; the instance is the pino logger itself.
  const app: FastifyInstance = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    // The gateway's request id (every request but the probes carries its caller token; common/requestId.ts).
    genReqId: (req) => forwardedRequestId(req.headers['x-request-id']),
    childLoggerFactory(logger, bindings, childOptions, raw) {
      const clientRequestId = clientRequestIdFrom(raw.headers[CLIENT_REQUEST_ID_HEADER]);
      return logger.child(clientRequestId ? { ...bindings, clientRequestId } : bindings, childOptions);
    },
    // One log line per failure is enough; Fastify's per-request lines would drown them at info level.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    ...fastifyTimeouts(opts.httpTimeouts ?? DEFAULT_HTTP_TIMEOUTS),
  });
  const { tracing } = opts;
  // First, so that every line the request logs (a refused token included) carries its trace id.
  if (tracing) {
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.url === '/graphql') tracing.start(request);
    });
    app.addHook('onResponse', async (request, reply) => tracing.exit(request, reply.statusCode));
  }
  const callers = requireGateway(app, opts.name, opts.gatewayPublicKey);
  // The catalogue's agencies in memory before the first request (kit/catalogue/directory.ts): the
  // scorecard's siblings and the documents subgraph's agency tree then cost no round trip. Best effort:
  // a database without the catalogue (or not seeded yet) is read again on first use.
  app.addHook('onReady', async () => void (await agencyDirectory(opts.db).catch(() => undefined)));
  const schema = buildSubgraphSchema({
    typeDefs: parse(opts.typeDefs),
    resolvers: withAuditLog(opts) as GraphQLResolverMap<unknown>,
  });
  protectPersonalData(schema, opts.personalData);
  bindSubscriptionRoots(schema); // a Subscription field's root is the gateway's event (kit/runtime/subscriptions.ts)
  boundTextInputs(schema); // blank and overlong text refused before any resolver (kit/inputBounds.ts)
  const delegations =
    opts.gatewayPublicKey === undefined
      ? undefined
      : createDelegationVerifier(opts.gatewayPublicKey, opts.name);
  app.register(mercurius, {
    schema,
    path: '/graphql',
    graphiql: false,
    context: (request): RequestContext<Loaders> => {
      opts.tracing?.enter(request);
      const caller = callers.get(request) ?? ANONYMOUS;
      const db = opts.reads ? opts.reads.forRequest(caller.subject) : opts.db;
      const event = subscriptionEventOf(request);
      return {
        ...(event && { event }),
        requestId: String(request.id),
        caller,
        db,
        loaders: opts.createLoaders(db),
        log: request.log,
        maxPageSize: opts.maxPageSize,
        audit: createAuditTrail(),
        access: createAccess(caller, opts.name, opts.db),
        peers: createPeers({
          self: opts.name,
          header:
            typeof request.headers[PEERS_HEADER] === 'string' ? request.headers[PEERS_HEADER] : undefined,
          verify: delegations?.verify,
          requestId: String(request.id),
          timeoutMs: opts.peerTimeoutMs ?? 5000,
        }),
      };
    },
    errorFormatter: (execution: ExecutionResult, ctx: unknown) => {
      const log = (ctx as { reply?: { log: FastifyBaseLogger } } | undefined)?.reply?.log ?? opts.logger;
      const errors = flattenErrors(execution.errors ?? []).map((e) => formatError(e, log));
      return { statusCode: 200, response: { data: execution.data ?? null, errors } };
    },
  });
  enforceInputLimits(app, schema); // kit/inputLimits.ts: lists within their @maxItems before anything runs
  if (opts.reads) writesOnPrimary(app);
  recordReadsBeforeResponse(app, opts.db); // kit/auditlog/reads.ts
  app.get('/health', async () => ({ status: 'ok', subgraph: opts.name }));
  // Readiness is the database answering, on a connection of its own and within a bound: neither a
  // busy pool nor a server that accepts but never answers holds the probe. While the process drains
  // (SIGTERM), Fastify answers 503 to every request, this one included.
  const readyMs = opts.readyTimeoutMs ?? 2000;
  app.get('/ready', async (_req, reply) => {
    try {
      await withTimeout(
        opts.db.ping ? opts.db.ping(readyMs) : opts.db.query('SELECT 1').then(() => undefined),
        readyMs,
      );
      return opts.reads
        ? { status: 'ready', subgraph: opts.name, replica: opts.reads.status() }
        : { status: 'ready', subgraph: opts.name };
    } catch {
      return reply.code(503).send({ status: 'unavailable', subgraph: opts.name, reason: 'database' });
    }
  });
  return app;
}

/** A mutation's every statement, its reads included, runs on the primary (kit/runtime/replica.ts). */
function writesOnPrimary(app: FastifyInstance): void {
  app.register(async (instance) => {
    instance.graphql.addHook('preExecution', async (_schema, document, context) => {
      if (document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation !== 'query'))
        (context as unknown as { db: RequestDatabase }).db.markWriting();
    });
  });
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
