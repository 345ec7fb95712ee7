/**
 * Where the supergraph comes from. Both engines load it from a `SupergraphSource` and follow its
 * changes; a source knows nothing of planning or serving. The file source reads one file (the
 * `--supergraph` / `SUPERGRAPH_PATH` file); a URL poller or a schema registry implements the same
 * interface (load, identify by hash, notify on change).
 */
import { createHash } from 'node:crypto';
import { watchFile, unwatchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../errors';

/** One version of the supergraph: its SDL and the hash that identifies it (sha256 of the SDL, hex). */
export interface SupergraphVersion {
  readonly sdl: string;
  readonly hash: string;
}

export type SupergraphListener = (version: SupergraphVersion) => void;

export interface SupergraphSource {
  /** Where it comes from, for messages (a path or URL). */
  readonly describe: string;
  /** The current supergraph. Rejects with a one-line reason (a ConfigError) when it cannot be read. */
  load(): Promise<SupergraphVersion>;
  /**
   * Calls `listener` with each new version (a different hash) found after `load()`; returns the
   * unsubscriber. A source that cannot change never calls it.
   */
  onChange(listener: SupergraphListener): () => void;
  /** Stops watching for changes (idempotent). */
  stop(): Promise<void>;
}

export function supergraphVersion(sdl: string): SupergraphVersion {
  return { sdl, hash: createHash('sha256').update(sdl).digest('hex') };
}

export interface FileSourceOptions {
  /**
   * Checks the file's modification time this often (ms) and notifies a changed supergraph; off
   * when absent (the file is read once, at load).
   */
  pollIntervalMs?: number;
}

export function fileSupergraphSource(file: string, options: FileSourceOptions = {}): SupergraphSource {
  const listeners = new Set<SupergraphListener>();
  let current: string | undefined;
  let watching = false;

  const read = async (): Promise<SupergraphVersion> => {
    try {
      return supergraphVersion(await readFile(file, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ConfigError('SUPERGRAPH_PATH', `cannot read supergraph file ${file} (${code})`);
    }
  };
  const check = async () => {
    const version = await read().catch(() => undefined); // a half-written or removed file: keep the last one
    if (!version || version.hash === current) return;
    current = version.hash;
    for (const listener of listeners) listener(version);
  };
  const onPoll = () => void check();

  return {
    describe: file,
    async load() {
      const version = await read();
      current = version.hash;
      if (options.pollIntervalMs !== undefined && !watching) {
        watching = true;
        watchFile(file, { interval: options.pollIntervalMs, persistent: false }, onPoll);
      }
      return version;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      if (watching) unwatchFile(file, onPoll);
      watching = false;
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

/** The log line of a new version an engine could not build (it keeps serving the previous one). */
export function refusedVersion(from: string, hash: string, error: unknown): string {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `supergraph ${hash.slice(0, 12)} from ${from} refused, keeping the previous one: ${reason}`;
}
