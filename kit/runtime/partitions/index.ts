/**
 * Yearly range partitions (docs/database.md "Partitioning by year"): the SQL functions every subgraph's
 * database gets (migrations/, mounted first by kit/runtime/define.ts), and the start-up step that keeps
 * this year's and next year's partitions created ahead of the rows that need them.
 */
import path from 'node:path';
import type { Queryable } from '../db';
import type { DatabaseModule } from '../migrate';

export const partitionsModule: DatabaseModule = {
  namespace: 'partitions',
  migrationsDir: path.join(__dirname, 'migrations'),
};

/**
 * Creates this year's and next year's partitions (Vietnam's calendar) of every table partitioned by
 * year, as the owner after the migrations; idempotent. Returns the partitions created now.
 */
export async function ensureYearPartitions(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ name: string }>(`SELECT year_partitions_ensure() AS name`);
  return rows.map((r) => r.name);
}
