/**
 * What a subgraph's pools tell metrics and tracing (kit/runtime/metrics.ts, tracing.ts). One hub per
 * process: the serving pool makes it (kit/runtime/db.ts `openDatabase`) and the read replica's pool
 * is opened with the same one under another name (run.ts), so every statement, on either pool, is
 * reported from one place — the statement wrapper in db.ts — and metrics and tracing subscribe once.
 */

/** A pool's connections now: checked out, idle, and requests waiting for one. */
export interface PoolStatus {
  inUse: number;
  idle: number;
  waiting: number;
}

/** After every statement: its duration in seconds, whether it failed, and the pool that ran it. */
export type StatementObserver = (seconds: number, failed: boolean, pool: string) => void;

export interface StatementObservers {
  /** Calls `observer` (besides any earlier ones) after every statement of every pool reporting here. */
  observe(observer: StatementObserver): void;
  /** The pools reporting here, by name (`primary`, `replica`), with a reader of their connections. */
  pools(): ReadonlyMap<string, () => PoolStatus>;
}

/** The side the pools use: whether anyone listens (so that an unobserved statement is not timed), and reporting. */
export interface StatementReporter extends StatementObservers {
  readonly observed: boolean;
  report(seconds: number, failed: boolean, pool: string): void;
  /** A pool joins under `name` (a second pool of the same name is refused: its figures would mix). */
  addPool(name: string, status: () => PoolStatus): void;
}

export function statementObservers(): StatementReporter {
  const observers: StatementObserver[] = [];
  const pools = new Map<string, () => PoolStatus>();
  return {
    get observed() {
      return observers.length > 0;
    },
    observe(observer) {
      observers.push(observer);
    },
    report(seconds, failed, pool) {
      for (const each of observers) each(seconds, failed, pool);
    },
    addPool(name, status) {
      if (pools.has(name)) throw new Error(`a database pool named "${name}" already reports here`);
      pools.set(name, status);
    },
    pools: () => pools,
  };
}
