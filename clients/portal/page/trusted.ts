/**
 * The portal page's only way to the API: a trusted document of clients/portal/ (manifest.json, bundled
 * into the page by scripts/portal.ts), named by its SHA-256 hash as `documentId`, with the client name
 * `portal` so the gateway holds the call to that manifest. No query text ever leaves the page.
 */
import manifest from '../manifest.json';

/** A GraphQL error answered by the gateway, with its stable `extensions.code`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const hashes = new Map<string, string>();
for (const [hash, text] of Object.entries(manifest as Record<string, string>)) {
  const name = /^(?:query|mutation|subscription)\s+(\w+)/.exec(text)?.[1];
  if (name) hashes.set(name, hash);
}

/** The manifest's hash of the operation `name`; throws for an operation the manifest does not hold. */
export function hashOf(name: string): string {
  const hash = hashes.get(name);
  if (!hash) throw new Error(`Không có tài liệu tin cậy ${name}`);
  return hash;
}

/** Runs the trusted document `operation` anonymously; rejects with an ApiError when nothing came back. */
export async function run<T>(operation: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'graphql-client-name': 'portal' },
    body: JSON.stringify({ documentId: `sha256:${hashOf(operation)}`, variables }),
  });
  let body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiError(`Máy chủ trả lời ${res.status}`, `HTTP_${res.status}`);
  }
  const first = body.errors?.[0];
  if (first && (!body.data || Object.values(body.data).every((v) => v === null)))
    throw new ApiError(first.message, first.extensions?.code ?? `HTTP_${res.status}`);
  if (!body.data) throw new ApiError(`Máy chủ trả lời ${res.status}`, `HTTP_${res.status}`);
  return body.data;
}
