/**
 * The trusted-document routes of the registry's HTTP API (docs/registry.md "HTTP API"), beside
 * server.ts's: `PUT /v1/environments/<env>/clients/<client>/documents` with `{ manifest }` (the
 * manifest file's JSON, any of the three formats) replaces the client's registered documents
 * (documents.ts). Errors are server.ts's: `{ error: { code, message, … } }`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Database } from '../kit/runtime/db';
import type { VerifyToken } from './auth';
import { registerDocuments } from './documents';
import { RegistryError } from './errors';

const PARAMS = z.object({
  env: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and hyphens'),
  // The name the client sends in `graphql-client-name` and the gateway's GATEWAY_TRUSTED_DOCUMENTS uses.
  client: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be letters, digits, ".", "_" and "-" (at most 100)'),
});
const BODY = z.object({ manifest: z.unknown().refine((m) => m !== undefined, 'is required') }).strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const at = issue.path.length ? `${what}.${issue.path.join('.')}` : what;
  throw new RegistryError('BAD_REQUEST', `${at}: ${issue.message}`);
}

export function registerDocumentRoutes(
  app: FastifyInstance,
  deps: { db: Database; verifyToken: VerifyToken },
) {
  app.put('/v1/environments/:env/clients/:client/documents', async (request) => {
    const { env, client } = parse(PARAMS, request.params, 'path');
    const caller = await deps.verifyToken(request.headers.authorization);
    const { manifest } = parse(BODY, request.body, 'body');
    const result = await registerDocuments(
      deps.db,
      { caller, requestId: String(request.id) },
      { env, client, manifest },
    );
    request.log.info(
      { env, client, documents: result.documents, registered: result.registered },
      'trusted documents registered',
    );
    return result;
  });
}
