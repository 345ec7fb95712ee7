/**
 * Following a supergraph source: how either engine takes a new version without a restart.
 *
 * The engine says how to build a version (schemas, planner, clients: everything a request needs,
 * in one object) and how to make a built version the one new requests get. This module loads the
 * first version, then for each change the source notifies:
 *
 * 1. runs the features' supergraph hooks (`transform`) on the new text — a hook that throws
 *    refuses the version — and at once runs them again on the serving text, so that what the hooks
 *    remember (cost annotations, authorization requirements) stays the serving version's while the
 *    new one is built;
 * 2. builds the version (`build`); anything it throws refuses the version;
 * 3. runs the hooks on the new text again and activates the version, in the same tick, so no
 *    request sees the hooks of one version with the schema of another.
 *
 * A refused version leaves the serving one untouched; the refusal is logged at `error` with its
 * hash and reason and reported to `events`. Changes are applied one at a time; changes that arrive
 * while one is being built collapse into the newest. Requests pin the version they started on (the
 * engines key what they built by the API schema Apollo Server validated the request against), so
 * in-flight requests finish on the old version.
 *
 * The hooks must be deterministic functions of the text (they are run up to three times per change).
 */
import type { GatewayLogger } from '../../context';
import type { SupergraphEventSink } from './events';
import { reasonOf, supergraphVersion } from './source';
import type { SupergraphSource, SupergraphVersion } from './source';

export interface VersionBuilder<V> {
  /** Everything one version needs; throws (or rejects) if the version cannot serve. */
  build(version: SupergraphVersion): V | Promise<V>;
  /** Makes `built` the version new requests get (synchronous). */
  activate(built: V, version: SupergraphVersion): void;
}

export interface FollowOptions {
  source: SupergraphSource;
  /** The features' supergraph hooks, composed (identity when absent). */
  transform?: (sdl: string) => string;
  events?: SupergraphEventSink;
  logger: GatewayLogger;
}

export interface Follower {
  /** Loads and activates the first version, then follows the source. Rejects if it cannot serve. */
  load(): Promise<void>;
  /** Stops following and stops the source. */
  stop(): Promise<void>;
  /** Resolves when the changes notified so far are applied or refused (tests). */
  settled(): Promise<void>;
}

export function followSupergraph<V>(options: FollowOptions, builder: VersionBuilder<V>): Follower {
  const { source, events, logger } = options;
  const transform = options.transform ?? ((sdl: string) => sdl);
  let serving: SupergraphVersion | undefined;
  let pending: SupergraphVersion | undefined;
  let running: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  let stopped = false;

  const refuse = (version: SupergraphVersion, error: unknown) => {
    const reason = reasonOf(error);
    logger.error(
      { supergraph: version.hash, current: serving?.hash, source: source.describe, reason },
      'supergraph refused; the current one keeps serving',
    );
    events?.refused(version.hash, reason, source.describe);
  };
  /** Puts the hooks' memory back to the serving version's (never throws: it built before). */
  const restoreHooks = () => {
    try {
      if (serving) transform(serving.sdl);
    } catch (error) {
      logger.error({ err: error }, 'a supergraph hook failed on the serving supergraph');
    }
  };

  /** Applies one change; returns a promise only while an asynchronous build runs. */
  const apply = (version: SupergraphVersion): void | Promise<void> => {
    if (version.hash === serving?.hash) return;
    let candidate: SupergraphVersion;
    try {
      candidate = supergraphVersion(transform(version.sdl));
    } catch (error) {
      restoreHooks();
      return refuse(version, error);
    }
    restoreHooks();
    let built: V | Promise<V>;
    try {
      built = builder.build(candidate);
    } catch (error) {
      return refuse(version, error);
    }
    // A synchronous build (govgraph) is checked and activated in the same tick as the change.
    if (!(built instanceof Promise)) return take(version, candidate, built);
    return built.then(
      (done) => take(version, candidate, done),
      (error: unknown) => refuse(version, error),
    );
  };

  const take = (version: SupergraphVersion, candidate: SupergraphVersion, built: V) => {
    if (stopped) return;
    try {
      transform(version.sdl);
      builder.activate(built, candidate);
    } catch (error) {
      restoreHooks();
      return refuse(version, error);
    }
    const previous = serving!;
    serving = version;
    logger.info(
      { supergraph: version.hash, previous: previous.hash, source: source.describe },
      'supergraph reloaded',
    );
    events?.reloaded(version.hash, source.describe);
  };

  const drain = (): void | Promise<void> => {
    while (pending && !stopped) {
      const next = pending;
      pending = undefined;
      const done = apply(next);
      if (done) return done.then(drain);
    }
  };
  const kick = () => {
    if (running) return;
    const done = drain();
    if (done)
      running = done.finally(() => {
        running = undefined;
        if (pending) kick();
      });
  };

  return {
    async load() {
      const version = await source.load();
      const candidate = supergraphVersion(transform(version.sdl));
      const built = await builder.build(candidate);
      builder.activate(built, candidate);
      serving = version;
      logger.info({ supergraph: version.hash, source: source.describe }, 'supergraph loaded');
      events?.loaded(version.hash, source.describe);
      unsubscribe = source.onChange((next) => {
        pending = next;
        kick();
      });
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      await source.stop();
    },
    async settled() {
      while (running) await running;
    },
  };
}
