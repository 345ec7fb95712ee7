/**
 * The reference engine's dispatch: one JSON POST with the global `fetch`, the innermost link of
 * the fetch chain (chain.ts), same contract as undici.ts (non-2xx → SubgraphHttpError, JSON object
 * required).
 */
import { SubgraphHttpError, SubgraphResponseTooLargeError } from './chain';
import type { SubgraphFetch, SubgraphResponse } from './chain';

/** The innermost link: POSTs the request as JSON and reads the answer. */
export const httpFetch: SubgraphFetch = async ({ request }) => {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: JSON.stringify(request.body),
    signal: request.cancel?.toSignal() ?? request.signal,
  });
  const type = response.headers.get('content-type') ?? '';
  const json = /^application\/(?:graphql-response\+)?json/i.test(type);
  const text = await readText(response, request.maxResponseBytes ?? Infinity);
  const body: unknown = json ? JSON.parse(text) : text;
  if (!response.ok) throw new SubgraphHttpError(response.status, body, response.headers);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error(`subgraph answered ${response.status} without a JSON object (content-type "${type}")`);
  }
  return { ...(body as SubgraphResponse), http: { headers: response.headers, status: response.status } };
};

/** The body as text, refusing (and cancelling) it once it passes `limit` bytes. */
async function readText(response: Response, limit: number): Promise<string> {
  if (Number(response.headers.get('content-length')) > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new SubgraphResponseTooLargeError(limit);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel().catch(() => undefined);
      throw new SubgraphResponseTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, length).toString('utf8');
}
