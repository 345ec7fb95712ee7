/**
 * Incremental delivery (`@defer`) over HTTP, the core's half: the format, the negotiation and the
 * per-request channel between the engine and the `/graphql` route (docs/defer.md).
 *
 * Apollo Server hands a gateway's executor result back as one single result, so an engine that
 * defers answers Apollo with the initial payload and leaves the rest here, keyed by the request's
 * context; the route (graphqlRoute.ts) then writes Apollo's answer as the first part of a
 * `multipart/mixed` response and the subsequent payloads as the next parts.
 *
 * The format is the one Apollo Client (3.7+, and 4 with `Defer20220824Handler`), Apollo Router and
 * Apollo Server's legacy mode speak: `Accept: multipart/mixed;deferSpec=20220824`, answered with
 * `Content-Type: multipart/mixed; boundary="-"; deferSpec=20220824`; the first part is
 * `{ data, errors?, hasNext: true }`, each next one `{ incremental: [{ data, path, label?, errors? }],
 * hasNext }`, the last with `hasNext: false`.
 */
import type { GraphQLFormattedError } from 'graphql';

export const DEFER_SPEC_MEDIA_TYPE = 'multipart/mixed; deferSpec=20220824';
export const MULTIPART_CONTENT_TYPE = 'multipart/mixed; boundary="-"; deferSpec=20220824';

/** One deferred fragment's answer at one place in the response. */
export interface IncrementalItem {
  data: Record<string, unknown> | null;
  path: (string | number)[];
  label?: string;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

export interface SubsequentPayload {
  incremental?: IncrementalItem[];
  /** Errors of a deferred block that reached no object to deliver at. */
  errors?: GraphQLFormattedError[];
  hasNext: boolean;
}

/** What an engine leaves for the route: the payloads after the initial one. */
export interface Deferral {
  /** Pulled by the route once the initial payload is written; the deferred fetches start then. */
  readonly subsequent: AsyncIterable<SubsequentPayload>;
  /** Formatters for the subsequent payloads' errors (the core's, then the features'), in order. */
  readonly formatters: ((error: GraphQLFormattedError) => GraphQLFormattedError)[];
}

/**
 * The per-request channel, under a symbol in the request's context: an enumerable own property, so
 * that it survives the shallow copies of the context made on the way to the gateway's executor.
 */
const CHANNEL = Symbol('govgraph.incremental');

interface Channel {
  deferral?: Deferral;
}

function channelOf(context: object): Channel | undefined {
  return (context as { [CHANNEL]?: Channel })[CHANNEL];
}

/** An `Accept` header's media ranges: type, subtype, parameters (names lower-cased) and weight. */
function mediaRanges(accept: string): { type: string; params: Map<string, string>; q: number }[] {
  return accept.split(',').flatMap((range) => {
    const [type, ...rest] = range.split(';').map((p) => p.trim());
    if (!type) return [];
    const params = new Map<string, string>();
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0)
        params.set(
          p.slice(0, eq).trim().toLowerCase(),
          p
            .slice(eq + 1)
            .trim()
            .replace(/^"|"$/g, ''),
        );
    }
    const q = params.has('q') ? Number(params.get('q')) : 1;
    return [{ type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0 }];
  });
}

/**
 * Whether an `Accept` header takes deferSpec=20220824 multipart responses: a `multipart/mixed` with
 * that parameter (a bare `multipart/mixed` is not enough: the client must name the format it parses,
 * as Apollo Server and Apollo Router require).
 */
export function acceptsDeferSpec(accept: string | undefined): boolean {
  if (!accept) return false;
  return mediaRanges(accept).some(
    (r) => r.type === 'multipart/mixed' && r.params.get('deferspec') === '20220824' && r.q > 0,
  );
}

const JSON_RANGES = new Set([
  'application/json',
  'application/graphql-response+json',
  'application/*',
  '*/*',
]);

/** Whether the request's client takes JSON (`application/json`, `application/graphql-response+json`, `*`). */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return mediaRanges(accept).some((r) => JSON_RANGES.has(r.type) && r.q > 0);
}

/** The route records that this request's client takes incremental delivery. */
export function acceptIncremental(context: object): void {
  (context as { [CHANNEL]?: Channel })[CHANNEL] = {};
}

/** Whether this request's client takes incremental delivery (asked by the engine before it defers). */
export function incrementalAccepted(context: object): boolean {
  return channelOf(context) !== undefined;
}

/** The engine leaves the payloads after the initial one for the route (a client that takes them). */
export function deferRest(context: object, subsequent: AsyncIterable<SubsequentPayload>): void {
  const channel = channelOf(context);
  if (channel) channel.deferral = { subsequent, formatters: [] };
}

/**
 * A feature formats the subsequent payloads' errors as it formats the initial one's (error masking
 * does, from its `willSendResponse`); a no-op when the request defers nothing.
 */
export function formatDeferredErrors(
  context: object,
  format: (error: GraphQLFormattedError) => GraphQLFormattedError,
): void {
  channelOf(context)?.deferral?.formatters.push(format);
}

/** The route takes what the engine left (once). */
export function takeDeferral(context: object): Deferral | undefined {
  const channel = channelOf(context);
  const deferral = channel?.deferral;
  if (channel) channel.deferral = undefined;
  return deferral;
}

const PART_HEADER = 'content-type: application/json; charset=utf-8\r\n\r\n';

/** One part: its JSON, then the boundary that closes it (the closing one after the last). */
function part(json: string, hasNext: boolean): string {
  return `${PART_HEADER}${json}\r\n---${hasNext ? '' : '--'}\r\n`;
}

/**
 * The multipart body: the initial payload (`initial`, Apollo's formatted single result with
 * `hasNext` added), then each subsequent payload with its errors formatted, in the framing Apollo
 * Server and Apollo Router write (`boundary="-"`, each part's own content type).
 */
export async function* multipartBody(
  initial: Record<string, unknown>,
  deferral: Deferral,
  formatError: (error: GraphQLFormattedError) => GraphQLFormattedError,
): AsyncGenerator<string> {
  yield `\r\n---\r\n${part(JSON.stringify({ ...initial, hasNext: true }), true)}`;
  const formatters = [formatError, ...deferral.formatters];
  let last = true;
  for await (const payload of deferral.subsequent) {
    const format = (e: GraphQLFormattedError) => formatters.reduce((x, f) => f(x), e);
    for (const item of payload.incremental ?? []) {
      if (item.errors) item.errors = item.errors.map(format);
    }
    if (payload.errors) payload.errors = payload.errors.map(format);
    last = !payload.hasNext;
    yield part(JSON.stringify(payload), payload.hasNext);
  }
  // The engine always ends with hasNext: false; should it not have, the body still ends well-formed.
  if (!last) yield part(JSON.stringify({ hasNext: false }), false);
}

/** A single result as the only part of a multipart response (a client that takes nothing else). */
export async function* singlePartBody(result: Record<string, unknown>): AsyncGenerator<string> {
  yield `\r\n---\r\n${part(JSON.stringify({ ...result, hasNext: false }), false)}`;
}
