/**
 * The URL source (`SUPERGRAPH_URL`): the supergraph served over HTTP (a schema registry, an object
 * store, a plain web server), fetched at load and then polled every `pollIntervalMs`. Each poll sends
 * `If-None-Match` with the last `ETag`, so an unchanged supergraph costs one empty 304; a server
 * without ETags sends the body again and the hash decides whether it changed. A poll that fails
 * (unreachable, timeout, non-2xx, not text) keeps the current supergraph: the first failure of a run
 * is logged at `warn`, the recovery at `info`, nothing in between (no log flood during an outage).
 * With `verify` (the registry's signature, docs/registry.md), a document that fails it is refused.
 */
import type { GatewayLogger } from '../../context';
import { ConfigError } from '../../errors';
import { reasonOf, supergraphVersion } from './source';
import type { SupergraphListener, SupergraphSource, SupergraphVersion } from './source';

export interface UrlSourceOptions {
  /** Ms between the end of one poll and the next. */
  pollIntervalMs: number;
  /** Ms one fetch may take (connect, headers and body). */
  timeoutMs: number;
  logger: GatewayLogger;
  /** Counts each poll and its outcome (tests, metrics). */
  onPoll?: (outcome: 'changed' | 'unchanged' | 'not-modified' | 'failed' | 'refused') => void;
  /**
   * Checks a fetched document with the response's headers (the registry's signature,
   * `GATEWAY_SUPERGRAPH_PUBLIC_KEY`): returns why it is refused, or null. A refused document never
   * reaches the listeners: at load it is a ConfigError, while polling it is logged once at `error`
   * (per hash) and reported to `onRefused`, and the serving version stays.
   */
  verify?: (sdl: string, headers: Headers) => string | null;
  onRefused?: (hash: string, reason: string) => void;
}

/** A document fetched but refused by `verify`. */
class Refused extends Error {
  constructor(
    readonly version: SupergraphVersion,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Most bytes of a supergraph document (the project's is ~200 KB). */
const MAX_BYTES = 64 * 1024 * 1024;

/** The URL without credentials or query string, which may carry a token: safe to log. */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** The URL to fetch and its credentials as a Basic `authorization` header (fetch refuses them in the URL). */
function splitCredentials(url: string): { target: string; authorization?: string } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { target: url };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { target: parsed.toString(), authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

export function urlSupergraphSource(url: string, options: UrlSourceOptions): SupergraphSource {
  const describe = describeUrl(url);
  const { target, authorization } = splitCredentials(url);
  const listeners = new Set<SupergraphListener>();
  let current: string | undefined;
  let etag: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inflight: AbortController | undefined;
  let stopped = false;
  let failing = false;
  let refusedHash: string | undefined;

  /** One GET; undefined on 304. Throws a one-line reason. */
  const fetchOnce = async (conditional: boolean): Promise<SupergraphVersion | undefined> => {
    const controller = new AbortController();
    inflight = controller;
    const timeout = setTimeout(
      () => controller.abort(new Error(`no answer in ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    try {
      const headers: Record<string, string> = { accept: 'text/plain, application/graphql, */*' };
      if (conditional && etag) headers['if-none-match'] = etag;
      if (authorization) headers.authorization = authorization;
      const response = await fetch(target, { headers, signal: controller.signal, redirect: 'follow' });
      if (response.status === 304) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > MAX_BYTES) {
        await response.body?.cancel();
        throw new Error(`${length} bytes, more than ${MAX_BYTES}`);
      }
      const sdl = await response.text();
      if (sdl.trim() === '') throw new Error('an empty body');
      const refusal = options.verify?.(sdl, response.headers) ?? null;
      // A refused document keeps no ETag: the next poll fetches whatever is there again.
      if (refusal !== null) throw new Refused(supergraphVersion(sdl), refusal);
      etag = response.headers.get('etag') ?? undefined;
      return supergraphVersion(sdl);
    } catch (error) {
      if (error instanceof Refused) throw error;
      const cause = controller.signal.aborted ? controller.signal.reason : error;
      const detail = (cause as { cause?: { code?: string } })?.cause?.code;
      // Never the query string (it may carry a token) in a message.
      const reason = reasonOf(cause).replaceAll(target, describe);
      throw new Error(detail ? `${reason} (${detail})` : reason);
    } finally {
      clearTimeout(timeout);
      inflight = undefined;
    }
  };

  const poll = async () => {
    let version: SupergraphVersion | undefined;
    try {
      version = await fetchOnce(true);
    } catch (error) {
      if (stopped) return;
      if (error instanceof Refused) {
        failing = false;
        options.onPoll?.('refused');
        // Once per refused document, not once per poll.
        if (error.version.hash === refusedHash) return;
        refusedHash = error.version.hash;
        options.logger.error(
          { supergraph: error.version.hash, current, source: describe, reason: error.reason },
          'supergraph refused; the current one keeps serving',
        );
        options.onRefused?.(error.version.hash, error.reason);
        return;
      }
      options.onPoll?.('failed');
      if (!failing)
        options.logger.warn(
          { source: describe, reason: reasonOf(error) },
          'cannot fetch the supergraph; keeping the current one',
        );
      failing = true;
      return;
    }
    if (failing) options.logger.info({ source: describe }, 'supergraph URL answers again');
    failing = false;
    if (stopped) return;
    if (!version) return options.onPoll?.('not-modified');
    if (version.hash === current) return options.onPoll?.('unchanged');
    current = version.hash;
    options.onPoll?.('changed');
    for (const listener of listeners) listener(version);
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void poll().finally(schedule), options.pollIntervalMs);
    timer.unref();
  };

  return {
    describe,
    async load() {
      let version: SupergraphVersion | undefined;
      try {
        version = await fetchOnce(false);
      } catch (error) {
        if (error instanceof Refused)
          throw new ConfigError(
            'GATEWAY_SUPERGRAPH_PUBLIC_KEY',
            `the supergraph at ${describe} (${error.version.hash}) is refused: ${error.reason}`,
          );
        throw new ConfigError(
          'SUPERGRAPH_URL',
          `cannot fetch the supergraph from ${describe}: ${reasonOf(error)}`,
        );
      }
      current = version!.hash;
      if (!timer) schedule();
      return version!;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      inflight?.abort(new Error('stopped'));
      listeners.clear();
    },
  };
}
