/**
 * The one interface both engines implement (govgraph.ts, ours; reference/apolloEngine.ts, stock
 * @apollo/gateway) and what they are given. server.ts picks one through `createEngine` (index.ts)
 * and knows nothing else about either.
 */
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { GatewayLogger } from '../context';
import type { GatewayStats } from '../stats';
import type { SubgraphFetchWrapper } from '../transport';
import type { SupergraphEventSink } from './supergraph/events';
import type { SupergraphSource } from './supergraph/source';

/** An Apollo Server gateway that also checks its subgraphs' health on demand. */
export interface GatewayEngine extends GatewayInterface {
  /** Asks every subgraph for `__typename`; rejects naming the first that does not answer. */
  healthCheck(): Promise<void>;
  /** Resolves when the source's changes notified so far are applied or refused (tests). */
  settled(): Promise<void>;
}

export interface EngineOptions {
  /** Where the supergraph comes from; the engine loads it at `load()` and follows its changes. */
  source: SupergraphSource;
  /**
   * The features' supergraph hooks, composed: each version's text goes through it before the
   * engine builds it; a throw refuses the version (supergraph/follow.ts). Identity when absent.
   */
  transform?: (sdl: string) => string;
  /** Where loads, reloads and refusals are reported (supergraph/events.ts). */
  events?: SupergraphEventSink;
  /** The features' subgraph fetch wrappers, outermost first (transport/chain.ts). */
  wrappers: readonly SubgraphFetchWrapper[];
  /** The URL to fetch a subgraph at, given its name and its URL in the supergraph (may throw). */
  subgraphUrl(name: string, url: string | undefined): string;
  logger: GatewayLogger;
  /** Progressive override labels fixed by configuration (`GATEWAY_OVERRIDE_LABELS`, plan/overrideLabels.ts). */
  overrideLabels: ReadonlyMap<string, boolean>;
  /** Runs federation's supergraph validation at load (as @apollo/gateway does outside production). */
  validateSupergraph: boolean;
  /** Most operations whose plan and shaper are kept per version (govgraph; default 1000); the cache is cleared when full. */
  maxOperations?: number;
  /** Where plan-cache hits and misses are counted (govgraph engine; stats.ts). */
  stats?: GatewayStats;
}
