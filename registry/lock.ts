/**
 * Serialises every change to one environment — publishes, rollbacks, contract changes — with a
 * transaction-scoped advisory lock (released at commit or rollback): no two changes check against
 * the same old state.
 */
import type { Queryable } from '../kit/runtime/db';

export const lockEnvironment = (tx: Queryable, env: string) =>
  tx.query(`SELECT pg_advisory_xact_lock(hashtext('govgraph-registry:' || $1))`, [env]);
