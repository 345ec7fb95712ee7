/**
 * Where the supergraph comes from. Both engines load it from a `SupergraphSource` and follow its
 * changes (follow.ts); a source knows nothing of planning or serving. The file source reads one
 * file (the `--supergraph` / `SUPERGRAPH_PATH` file) and, when asked, watches it; the URL source
 * (urlSource.ts) polls an HTTP endpoint; a schema registry would implement the same interface.
 */
import { createHash } from 'node:crypto';
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GatewayLogger } from '../../context';
import { ConfigError } from '../../errors';

/** One version of the supergraph: its SDL and the hash that identifies it (sha256 of the SDL, hex). */
export interface SupergraphVersion {
  readonly sdl: string;
  readonly hash: string;
}

export type SupergraphListener = (version: SupergraphVersion) => void;

export interface SupergraphSource {
  /** Where it comes from, for messages (a path or URL without credentials or query). */
  readonly describe: string;
  /** The current supergraph. Rejects with a one-line reason (a ConfigError) when it cannot be read. */
  load(): Promise<SupergraphVersion>;
  /**
   * Calls `listener` with each new version (a different hash) found after `load()`; returns the
   * unsubscriber. A source that cannot change never calls it. A listener must not throw.
   */
  onChange(listener: SupergraphListener): () => void;
  /** Stops watching for changes (idempotent). */
  stop(): Promise<void>;
}

export function supergraphVersion(sdl: string): SupergraphVersion {
  return { sdl, hash: createHash('sha256').update(sdl).digest('hex') };
}

/** How a file source notices a new file: not at all, file-system events, or reading it periodically. */
export type FileWatchMode = 'off' | 'watch' | 'poll';

export interface FileSourceOptions {
  /** Default `off` (read once, at load), unless `pollIntervalMs` is given (then `poll`). */
  watch?: FileWatchMode;
  /** `poll`: reads the file this often (ms) and compares its hash. Default 1000. */
  pollIntervalMs?: number;
  /**
   * `watch`: how long the directory must be quiet after an event before the file is read (ms), so
   * a file written in several chunks, or an editor's write-then-rename, is read once. Default 200.
   */
  debounceMs?: number;
  /** Where a file that cannot be read while watched is reported (it keeps the current version). */
  logger?: GatewayLogger;
}

/**
 * The file source. `watch` listens to the file's directory (not the file: an editor or `mv`
 * replaces the file by renaming another onto it, and Kubernetes swaps a ConfigMap's `..data`
 * symlink, so the watched inode would be the old one) and, once it is quiet for `debounceMs`,
 * re-reads the file and notifies when the hash changed. If the directory cannot be watched
 * (inotify limits, some network file systems) it falls back to `poll`.
 */
export function fileSupergraphSource(file: string, options: FileSourceOptions = {}): SupergraphSource {
  const mode: FileWatchMode = options.watch ?? (options.pollIntervalMs !== undefined ? 'poll' : 'off');
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const debounceMs = options.debounceMs ?? 200;
  const listeners = new Set<SupergraphListener>();
  let current: string | undefined;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let unreadable = false;

  const read = async (): Promise<SupergraphVersion> => {
    try {
      return supergraphVersion(await readFile(file, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ConfigError('SUPERGRAPH_PATH', `cannot read supergraph file ${file} (${code})`);
    }
  };
  const check = async () => {
    let version: SupergraphVersion;
    try {
      version = await read();
    } catch (error) {
      // Removed or replaced non-atomically: keep the last version; the next event reads it again.
      if (!unreadable) options.logger?.warn(`${(error as Error).message}; keeping the current supergraph`);
      unreadable = true;
      return;
    }
    unreadable = false;
    if (stopped || version.hash === current) return;
    current = version.hash;
    for (const listener of listeners) listener(version);
  };
  const onPoll = () => void check();
  // Polling reads the file and compares hashes: a modification time can miss a same-size change
  // made within the file system's timestamp granularity of the last one.
  let poller: NodeJS.Timeout | undefined;
  const startPolling = () => {
    if (poller) return;
    poller = setInterval(onPoll, pollIntervalMs);
    poller.unref();
  };
  const startWatching = () => {
    try {
      watcher = watch(path.dirname(file), { persistent: false }, () => {
        clearTimeout(timer);
        timer = setTimeout(onPoll, debounceMs);
        timer.unref();
      });
    } catch (error) {
      options.logger?.warn(`cannot watch ${file} (${(error as Error).message}); polling it instead`);
      return startPolling();
    }
    watcher.on('error', (error) => {
      watcher?.close();
      watcher = undefined;
      if (stopped) return;
      options.logger?.warn(`watching ${file} failed (${error.message}); polling it instead`);
      startPolling();
    });
  };

  return {
    describe: file,
    async load() {
      const version = await read();
      current = version.hash;
      if (!stopped && !watcher && !poller) {
        if (mode === 'watch') startWatching();
        else if (mode === 'poll') startPolling();
      }
      return version;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      watcher?.close();
      watcher = undefined;
      clearInterval(poller);
      poller = undefined;
      listeners.clear();
    },
  };
}

/** The source with `transform` applied to every version's SDL (e.g. features' supergraph hooks). */
export function transformedSource(
  source: SupergraphSource,
  transform: (sdl: string) => string,
): SupergraphSource {
  const map = (version: SupergraphVersion) => supergraphVersion(transform(version.sdl));
  return {
    describe: source.describe,
    load: async () => map(await source.load()),
    onChange: (listener) => source.onChange((version) => listener(map(version))),
    stop: () => source.stop(),
  };
}

/** The first line of an error's message: a refusal's reason. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}
