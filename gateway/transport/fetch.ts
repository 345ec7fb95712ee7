/**
 * The reference engine's dispatch: one JSON POST with the global `fetch`, the innermost link of
 * the fetch chain (chain.ts), same contract as undici.ts (non-2xx → SubgraphHttpError, JSON object
 * required).
 */
import { SubgraphHttpError } from './chain';
import type { SubgraphFetch, SubgraphResponse } from './chain';

/** The innermost link: POSTs the request as JSON and reads the answer. */
export const httpFetch: SubgraphFetch = async ({ request }) => {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: JSON.stringify(request.body),
    signal: request.signal,
  });
  const type = response.headers.get('content-type') ?? '';
  const json = /^application\/(?:graphql-response\+)?json/i.test(type);
  const body: unknown = json ? await response.json() : await response.text();
  if (!response.ok) throw new SubgraphHttpError(response.status, body);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error(`subgraph answered ${response.status} without a JSON object (content-type "${type}")`);
  }
  return { ...(body as SubgraphResponse), http: { headers: response.headers, status: response.status } };
};
