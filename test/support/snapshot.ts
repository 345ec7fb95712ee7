/**
 * A fingerprint of everything stored: per subgraph database and table, the row count and an
 * order-independent sum of row hashes. Two equal fingerprints mean nothing was inserted, updated or
 * deleted in between (a refused mutation "writes nothing"), whatever the table.
 */
import type { Queryable } from '../../kit/runtime/db';

export type Fingerprint = Record<string, string>;

/** `{ 'dossiers.public.dossiers': '1234:-98765…', … }` over every base table of every database. */
export async function fingerprint(dbs: ReadonlyMap<string, { db: Queryable }>): Promise<Fingerprint> {
  const out: Fingerprint = {};
  for (const [name, { db }] of dbs) {
    const tables = await db.query<{ t: string }>(
      `SELECT format('%I.%I', table_schema, table_name) AS t FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
       ORDER BY 1`,
    );
    if (!tables.length) continue;
    const rows = await db.query<{ t: string; v: string }>(
      tables
        .map(
          ({ t }) =>
            `SELECT '${t.replace(/'/g, "''")}' AS t, count(*) || ':' || coalesce(sum(hashtext(x::text)::bigint), 0) AS v FROM ${t} x`,
        )
        .join(' UNION ALL '),
    );
    for (const r of rows) out[`${name}.${r.t}`] = r.v;
  }
  return out;
}
