/** Per-request DataLoaders of the webhooks subgraph: a list of webhooks costs one query per field, not per webhook. */
import { manyByOn, oneBy } from '../../kit';
import type { Database } from '../../kit';
import { deliveriesOf, deliveryCounts } from './db/webhooks';

export function createLoaders(db: Database) {
  return {
    /** The deliveries of many webhooks, one query per distinct (status, first). */
    deliveries: manyByOn(
      (ids, q: { status: string | null; first: number }) => deliveriesOf(db, ids, q),
      (d) => d.webhookId,
    ),
    deliveryCounts: oneBy(
      (ids: readonly string[]) => deliveryCounts(db, ids),
      (c) => c.webhookId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
