/**
 * The registry's HTTP API (docs/registry.md "HTTP API"): JSON in and out, one token per call, stable
 * error codes (errors.ts). Gateways poll `GET /v1/environments/<env>/supergraph`, which needs no token
 * (the signature, not the channel, is what a gateway trusts) and answers 304 to a matching
 * If-None-Match.
 */
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { publicKeyOf, SIGNATURE_HEADER } from '../common/supergraphSignature';
import type { Logger } from '../kit/runtime/logger';
import type { Database } from '../kit/runtime/db';
import type { VerifyToken } from './auth';
import { registerDocumentRoutes } from './documentRoutes';
import { registerContractRoutes } from './contractRoutes';
import { RegistryError } from './errors';
import { latestSupergraph, listVersions, servedSubgraphs } from './reads';
import { check, publish, rollback } from './store';
import { recordUsage, MAX_COORDINATES, MAX_REPORTS } from './usage';
import type { CheckPolicy } from './usage';

export interface RegistryServerOptions {
  db: Database;
  signingKey: KeyObject;
  verifyToken: VerifyToken;
  logger: Logger;
  /** How checks judge breaking changes (usage.ts). */
  policy: CheckPolicy;
  /** Days of usage kept. */
  usageRetentionDays: number;
}

/** Environment and subgraph names: lower-case words joined by hyphens, as schema/registry.json's. */
const NAME = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and hyphens');
const SDL = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(4 * 1024 * 1024, 'must be at most 4 MB');
const URL_ = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const PARAMS = z.object({ env: NAME, name: NAME.optional() });
const CHECK = z.object({ sdl: SDL, url: URL_.optional() }).strict();
const PUBLISH = z
  .object({ sdl: SDL, url: URL_.optional(), overrideReason: z.string().trim().min(1).max(500).optional() })
  .strict();
const ROLLBACK = z.object({ to: z.number().int().positive() }).strict();
const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD day');
const USAGE = z
  .object({
    reports: z
      .array(
        z
          .object({
            day: DAY,
            client: z.string().min(1).max(200),
            operation: z.string().min(1).max(200),
            coordinates: z
              .array(
                z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, 'must be Type.field'),
              )
              .max(MAX_COORDINATES),
            count: z.number().int().positive(),
          })
          .strict(),
      )
      .max(MAX_REPORTS),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const at = issue.path.length ? `${what}.${issue.path.join('.')}` : what;
  throw new RegistryError('BAD_REQUEST', `${at}: ${issue.message}`);
}

export function createRegistryServer(opts: RegistryServerOptions): FastifyInstance {
  const { db, signingKey, verifyToken, policy } = opts;
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    bodyLimit: 8 * 1024 * 1024,
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error instanceof RegistryError) {
      if (error.status >= 500) request.log.error({ err: error }, 'registry error');
      return reply
        .status(error.status)
        .send({ error: { code: error.code, message: error.message, ...error.details } });
    }
    // Fastify's own refusals (a body that is not JSON, too large, a wrong content type).
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
      return reply.status(400).send({ error: { code: 'BAD_REQUEST', message: error.message } });
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` },
    }),
  );

  const params = (request: FastifyRequest) => parse(PARAMS, request.params, 'path');
  const actor = async (request: FastifyRequest) => ({
    caller: await verifyToken(request.headers.authorization),
    requestId: String(request.id),
  });

  app.get('/health', async () => ({ status: 'ok' }));
  // Ready when its database answers: a registry without it can serve no supergraph.
  app.get('/ready', async (_request, reply) => {
    try {
      await db.query('select 1');
      return { status: 'ready' };
    } catch {
      return reply
        .status(503)
        .send({ status: 'unavailable', reason: 'the registry database does not answer' });
    }
  });
  app.get('/v1/public-key', async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send(`${publicKeyOf(signingKey)}\n`),
  );

  app.get('/v1/environments/:env/supergraph', async (request, reply) => {
    const { env } = params(request);
    const supergraph = await latestSupergraph(db, env);
    if (!supergraph) throw new RegistryError('NOT_FOUND', `nothing is published in ${env} yet`);
    const etag = `"${supergraph.hash}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply
      .header(SIGNATURE_HEADER, supergraph.signature)
      .type('text/plain; charset=utf-8')
      .send(supergraph.sdl);
  });

  app.get('/v1/environments/:env/subgraphs', async (request) => {
    const { env } = params(request);
    await verifyToken(request.headers.authorization);
    const served = await servedSubgraphs(db, env);
    return { subgraphs: served.map(({ name, url, version, hash }) => ({ name, url, version, hash })) };
  });

  app.get('/v1/environments/:env/subgraphs/:name/versions', async (request) => {
    const { env, name } = params(request);
    await verifyToken(request.headers.authorization);
    const versions = await listVersions(db, env, name!);
    if (!versions.length) throw new RegistryError('NOT_FOUND', `no subgraph "${name}" in ${env}`);
    return { subgraph: name, versions };
  });

  app.post('/v1/environments/:env/subgraphs/:name/check', async (request) => {
    const { env, name } = params(request);
    const { caller } = await actor(request);
    const body = parse(CHECK, request.body, 'body');
    const result = await check(db, caller, { env, subgraph: name!, ...body }, policy);
    return { ok: result.ok, compositionErrors: result.compositionErrors, changes: result.changes };
  });

  app.post('/v1/environments/:env/subgraphs/:name/publish', async (request) => {
    const { env, name } = params(request);
    const who = await actor(request);
    const body = parse(PUBLISH, request.body, 'body');
    const result = await publish(db, signingKey, who, { env, subgraph: name!, ...body }, policy);
    request.log.info(
      {
        env,
        subgraph: name,
        version: result.version,
        supergraph: result.supergraphHash,
        published: result.published,
      },
      'subgraph published',
    );
    return result;
  });

  app.post('/v1/environments/:env/subgraphs/:name/rollback', async (request) => {
    const { env, name } = params(request);
    const who = await actor(request);
    const { to } = parse(ROLLBACK, request.body, 'body');
    const result = await rollback(db, signingKey, who, { env, subgraph: name!, to });
    request.log.info({ env, subgraph: name, ...result, changes: undefined }, 'subgraph rolled back');
    return result;
  });

  // Gateways report field usage with a service token (an official's or an administrator's): a
  // partner's token may not, or it could make its own breaking change look unused.
  app.post('/v1/environments/:env/usage', async (request) => {
    const { env } = params(request);
    const { caller } = await actor(request);
    if (caller.role !== 'official' && caller.role !== 'admin')
      throw new RegistryError('FORBIDDEN', `a ${caller.role} token may not report usage`);
    const { reports } = parse(USAGE, request.body, 'body');
    const rows = await recordUsage(db, env, reports, opts.usageRetentionDays);
    return { recorded: rows };
  });

  registerDocumentRoutes(app, { db, verifyToken });
  registerContractRoutes(app, { db, signingKey, verifyToken, parse });

  return app;
}
