/**
 * What happens to the supergraph, for operators and metrics: the hash being served, how many
 * reloads took over and how many versions were refused, and a listener for each event. One per
 * gateway (per worker process with GATEWAY_WORKERS > 1); the engine reports into it (follow.ts) and
 * the gateway hands the read side to features (`FeatureHost.supergraph`) and to `/ready`.
 *
 * Hashes are the sha256 (hex) of the supergraph text as the source delivered it — the file's bytes
 * or the URL's body, before the features' supergraph hooks — so `sha256sum supergraph.graphql`
 * names the same version.
 */
import type { GatewayLogger } from '../../context';

export interface SupergraphReload {
  /** The version now serving. */
  readonly hash: string;
  /** The version it replaced. */
  readonly previousHash: string;
  /** The source's description (a path, or a URL without credentials or query). */
  readonly source: string;
  /** Reloads so far in this process, this one included. */
  readonly reloads: number;
}

export interface SupergraphRefusal {
  /** The version refused. */
  readonly hash: string;
  /** Why, in one line (a syntax error, not a supergraph, a schema or planner build failure...). */
  readonly reason: string;
  /** The version that keeps serving. */
  readonly currentHash: string;
  readonly source: string;
  /** Refusals so far in this process, this one included. */
  readonly refusals: number;
}

export interface SupergraphStatus {
  /** The version serving; undefined before the first load. */
  readonly hash: string | undefined;
  /** When it started serving (ISO 8601). */
  readonly since: string | undefined;
  readonly source: string | undefined;
  readonly reloads: number;
  readonly refusals: number;
  /** The last refused version, if any: its hash, reason and when. */
  readonly lastRefused?: { readonly hash: string; readonly reason: string; readonly at: string };
}

/** The read side: what features, probes and metrics see. */
export interface SupergraphEvents {
  status(): SupergraphStatus;
  /** Called after a new version took over; returns the unsubscriber. */
  onReload(listener: (event: SupergraphReload) => void): () => void;
  /** Called when a version was refused (the current one keeps serving); returns the unsubscriber. */
  onReloadRefused(listener: (event: SupergraphRefusal) => void): () => void;
}

/** The write side, for the engine. */
export interface SupergraphEventSink extends SupergraphEvents {
  loaded(hash: string, source: string): void;
  reloaded(hash: string, source: string): void;
  refused(hash: string, reason: string, source: string): void;
}

export function supergraphEvents(logger?: GatewayLogger): SupergraphEventSink {
  let status: SupergraphStatus = {
    hash: undefined,
    since: undefined,
    source: undefined,
    reloads: 0,
    refusals: 0,
  };
  const reloadListeners = new Set<(event: SupergraphReload) => void>();
  const refusalListeners = new Set<(event: SupergraphRefusal) => void>();
  const emit = <E>(listeners: Set<(event: E) => void>, event: E) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger?.error({ err: error }, 'a supergraph event listener failed');
      }
    }
  };
  const subscribe = <E>(listeners: Set<(event: E) => void>, listener: (event: E) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return {
    status: () => status,
    onReload: (listener) => subscribe(reloadListeners, listener),
    onReloadRefused: (listener) => subscribe(refusalListeners, listener),
    loaded(hash, source) {
      status = { ...status, hash, source, since: new Date().toISOString() };
    },
    reloaded(hash, source) {
      const previousHash = status.hash ?? '';
      status = { ...status, hash, source, since: new Date().toISOString(), reloads: status.reloads + 1 };
      emit(reloadListeners, { hash, previousHash, source, reloads: status.reloads });
    },
    refused(hash, reason, source) {
      status = {
        ...status,
        refusals: status.refusals + 1,
        lastRefused: { hash, reason, at: new Date().toISOString() },
      };
      emit(refusalListeners, {
        hash,
        reason,
        currentHash: status.hash ?? '',
        source,
        refusals: status.refusals,
      });
    },
  };
}
