/**
 * Reads on a streaming replica (`<NAME>_DATABASE_REPLICA_URL`, docs/database.md#read-replicas).
 *
 * A request's reads go to the replica when all of these hold, and to the primary otherwise:
 *
 * - the operation is a query (a mutation, its checks and the answer it returns, runs on the primary);
 * - the replica is fresh: its replay lag, sampled every `checkIntervalMs`, is at most `maxLagMs`, so a
 *   read there sees the primary as it was at most `maxLagMs + checkIntervalMs` ago;
 * - the caller wrote nothing through this process within the last `maxLagMs + checkIntervalMs`
 *   (read-your-writes: a citizen who just filed a dossier finds it in their list).
 *
 * Transactions and `exec` always go to the primary. A read that fails on the replica for want of a
 * connection (DatabaseUnavailableError) is run again on the primary, and the replica counts as down until the next sample
 * answers. The primary's own failures are not hidden.
 */
import type { Database, Queryable, Row } from './db';
import { DatabaseUnavailableError } from './db';

export interface ReplicaSettings {
  /** The largest replay lag at which the replica still serves reads, ms. */
  readonly maxLagMs: number;
  /** How often the lag is sampled, ms. */
  readonly checkIntervalMs: number;
}

export const DEFAULT_REPLICA: ReplicaSettings = { maxLagMs: 5000, checkIntervalMs: 1000 };

/** What `/ready` says of the replica. */
export interface ReplicaStatus {
  /** serving: reads go there; stale: its lag passed the bound; down: it did not answer. */
  readonly state: 'serving' | 'stale' | 'down' | 'starting';
  /** The last sampled replay lag, ms (null when unknown). */
  readonly lagMs: number | null;
}

/** The per-request choice: `db` for the request's context, `readOnly()` once the operation is known. */
export interface RequestDatabase extends Database {
  /** The operation writes (a mutation): every statement goes to the primary. */
  markWriting(): void;
}

export interface ReadRouter {
  /** The database a request of `writer` (its caller's subject, null = anonymous) uses. */
  forRequest(writer: string | null): RequestDatabase;
  status(): ReplicaStatus;
  /** Reads sent to the replica and to the primary so far (tests, metrics). */
  readonly counts: { replica: number; primary: number };
  close(): Promise<void>;
}

/**
 * Replay lag in ms: 0 when everything received is replayed (an idle primary writes nothing, so the
 * time since the last replayed commit is not lag); otherwise the age of the last replayed commit.
 */
const LAG_SQL = `SELECT CASE
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE((EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::bigint, 0)
  END AS lag_ms, pg_is_in_recovery() AS standby`;

export function readRouter(
  primary: Database,
  replica: Database,
  settings: ReplicaSettings,
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void },
): ReadRouter {
  let status: ReplicaStatus = { state: 'starting', lagMs: null };
  const counts = { replica: 0, primary: 0 };
  /** Callers who wrote, and when (ms): their reads stay on the primary for the staleness bound. */
  const writers = new Map<string, number>();
  const stickyMs = settings.maxLagMs + settings.checkIntervalMs;

  const setStatus = (next: ReplicaStatus): void => {
    if (next.state !== status.state)
      log[next.state === 'serving' ? 'info' : 'warn'](
        { replica: next.state, lagMs: next.lagMs },
        next.state === 'serving' ? 'reads go to the replica' : 'reads go to the primary: replica not usable',
      );
    status = next;
  };

  const sample = async (): Promise<void> => {
    try {
      const [row] = await replica.query<{ lag_ms: number; standby: boolean }>(LAG_SQL);
      const lagMs = Number(row?.lag_ms ?? 0);
      // A server that is not in recovery is not a replica of anything: never read from it blindly.
      if (!row?.standby) return setStatus({ state: 'down', lagMs: null });
      setStatus({ state: lagMs <= settings.maxLagMs ? 'serving' : 'stale', lagMs });
    } catch {
      setStatus({ state: 'down', lagMs: null });
    }
    const now = Date.now();
    for (const [who, at] of writers) if (now - at > stickyMs) writers.delete(who);
  };
  let sampling = sample();
  const timer = setInterval(() => {
    sampling = sampling.then(sample);
  }, settings.checkIntervalMs);
  timer.unref();

  const forRequest = (writer: string | null): RequestDatabase => {
    let writing = false;
    const onPrimary = (): boolean => {
      if (writing || status.state !== 'serving') return true;
      if (writer === null) return false;
      const at = writers.get(writer);
      return at !== undefined && Date.now() - at <= stickyMs;
    };
    const wrote = (): void => {
      if (writer !== null) writers.set(writer, Date.now());
    };
    return {
      async query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
        if (onPrimary()) {
          counts.primary++;
          return primary.query<T>(sql, params);
        }
        counts.replica++;
        try {
          return await replica.query<T>(sql, params);
        } catch (err) {
          if (!(err instanceof DatabaseUnavailableError)) throw err;
          setStatus({ state: 'down', lagMs: null });
          counts.primary++;
          return primary.query<T>(sql, params);
        }
      },
      exec(sql: string) {
        wrote();
        return primary.exec(sql);
      },
      async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
        writing = true;
        const result = await primary.transaction(fn);
        wrote();
        return result;
      },
      close: () => primary.close(),
      ping: primary.ping && ((ms: number) => primary.ping!(ms)),
      get roundTrips() {
        return primary.roundTrips + replica.roundTrips;
      },
      observers: primary.observers,
      markWriting() {
        writing = true;
      },
    };
  };

  return {
    forRequest,
    status: () => status,
    counts,
    async close() {
      clearInterval(timer);
      await sampling.catch(() => undefined);
      await replica.close();
    },
  };
}
