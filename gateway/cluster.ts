/**
 * Several gateway processes on one port (`GATEWAY_WORKERS`, node:cluster). The primary process
 * loads no supergraph and serves nothing: it forks the workers (each a complete gateway, main.ts),
 * waits until every one listens, then announces the URL once; the listening socket is shared and
 * the primary hands connections to the workers in turn (Node's round-robin scheduling).
 *
 * Stopping: SIGTERM or SIGINT to the primary, or the primary's own parent going away (the IPC
 * channel of `npm start` closing), stops every worker gracefully (each drains as a single gateway
 * does) and the primary exits once they all have. A worker that dies while the gateway runs is
 * replaced; one that fails to start fails the whole gateway with its one-line reason.
 *
 * Everything a worker keeps in memory is its own: rate-limit windows (unless GATEWAY_REDIS_URL),
 * in-flight deduplication, caches.
 *
 * Supergraph reloads: every worker follows the supergraph source itself (watches the file or polls
 * the URL, engine/supergraph/follow.ts) and decides on its own to take or refuse a version — they
 * run the same code on the same text, so they decide alike — and a replacement worker loads what
 * the source holds then. Each worker tells the primary the hash it serves after each load or
 * reload; the primary logs when every worker serves the same new one ("gateway workers agree on
 * the supergraph"), or at `warn` when they still disagree a poll interval later.
 */
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { createServer } from 'node:http';
import { AggregatorRegistry } from 'prom-client';
import type { GatewayLogger } from './context';

/** What a worker tells the primary (over the cluster's IPC channel). */
export type WorkerMessage =
  | { type: 'listening'; name: 'gateway'; url: string; links: Record<string, string> }
  | { type: 'failed'; message: string }
  | { type: 'supergraph'; hash: string };

export interface PrimaryOptions {
  workers: number;
  logger: GatewayLogger;
  /** Longest a worker may take to stop before it is killed (its shutdown delay + drain + margin). */
  stopTimeoutMs: number;
  /** Called once, when every worker listens. */
  announce(url: string, links: Record<string, string>): void;
  /** Called once if the gateway cannot start: the first worker's reason. */
  fail(message: string): void;
  /** How long workers may disagree on the supergraph before it is logged at `warn` (ms). */
  supergraphAgreementMs?: number;
  /**
   * GATEWAY_METRICS_PORT: the primary serves `GET /metrics` there, every worker's registry summed
   * (prom-client's AggregatorRegistry asks each worker over IPC); workers open no such listener.
   */
  metrics?: { host: string; port: number };
}

/** More unexpected worker deaths than this within a minute stop the gateway instead of a crash loop. */
const MAX_RESTARTS_PER_MINUTE = 10;

export const isWorker = (): boolean => cluster.isWorker;

export function runPrimary(options: PrimaryOptions): void {
  const { logger } = options;
  let listening = 0;
  let started = false;
  let stopping: Promise<void> | undefined;
  let exitCode = 0;
  const restarts: number[] = [];
  const hashes = new Map<number, string>();
  let agreed: string | undefined;
  let disagreement: NodeJS.Timeout | undefined;

  /** Logs once every live worker serves the same supergraph, or at `warn` if they still do not later. */
  const compareSupergraphs = () => {
    const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
    const served = new Set(live.map((w) => hashes.get(w.id)));
    if (served.size === 1 && !served.has(undefined)) {
      clearTimeout(disagreement);
      disagreement = undefined;
      const [hash] = served as Set<string>;
      if (hash !== agreed)
        logger.info({ supergraph: hash, workers: live.length }, 'gateway workers agree on the supergraph');
      agreed = hash;
      return;
    }
    disagreement ??= setTimeout(() => {
      disagreement = undefined;
      const byWorker = Object.fromEntries(live.map((w) => [w.process.pid, hashes.get(w.id) ?? null]));
      if (new Set(Object.values(byWorker)).size > 1)
        logger.warn({ supergraphs: byWorker }, 'gateway workers serve different supergraphs');
    }, options.supergraphAgreementMs ?? 30_000);
    disagreement.unref();
  };

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: WorkerMessage) => {
      // Only the first failure is told: every worker fails the same way, and their messages can
      // arrive before the stop reaches them.
      if (message?.type === 'failed' && !started && !stopping) {
        exitCode = 1;
        options.fail(message.message);
        void stop('a worker failed to start');
      } else if (message?.type === 'supergraph') {
        hashes.set(worker.id, message.hash);
        if (started) compareSupergraphs();
      } else if (message?.type === 'listening') {
        if (started) logger.info({ worker: worker.process.pid }, 'replacement gateway worker ready');
        else if (++listening === options.workers) {
          started = true;
          logger.info({ workers: options.workers, url: message.url }, 'gateway workers ready');
          options.announce(message.url, message.links);
          compareSupergraphs();
        }
      }
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    hashes.delete(worker.id);
    if (stopping) return;
    const why = signal ?? `code ${code}`;
    if (!started) {
      exitCode = 1;
      options.fail(`worker ${worker.process.pid} exited during start-up (${why})`);
      void stop('a worker failed to start');
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts[0] < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      logger.error({ worker: worker.process.pid, why }, 'gateway workers keep dying; stopping');
      exitCode = 1;
      void stop('workers keep dying');
      return;
    }
    logger.error({ worker: worker.process.pid, why }, 'gateway worker died; starting another');
    fork();
  });

  function stop(reason: string): Promise<void> {
    stopping ??= (async () => {
      logger.info({ reason }, 'stopping gateway workers');
      const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
      await Promise.all(alive.map((w) => stopWorker(w, options.stopTimeoutMs)));
      process.exit(exitCode);
    })();
    return stopping;
  }

  for (let i = 0; i < options.workers; i++) fork();
  if (options.metrics) serveClusterMetrics(options.metrics, logger);
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // Started by a parent that died (even by kill -9): the IPC channel closes; never outlive it.
  process.on('disconnect', () => void stop('parent exited'));
}

/** SIGTERM (the worker drains and exits), then SIGKILL if it is still there after `timeoutMs`. */
function stopWorker(worker: Worker, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    const kill = setTimeout(() => worker.process.kill('SIGKILL'), timeoutMs);
    worker.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    worker.process.kill('SIGTERM');
  });
}

/** `GET /metrics` of the whole cluster on the operators' port; the server is unref'd (stop() exits). */
function serveClusterMetrics(where: { host: string; port: number }, logger: GatewayLogger): void {
  const aggregator = new AggregatorRegistry();
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    aggregator.clusterMetrics().then(
      (text) => response.writeHead(200, { 'content-type': aggregator.contentType }).end(text),
      (error: unknown) => {
        logger.warn({ err: error }, 'cluster metrics: a worker did not answer');
        response.writeHead(500).end();
      },
    );
  });
  server.on('error', (error) => logger.error({ err: error }, 'cannot serve GATEWAY_METRICS_PORT'));
  server.listen(where.port, where.host);
  server.unref();
}
