/**
 * The contracts routes (docs/registry.md "HTTP API", docs/contracts.md): set, read and delete one
 * contract, its API schema, and the signed document of all an environment's contracts the gateways
 * poll (ETag, If-None-Match → 304, x-govgraph-signature as the supergraph's). Every route needs a
 * token: officials and administrators set and delete and read everything (the gateways' document
 * included); a partner reads only the contracts it is served, one by one (another's is NOT_FOUND,
 * so it does not learn the name exists).
 */
import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { printSchema } from 'graphql';
import { z } from 'zod';
import { SIGNATURE_HEADER, signSupergraph } from '../common/supergraphSignature';
import type { Database } from '../kit/runtime/db';
import { CONTRACT_NAME, CONTRACT_PARTNER } from '../schema/contracts';
import type { VerifyToken } from './auth';
import {
  contractApiSchema,
  contractsDocument,
  deleteContract,
  listContracts,
  readableContract,
  setContract,
} from './contracts';

export interface ContractRoutesOptions {
  db: Database;
  signingKey: KeyObject;
  verifyToken: VerifyToken;
  /** Validates a request part with zod; throws BAD_REQUEST naming the part (server.ts's `parse`). */
  parse: <T>(schema: z.ZodType<T>, value: unknown, what: string) => T;
}

const ENV = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and hyphens');
const PARAMS = z.object({
  env: ENV,
  name: z.string().regex(CONTRACT_NAME, 'must be lower-case letters, digits and hyphens').optional(),
});
const TAG = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be a tag name');
/** A list without repeats, in the order given. */
const list = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item)
    .max(200)
    .default([])
    .transform((values) => [...new Set(values)]);
const CONTRACT = z
  .object({
    include: list(TAG),
    exclude: list(TAG),
    partners: list(z.string().regex(CONTRACT_PARTNER, 'must be an agency code or scope:<scope>')),
  })
  .strict()
  .refine((c) => c.include.length + c.exclude.length > 0, 'give at least one include or exclude tag');

export function registerContractRoutes(app: FastifyInstance, opts: ContractRoutesOptions): void {
  const { db, signingKey, verifyToken, parse } = opts;
  const params = (request: FastifyRequest) => parse(PARAMS, request.params, 'path');
  const actor = async (request: FastifyRequest) => ({
    caller: await verifyToken(request.headers.authorization),
    requestId: String(request.id),
  });
  const base = '/v1/environments/:env/contracts';

  app.get(base, async (request, reply) => {
    const { env } = params(request);
    const caller = await verifyToken(request.headers.authorization);
    const document = contractsDocument(caller, await listContracts(db, env));
    const etag = `"${createHash('sha256').update(document, 'utf8').digest('hex')}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply
      .header(SIGNATURE_HEADER, signSupergraph(document, signingKey))
      .type('application/json; charset=utf-8')
      .send(document);
  });

  app.get(`${base}/:name`, async (request) => {
    const { env, name } = params(request);
    const caller = await verifyToken(request.headers.authorization);
    return { env, ...(await readableContract(db, caller, env, name!)) };
  });

  app.get(`${base}/:name/schema`, async (request, reply) => {
    const { env, name } = params(request);
    const caller = await verifyToken(request.headers.authorization);
    const contract = await readableContract(db, caller, env, name!);
    const schema = await contractApiSchema(db, env, contract);
    return reply.type('text/plain; charset=utf-8').send(`${printSchema(schema)}\n`);
  });

  app.put(`${base}/:name`, async (request) => {
    const { env, name } = params(request);
    const who = await actor(request);
    const body = parse(CONTRACT, request.body, 'body');
    const result = await setContract(db, who, { env, name: name!, ...body });
    request.log.info(
      { env, contract: name, revision: result.contract.revision, changed: result.changed },
      'contract set',
    );
    return { env, ...result };
  });

  app.delete(`${base}/:name`, async (request) => {
    const { env, name } = params(request);
    const who = await actor(request);
    const result = await deleteContract(db, who, env, name!);
    request.log.info({ env, contract: name, revision: result.revision }, 'contract deleted');
    return { env, ...result };
  });
}
