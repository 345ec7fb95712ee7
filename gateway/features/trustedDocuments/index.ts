/**
 * Trusted documents (a safelist): a client with a manifest (`GATEWAY_TRUSTED_DOCUMENTS`, e.g.
 * `portal=clients/portal/manifest.json`) may run only the operations in it, named by hash —
 * `extensions.persistedQuery.sha256Hash` (Apollo's persisted-query shape) or `documentId`
 * (`<sha256>` or `sha256:<sha256>`). The query text is optional; when sent it must be the manifest's.
 * Anything else is refused before parsing: no hash → 400 PERSISTED_QUERY_NOT_ALLOWED; a hash not in
 * the manifest → 400 PERSISTED_QUERY_NOT_FOUND. Only POST is accepted from such a client.
 *
 * The client is named by the `graphql-client-name` (or `apollographql-client-name`) header. Anonymous
 * callers — no bearer token — count as the client `GATEWAY_ANONYMOUS_CLIENT` (default `portal`: the
 * public portal is the only anonymous client), whatever name they send, so a caller cannot step out of
 * the portal's manifest by naming another client or none. Set it to `off` to hold anonymous callers to
 * nothing but their own client name. Manifests are read at start-up (a missing or malformed one stops
 * it) and are made by `npm run trusted-documents` from `clients/<name>/*.graphql`, or by Apollo's or
 * GraphQL Codegen's persisted-document tools (formats in ./manifest.ts; docs/clients.md).
 */
import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { ConfigError, env } from '../../../common/env';
import { ErrorCode } from '../../../schema/error-codes';
import { callerOf, isConnectionInit } from '../../context';
import { defineFeature } from '../../feature';
import type { ContextFields } from '../../feature';
import { loadManifest } from './manifest';
import type { Manifest } from './manifest';

export { loadManifest, parseManifest } from './manifest';
export type { Manifest } from './manifest';

const CLIENT_HEADERS = ['graphql-client-name', 'apollographql-client-name'];

function refuse(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/** Parses `name=file,name=file`; files are relative to the repository root. */
export function parseTrustedDocuments(raw: string): Map<string, string> | string {
  const out = new Map<string, string>();
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return `"${part.trim()}" is not client=manifest.json`;
    out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The context hook: rewrites an allowed request's body to carry the manifest's text, refuses the rest. */
export function trustedDocumentsGuard(
  manifests: ReadonlyMap<string, Manifest>,
  anonymousClient: string | undefined,
): (request: FastifyRequest) => ContextFields {
  return (request) => {
    // A subscription connection's init: no operation yet; each `subscribe` comes through here.
    if (isConnectionInit(request)) return {};
    const anonymous = (callerOf(request)?.role ?? 'anonymous') === 'anonymous';
    const named = CLIENT_HEADERS.map((h) => header(request, h)).find(Boolean);
    const client = anonymous && anonymousClient && manifests.has(anonymousClient) ? anonymousClient : named;
    const manifest = client !== undefined ? manifests.get(client) : undefined;
    if (!manifest) return {};
    const body = request.body as Record<string, unknown> | null;
    if (request.method !== 'POST' || !body || typeof body !== 'object')
      throw refuse(
        ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
        `Client "${client}" must POST its trusted documents`,
      );
    const extensions = body.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
    const byExtension = extensions?.persistedQuery?.sha256Hash;
    const byId =
      typeof body.documentId === 'string' ? body.documentId.replace(/^sha(?:256|1):/, '') : undefined;
    const hash = typeof byExtension === 'string' ? byExtension : byId;
    if (hash === undefined)
      throw refuse(
        ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
        `Client "${client}" may only run its trusted documents: send extensions.persistedQuery.sha256Hash or documentId`,
      );
    const text = manifest.get(hash);
    if (text === undefined)
      throw refuse(
        ErrorCode.PERSISTED_QUERY_NOT_FOUND,
        `No trusted document of client "${client}" has this hash`,
      );
    if (body.query !== undefined && body.query !== text)
      throw refuse(
        ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
        'The query text is not the trusted document of this hash',
      );
    body.query = text;
    delete body.documentId;
    return {};
  };
}

export const trustedDocuments = defineFeature({
  name: 'trusted-documents',
  env: {
    /** `client=manifest.json,…`: clients held to a manifest of trusted documents (off when unset). */
    GATEWAY_TRUSTED_DOCUMENTS: env.text().optional(),
    /** The client anonymous callers count as (`off`: none). */
    GATEWAY_ANONYMOUS_CLIENT: env.text().default('portal'),
  },
  create: (s) => {
    if (!s.GATEWAY_TRUSTED_DOCUMENTS) return {};
    const files = parseTrustedDocuments(s.GATEWAY_TRUSTED_DOCUMENTS);
    if (typeof files === 'string') throw new ConfigError('GATEWAY_TRUSTED_DOCUMENTS', files);
    const manifests = new Map([...files].map(([client, file]) => [client, loadManifest(file)]));
    const anonymous =
      s.GATEWAY_ANONYMOUS_CLIENT.toLowerCase() === 'off' ? undefined : s.GATEWAY_ANONYMOUS_CLIENT;
    return { context: trustedDocumentsGuard(manifests, anonymous) };
  },
});
